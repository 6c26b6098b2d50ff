//go:build !unix

package csrc

import "time"

var processStart = time.Now()

// cpuTime returns the time since the process started: without getrusage,
// wall time stands in for CPU time.
func cpuTime() time.Duration { return time.Since(processStart) }

// peakRSS is unknown here.
func peakRSS() int64 { return 0 }
