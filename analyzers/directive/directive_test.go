package directive_test

import (
	"go/ast"
	"reflect"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgolint/cgolint/analyzers/directive"
	"github.com/cgolint/cgolint/internal/ignore"
	"github.com/cgolint/cgolint/passes/config"
)

// The directive check on its own, with stub checks in place of the suite's
// (no cgo needed): alpha reports a finding of category one at each call of
// a function named alphaOne and of category two at alphaTwo; beta one of
// category b at each call of beta. Like the suite's checks behind its
// filter, each drops the findings a directive covers and returns an
// *ignore.Usage naming the directives it used; a stub listed in skip
// returns Usage.Skipped (turned off) without looking.

var categories = map[string][]string{"alpha": {"one", "two"}, "beta": {"b"}}

func stub(name string, findings map[string]string, skipped bool) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:       name,
		Doc:        "stub check " + name,
		ResultType: reflect.TypeFor[*ignore.Usage](),
		Run: func(pass *analysis.Pass) (any, error) {
			if skipped {
				return &ignore.Usage{Skipped: true}, nil
			}
			index := ignore.NewIndex(pass.Fset, pass.Files)
			for _, f := range pass.Files {
				ast.Inspect(f, func(n ast.Node) bool {
					call, ok := n.(*ast.CallExpr)
					if !ok {
						return true
					}
					id, ok := call.Fun.(*ast.Ident)
					if !ok {
						return true
					}
					if cat, ok := findings[id.Name]; ok && !index.Suppress(call.Pos(), name, cat) {
						pass.Report(analysis.Diagnostic{Pos: call.Pos(), Category: cat, Message: name + " finding"})
					}
					return true
				})
			}
			return &ignore.Usage{Used: index.UsedPos()}, nil
		},
	}
}

// check returns the directive check over the two stubs, with the stubs
// named in skip turned off, and the configuration in yml ("" for none).
func check(t *testing.T, yml string, skip ...string) *analysis.Analyzer {
	t.Helper()
	var cfg *config.Config
	if yml != "" {
		var err error
		if cfg, err = config.Parse("c.yml", []byte(yml)); err != nil {
			t.Fatal(err)
		}
	}
	off := func(name string) bool {
		for _, s := range skip {
			if s == name {
				return true
			}
		}
		return false
	}
	checks := []*analysis.Analyzer{
		stub("alpha", map[string]string{"alphaOne": "one", "alphaTwo": "two"}, off("alpha")),
		stub("beta", map[string]string{"beta": "b"}, off("beta")),
	}
	return directive.New(cfg, checks, categories)
}

// TestUsed: directives that suppress a finding, by check, by category,
// by all, on the finding's line or the line above, are not reported; nor
// is a comment that is not a directive.
func TestUsed(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), check(t, ""), "used")
}

// TestMalformed: a directive without a reason or without a check name.
func TestMalformed(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), check(t, ""), "malformed")
}

// TestUnknown: a name that is no check, no check/category and not all.
func TestUnknown(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), check(t, ""), "unknown")
}

// TestUnused: a well-formed directive that suppressed nothing.
func TestUnused(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), check(t, ""), "unused")
}

// TestSkipped: a directive naming a check that did not run (or all, when
// one did not) is never unused: nothing tells what the check would have
// found.
func TestSkipped(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), check(t, "", "beta"), "skipped")
}

// TestCategoryOff: a directive naming a category the configuration turns
// off, or its whole check while one of its categories is off, is never
// unused; one naming a category still on is.
func TestCategoryOff(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), check(t, "disable: [alpha/two]\n"), "categoryoff")
}

// TestQuiet: the check's own categories are filtered by the configuration
// (disable: [directive/unused]), and disabling the check silences it.
func TestQuiet(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), check(t, "disable: [directive/unused]\n"), "quiet")
	analysistest.Run(t, analysistest.TestData(), check(t, "disable: [directive]\n"), "off")
}
