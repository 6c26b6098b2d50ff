package cescape

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/internal/ssaflow"
	"github.com/cgolint/cgolint/passes/cindex"
)

// This file holds the checks on pointers crossing between Go and C memory:
// go-pointer-in-c and callback-retains.

// cMemoryHolders returns the unexported Go fields and package variables of
// this package that only ever hold C memory (or nil).
func (r *runner) cMemoryHolders() map[types.Object]bool {
	held := make(map[types.Object]bool)
	for _, fn := range r.prog.SrcFuncs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				st, ok := instr.(*ssa.Store)
				if !ok {
					continue
				}
				l, ok := ssaflow.LocOf(st.Addr)
				if !ok || isCOwner(l) || l.Key() == nil || l.Key().Exported() || !ssaflow.IsPointerLike(st.Val.Type()) {
					continue
				}
				k := l.Key()
				v := ssaflow.Unconvert(st.Val)
				if isNil(v) {
					continue
				}
				if ok, seen := held[k]; seen && !ok {
					continue
				}
				held[k] = r.isCMem(v, 0)
			}
		}
	}
	for k, ok := range held {
		if !ok {
			delete(held, k)
		}
	}
	return held
}

// isCMem reports whether the pointer v certainly points into C memory: the
// result of a C function, memory reached through such a pointer, or a field
// or variable of ours that only ever holds C memory.
func (r *runner) isCMem(v ssa.Value, depth int) bool {
	if depth > 10 {
		return false
	}
	v = ssaflow.Unconvert(v)
	switch x := v.(type) {
	case *ssa.Call:
		if c := r.idx.CallOf(x); c != nil {
			return c.Kind == cindex.CFunc || c.Name == "CString" || c.Name == "CBytes"
		}
		if ssaflow.IsBuiltin(x, "Slice") || ssaflow.IsBuiltin(x, "Add") {
			return r.isCMem(x.Call.Args[0], depth+1)
		}
		if _, ok := r.allocOf(x); ok {
			return true
		}
	case *ssa.Extract:
		if c, ok := x.Tuple.(*ssa.Call); ok && x.Index == 0 {
			if cc := r.idx.CallOf(c); cc != nil && cc.TwoResult {
				return true
			}
		}
	case *ssa.FieldAddr:
		return r.isCMem(x.X, depth+1)
	case *ssa.IndexAddr:
		return r.isCMem(x.X, depth+1)
	case *ssa.Slice:
		return r.isCMem(x.X, depth+1)
	case *ssa.UnOp:
		if x.Op != token.MUL {
			return false
		}
		// A pointer read from C memory is C memory (C memory may not hold
		// Go pointers), and so is one read from a holder of ours.
		if l, ok := ssaflow.LocOf(x.X); ok && !isCOwner(l) {
			return r.cfields[l.Key()]
		}
		switch a := x.X.(type) {
		case *ssa.FieldAddr:
			return r.isCMem(a.X, depth+1)
		case *ssa.IndexAddr:
			return r.isCMem(a.X, depth+1)
		}
		return r.isCMem(x.X, depth+1) && ssaflow.IsPointerLike(x.X.Type())
	case *ssa.Convert:
		// unsafe.Pointer(uintptr(p) + off)
		if b, ok := x.X.Type().Underlying().(*types.Basic); ok && b.Kind() == types.Uintptr {
			return r.uintptrOfCMem(x.X, depth+1)
		}
	case *ssa.Phi:
		any := false
		for _, e := range x.Edges {
			if isNil(ssaflow.Unconvert(e)) {
				continue
			}
			if !r.isCMem(e, depth+1) {
				return false
			}
			any = true
		}
		return any
	}
	return false
}

// uintptrOfCMem reports whether the uintptr v is computed from a C pointer.
func (r *runner) uintptrOfCMem(v ssa.Value, depth int) bool {
	switch x := v.(type) {
	case *ssa.Convert:
		return ssaflow.IsPointerLike(x.X.Type()) && r.isCMem(x.X, depth+1)
	case *ssa.BinOp:
		if x.Op == token.ADD || x.Op == token.SUB {
			return r.uintptrOfCMem(x.X, depth+1) || (x.Op == token.ADD && r.uintptrOfCMem(x.Y, depth+1))
		}
	}
	return false
}

// goPtr reports whether v (unconverted) certainly points to Go memory: the
// address of a Go variable or composite literal, an element of a Go slice,
// or the data of a Go string or slice.
func goPtr(v ssa.Value, depth int) bool {
	if depth > 8 {
		return false
	}
	switch x := ssaflow.Unconvert(v).(type) {
	case *ssa.Alloc:
		return true
	case *ssa.FieldAddr:
		return goPtr(x.X, depth+1)
	case *ssa.IndexAddr:
		if _, ok := x.X.Type().Underlying().(*types.Slice); ok {
			return goSlice(x.X, depth+1)
		}
		return goPtr(x.X, depth+1)
	case *ssa.Call:
		if ssaflow.IsBuiltin(x, "SliceData") {
			return goSlice(x.Call.Args[0], depth+1)
		}
		if ssaflow.IsBuiltin(x, "StringData") {
			return goString(x.Call.Args[0])
		}
	}
	return false
}

// goSlice reports whether the slice v certainly has Go memory behind it.
func goSlice(v ssa.Value, depth int) bool {
	if depth > 8 {
		return false
	}
	switch x := v.(type) {
	case *ssa.MakeSlice:
		return true
	case *ssa.Parameter:
		return true // slices handed to a Go function are Go memory in practice
	case *ssa.Convert:
		return goString(x.X) // []byte(s) copies
	case *ssa.Slice:
		if _, ok := x.X.(*ssa.Alloc); ok {
			return true
		}
		if _, ok := x.X.Type().Underlying().(*types.Slice); ok {
			return goSlice(x.X, depth+1)
		}
		return goPtr(x.X, depth+1)
	case *ssa.Call:
		if ssaflow.IsBuiltin(x, "append") {
			return goSlice(x.Call.Args[0], depth+1)
		}
	case *ssa.UnOp:
		// An element of a Go [][]byte, as a parameter is.
		if ia, ok := x.X.(*ssa.IndexAddr); ok && x.Op == token.MUL {
			if _, ok := ia.X.Type().Underlying().(*types.Slice); ok {
				return goSlice(ia.X, depth+1)
			}
		}
	case *ssa.Phi:
		for _, e := range x.Edges {
			if !goSlice(e, depth+1) {
				return false
			}
		}
		return len(x.Edges) > 0
	}
	return false
}

// goString reports whether v is a string in Go memory (any string not made
// by unsafe.String).
func goString(v ssa.Value) bool {
	if b, ok := v.Type().Underlying().(*types.Basic); !ok || b.Info()&types.IsString == 0 {
		return false
	}
	if c, ok := v.(*ssa.Call); ok && ssaflow.IsBuiltin(c, "String") {
		return false
	}
	_, isConst := v.(*ssa.Const)
	return !isConst // string constants live in read-only data, not the heap
}

// goRoot returns the Go object a Go pointer was derived from.
func goRoot(v ssa.Value) ssa.Value {
	v = ssaflow.Unconvert(v)
	for range 16 {
		switch x := v.(type) {
		case *ssa.FieldAddr:
			v = x.X
		case *ssa.IndexAddr:
			v = x.X
		case *ssa.Slice:
			v = x.X
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.Call:
			if (ssaflow.IsBuiltin(x, "SliceData") || ssaflow.IsBuiltin(x, "StringData")) && len(x.Call.Args) == 1 {
				v = x.Call.Args[0]
				continue
			}
			return v
		default:
			if u := ssaflow.Unconvert(v); u != v {
				v = u
				continue
			}
			return v
		}
	}
	return v
}

// goPointers reports Go pointers stored into C memory.
func (r *runner) goPointers(fn *ssa.Function) {
	var pinned []ssa.Value
	var stores []*ssa.Store
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Store:
				stores = append(stores, x)
			case ssa.CallInstruction:
				if ssaflow.IsFunc(x, "runtime", "Pinner", "Pin") && len(x.Common().Args) == 2 {
					pinned = append(pinned, goRoot(x.Common().Args[1]))
				}
			}
		}
	}
	for _, st := range stores {
		var base ssa.Value = st.Addr
		switch a := st.Addr.(type) {
		case *ssa.FieldAddr:
			base = a.X
		case *ssa.IndexAddr:
			base = a.X
		}
		if !goPtr(st.Val, 0) || !r.isCMem(base, 0) {
			continue
		}
		gr := goRoot(st.Val)
		isPinned := false
		for _, p := range pinned {
			if p == gr {
				isPinned = true
			}
		}
		if isPinned {
			continue
		}
		dst, val := name(st.Addr), name(ssaflow.Unconvert(st.Val))
		if as, lhs := storeStmt(fn, st); as != nil {
			dst = cindex.ExprString(lhs)
			if len(as.Lhs) == len(as.Rhs) {
				for i, l := range as.Lhs {
					if l == lhs {
						val = cindex.ExprString(unconvertExpr(as.Rhs[i]))
					}
				}
			}
		}
		dst = strings.TrimPrefix(dst, "*")
		leak, relPos, related := "", token.NoPos, ""
		if s1, a := r.heldCMemory(fn, st, stores); s1 != nil {
			leak = fmt.Sprintf("; the C memory %s held (the %s result stored on line %d) is never released and leaks", dst, a.what, r.pass.Fset.Position(a.pos).Line)
			relPos, related = storePos(s1), "the C memory stored here"
		}
		r.report(storePos(st), catGoPointerInC, related, relPos, nil,
			"Go pointer %s is stored in C memory (%s): the cgo pointer rules forbid it, the garbage collector may move or free what it points to, and only GOEXPERIMENT=cgocheck2 catches it at run time; copy the data into C.malloc'd memory, or pin it with a runtime.Pinner (pinning makes it legal only until Unpin: clear %s first)%s",
			val, dst, dst, leak)
	}
}

// unconvertExpr strips pointer conversions from an expression:
// (*C.char)(unsafe.Pointer(&b[0])) is &b[0].
func unconvertExpr(e ast.Expr) ast.Expr {
	for {
		switch x := e.(type) {
		case *ast.ParenExpr:
			e = x.X
			continue
		case *ast.CallExpr:
			if len(x.Args) == 1 && isTypeExpr(x.Fun) {
				e = x.Args[0]
				continue
			}
		}
		return e
	}
}

// isTypeExpr reports whether e looks like a pointer type used as a
// conversion: unsafe.Pointer, (*T), *T.
func isTypeExpr(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.ParenExpr:
		return isTypeExpr(x.X)
	case *ast.StarExpr:
		return true
	case *ast.SelectorExpr:
		if id, ok := x.X.(*ast.Ident); ok && id.Name == "unsafe" && x.Sel.Name == "Pointer" {
			return true
		}
	}
	return false
}

// exportedName returns the name fn is exported to C under (cgo's //export
// comment), or "".
func exportedName(fn *ssa.Function) string {
	decl, ok := fn.Syntax().(*ast.FuncDecl)
	if !ok || decl.Doc == nil {
		return ""
	}
	for _, c := range decl.Doc.List {
		if rest, ok := strings.CutPrefix(c.Text, "//export "); ok {
			return strings.TrimSpace(rest)
		}
	}
	return ""
}

// callbacks reports //export functions that keep a pointer C lent them.
func (r *runner) callbacks() {
	for _, fn := range r.prog.SrcFuncs {
		if fn.Parent() != nil || exportedName(fn) == "" {
			continue
		}
		for _, p := range fn.Params {
			if !lentPointer(p.Type()) {
				continue
			}
			r.keptParam(fn, p)
		}
	}
}

// lentPointer reports whether a callback parameter of type t is a pointer
// that C lends: unsafe.Pointer or a pointer to a C type.
func lentPointer(t types.Type) bool {
	if b, ok := t.Underlying().(*types.Basic); ok {
		return b.Kind() == types.UnsafePointer
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return isCType(p.Elem()) || lentPointer(p.Elem())
	}
	return false
}

// keptParam reports where the callback fn keeps p after it returns: in a
// global, a field of a global, a map, or a Go object with a finalizer.
func (r *runner) keptParam(fn *ssa.Function, p *ssa.Parameter) {
	// derived holds p and pointers into what it points to; holders holds
	// local Go values that contain one of them.
	derived := map[ssa.Value]bool{p: true}
	holders := map[ssa.Value]bool{}
	work := []ssa.Value{p}
	add := func(v ssa.Value, holder bool) {
		if derived[v] || holders[v] {
			return
		}
		if holder {
			holders[v] = true
		} else {
			derived[v] = true
		}
		work = append(work, v)
	}
	reported := map[ssa.Instruction]bool{}
	kept := func(instr ssa.Instruction, pos token.Pos, where string) {
		if reported[instr] {
			return
		}
		reported[instr] = true
		r.report(pos, catCallbackRetains, "", token.NoPos, nil,
			"exported callback %s keeps %s, a pointer C lends it only for the duration of the call, %s: it dangles once %s returns; copy the data it points to (C.GoString, C.GoBytes, a Go struct), or have the C side hand over ownership explicitly",
			exportedName(fn), p.Name(), where, fn.Name())
	}
	for len(work) > 0 {
		v := work[len(work)-1]
		work = work[:len(work)-1]
		isHolder := holders[v]
		refs := v.Referrers()
		if refs == nil {
			continue
		}
		for _, ref := range *refs {
			switch u := ref.(type) {
			case *ssa.ChangeType:
				add(u, isHolder)
			case *ssa.Convert:
				add(u, isHolder)
			case *ssa.MakeInterface:
				add(u, true)
			case *ssa.FieldAddr:
				if !isHolder {
					add(u, false)
				}
			case *ssa.IndexAddr:
				if !isHolder {
					add(u, false)
				}
			case *ssa.Slice:
				add(u, isHolder)
			case *ssa.UnOp:
				// A copy of a whole local holder still holds p.
				if isHolder && u.Op == token.MUL {
					if _, ok := v.(*ssa.Alloc); ok {
						add(u, true)
					}
				}
			case *ssa.Store:
				if u.Val != v {
					continue
				}
				switch rt := ssaflow.Root(u.Addr).(type) {
				case *ssa.Global:
					where := "in package variable " + rt.Name()
					if _, ok := u.Addr.(*ssa.Global); !ok {
						where = "in " + ownerName(u, loc{Global: rt}) + ", reachable from package variable " + rt.Name()
					}
					kept(u, storePos(u), where)
				case *ssa.Alloc:
					add(rt, true) // a local Go value now holds it
				}
			case *ssa.MapUpdate:
				if u.Key == v || u.Value == v {
					if _, fresh := ssaflow.Root(u.Map).(*ssa.MakeMap); !fresh {
						kept(u, assignPos(fn, u.Pos()), "in a map")
					}
				}
			case *ssa.Call:
				switch {
				case ssaflow.IsBuiltin(u, "append"), ssaflow.IsBuiltin(u, "Slice"), ssaflow.IsBuiltin(u, "Add"):
					add(u, isHolder || ssaflow.IsBuiltin(u, "append"))
				case ssaflow.IsFunc(u, "runtime", "", "SetFinalizer") && len(u.Call.Args) == 2 && u.Call.Args[0] == v && isHolder && !isNil(u.Call.Args[1]) && !disarmed(fn, goRoot(v)):
					kept(u, r.callPos(fn, u), "in "+name(goRoot(v))+", an object with a finalizer")
				}
			}
		}
	}
}

// disarmed reports whether fn also clears the finalizer of obj
// (runtime.SetFinalizer(obj, nil)) before the callback returns.
func disarmed(fn *ssa.Function, obj ssa.Value) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ci, ok := instr.(ssa.CallInstruction)
			if !ok || !ssaflow.IsFunc(ci, "runtime", "", "SetFinalizer") || len(ci.Common().Args) != 2 {
				continue
			}
			f := ci.Common().Args[1]
			if mi, ok := f.(*ssa.MakeInterface); ok {
				f = mi.X
			}
			if isNil(f) && goRoot(ci.Common().Args[0]) == obj {
				return true
			}
		}
	}
	return false
}

// heldCMemory returns the earlier store of fn that put fresh C memory in
// the owner that st overwrites, when nothing releases, takes over or reads
// and passes on that memory in between: st then drops the only reference
// to it. It returns nil when there is none.
func (r *runner) heldCMemory(fn *ssa.Function, st *ssa.Store, stores []*ssa.Store) (*ssa.Store, alloc) {
	l, ok := ssaflow.LocOf(st.Addr)
	if !ok {
		return nil, alloc{}
	}
	for _, s1 := range stores {
		if s1 == st || !r.reach.Reaches(s1, st) {
			continue
		}
		l1, ok := ssaflow.LocOf(s1.Addr)
		if !ok || !ssaflow.SameLoc(l1, l) {
			continue
		}
		a, ok := r.allocOf(ssaflow.Unconvert(s1.Val))
		if !ok || r.releasedBetween(s1, st, l) {
			continue
		}
		return s1, a
	}
	return nil, alloc{}
}
