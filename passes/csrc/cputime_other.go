//go:build !unix

package csrc

import (
	"os"
	"time"
)

var processStart = time.Now()

// cpuTime returns the time since the process started: without getrusage,
// wall time stands in for CPU time.
func cpuTime() time.Duration { return time.Since(processStart) }

// maxRSS is unknown here.
func maxRSS(*os.ProcessState) int64 { return 0 }
