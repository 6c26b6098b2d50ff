// Command floor is cgolint's benchmark floor: the cheapest driver that loads
// and analyses packages the way cgolint does, and reports nothing.
//
// It is the same go/analysis multichecker as cmd/cgolint, with the two
// analyzers of package github.com/cgolint/cgolint/bench/internal/floor: one
// with a fact type that Requires ctrlflow (as cgolint's C-call index did
// until issue 15; command bench/loadfloor is the floor without it),
// so every dependency is loaded from source and analysed, and one that
// Requires buildssa without facts, so SSA is built only for the packages
// named on the command line.
//
// cgolint's cost above this floor is what its checks and its index add.
// bench/run.sh builds it and runs it side by side with cgolint and go vet;
// see BENCHMARKS.md.
package main

import (
	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/cgolint/cgolint/bench/internal/floor"
)

func main() {
	multichecker.Main(floor.Analyzers()...)
}
