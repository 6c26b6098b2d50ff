// Command synth writes a synthetic cgo module for cgolint's benchmarks.
//
// Usage:
//
//	go run ./bench/synth -n 100 -o /tmp/synth100
//
// The module has n small, clean cgo packages (see
// github.com/cgolint/cgolint/bench/synthgen); analyse it with
// `cgolint ./...` from the output directory. bench/run.sh uses it to show
// how cgolint's cost grows with the number of packages.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/cgolint/cgolint/bench/synthgen"
)

func main() {
	n := flag.Int("n", 10, "number of cgo `packages`")
	out := flag.String("o", "", "output `directory` (created if needed)")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: synth -n packages -o dir")
		os.Exit(2)
	}
	if err := synthgen.Write(*out, *n); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
