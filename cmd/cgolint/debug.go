package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"golang.org/x/tools/go/analysis/checker"
)

// Profiling and debugging flags, as x/tools' drivers have them (bench/run.sh
// uses -cpuprofile and -debug=tp).
type debugFlags struct {
	debug      string // p: sequential, t: time each action
	cpuProfile string
	memProfile string
}

func (d *debugFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&d.debug, "debug", "", `debug flags: p (run sequentially), t (print each action's time)`)
	fs.StringVar(&d.cpuProfile, "cpuprofile", "", "write a CPU profile to this `file`")
	fs.StringVar(&d.memProfile, "memprofile", "", "write a memory profile to this `file`")
}

func (d *debugFlags) has(c byte) bool { return strings.IndexByte(d.debug, c) >= 0 }

// start starts the CPU profile; the returned function stops it and writes
// the memory profile.
func (d *debugFlags) start() (stop func(), err error) {
	var cpu *os.File
	if d.cpuProfile != "" {
		if cpu, err = os.Create(d.cpuProfile); err != nil {
			return nil, err
		}
		if err := pprof.StartCPUProfile(cpu); err != nil {
			return nil, err
		}
	}
	return func() {
		if cpu != nil {
			pprof.StopCPUProfile()
			cpu.Close()
		}
		if d.memProfile != "" {
			if f, err := os.Create(d.memProfile); err == nil {
				runtime.GC()
				pprof.WriteHeapProfile(f)
				f.Close()
			}
		}
	}, nil
}

// printTimes prints the actions that took 90% of the time, slowest first,
// as "duration<TAB>analyzer@package".
func printTimes(graph *checker.Graph) {
	var list []*checker.Action
	var total time.Duration
	for act := range graph.All() {
		list = append(list, act)
		total += act.Duration
	}
	slices.SortFunc(list, func(a, b *checker.Action) int { return int(b.Duration - a.Duration) })
	var sum time.Duration
	for _, act := range list {
		fmt.Fprintf(os.Stderr, "%s\t%s\n", act.Duration, act)
		sum += act.Duration
		if sum >= total*9/10 {
			break
		}
	}
	if total > sum {
		fmt.Fprintf(os.Stderr, "%s\tall others\n", total-sum)
	}
}
