package finalizer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/internal/ssaflow"
)

// This file checks each runtime.SetFinalizer and runtime.AddCleanup call
// and learns the finalized types and what their finalizers release.

// runtimeFunc returns the name of the runtime function (or method, as
// "Cleanup.Stop") a call calls statically, or "".
func runtimeFunc(common *ssa.CallCommon) string {
	if name, ok := strings.CutPrefix(ssaflow.CalleeKey(common), "runtime."); ok {
		return name
	}
	return ""
}

// finalizerSites checks every SetFinalizer and AddCleanup call, and learns
// the finalized types.
func (r *runner) finalizerSites() {
	for _, fn := range r.ssa.SrcFuncs {
		ssaflow.ForCalls(fn, func(ci ssa.CallInstruction) {
			call, ok := ci.(*ssa.Call)
			if !ok {
				return
			}
			switch runtimeFunc(ci.Common()) {
			case "SetFinalizer":
				r.setFinalizer(fn, call)
			case "AddCleanup":
				r.addCleanup(fn, call)
			}
		})
	}
}

// resolve returns the function a finalizer value calls: the function
// itself, a closure's function, or the method a method-expression thunk
// calls; and the closure, if any.
func resolve(v ssa.Value) (*ssa.Function, *ssa.MakeClosure) {
	v = ssaflow.UnconvertHandle(v)
	var mc *ssa.MakeClosure
	var fn *ssa.Function
	switch v := v.(type) {
	case *ssa.Function:
		fn = v
	case *ssa.MakeClosure:
		mc = v
		fn, _ = v.Fn.(*ssa.Function)
	}
	if fn != nil && fn.Synthetic != "" && mc == nil {
		// A method-expression thunk: it calls the method.
		var target *ssa.Function
		ssaflow.ForCalls(fn, func(ci ssa.CallInstruction) {
			if c := ci.Common().StaticCallee(); c != nil && target == nil {
				target = c
			}
		})
		if target != nil {
			fn = target
		}
	}
	return fn, mc
}

func (r *runner) setFinalizer(fn *ssa.Function, call *ssa.Call) {
	args := call.Call.Args
	if len(args) != 2 {
		return
	}
	mi, ok := args[0].(*ssa.MakeInterface)
	if !ok {
		return // dynamic type unknown
	}
	obj := mi.X
	syn := r.syntaxOf(fn, call.Pos())
	objText, finText := "the object", "the finalizer"
	pos := r.idx.UserPos(call.Pos())
	if syn != nil && len(syn.Args) == 2 {
		objText, finText = exprText(syn.Args[0]), exprText(syn.Args[1])
		pos = r.idx.UserPos(syn.Pos())
	}

	// The first argument.
	objType := obj.Type()
	ptr, isPtr := objType.Underlying().(*types.Pointer)
	if !isPtr {
		if _, isIface := objType.Underlying().(*types.Interface); isIface {
			return
		}
		r.pass.Report(analysis.Diagnostic{
			Pos:      pos,
			Category: catBadObject,
			Message: fmt.Sprintf("runtime.SetFinalizer on %s, a %s and not a pointer: the runtime throws a fatal error (first argument is not pointer); pass a pointer to a heap object",
				objText, types.TypeString(objType, types.RelativeTo(r.pass.Pkg))),
		})
		return
	}
	if msg := r.interior(obj, ptr.Elem()); msg != "" {
		r.pass.Report(analysis.Diagnostic{
			Pos:      pos,
			Category: catBadObject,
			Message: fmt.Sprintf("runtime.SetFinalizer on %s, %s: the runtime throws a fatal error (pointer not at beginning of allocated block); set the finalizer on the allocated object itself",
				objText, msg),
		})
		return
	}

	// The second argument.
	finV := args[1]
	if c, ok := finV.(*ssa.Const); ok && c.IsNil() {
		return // disarms
	}
	fmi, ok := finV.(*ssa.MakeInterface)
	if !ok {
		return
	}
	if msg := badFunc(fmi.X.Type(), objType, r.pass.Pkg); msg != "" {
		r.pass.Report(analysis.Diagnostic{
			Pos:      pos,
			Category: catBadFunc,
			Message:  fmt.Sprintf("finalizer %s for %s %s: the runtime throws a fatal error at runtime.SetFinalizer; use a func with one parameter of type %s", finText, objText, msg, types.TypeString(objType, types.RelativeTo(r.pass.Pkg))),
		})
		return
	}
	finFn, mc := resolve(fmi.X)
	if mc != nil && r.captures(mc, obj) {
		r.pass.Report(analysis.Diagnostic{
			Pos:      pos,
			Category: catNeverRuns,
			Message:  fmt.Sprintf("the finalizer of %s refers to %s itself, which keeps it reachable: the finalizer never runs and what it releases leaks; use the finalizer's parameter instead", objText, objText),
		})
		return
	}
	if r.temporary(obj, mi, finFn, call) {
		r.pass.Report(analysis.Diagnostic{
			Pos:      pos,
			Category: catBadObject,
			Message:  fmt.Sprintf("runtime.SetFinalizer on %s, which nothing keeps: it is unreachable at once and its finalizer runs at the next garbage collection; set the finalizer on an object the program keeps", objText),
		})
		return
	}
	if finFn == nil {
		return
	}
	r.finFuncs[finFn] = true
	tn := namedElem(objType)
	if tn == nil || tn.Pkg() != r.pass.Pkg {
		return
	}
	ft := r.local(tn, pos, describe(finFn, finText), false)
	for _, rel := range r.finReleases(finFn) {
		if rel.Param == 0 && rel.Field != "" {
			if _, ok := ft.fields[rel.Field]; !ok {
				ft.fields[rel.Field] = rel.Via
			}
			ft.vias[rel.Via] = true
		}
	}
	r.guardsOf(finFn, 0, ft.guards, make(map[*ssa.Function]bool))
}

// addCleanup checks runtime.AddCleanup(ptr, cleanup, arg).
func (r *runner) addCleanup(fn *ssa.Function, call *ssa.Call) {
	args := call.Call.Args
	if len(args) != 3 {
		return
	}
	ptr, cleanup, arg := ssaflow.UnconvertHandle(args[0]), args[1], ssaflow.UnconvertHandle(args[2])
	syn := r.syntaxOf(fn, call.Pos())
	ptrText, argText, cleanupText := "ptr", "arg", "the cleanup"
	pos := r.idx.UserPos(call.Pos())
	if syn != nil && len(syn.Args) == 3 {
		ptrText, argText, cleanupText = exprText(syn.Args[0]), exprText(syn.Args[2]), exprText(syn.Args[1])
		pos = r.idx.UserPos(syn.Pos())
	}
	if ssaflow.SameObject(ptr, arg) {
		r.pass.Report(analysis.Diagnostic{
			Pos:      pos,
			Category: catNeverRuns,
			Message:  fmt.Sprintf("runtime.AddCleanup with arg %s equal to ptr %s: it panics (ptr is equal to arg, cleanup will never run); pass what the cleanup releases, such as a field of %s", argText, ptrText, ptrText),
		})
		return
	}
	if ssaflow.PointsInto(arg, ptr) {
		r.pass.Report(analysis.Diagnostic{
			Pos:      pos,
			Category: catNeverRuns,
			Message:  fmt.Sprintf("the cleanup argument %s points into %s and keeps it reachable: the cleanup never runs and what it releases leaks; pass the field's value, not its address", argText, ptrText),
		})
		return
	}
	cfn, mc := resolve(cleanup)
	if mc != nil && r.captures(mc, ptr) {
		r.pass.Report(analysis.Diagnostic{
			Pos:      pos,
			Category: catNeverRuns,
			Message:  fmt.Sprintf("the cleanup function for %s refers to %s itself, which keeps it reachable: the cleanup never runs and what it releases leaks; use only the cleanup's argument", ptrText, ptrText),
		})
		return
	}
	if cfn == nil {
		return
	}
	r.finFuncs[cfn] = true
	tn := namedElem(ptr.Type())
	if tn == nil || tn.Pkg() != r.pass.Pkg {
		return
	}
	base, path := ssaflow.LoadPath(arg)
	if path == "" || base != ptr {
		return
	}
	for _, rel := range r.finReleases(cfn) {
		if rel.Param == 0 && rel.Field == "" {
			ft := r.local(tn, pos, describe(cfn, cleanupText), true)
			if _, ok := ft.fields[path]; !ok {
				ft.fields[path] = rel.Via
			}
			ft.vias[rel.Via] = true
		}
	}
}

// exprText returns an argument's text for messages.
func exprText(e ast.Expr) string {
	if _, ok := ast.Unparen(e).(*ast.FuncLit); ok {
		return "func literal"
	}
	return types.ExprString(e)
}

// finReleases returns what a finalizer function releases.
func (r *runner) finReleases(fn *ssa.Function) []release {
	if fn.Synthetic != "" {
		return r.wrapperReleases(fn, r.raw, 0)
	}
	return r.raw[fn]
}

// local returns the finType of a type of this package, creating it.
func (r *runner) local(tn *types.TypeName, at token.Pos, finalizer string, cleanup bool) *finType {
	ft := r.types[tn]
	if ft == nil {
		ft = &finType{fields: make(map[string]string), vias: make(map[string]bool), guards: make(map[string]bool), finalizer: finalizer, cleanup: cleanup, at: at}
		r.types[tn] = ft
	}
	return ft
}

// namedElem returns the type name T of a *T, or nil (also for generic types).
func namedElem(t types.Type) *types.TypeName {
	p, ok := t.Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	if !ok || n.TypeArgs().Len() > 0 || n.TypeParams().Len() > 0 {
		return nil
	}
	return n.Obj()
}

// describe names a finalizer function for messages.
func describe(fn *ssa.Function, text string) string {
	if fn == nil || fn.Parent() != nil || fn.Synthetic != "" {
		if text == "func literal" {
			return "a func literal"
		}
		return text
	}
	if recv := fn.Signature.Recv(); recv != nil {
		t := recv.Type()
		star := ""
		if p, ok := t.(*types.Pointer); ok {
			star, t = "*", p.Elem()
		}
		name := t.String()
		if n := ssaflow.NamedOf(t); n != nil {
			name = n.Name()
		}
		return fmt.Sprintf("(%s%s).%s", star, name, fn.Name())
	}
	return fn.Name()
}

// guardsOf adds to guards the fields of fn's parameter i that fn (or a
// function it passes the parameter to) tests in a condition.
func (r *runner) guardsOf(fn *ssa.Function, i int, guards map[string]bool, seen map[*ssa.Function]bool) {
	if fn == nil || seen[fn] || i >= len(fn.Params) {
		return
	}
	seen[fn] = true
	p := fn.Params[i]
	var visit func(v ssa.Value, depth int)
	visit = func(v ssa.Value, depth int) {
		if depth > 3 {
			return
		}
		switch v := v.(type) {
		case *ssa.BinOp:
			visit(v.X, depth+1)
			visit(v.Y, depth+1)
		case *ssa.UnOp:
			if v.Op == token.MUL {
				if base, path := ssaflow.LoadPath(v); base == p && path != "" {
					guards[path] = true
				}
				return
			}
			visit(v.X, depth+1)
		}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.If:
				visit(instr.Cond, 0)
			case ssa.CallInstruction:
				common := instr.Common()
				callee := common.StaticCallee()
				if callee == nil || callee.Pkg != r.ssa.Pkg {
					continue
				}
				for j, a := range common.Args {
					if ssaflow.UnconvertHandle(a) == p {
						r.guardsOf(callee, j, guards, seen)
					}
				}
			}
		}
	}
}

// interior returns why obj, a pointer, is an interior pointer that
// SetFinalizer rejects, or "".
func (r *runner) interior(obj ssa.Value, elem types.Type) string {
	obj = ssaflow.UnconvertHandle(obj)
	// The runtime accepts interior pointers into tiny allocations.
	if !hasPointers(elem) && r.pass.TypesSizes.Sizeof(elem) < 16 {
		return ""
	}
	root := func(v ssa.Value) ssa.Value {
		for {
			switch x := v.(type) {
			case *ssa.FieldAddr:
				v = x.X
			case *ssa.IndexAddr:
				v = x.X
			default:
				return v
			}
		}
	}
	if _, ok := root(obj).(*ssa.Global); ok {
		return "" // not heap memory: the runtime ignores it
	}
	switch x := obj.(type) {
	case *ssa.FieldAddr:
		p, ok := x.X.Type().Underlying().(*types.Pointer)
		if !ok {
			return ""
		}
		st, ok := p.Elem().Underlying().(*types.Struct)
		if !ok {
			return ""
		}
		fields := make([]*types.Var, st.NumFields())
		for i := range fields {
			fields[i] = st.Field(i)
		}
		if off := r.pass.TypesSizes.Offsetsof(fields)[x.Field]; off > 0 {
			return fmt.Sprintf("a pointer to field %s at offset %d inside its allocation", st.Field(x.Field).Name(), off)
		}
	case *ssa.IndexAddr:
		if c, ok := x.Index.(*ssa.Const); ok {
			if c.Int64() > 0 {
				return fmt.Sprintf("a pointer to element %d inside its allocation", c.Int64())
			}
			return ""
		}
		return "a pointer to an element inside its allocation (any but the first)"
	}
	return ""
}

// hasPointers reports whether values of t contain pointers.
func hasPointers(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Kind() == types.String || u.Kind() == types.UnsafePointer || u.Kind() == types.UntypedNil
	case *types.Array:
		return u.Len() > 0 && hasPointers(u.Elem())
	case *types.Struct:
		for i := 0; i < u.NumFields(); i++ {
			if hasPointers(u.Field(i).Type()) {
				return true
			}
		}
		return false
	}
	return true
}

// badFunc returns why a finalizer of type ft cannot take an object of type
// ot, or "".
func badFunc(ft, ot types.Type, pkg *types.Package) string {
	q := types.RelativeTo(pkg)
	sig, ok := ft.Underlying().(*types.Signature)
	if !ok {
		if _, isIface := ft.Underlying().(*types.Interface); isIface {
			return ""
		}
		return fmt.Sprintf("is a %s, not a function", types.TypeString(ft, q))
	}
	if sig.Variadic() {
		return fmt.Sprintf("(%s) is variadic", types.TypeString(ft, q))
	}
	if n := sig.Params().Len(); n != 1 {
		return fmt.Sprintf("(%s) takes %d parameters, not 1", types.TypeString(ft, q), n)
	}
	pt := sig.Params().At(0).Type()
	if !types.AssignableTo(ot, pt) {
		return fmt.Sprintf("takes a %s, which a %s cannot be passed as", types.TypeString(pt, q), types.TypeString(ot, q))
	}
	return ""
}

// captures reports whether a closure refers to obj: it captures obj, or the
// variable obj was read from or stored in, or a pointer into it.
func (r *runner) captures(mc *ssa.MakeClosure, obj ssa.Value) bool {
	obj = ssaflow.UnconvertHandle(obj)
	for _, b := range mc.Bindings {
		if b == obj || ssaflow.PointsInto(b, obj) {
			return true
		}
		if cell, ok := b.(*ssa.Alloc); ok && holds(cell, obj) {
			return true
		}
	}
	return false
}

// holds reports whether the variable cell holds obj: obj was read from it,
// or stored into it.
func holds(cell *ssa.Alloc, obj ssa.Value) bool {
	if l, ok := obj.(*ssa.UnOp); ok && l.Op == token.MUL && l.X == cell {
		return true
	}
	for _, ref := range *cell.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Addr == cell && ssaflow.UnconvertHandle(st.Val) == obj {
			return true
		}
	}
	return false
}

// temporary reports whether obj is a fresh allocation that nothing but this
// SetFinalizer call uses, with a finalizer that does not re-arm itself (the
// "notify me at each GC" idiom).
func (r *runner) temporary(obj ssa.Value, mi *ssa.MakeInterface, finFn *ssa.Function, call *ssa.Call) bool {
	alloc, ok := obj.(*ssa.Alloc)
	if !ok || !alloc.Heap {
		return false
	}
	if elem := alloc.Type().Underlying().(*types.Pointer).Elem(); r.pass.TypesSizes.Sizeof(elem) == 0 {
		return false // zero-size objects share one address that is never freed
	}
	if strings.HasSuffix(r.pass.Fset.Position(call.Pos()).Filename, "_test.go") {
		return false
	}
	if mrefs := *mi.Referrers(); len(mrefs) != 1 || mrefs[0] != call {
		return false
	}
	for _, ref := range *alloc.Referrers() {
		switch ref := ref.(type) {
		case *ssa.MakeInterface:
			if ref != mi {
				return false
			}
		case *ssa.FieldAddr, *ssa.IndexAddr:
			for _, rr := range *ref.(ssa.Value).Referrers() {
				if st, ok := rr.(*ssa.Store); !ok || st.Addr != ref.(ssa.Value) {
					return false
				}
			}
		case *ssa.Store:
			if ref.Addr != alloc {
				return false
			}
		default:
			return false
		}
	}
	if finFn == nil {
		return false
	}
	rearms := false
	ssaflow.ForCalls(finFn, func(ci ssa.CallInstruction) {
		if n := runtimeFunc(ci.Common()); n == "SetFinalizer" || n == "AddCleanup" {
			rearms = true
		}
	})
	return !rearms
}
