package finalizer

import (
	_ "embed"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/internal/docutil"
	"github.com/cgolint/cgolint/passes/cindex"
)

//go:embed doc.go
var doc string

// Analyzer is the finalizer check on the default C-call index.
var Analyzer = New(cindex.Analyzer)

// New returns a finalizer analyzer that reads the given C-call index (an analyzer
// built by cindex.New).
func New(index *analysis.Analyzer) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:      "finalizer",
		Doc:       docutil.MustExtract(doc, "finalizer"),
		URL:       "https://pkg.go.dev/github.com/cgolint/cgolint/analyzers/finalizer",
		Requires:  []*analysis.Analyzer{index},
		FactTypes: []analysis.Fact{new(finalizedFact), new(releasesFact)},
		Run: func(pass *analysis.Pass) (any, error) {
			return cindex.Check(pass, index, func(idx *cindex.Index) error { return run(pass, idx) })
		},
	}
}

// Categories.
const (
	catBadObject     = "bad-object"
	catBadFunc       = "bad-func"
	catNeverRuns     = "never-runs"
	catDoubleRelease = "double-release"
	catKeepAlive     = "keepalive"
)

func run(pass *analysis.Pass, idx *cindex.Index) (err error) {
	if idx.Std() {
		return nil // the standard library is known by name
	}
	if !interesting(pass, idx) {
		return nil // no finalizers, no C calls, nothing with our facts: no SSA
	}
	s, err := idx.SSA()
	if err != nil {
		return err
	}
	r := &runner{
		pass:     pass,
		idx:      idx,
		ssa:      s,
		raw:      make(map[*ssa.Function][]release),
		unsafe:   make(map[*ssa.Function]map[relKey]*event),
		disarms:  make(map[*ssa.Function]map[int]bool),
		types:    make(map[*types.TypeName]*finType),
		imported: make(map[*types.TypeName]*finType),
		finFuncs: make(map[*ssa.Function]bool),
		calls:    make(map[*ssa.Function][]*cindex.Call),
		rawFiles: make(map[string]*ast.File),
	}
	for _, c := range idx.Calls() {
		r.calls[c.Func] = append(r.calls[c.Func], c)
	}
	r.learnDestructors()
	r.computeRaw()
	r.finalizerSites()
	r.exportFacts()
	r.computeDisarms()
	r.computeUnsafe()
	r.reportDoubleRelease()
	r.reportKeepAlive()
	return nil
}

// interesting reports whether the package might have something to say: it
// uses runtime.SetFinalizer or runtime.AddCleanup, uses cgo, or uses a type
// or function that carries one of our facts.
func interesting(pass *analysis.Pass, idx *cindex.Index) bool {
	if idx.UsesCgo() {
		return true
	}
	for _, obj := range pass.TypesInfo.Uses {
		if obj.Pkg() == nil || obj.Pkg() == pass.Pkg {
			continue
		}
		switch obj := obj.(type) {
		case *types.Func:
			if obj.Pkg().Path() == "runtime" && (obj.Name() == "SetFinalizer" || obj.Name() == "AddCleanup") {
				return true
			}
			if pass.ImportObjectFact(obj, new(releasesFact)) {
				return true
			}
		case *types.TypeName:
			if pass.ImportObjectFact(obj, new(finalizedFact)) {
				return true
			}
		}
	}
	return false
}

// runner holds the state of one pass.
type runner struct {
	pass *analysis.Pass
	idx  *cindex.Index
	ssa  *cindex.SSA

	raw      map[*ssa.Function][]release         // what each function releases, whatever it disarms
	unsafe   map[*ssa.Function]map[relKey]*event // releases on a path that does not disarm
	disarms  map[*ssa.Function]map[int]bool      // parameters disarmed on every path
	types    map[*types.TypeName]*finType        // finalized types of this package
	imported map[*types.TypeName]*finType        // finalized types from facts
	finFuncs map[*ssa.Function]bool              // functions used as finalizers or cleanups
	calls    map[*ssa.Function][]*cindex.Call    // C calls by enclosing function
	rawFiles map[string]*ast.File                // parsed user files, for fixes

	paramEscapes map[*ssa.Function]map[int]bool // parameters a function lets escape

	learned map[string]bool // C functions the package's finalizers release fields with
}

// A finType is a type with a finalizer or cleanup, and what it releases.
type finType struct {
	fields    map[string]string // released field path -> "C.f" that releases it
	vias      map[string]bool   // every "C.f" the finalizer releases a field with
	guards    map[string]bool   // fields the finalizer tests
	finalizer string
	cleanup   bool
	at        token.Pos // a SetFinalizer/AddCleanup call, in the user's file (this package only)
}

type relKey struct {
	param int
	field string
}

// An event is a release found in a function: a C call, or a call of a
// function that releases.
type event struct {
	instr   ssa.CallInstruction
	via     string        // "C.free"
	through *ssa.Function // the Go function called, or nil for a direct C call
	call    *cindex.Call  // the direct C call, or nil
}
