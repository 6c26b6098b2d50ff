// Package analyzers assembles cgolint's suite: one list, shared by every
// driver (the cgolint command, go vet -vettool, the golangci-lint plugin).
package analyzers

import (
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/cgocall"

	"github.com/cgolint/cgolint/analyzers/cblocking"
	"github.com/cgolint/cgolint/analyzers/cescape"
	"github.com/cgolint/cgolint/analyzers/cfree"
	"github.com/cgolint/cgolint/analyzers/chostile"
	"github.com/cgolint/cgolint/analyzers/csignal"
	"github.com/cgolint/cgolint/analyzers/finalizer"
	"github.com/cgolint/cgolint/analyzers/lockthread"
	"github.com/cgolint/cgolint/internal/ignore"
	"github.com/cgolint/cgolint/passes/cindex"
	"github.com/cgolint/cgolint/passes/config"
)

// constructors build each hazard analyzer on a given C-call index. A new
// check adds its New here, and nowhere else.
var constructors = []func(index *analysis.Analyzer) *analysis.Analyzer{
	cfree.New,
	cescape.New,
	lockthread.New,
	csignal.New,
	cblocking.New,
	finalizer.New,
	chostile.New,
}

// Suite returns a fresh set of cgolint's analyzers that share one C-call
// index built with cfg. cfg is read when the analyzers run, so a driver may
// fill it in while parsing flags. x/tools' cgocall pass is included as it
// is, so one binary also covers cgo's pointer-passing rules. Every analyzer
// honours //cgolint:ignore directives: the filter wraps its Run here, so no
// check can forget it and every driver (all build on Suite) applies it.
func Suite(cfg *config.Config) []*analysis.Analyzer {
	index := cindex.New(cfg)
	out := make([]*analysis.Analyzer, 0, len(constructors)+1)
	for _, c := range constructors {
		out = append(out, ignore.Wrap(c(index)))
	}
	return append(out, ignore.Wrap(cgocall.Analyzer))
}

// Names returns the names of the checks in the suite, for validating a
// configuration.
func Names() []string {
	var names []string
	for _, a := range Suite(nil) {
		names = append(names, a.Name)
	}
	return names
}
