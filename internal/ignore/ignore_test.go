package ignore_test

import (
	"go/ast"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/cgolint/cgolint/analyzers/chostile"
	"github.com/cgolint/cgolint/internal/cgotest"
	"github.com/cgolint/cgolint/internal/ignore"
	"github.com/cgolint/cgolint/passes/cindex"
)

// toy reports every call of a function named hazard.
var toy = &analysis.Analyzer{
	Name:     "toy",
	Doc:      "toy reports calls of hazard",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
		in.Preorder([]ast.Node{(*ast.CallExpr)(nil)}, func(n ast.Node) {
			if id, ok := n.(*ast.CallExpr).Fun.(*ast.Ident); ok && id.Name == "hazard" {
				pass.Reportf(n.Pos(), "call of hazard")
			}
		})
		return nil, nil
	},
}

func TestPlain(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), ignore.Wrap(toy), "plain")
}

// TestCgo runs a real check, whose findings cindex positions in the user's
// raw file, on a cgo package whose directives the framework sees only in
// cgo's cooked file.
func TestCgo(t *testing.T) {
	cgotest.Require(t)
	results := analysistest.Run(t, analysistest.TestData(), ignore.Wrap(chostile.New(cindex.Analyzer)), "cgoignore")
	cgotest.NoIgnoredFiles(t, results)
}

// TestIgnored checks the one-position entry point on the same fixture.
func TestIgnored(t *testing.T) {
	var got []int
	probe := &analysis.Analyzer{
		Name: "probe",
		Doc:  "probe asks Ignored about every call of hazard, and reports the others",
		Run: func(pass *analysis.Pass) (any, error) {
			for _, f := range pass.Files {
				ast.Inspect(f, func(n ast.Node) bool {
					c, ok := n.(*ast.CallExpr)
					if !ok {
						return true
					}
					if ignore.Ignored(pass, c.Pos(), "toy") {
						got = append(got, pass.Fset.Position(c.Pos()).Line)
					} else {
						pass.Reportf(c.Pos(), "call of hazard")
					}
					return true
				})
			}
			return nil, nil
		},
	}
	analysistest.Run(t, analysistest.TestData(), probe, "plain")
	want := []int{9, 11, 13, 15}
	if len(got) != len(want) {
		t.Fatalf("ignored calls on lines %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("ignored calls on lines %v, want %v", got, want)
		}
	}
	if ignore.Wrap(toy) == toy || toy.Run == nil {
		t.Fatal("Wrap must return a copy and leave the analyzer alone")
	}
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		text   string
		ok     bool
		checks []string
		reason string
	}{
		{"//cgolint:ignore cfree freed by the callback", true, []string{"cfree"}, "freed by the callback"},
		{"//cgolint:ignore cfree,chostile  two checks ", true, []string{"cfree", "chostile"}, "two checks"},
		{"//cgolint:ignore\tall\treason", true, []string{"all"}, "reason"},
		{"//cgolint:ignore cfree", false, nil, ""},
		{"//cgolint:ignore", false, nil, ""},
		{"//cgolint:ignorecfree reason", false, nil, ""},
		{"// cgolint:ignore cfree reason", false, nil, ""},
		{"//nolint:cgolint", false, nil, ""},
	} {
		d, ok := ignore.Parse(tc.text)
		if ok != tc.ok || ok && (d.Reason != tc.reason || len(d.Checks) != len(tc.checks)) {
			t.Errorf("Parse(%q) = %+v, %v; want %v %v, %v", tc.text, d, ok, tc.checks, tc.reason, tc.ok)
			continue
		}
		for i := range tc.checks {
			if d.Checks[i] != tc.checks[i] {
				t.Errorf("Parse(%q).Checks = %v, want %v", tc.text, d.Checks, tc.checks)
			}
		}
	}
}
