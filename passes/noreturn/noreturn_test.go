package noreturn_test

import (
	"fmt"
	"go/ast"
	"go/types"
	"reflect"
	"sort"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/cgolint/cgolint/passes/noreturn"
)

type probe struct{}

func (*probe) AFact() {}

// TestSameAsCtrlflow compares the pass with ctrlflow on every function
// declared in, or called from, each package of a broad slice of the
// standard library (the comparer has a fact type, so it runs on every
// dependency) and on a fixture of our own.
func TestSameAsCtrlflow(t *testing.T) {
	var mu sync.Mutex
	var diffs []string
	checked, noret := 0, map[string]bool{}
	compare := &analysis.Analyzer{
		Name:       "compare",
		Doc:        "compare noreturn with ctrlflow",
		Requires:   []*analysis.Analyzer{ctrlflow.Analyzer, noreturn.Analyzer},
		FactTypes:  []analysis.Fact{new(probe)},
		ResultType: reflect.TypeFor[struct{}](),
		Run: func(pass *analysis.Pass) (any, error) {
			want := pass.ResultOf[ctrlflow.Analyzer].(*ctrlflow.CFGs)
			got := pass.ResultOf[noreturn.Analyzer].(*noreturn.Result)
			fns := map[*types.Func]bool{}
			for _, f := range pass.Files {
				ast.Inspect(f, func(n ast.Node) bool {
					switch n := n.(type) {
					case *ast.FuncDecl:
						if fn, ok := pass.TypesInfo.Defs[n.Name].(*types.Func); ok {
							fns[fn] = true
						}
					case *ast.CallExpr:
						if fn := typeutil.StaticCallee(pass.TypesInfo, n); fn != nil {
							fns[fn] = true
						}
					}
					return true
				})
			}
			mu.Lock()
			defer mu.Unlock()
			for fn := range fns {
				checked++
				w, g := want.NoReturn(fn), got.NoReturn(fn)
				if w != g {
					diffs = append(diffs, fmt.Sprintf("%s: %s: ctrlflow %v, noreturn %v", pass.Pkg.Path(), fn.FullName(), w, g))
				}
				if g && fn.Pkg() == pass.Pkg {
					noret[fn.FullName()] = true
				}
			}
			return struct{}{}, nil
		},
	}
	analysistest.Run(t, analysistest.TestData(), compare, "stdmix")
	sort.Strings(diffs)
	for _, d := range diffs {
		t.Error(d)
	}
	if checked < 10000 {
		t.Errorf("compared only %d functions", checked)
	}
	for _, fn := range []string{"os.Exit", "log.Fatal", "stdmix.fatal", "stdmix.exit", "stdmix.loop", "stdmix.gotoLoop", "stdmix.mutualA", "stdmix.switchDefault", "stdmix.selectForever", "stdmix.blockExit", "stdmix.ifInitExit", "stdmix.typeSwitchDefault", "stdmix.ifElseExit", "stdmix.loopForever"} {
		if !noret[fn] {
			t.Errorf("%s not found to never return", fn)
		}
	}
	for _, fn := range []string{"stdmix.returns", "stdmix.closure", "stdmix.mutualB", "stdmix.switchNoDefault", "stdmix.forCond", "stdmix.deferFirst", "stdmix.rangeThenExit", "stdmix.loopReturns", "stdmix.selectReturns", "stdmix.labeledBreak"} {
		if noret[fn] {
			t.Errorf("%s found to never return", fn)
		}
	}
	t.Logf("compared %d functions; %d never return", checked, len(noret))
}
