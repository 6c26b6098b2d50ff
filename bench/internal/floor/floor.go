// Package floor defines the analyzers of cgolint's benchmark floor (see
// command bench/floor): the cheapest analysis that loads and schedules
// packages the way cgolint does, and reports nothing.
//
//   - [Facts] declares a fact type, so a driver loads the whole dependency
//     graph from source and runs it (with what it Requires) on every
//     package, the standard library included, exactly as a cgolint check
//     with facts does. It Requires ctrlflow, as cgolint's C-call index did
//     until issue 15 (kept so the floor's figures stay comparable); it
//     does nothing else.
//   - [SSA] Requires buildssa and declares no facts, so SSA is built only
//     for the packages named on the command line.
package floor

import (
	"reflect"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
)

// fact is never exported: declaring it is what makes a driver analyse
// every dependency from source.
type fact struct{}

func (*fact) AFact()         {}
func (*fact) String() string { return "floor" }

// Facts runs on every package, as an analyzer with facts does.
var Facts = &analysis.Analyzer{
	Name:       "facts",
	Doc:        "load every package from source, as an analyzer with facts does",
	Requires:   []*analysis.Analyzer{ctrlflow.Analyzer},
	FactTypes:  []analysis.Fact{new(fact)},
	ResultType: reflect.TypeFor[struct{}](),
	Run: func(pass *analysis.Pass) (any, error) {
		_ = pass.ResultOf[ctrlflow.Analyzer].(*ctrlflow.CFGs)
		return struct{}{}, nil
	},
}

// SSA builds SSA for the packages named on the command line.
var SSA = &analysis.Analyzer{
	Name:     "ssa",
	Doc:      "build SSA for the packages named on the command line",
	Requires: []*analysis.Analyzer{buildssa.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		_ = pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)
		return nil, nil
	},
}

// Load is the load floor alone (command bench/loadfloor): a fact type and
// nothing else, so a driver loads the whole dependency graph from source
// and visits every package, and does no other work. On a module without cgo
// cgolint should cost no more than this.
var Load = &analysis.Analyzer{
	Name:       "load",
	Doc:        "load every package from source, as an analyzer with facts does, and do nothing",
	FactTypes:  []analysis.Fact{new(fact)},
	ResultType: reflect.TypeFor[struct{}](),
	Run: func(pass *analysis.Pass) (any, error) {
		return struct{}{}, nil
	},
}

// Analyzers returns the floor's analyzers.
func Analyzers() []*analysis.Analyzer { return []*analysis.Analyzer{Facts, SSA} }
