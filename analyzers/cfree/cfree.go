package cfree

import (
	"cmp"
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/internal/docutil"
	"github.com/cgolint/cgolint/internal/ssaflow"
	"github.com/cgolint/cgolint/passes/cfuncs"
	"github.com/cgolint/cgolint/passes/cindex"
)

//go:embed doc.go
var doc string

// Analyzer is the cfree check on the default C-call index.
var Analyzer = New(cindex.Analyzer)

// New returns a cfree analyzer that reads the given C-call index (an analyzer
// built by cindex.New).
func New(index *analysis.Analyzer) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:      "cfree",
		Doc:       docutil.MustExtract(doc, "cfree"),
		URL:       "https://pkg.go.dev/github.com/cgolint/cgolint/analyzers/cfree",
		Requires:  []*analysis.Analyzer{index},
		FactTypes: []analysis.Fact{new(funcFact)},
		Run: func(pass *analysis.Pass) (any, error) {
			return cindex.Check(pass, index, func(idx *cindex.Index) error { return run(pass, idx) })
		},
	}
}

// Categories of findings; doc.go documents each.
const (
	catLeak       = "leak"
	catInline     = "inline-leak"
	catDoubleFree = "double-free"
	catUseAfter   = "use-after-free"
	catEarlyDefer = "early-defer"
	catGoMemory   = "free-go-memory"
	catFamily     = "wrong-family"
	catBorrowed   = "free-borrowed"
)

// runner holds the state of one pass.
type runner struct {
	pass     *analysis.Pass
	idx      *cindex.Index
	ssa      *cindex.SSA
	local    map[*ssa.Function]*funcFact
	imported map[*types.Func]*funcFact
	reach    *ssaflow.Reach

	// names maps an allocating call expression to the variable it is
	// assigned to, for the function being checked.
	names map[*ast.CallExpr]*ast.Ident
	// tupleNames maps a call of several results to the variables of
	// `a, b := f()`, by result index (nil for _).
	tupleNames map[*ast.CallExpr][]*ast.Ident
	defines    map[*ast.CallExpr]*ast.AssignStmt // lone `p := alloc()` statements directly in the body
	lparen     map[token.Pos]*ast.CallExpr

	early map[ssa.Value]bool // allocations already reported by the early-defer finding

	containerSafe map[ssa.Value]bool // local containers whose elements are never released

	impls *ssaflow.Impls // implementations of closed interfaces
}

func run(pass *analysis.Pass, idx *cindex.Index) error {
	if idx.Std() {
		return nil // the standard library has no C memory of ours
	}
	if !idx.UsesCgo() && !importsFacts(pass) {
		return nil // nothing of interest: no SSA
	}
	s, err := idx.SSA()
	if err != nil {
		return err
	}
	r := &runner{
		pass:     pass,
		idx:      idx,
		ssa:      s,
		local:    make(map[*ssa.Function]*funcFact),
		imported: make(map[*types.Func]*funcFact),
		early:    make(map[ssa.Value]bool),
		reach:    ssaflow.NewReach(),
		impls:    ssaflow.NewImpls(pass.Pkg, s.Info, s.Pkg.Prog, s.SrcFuncs),
	}
	r.summarize()
	r.exportFacts()
	for _, fn := range s.SrcFuncs {
		r.checkFunc(fn)
	}
	return nil
}

// importsFacts reports whether a package without cgo uses a function that
// has a fact of ours, the only case in which it is worth building its SSA.
func importsFacts(pass *analysis.Pass) bool {
	for _, obj := range pass.TypesInfo.Uses {
		f, ok := obj.(*types.Func)
		if !ok || f.Pkg() == nil || f.Pkg() == pass.Pkg {
			continue
		}
		if o := f.Origin(); o != nil {
			f = o
		}
		var fact funcFact
		if pass.ImportObjectFact(f, &fact) {
			return true
		}
	}
	return false
}

// exportFacts exports the summaries of the package's declared functions.
func (r *runner) exportFacts() {
	var fns []*ssa.Function
	for fn, f := range r.local {
		if f != nil && fn.Object() != nil && fn.Object().Pkg() == r.pass.Pkg {
			fns = append(fns, fn)
		}
	}
	sort.Slice(fns, func(i, j int) bool { return fns[i].Pos() < fns[j].Pos() })
	for _, fn := range fns {
		f := *r.local[fn]
		r.pass.ExportObjectFact(fn.Object(), &f)
	}
}

// An alloc is one call that hands back owned C memory.
type alloc struct {
	value   ssa.Value    // the owned pointer
	call    *cindex.Call // the C call, or nil for a Go function with a fact
	what    string       // "C.CString", "newCStr"
	dealloc string       // C deallocator name
	pos     token.Pos    // where to report
	expr    *ast.CallExpr

	// For an object handed back through an out-parameter
	// (sqlite3_prepare_v2(db, q, -1, &stmt, nil)): the variable's name,
	// its type, and the flow of the loads of the variable (outparam.go).
	name string
	typ  types.Type
	out  *flow
}

// allocOf returns the allocation that v is the result of, or nil.
func (r *runner) allocOf(v ssa.Value) *alloc {
	switch v := v.(type) {
	case *ssa.Call:
		if c := r.idx.CallOf(v); c != nil {
			if c.Info == nil || !c.Info.Allocates || c.TwoResult {
				return nil
			}
			return &alloc{value: v, call: c, what: "C." + c.Name, dealloc: c.Info.Dealloc, pos: c.Pos(), expr: c.Syntax}
		}
		if v.Call.IsInvoke() || v.Call.Signature().Results().Len() != 1 {
			return nil
		}
		if callee := v.Call.StaticCallee(); callee != nil {
			if d, ok := r.summaryOf(callee).ownedIndex(0); ok {
				return r.goAlloc(v, v, callee, d)
			}
		}
	case *ssa.Extract:
		call, ok := v.Tuple.(*ssa.Call)
		if !ok || call.Call.IsInvoke() || r.idx.CallOf(call) != nil {
			return nil
		}
		if callee := call.Call.StaticCallee(); callee != nil {
			if d, ok := r.summaryOf(callee).ownedIndex(v.Index); ok {
				return r.goAlloc(v, call, callee, d)
			}
		}
	}
	return nil
}

func (r *runner) goAlloc(v ssa.Value, call *ssa.Call, callee *ssa.Function, dealloc string) *alloc {
	a := &alloc{value: v, what: funcName(callee, r.pass.Pkg), dealloc: dealloc, pos: call.Pos()}
	if r.lparen != nil {
		if e := r.lparen[call.Pos()]; e != nil {
			a.expr = e
			a.pos = e.Pos()
		}
	}
	return a
}

// checkFunc reports the findings of one function.
func (r *runner) checkFunc(fn *ssa.Function) {
	if fn.Blocks == nil {
		return
	}
	r.scanSyntax(fn)
	r.checkEarlyDefers(fn)
	r.checkFieldsLeftSet(fn)
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if c, ok := instr.(ssa.CallInstruction); ok {
				r.checkFreedArgs(c)
				for _, a := range r.outAllocs(c) {
					r.checkAlloc(fn, a)
				}
			}
			v, ok := instr.(ssa.Value)
			if !ok {
				continue
			}
			a := r.allocOf(v)
			if a == nil {
				continue
			}
			if c, ok := instr.(*ssa.Call); ok && r.idx.CallOf(c) == nil {
				if _, multi := c.Type().(*types.Tuple); multi {
					continue // reached through its Extract
				}
			}
			r.checkAlloc(fn, a)
		}
	}
	for _, p := range fn.Params {
		if ssaflow.IsPointerLike(p.Type()) {
			if fl := r.track(p); !fl.lost {
				r.checkFrees(fn, fl, nil, p.Name())
			}
		}
	}
}

// scanSyntax records the variables that allocations are assigned to.
func (r *runner) scanSyntax(fn *ssa.Function) {
	r.names = make(map[*ast.CallExpr]*ast.Ident)
	r.tupleNames = make(map[*ast.CallExpr][]*ast.Ident)
	r.defines = make(map[*ast.CallExpr]*ast.AssignStmt)
	r.lparen = make(map[token.Pos]*ast.CallExpr)
	syn := fn.Syntax()
	if syn == nil {
		return
	}
	var body *ast.BlockStmt
	switch s := syn.(type) {
	case *ast.FuncDecl:
		body = s.Body
	case *ast.FuncLit:
		body = s.Body
	}
	if body != nil {
		for _, st := range body.List {
			if as, ok := st.(*ast.AssignStmt); ok && as.Tok == token.DEFINE && len(as.Lhs) == 1 && len(as.Rhs) == 1 {
				if call := r.stripCall(as.Rhs[0]); call != nil {
					r.defines[call] = as
				}
			}
		}
	}
	ast.Inspect(syn, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			r.lparen[n.Lparen] = n
		case *ast.AssignStmt:
			if len(n.Rhs) == 1 && len(n.Lhs) > 1 {
				if call := r.stripCall(n.Rhs[0]); call != nil {
					ids := make([]*ast.Ident, len(n.Lhs))
					for i, l := range n.Lhs {
						if id, ok := ast.Unparen(l).(*ast.Ident); ok && id.Name != "_" {
							ids[i] = id
						}
					}
					r.tupleNames[call] = ids
				}
			}
			if len(n.Lhs) == len(n.Rhs) {
				for i, rhs := range n.Rhs {
					if call := r.stripCall(rhs); call != nil {
						if id, ok := ast.Unparen(n.Lhs[i]).(*ast.Ident); ok && id.Name != "_" {
							r.names[call] = id
						}
					}
				}
			}
		case *ast.ValueSpec:
			if len(n.Names) == len(n.Values) {
				for i, rhs := range n.Values {
					if call := r.stripCall(rhs); call != nil {
						r.names[call] = n.Names[i]
					}
				}
			}
		}
		return true
	})
}

// stripCall returns the call that e is, under parentheses and type
// conversions, or nil.
func (r *runner) stripCall(e ast.Expr) *ast.CallExpr {
	for {
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok {
			return nil
		}
		if tv, ok := r.ssa.Info.Types[call.Fun]; ok && tv.IsType() && len(call.Args) == 1 {
			e = call.Args[0]
			continue
		}
		return call
	}
}

// checkAlloc reports leaks, double frees and uses after free of one allocation.
func (r *runner) checkAlloc(fn *ssa.Function, a *alloc) {
	if r.early[a.value] {
		return
	}
	fl := a.out
	if fl == nil {
		fl = r.track(a.value)
	}
	r.checkFamilies(a, fl)
	if fl.lost {
		return
	}
	name := a.name
	if a.expr != nil {
		if id := r.names[a.expr]; id != nil {
			name = id.Name
		}
	}
	if ex, ok := a.value.(*ssa.Extract); ok && name == "" && a.expr != nil {
		if ids := r.tupleNames[a.expr]; ex.Index < len(ids) && ids[ex.Index] != nil {
			name = ids[ex.Index].Name
		}
	}
	r.checkFrees(fn, fl, a, name)
	r.errorNilEdges(fl, a.value)

	ret, loop, leaks := r.leakPath(fl, a.value.(ssa.Instruction))
	if !leaks {
		return
	}
	free := r.freeExpr(a, name)
	released := false
	for _, e := range fl.events {
		if e.kind != evUse {
			released = true
		}
	}
	d := analysis.Diagnostic{Pos: a.pos, Category: catLeak}
	subject := a.what + " result " + name
	if a.out != nil {
		subject = name + ", filled by " + a.what + ","
	}
	switch {
	case fl.container != nil && !released:
		d.Message = fmt.Sprintf("%s result stored in local %s is never freed, so its C memory leaks; free each element with %s when done", a.what, r.containerName(fl.container), r.freeExpr(a, "elem"))
	case name == "" && len(fl.events) == 0:
		d.Message = fmt.Sprintf("%s result is discarded, so its C memory leaks; keep it and release it with %s", a.what, free)
	case name == "":
		callee := ""
		for _, e := range fl.events {
			if e.call != nil && e.kind == evUse {
				callee = e.callee
			}
		}
		if callee == "" || released {
			d.Message = fmt.Sprintf("%s result is not released on some path, so its C memory leaks; assign it to a variable and release it with %s", a.what, free)
		} else {
			d.Category = catInline
			d.Message = fmt.Sprintf("%s result passed straight to %s is never freed, so its C memory leaks; assign it to a variable and defer %s after the allocation", a.what, callee, free)
			d.SuggestedFixes = r.hoistFix(fn, a, d.Pos, fl)
		}
	case !released:
		d.Message = fmt.Sprintf("%s is never freed, so its C memory leaks; defer %s after the allocation", subject, free)
		d.SuggestedFixes = r.deferFix(a, name, fl)
	case loop:
		d.Message = fmt.Sprintf("%s is not freed on a path that goes round the loop to allocate again, so its C memory leaks; release it with %s on that path too", subject, free)
	case r.looksLikeReturn(r.retPos(fn, ret)):
		d.Message = fmt.Sprintf("%s is not freed on the path that returns at line %d, so its C memory leaks there; release it with %s on that path too, or defer it after the allocation", subject, r.line(r.retPos(fn, ret)), free)
	default:
		d.Message = fmt.Sprintf("%s is not freed on some path to a return, so its C memory leaks there; release it with %s on every path, or defer it after the allocation", subject, free)
	}
	if ret != nil && !loop && d.Category == catLeak {
		if pos := r.retPos(fn, ret); r.looksLikeReturn(pos) {
			d.Related = []analysis.RelatedInformation{{Pos: pos, Message: "returns here without releasing it"}}
		}
	}
	r.pass.Report(d)
}

// containerName names a local slice or array for messages.
func (r *runner) containerName(c ssa.Value) string {
	switch c := c.(type) {
	case *ssa.Alloc:
		if c.Comment != "" {
			return "array " + c.Comment
		}
	case *ssa.MakeSlice:
		if call := r.lparen[c.Pos()]; call != nil {
			if id := r.names[call]; id != nil {
				return "slice " + id.Name
			}
		}
	}
	return "slice"
}

// freeExpr spells the call that releases the allocation.
func (r *runner) freeExpr(a *alloc, name string) string {
	if a.call == nil {
		// A Go function's memory: its package may wrap the deallocator.
		return "C." + cmp.Or(a.dealloc, "free") + " (or the Go function that wraps it)"
	}
	t := a.value.Type()
	if a.typ != nil {
		t = a.typ
	}
	if name == "" {
		name = "p"
	} else if id := r.names[a.expr]; id != nil && r.ssa.Info.TypeOf(id) != nil {
		t = r.ssa.Info.TypeOf(id)
	}
	dealloc := a.dealloc
	if dealloc == "" {
		dealloc = "free"
	}
	arg := "unsafe.Pointer(" + name + ")"
	if b, ok := t.Underlying().(*types.Basic); ok && b.Kind() == types.UnsafePointer {
		arg = name
	} else if void, known := r.takesVoidPtr(dealloc); known && !void {
		arg = name // the deallocator takes its own type, not void*
	} else if !known {
		if d := r.idx.KB().Lookup(dealloc); d == nil || d.Origin != cfuncs.OriginBuiltin {
			arg = name // a library deallocator usually takes its own type
		}
	}
	return "C." + dealloc + "(" + arg + ")"
}

// takesVoidPtr reports whether the C function dealloc takes a void * first
// parameter (unsafe.Pointer on the Go side), as cgo declared it for this
// package; known is false when the package does not call dealloc.
func (r *runner) takesVoidPtr(dealloc string) (void, known bool) {
	fn, ok := r.pass.Pkg.Scope().Lookup("_Cfunc_" + dealloc).(*types.Func)
	if !ok {
		return false, false
	}
	params := fn.Type().(*types.Signature).Params()
	if params.Len() == 0 {
		return false, false
	}
	b, ok := params.At(0).Type().Underlying().(*types.Basic)
	return ok && b.Kind() == types.UnsafePointer, true
}

// retPos returns the position of a return instruction, or of the closing
// brace of the function for an implicit return.
func (r *runner) retPos(fn *ssa.Function, ret ssa.Instruction) token.Pos {
	if ret != nil && ret.Pos().IsValid() {
		return ret.Pos()
	}
	switch s := fn.Syntax().(type) {
	case *ast.FuncDecl:
		return s.Body.Rbrace
	case *ast.FuncLit:
		return s.Body.Rbrace
	}
	return fn.Pos()
}

// looksLikeReturn reports whether the user's source line at pos starts
// with a return statement or a closing brace: cgo's rewrites can move the
// positions of statements that contain C calls, and a related position on
// the wrong line would mislead.
func (r *runner) looksLikeReturn(pos token.Pos) bool {
	content, tf, ok := r.idx.UserSource(pos)
	if !ok {
		return false
	}
	line := tf.Line(r.idx.UserPos(pos))
	start := tf.Offset(tf.LineStart(line))
	text := strings.TrimLeft(string(content[start:]), " \t")
	return strings.HasPrefix(text, "return") || strings.HasPrefix(text, "}")
}

func (r *runner) line(pos token.Pos) int { return r.pass.Fset.Position(pos).Line }

// isStop reports whether an event ends the function's responsibility for
// the memory on the path it is on.
func isStop(k evKind) bool { return k != evUse }

// leakPath looks for a path from start (nil: the function's entry) to a
// return, or back to start, that releases nothing. It returns the return
// reached, whether the path goes round a loop, and whether there is one.
func (r *runner) leakPath(fl *flow, start ssa.Instruction) (ret ssa.Instruction, loop, found bool) {
	stops := make(map[*ssa.BasicBlock][]int)
	for _, e := range fl.events {
		if isStop(e.kind) {
			stops[e.instr.Block()] = append(stops[e.instr.Block()], r.reach.Index(e.instr))
		}
	}
	stopIn := func(b *ssa.BasicBlock, lo, hi int) bool {
		for _, i := range stops[b] {
			if lo < i && i < hi {
				return true
			}
		}
		return false
	}
	var sb *ssa.BasicBlock
	si := -1
	if start == nil {
		sb = fl.root.Parent().Blocks[0]
	} else {
		sb, si = start.Block(), r.reach.Index(start)
	}
	const inf = 1 << 30
	succs := func(b *ssa.BasicBlock) []*ssa.BasicBlock {
		if k, ok := fl.nilEdge[b]; ok && len(b.Succs) == 2 {
			return []*ssa.BasicBlock{b.Succs[1-k]}
		}
		return b.Succs
	}
	if stopIn(sb, si, inf) {
		return nil, false, false
	}
	if ret, ok := sb.Instrs[len(sb.Instrs)-1].(*ssa.Return); ok {
		return ret, false, true
	}
	// A path round a loop back to the allocation is reported in
	// preference to a return: it is the more specific finding.
	visited := make(map[*ssa.BasicBlock]bool)
	stack := append([]*ssa.BasicBlock(nil), succs(sb)...)
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if b == sb {
			if !stopIn(sb, -1, si) {
				return nil, true, true
			}
			continue
		}
		if visited[b] {
			continue
		}
		visited[b] = true
		if stopIn(b, -1, inf) {
			continue
		}
		if len(b.Instrs) == 0 {
			continue
		}
		if r, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			if ret == nil {
				ret = r
			}
			continue
		}
		stack = append(stack, succs(b)...)
	}
	return ret, false, ret != nil
}
