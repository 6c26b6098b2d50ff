package cindex_test

import (
	"bytes"
	"fmt"
	"go/types"
	"os"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/internal/cgotest"
	"github.com/cgolint/cgolint/passes/cindex"
)

// indexes holds the Index each package's reporter read, for the tests that
// check the Result directly.
var indexes sync.Map

// reporter reports every indexed call at its position, so the fixtures'
// `// want` comments check the index's records and their lines.
var reporter = &analysis.Analyzer{
	Name:     "creport",
	Doc:      "report each indexed C call",
	Requires: []*analysis.Analyzer{cindex.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		idx := pass.ResultOf[cindex.Analyzer].(*cindex.Index)
		indexes.Store(pass.Pkg.Path(), idx)
		for _, c := range idx.Calls() {
			pass.Reportf(c.Pos(), "%s", describe(c))
		}
		return nil, nil
	},
}

func describe(c *cindex.Call) string {
	var b strings.Builder
	name := c.Func.Name()
	if recv := c.Func.Signature.Recv(); recv != nil {
		name = fmt.Sprintf("(%s).%s", types.TypeString(recv.Type(), types.RelativeTo(c.Func.Pkg.Pkg)), name)
	}
	fmt.Fprintf(&b, "C.%s in %s", c.Name, name)
	switch {
	case c.Deferred:
		b.WriteString(" deferred")
	case c.Go:
		b.WriteString(" go")
	}
	fmt.Fprintf(&b, " args=%d", len(c.Args))
	if c.TwoResult {
		b.WriteString(" two-result")
	}
	if c.Info != nil && c.Info.Allocates {
		b.WriteString(" allocates")
	}
	if c.Info != nil && len(c.Info.Frees) > 0 {
		b.WriteString(" frees")
	}
	return b.String()
}

var shapes = []string{"direct", "wrapped", "deferred", "gocall", "tworesult", "helpers", "places", "captured"}

func TestShapes(t *testing.T) {
	cgotest.Require(t)
	results := analysistest.Run(t, analysistest.TestData(), reporter, shapes...)
	cgotest.NoIgnoredFiles(t, results)
}

// run runs the reporter on a fixture and returns the Index it read.
func run(t *testing.T, pkg string) (*cindex.Index, *analysis.Pass) {
	t.Helper()
	results := analysistest.Run(t, analysistest.TestData(), reporter, pkg)
	cgotest.NoIgnoredFiles(t, results)
	if idx, ok := indexes.Load(pkg); ok {
		return idx.(*cindex.Index), results[0].Pass
	}
	t.Fatalf("%s: no cindex result", pkg)
	return nil, nil
}

// TestPositions checks that every call is positioned in the user's file at
// the `C.` of the call the user wrote, never in a build-cache file.
func TestPositions(t *testing.T) {
	cgotest.Require(t)
	for _, pkg := range shapes {
		idx, pass := run(t, pkg)
		if len(idx.Calls()) == 0 {
			t.Errorf("%s: no calls indexed", pkg)
		}
		for _, c := range idx.Calls() {
			pos := pass.Fset.Position(c.Pos())
			if !strings.HasSuffix(pos.Filename, "/"+pkg+"/"+pkg+".go") {
				t.Errorf("%s: C.%s positioned in %s, not the user's file", pkg, c.Name, pos.Filename)
				continue
			}
			src, err := os.ReadFile(pos.Filename)
			if err != nil {
				t.Fatal(err)
			}
			line := bytes.Split(src, []byte("\n"))[pos.Line-1]
			if want := "C." + c.Name; !bytes.HasPrefix(line[pos.Column-1:], []byte(want)) {
				if !(c.Name == "malloc" && bytes.HasPrefix(line[pos.Column-1:], []byte("C.malloc"))) {
					t.Errorf("%s: C.%s at %s points at %q, want %q", pkg, c.Name, pos, line[pos.Column-1:], want)
				}
			}
		}
	}
}

// TestDeferredArgsAtDeferStatement checks that `defer C.free(p)` records p's
// value at the defer statement: in Early, the nil that p held then.
func TestDeferredArgsAtDeferStatement(t *testing.T) {
	cgotest.Require(t)
	idx, _ := run(t, "deferred")
	for _, c := range idx.CallsTo("free") {
		arg := cindex.Unconvert(c.Args[0])
		switch c.Func.Name() {
		case "Early":
			if k, ok := arg.(*ssa.Const); !ok || !k.IsNil() {
				t.Errorf("Early: deferred free's argument is %v, want the nil p held at the defer", arg)
			}
		case "Late":
			if call, ok := arg.(*ssa.Call); !ok || idx.CallOf(call) == nil || idx.CallOf(call).Name != "CString" {
				t.Errorf("Late: deferred free's argument is %v, want the C.CString result", arg)
			}
		}
	}
}

// TestCapturedVariablesAreOrdinary checks that a variable captured only by
// cgo's wrapper closures is a plain SSA value, not a heap cell: the argument
// of C.free(unsafe.Pointer(p)) is the C.CString call itself.
func TestCapturedVariablesAreOrdinary(t *testing.T) {
	cgotest.Require(t)
	idx, _ := run(t, "captured")
	frees := idx.CallsTo("free")
	if len(frees) != 2 {
		t.Fatalf("got %d calls of free, want 2", len(frees))
	}
	for _, c := range frees {
		arg := cindex.Unconvert(c.Args[0])
		call, ok := arg.(*ssa.Call)
		if !ok || idx.CallOf(call) == nil || idx.CallOf(call).Name != "CString" {
			t.Errorf("free at %v: argument is %T %v, want the C.CString result", c.Pos(), arg, arg)
		}
	}
	for _, fn := range mustSSA(t, idx).SrcFuncs {
		if strings.HasPrefix(fn.Name(), "_C") {
			t.Errorf("cgo's function %s is listed as a source function", fn)
		}
		if len(fn.AnonFuncs) > 0 {
			t.Errorf("%s has closures %v: cgo's wrappers were not undone", fn, fn.AnonFuncs)
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if a, ok := instr.(*ssa.Alloc); ok && a.Heap {
					t.Errorf("%s: heap cell %s remains", fn, a.Comment)
				}
			}
		}
	}
}

func mustSSA(t *testing.T, idx *cindex.Index) *cindex.SSA {
	t.Helper()
	s, err := idx.SSA()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestNoSSAWithoutCgo keeps the cost promise: a package without cgo that no
// analyzer asks about builds no SSA, and asking builds it exactly once.
func TestNoSSAWithoutCgo(t *testing.T) {
	cgotest.Require(t)
	var mu sync.Mutex
	built := map[string]int{}
	restore := cindex.SetBuildHook(func(p *types.Package) {
		mu.Lock()
		built[p.Path()]++
		mu.Unlock()
	})
	defer restore()

	idx, _ := run(t, "nocgo")
	if idx.UsesCgo() || idx.Calls() != nil {
		t.Errorf("nocgo: UsesCgo=%v Calls=%v, want false, nil", idx.UsesCgo(), idx.Calls())
	}
	mu.Lock()
	n := built["nocgo"]
	mu.Unlock()
	if n != 0 {
		t.Fatalf("nocgo: SSA built %d times without being asked, want 0", n)
	}
	mustSSA(t, idx)
	mustSSA(t, idx)
	mu.Lock()
	n = built["nocgo"]
	mu.Unlock()
	if n != 1 {
		t.Errorf("nocgo: SSA built %d times after two requests, want 1", n)
	}

	run(t, "direct")
	mu.Lock()
	defer mu.Unlock()
	if built["direct"] != 1 {
		t.Errorf("direct (cgo): SSA built %d times, want 1", built["direct"])
	}
	for path, n := range built {
		if path != "nocgo" && path != "direct" {
			t.Errorf("SSA built for dependency %s (%d times)", path, n)
		}
	}
}

// TestCheckTurnsPanicsIntoErrors: a check that panics on a package gets an
// error naming itself and the package, not a crashed driver.
func TestCheckTurnsPanicsIntoErrors(t *testing.T) {
	cgotest.Require(t)
	panicky := &analysis.Analyzer{
		Name:     "panicky",
		Doc:      "panic on every package",
		Requires: []*analysis.Analyzer{cindex.Analyzer},
		Run: func(pass *analysis.Pass) (any, error) {
			return cindex.Check(pass, cindex.Analyzer, func(*cindex.Index) error { panic("boom") })
		},
	}
	var errs []string
	analysistest.Run(errorRecorder(func(msg string) { errs = append(errs, msg) }), analysistest.TestData(), panicky, "direct")
	if len(errs) != 1 || !strings.Contains(errs[0], "panicky: internal error in direct: boom") {
		t.Errorf("errors = %q, want one naming the check, the package and the panic", errs)
	}
}

type errorRecorder func(string)

func (r errorRecorder) Errorf(format string, args ...any) { r(fmt.Sprintf(format, args...)) }
