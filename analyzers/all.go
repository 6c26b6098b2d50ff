// Package analyzers assembles cgolint's suite: one list, shared by every
// driver (the cgolint command, go vet -vettool, the golangci-lint plugin).
package analyzers

import (
	"os"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/cgocall"

	"github.com/cgolint/cgolint/analyzers/cblocking"
	"github.com/cgolint/cgolint/analyzers/cescape"
	"github.com/cgolint/cgolint/analyzers/cfree"
	"github.com/cgolint/cgolint/analyzers/chostile"
	"github.com/cgolint/cgolint/analyzers/csignal"
	"github.com/cgolint/cgolint/analyzers/directive"
	"github.com/cgolint/cgolint/analyzers/finalizer"
	"github.com/cgolint/cgolint/analyzers/lockthread"
	"github.com/cgolint/cgolint/internal/docutil"
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
// is, so one binary also covers cgo's pointer-passing rules. The last
// analyzer is the directive check, which Requires all the others.
//
// Every check's findings pass through one filter, wrapped around its Run
// here (see filter), so no check can forget it and every driver (all build
// on Suite) applies it: disabled checks and categories, excluded paths and
// //cgolint:ignore directives.
func Suite(cfg *config.Config) []*analysis.Analyzer {
	index := cindex.New(cfg)
	checks := make([]*analysis.Analyzer, 0, len(constructors)+2)
	for _, c := range constructors {
		checks = append(checks, withEnds(editUserFiles(c(index))))
	}
	checks = append(checks, cgocall.Analyzer)
	names := []string{directive.Name}
	cats := make(map[string][]string)
	for _, c := range checks {
		names = append(names, c.Name)
		cats[c.Name] = docutil.Categories(c.Doc)
	}
	off := flagsOff(names)
	for i, c := range checks {
		checks[i] = filter(c, cfg, off)
	}
	return append(checks, directive.New(cfg, slices.Clone(checks), cats))
}

// editUserFiles lets the drivers apply suggested fixes to the user's files
// behind cgo's //line comments. cindex positions findings and edits in
// those files (the cooked ones are build-cache copies), but the drivers read
// a file to fix only through Pass.ReadFile, which allows just the names of
// pass.Files (the cooked copies): so each pass of a (freshly built) hazard
// analyzer also allows the files those copies name.
func editUserFiles(a *analysis.Analyzer) *analysis.Analyzer {
	run := a.Run
	a.Run = func(pass *analysis.Pass) (any, error) {
		if readFile := pass.ReadFile; readFile != nil {
			pass.ReadFile = func(name string) ([]byte, error) {
				for _, f := range pass.Files {
					if pass.Fset.Position(f.Package).Filename == name {
						return os.ReadFile(name)
					}
				}
				return readFile(name)
			}
		}
		return run(pass)
	}
	return a
}

// Names returns the names of the checks in the suite, in order.
func Names() []string {
	var names []string
	for _, a := range Suite(nil) {
		names = append(names, a.Name)
	}
	return names
}

// Categories returns each check's categories, as its documentation (the
// "Category <name>:" lines of its doc.go) lists them. A check without
// categories (cgocall) maps to nil.
func Categories() map[string][]string {
	cats := make(map[string][]string)
	for _, a := range Suite(nil) {
		cats[a.Name] = docutil.Categories(a.Doc)
	}
	return cats
}

// Known returns every name a configuration's disable list (and the
// -disable flag) accepts: each check, then each check/category.
func Known() []string {
	names := Names()
	cats := Categories()
	known := slices.Clone(names)
	for _, n := range names {
		for _, c := range cats[n] {
			known = append(known, n+"/"+c)
		}
	}
	return known
}
