// Command loadfloor is cgolint's load floor: the go/analysis multichecker
// with one analyzer that has a fact type and does nothing else
// (floor.Load), so it loads and visits the whole dependency graph, the
// standard library included, exactly as cgolint's checks make a driver do,
// and nothing more. bench/run.sh runs it as the tool "load"; on a module
// without cgo, cgolint's cost over it is what cgolint adds to plain Go
// code. See BENCHMARKS.md.
package main

import (
	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/cgolint/cgolint/bench/internal/floor"
)

func main() {
	multichecker.Main(floor.Load)
}
