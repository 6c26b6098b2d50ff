package cescape

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/internal/docutil"
	"github.com/cgolint/cgolint/internal/ssaflow"
	"github.com/cgolint/cgolint/passes/cindex"
)

//go:embed doc.go
var doc string

// Analyzer is the cescape check on the default C-call index.
var Analyzer = New(cindex.Analyzer)

// New returns a cescape analyzer that reads the given C-call index (an analyzer
// built by cindex.New).
func New(index *analysis.Analyzer) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:      "cescape",
		Doc:       docutil.MustExtract(doc, "cescape"),
		URL:       "https://pkg.go.dev/github.com/cgolint/cgolint/analyzers/cescape",
		Requires:  []*analysis.Analyzer{index},
		FactTypes: []analysis.Fact{new(OwnedResult), new(FreesParams)},
		Run: func(pass *analysis.Pass) (any, error) {
			return cindex.Check(pass, index, func(idx *cindex.Index) error { return run(pass, idx) })
		},
	}
}

// Categories of findings, documented in doc.go.
const (
	catOverwrite       = "overwrite"
	catDangling        = "dangling"
	catFreedWhileStore = "freed-while-stored"
	catGoPointerInC    = "go-pointer-in-c"
	catCallbackRetains = "callback-retains"
)

// OwnedResult is the fact that a Go function returns owned C memory (its
// first result), released by Dealloc.
type OwnedResult struct {
	Dealloc string // the C deallocator ("free"), or "" if unknown
}

// AFact marks OwnedResult as an analysis fact.
func (*OwnedResult) AFact() {}

func (f *OwnedResult) String() string { return "ownedResult(" + f.Dealloc + ")" }

// FreesParams is the fact that a Go function releases the C memory passed as
// the listed parameters (0-based, receiver first for methods; sorted).
type FreesParams struct {
	Params []int
}

// AFact marks FreesParams as an analysis fact.
func (*FreesParams) AFact() {}

func (f *FreesParams) String() string { return fmt.Sprintf("freesParams%v", f.Params) }

// runner holds the state of one pass.
type runner struct {
	pass *analysis.Pass
	idx  *cindex.Index
	prog *cindex.SSA

	owned map[*types.Func]*OwnedResult // this package's functions, while computing
	frees map[*types.Func][]int

	reach *ssaflow.Reach // which instructions can run after which
	impls *ssaflow.Impls // implementations of closed interfaces

	cfields map[types.Object]bool // Go fields and globals that only ever hold C memory

	reported    map[ssa.Instruction]bool // free calls already reported
	overwritten map[*ssa.Store]bool      // stores reported as overwrites
}

func run(pass *analysis.Pass, idx *cindex.Index) error {
	if idx.Std() || !idx.UsesCgo() {
		return nil // only cgo code creates or frees C memory
	}
	prog, err := idx.SSA()
	if err != nil {
		return err
	}
	r := &runner{
		pass:        pass,
		idx:         idx,
		prog:        prog,
		owned:       make(map[*types.Func]*OwnedResult),
		frees:       make(map[*types.Func][]int),
		reach:       ssaflow.NewReach(),
		impls:       ssaflow.NewImpls(pass.Pkg, prog.Info, prog.Pkg.Prog, prog.SrcFuncs),
		reported:    make(map[ssa.Instruction]bool),
		overwritten: make(map[*ssa.Store]bool),
	}
	r.summarise()
	r.cfields = r.cMemoryHolders()
	releases := r.releasesByOwner()
	for _, fn := range prog.SrcFuncs {
		r.overwrites(fn)
		r.setterOverwrites(fn, releases)
		r.freedWhileStored(fn)
		r.goPointers(fn)
	}
	r.dangling()
	r.callbacks()
	return nil
}

// summarise computes the facts of this package's functions (to a fixed
// point, since wrappers call wrappers) and exports them.
func (r *runner) summarise() {
	for changed, n := true, 0; changed && n < 10; n++ {
		changed = false
		for _, fn := range r.prog.SrcFuncs {
			obj, ok := fn.Object().(*types.Func)
			if !ok || fn.Blocks == nil {
				continue
			}
			if r.owned[obj] == nil {
				if o := r.ownedResultOf(fn); o != nil {
					r.owned[obj] = o
					changed = true
				}
			}
			if ps := r.freedParamsOf(fn); len(ps) > len(r.frees[obj]) {
				r.frees[obj] = ps
				changed = true
			}
		}
	}
	for _, fn := range r.prog.SrcFuncs {
		obj, ok := fn.Object().(*types.Func)
		if !ok {
			continue
		}
		if o := r.owned[obj]; o != nil {
			r.pass.ExportObjectFact(obj, o)
		}
		if ps := r.frees[obj]; len(ps) > 0 {
			r.pass.ExportObjectFact(obj, &FreesParams{Params: ps})
		}
	}
}

// ownedResultOf returns the fact that fn returns fresh C memory as its first
// result on every path that returns memory at all, or nil.
func (r *runner) ownedResultOf(fn *ssa.Function) *OwnedResult {
	res := fn.Signature.Results()
	if res.Len() == 0 || !ssaflow.IsPointerLike(res.At(0).Type()) {
		return nil
	}
	var fact *OwnedResult
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || len(ret.Results) == 0 {
			continue
		}
		v := ssaflow.Unconvert(ret.Results[0])
		if isNil(v) {
			continue
		}
		a, ok := r.allocOf(v)
		if !ok || !r.onlyReturned(v, 0) {
			return nil // freed, stored or handed on: not the caller's to own
		}
		if fact == nil {
			fact = &OwnedResult{Dealloc: a.dealloc}
		} else if fact.Dealloc != a.dealloc {
			fact.Dealloc = ""
		}
	}
	return fact
}

// onlyReturned reports whether v is only returned, compared, converted or
// lent to C functions that neither free, take nor keep it.
func (r *runner) onlyReturned(v ssa.Value, depth int) bool {
	if depth > 8 || v.Referrers() == nil {
		return depth <= 8
	}
	for _, ref := range *v.Referrers() {
		switch u := ref.(type) {
		case *ssa.Return, *ssa.DebugRef:
		case *ssa.BinOp:
			if u.Op != token.EQL && u.Op != token.NEQ {
				return false
			}
		case *ssa.ChangeType, *ssa.Convert:
			if !r.onlyReturned(u.(ssa.Value), depth+1) {
				return false
			}
		case ssa.CallInstruction:
			c := r.idx.CallOf(u)
			if c == nil || c.Info != nil && (len(c.Info.Frees) > 0 || len(c.Info.Takes) > 0 || len(c.Info.Keeps) > 0) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// freedIn reports whether v is passed to a freeing call in fn.
func (r *runner) freedIn(fn *ssa.Function, v ssa.Value) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if ci, ok := instr.(ssa.CallInstruction); ok {
				for _, a := range r.releasedArgs(ci, false) {
					if ssaflow.Unconvert(a) == v {
						return true
					}
				}
			}
		}
	}
	return false
}

// freedParamsOf returns the parameters of fn that it passes to a freeing call.
func (r *runner) freedParamsOf(fn *ssa.Function) []int {
	var out []int
	for i, p := range fn.Params {
		if !ssaflow.IsPointerLike(p.Type()) {
			continue
		}
		if r.freedIn(fn, p) {
			out = append(out, i)
		}
	}
	return out
}

// ownedFact returns what is known about fn returning owned memory.
func (r *runner) ownedFact(obj *types.Func) *OwnedResult {
	if o := r.owned[obj]; o != nil {
		return o
	}
	if obj.Pkg() == nil || obj.Pkg() == r.pass.Pkg {
		return nil
	}
	var f OwnedResult
	if r.pass.ImportObjectFact(obj, &f) {
		return &f
	}
	return nil
}

// freesFact returns the parameters that obj releases.
func (r *runner) freesFact(obj *types.Func) []int {
	if ps, ok := r.frees[obj]; ok {
		return ps
	}
	if obj.Pkg() == nil || obj.Pkg() == r.pass.Pkg {
		return nil
	}
	var f FreesParams
	if r.pass.ImportObjectFact(obj, &f) {
		return f.Params
	}
	return nil
}

// An alloc describes where a value of fresh C memory comes from.
type alloc struct {
	what    string // "C.CString", "newBuf"
	dealloc string // "free", or "" if unknown
	pos     token.Pos
}

// allocOf reports whether v (already unconverted) is the result of a C
// allocator or of a Go function with an OwnedResult fact.
func (r *runner) allocOf(v ssa.Value) (alloc, bool) {
	if ex, ok := v.(*ssa.Extract); ok && ex.Index == 0 {
		if c, ok := ex.Tuple.(*ssa.Call); ok {
			if cc := r.idx.CallOf(c); cc != nil && cc.TwoResult {
				v = c
			}
		}
	}
	call, ok := v.(*ssa.Call)
	if !ok {
		return alloc{}, false
	}
	if c := r.idx.CallOf(call); c != nil {
		if c.Info == nil || !c.Info.Allocates {
			return alloc{}, false
		}
		return alloc{what: "C." + c.Name, dealloc: c.Info.Dealloc, pos: c.Pos()}, true
	}
	callee := call.Call.StaticCallee()
	if callee == nil {
		return alloc{}, false
	}
	obj, ok := callee.Object().(*types.Func)
	if !ok {
		return alloc{}, false
	}
	if f := r.ownedFact(obj); f != nil {
		return alloc{what: r.goFuncName(obj), dealloc: f.Dealloc, pos: r.callPos(call.Parent(), call)}, true
	}
	return alloc{}, false
}

// releasedArgs returns the arguments that the call frees (and, with takes,
// those whose ownership it takes).
func (r *runner) releasedArgs(ci ssa.CallInstruction, takes bool) []ssa.Value {
	var out []ssa.Value
	if c := r.idx.CallOf(ci); c != nil {
		if c.Info == nil {
			return nil
		}
		for i, a := range c.Args {
			if c.Info.FreesArg(i) || (takes && c.Info.TakesArg(i)) {
				out = append(out, a)
			}
		}
		return out
	}
	if impls, ok := r.impls.Of(ci.Common()); ok && len(impls) > 0 {
		return r.invokeReleases(ci.Common(), impls)
	}
	callee := ci.Common().StaticCallee()
	if callee == nil {
		return nil
	}
	obj, ok := callee.Object().(*types.Func)
	if !ok {
		return nil
	}
	args := ci.Common().Args
	for _, i := range r.freesFact(obj) {
		if i < len(args) {
			out = append(out, args[i])
		}
	}
	return out
}

// invokeReleases returns the arguments that an interface method call frees:
// those that every implementation of the closed interface frees (the
// receiver is their parameter 0). Implementations that disagree free none.
func (r *runner) invokeReleases(common *ssa.CallCommon, impls []*ssa.Function) []ssa.Value {
	var out []ssa.Value
	for j, a := range common.Args {
		all := true
		for _, fn := range impls {
			obj, ok := fn.Object().(*types.Func)
			if !ok || !slices.Contains(r.freesFact(obj), j+1) {
				all = false
				break
			}
		}
		if all {
			out = append(out, a)
		}
	}
	return out
}

// report reports a finding.
func (r *runner) report(pos token.Pos, category, related string, relPos token.Pos, fixes []analysis.SuggestedFix, format string, args ...any) {
	d := analysis.Diagnostic{
		Pos:            pos,
		Category:       category,
		Message:        fmt.Sprintf(format, args...),
		SuggestedFixes: fixes,
	}
	if relPos.IsValid() {
		d.Related = []analysis.RelatedInformation{{Pos: relPos, Message: related}}
	}
	r.pass.Report(d)
}

// callPos returns where to report a call: the user's C call, or the start of
// a Go call expression.
func (r *runner) callPos(fn *ssa.Function, ci ssa.CallInstruction) token.Pos {
	if c := r.idx.CallOf(ci); c != nil {
		return c.Pos()
	}
	pos := ci.Common().Pos()
	if fn != nil && fn.Syntax() != nil {
		var found token.Pos
		ast.Inspect(fn.Syntax(), func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok && call.Lparen == pos {
				found = call.Pos()
			}
			return !found.IsValid()
		})
		if found.IsValid() {
			return found
		}
	}
	return pos
}

// storeStmt returns the assignment statement that a Store instruction
// comes from, and the left-hand side it assigns, or nil.
func storeStmt(fn *ssa.Function, st *ssa.Store) (*ast.AssignStmt, ast.Expr) {
	return assignAt(fn, st.Pos())
}

// assignAt returns the assignment statement in fn whose left-hand side
// holds pos, and that left-hand side, or nil.
func assignAt(fn *ssa.Function, pos token.Pos) (*ast.AssignStmt, ast.Expr) {
	if !pos.IsValid() || fn.Syntax() == nil {
		return nil, nil
	}
	var stmt *ast.AssignStmt
	var lhs ast.Expr
	ast.Inspect(fn.Syntax(), func(n ast.Node) bool {
		if n == nil || stmt != nil || pos < n.Pos() || pos >= n.End() {
			return false
		}
		if as, ok := n.(*ast.AssignStmt); ok {
			for _, l := range as.Lhs {
				if l.Pos() <= pos && pos < l.End() {
					stmt, lhs = as, l
					return false
				}
			}
		}
		return true
	})
	return stmt, lhs
}

// storePos returns where to report a store: the start of its assignment.
func storePos(st *ssa.Store) token.Pos {
	return assignPos(st.Parent(), st.Pos())
}

// assignPos returns the start of the assignment whose left-hand side holds
// pos, or pos.
func assignPos(fn *ssa.Function, pos token.Pos) token.Pos {
	if as, _ := assignAt(fn, pos); as != nil {
		return as.Pos()
	}
	return pos
}

// name returns a short name for v: the expression the user wrote, as far as
// SSA keeps it.
func name(v ssa.Value) string {
	return nameDepth(v, 0)
}

func nameDepth(v ssa.Value, depth int) string {
	if depth > 6 {
		return "…"
	}
	switch v := v.(type) {
	case *ssa.Parameter:
		return v.Name()
	case *ssa.FreeVar:
		return v.Name()
	case *ssa.Global:
		return v.Name()
	case *ssa.Alloc:
		if v.Comment != "" && !strings.HasPrefix(v.Comment, "complit") && !strings.HasPrefix(v.Comment, "new") && !strings.HasPrefix(v.Comment, "slicelit") && !strings.HasPrefix(v.Comment, "varargs") {
			return "&" + v.Comment
		}
	case *ssa.FieldAddr:
		return derefName(nameDepth(v.X, depth+1)) + "." + ssaflow.FieldOf(v).Name()
	case *ssa.IndexAddr:
		return "&" + derefName(nameDepth(v.X, depth+1)) + "[…]"
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return derefName(nameDepth(v.X, depth+1))
		}
	case *ssa.ChangeType:
		return nameDepth(v.X, depth+1)
	case *ssa.Convert:
		return nameDepth(v.X, depth+1)
	case *ssa.Call:
		if callee := v.Call.StaticCallee(); callee != nil {
			n := callee.Name()
			if strings.HasPrefix(n, "_Cfunc_") || strings.HasPrefix(n, "_C2func_") {
				n = "C." + strings.TrimPrefix(strings.TrimPrefix(n, "_Cfunc_"), "_C2func_")
				if n == "C._CMalloc" {
					n = "C.malloc"
				}
			}
			return n + "(…)"
		}
	}
	return "the value"
}

// derefName turns "&x" into "x" for the name of what x's address points to.
func derefName(s string) string { return strings.TrimPrefix(s, "&") }

// isNil reports whether v is the constant nil.
func isNil(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.IsNil()
}

// isCType reports whether t, or what it points to, is a type cgo declared
// for C (a *C.struct_x base: C memory layout, usually C memory).
func isCType(t types.Type) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && strings.HasPrefix(n.Obj().Name(), "_Ctype_")
}

// goFuncName names a Go function as the user's package calls it: F, pkg.F,
// or M for a method.
func (r *runner) goFuncName(obj *types.Func) string {
	if obj.Signature().Recv() == nil && obj.Pkg() != nil && obj.Pkg() != r.pass.Pkg {
		return obj.Pkg().Name() + "." + obj.Name()
	}
	return obj.Name()
}
