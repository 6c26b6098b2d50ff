package cfree

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/internal/ssaflow"
	"github.com/cgolint/cgolint/passes/cindex"
)

// evKind is what one instruction does to a tracked pointer.
type evKind uint8

const (
	evUse          evKind = iota // borrowed: a C call, a dereference
	evRelease                    // freed now
	evDeferRelease               // freed when the function returns
	evTake                       // ownership moves to C (or a Go function that takes it)
	evEscape                     // returned, stored, sent, passed to a Go function without facts
	// evMaybeRelease is a call of an unknown C function that probably
	// releases the pointer: it is deferred, or paired with the pointer's
	// type as its destructor (ssaflow.TypeDestructor).
	// It ends a leak path but never counts as a free for double frees.
	evMaybeRelease
)

// An event is one instruction that uses a tracked pointer.
type event struct {
	kind   evKind
	instr  ssa.Instruction
	direct bool         // the pointer itself (possibly converted), not a phi or a derived pointer
	call   *cindex.Call // the C call, for releases and uses by C calls
	callee string       // what releases or takes it, for messages
}

// A flow is every use of one pointer value (an allocation or a parameter)
// within its function.
type flow struct {
	root   ssa.Value
	events []event
	// lost reports whether the analysis lost track of the pointer entirely
	// (converted to an integer, captured by a closure it cannot follow).
	lost bool
	// nilEdge maps a block ending in `if p == nil` (or !=) to the index of
	// the successor taken when p is nil: p owns nothing there.
	nilEdge map[*ssa.BasicBlock]int
	// container is the local slice or array the pointer was stored in, if
	// its elements are never released (see localContainer).
	container ssa.Value
}

// track follows v through conversions, phis and derived pointers and
// classifies each instruction that uses it.
func (r *runner) track(v ssa.Value) *flow { return r.trackFrom(v, v) }

// trackFrom is track for a pointer that is several values: the loads of
// an out-parameter variable (outparam.go); root stands for them all.
func (r *runner) trackFrom(root ssa.Value, vs ...ssa.Value) *flow {
	fl := &flow{root: root, nilEdge: make(map[*ssa.BasicBlock]int)}
	seen := make(map[ssa.Value]bool)
	var visit func(v ssa.Value, direct bool)
	visit = func(v ssa.Value, direct bool) {
		if seen[v] {
			return
		}
		seen[v] = true
		refs := v.Referrers()
		if refs == nil {
			return
		}
		for _, instr := range *refs {
			if fl.lost {
				return
			}
			r.classify(fl, v, direct, instr, visit)
		}
	}
	for _, v := range vs {
		visit(v, true)
	}
	return fl
}

func (r *runner) classify(fl *flow, v ssa.Value, direct bool, instr ssa.Instruction, visit func(ssa.Value, bool)) {
	add := func(k evKind, call *cindex.Call, callee string) {
		fl.events = append(fl.events, event{kind: k, instr: instr, direct: direct, call: call, callee: callee})
	}
	switch in := instr.(type) {
	case *ssa.DebugRef:
	case *ssa.ChangeType:
		visit(in, direct)
	case *ssa.Convert:
		if ssaflow.IsPointerLike(in.Type()) {
			visit(in, direct)
		} else {
			fl.lost = true // to uintptr: anything can happen to it
		}
	case *ssa.Phi:
		visit(in, false)
	case *ssa.Slice, *ssa.IndexAddr, *ssa.FieldAddr:
		if direct {
			add(evUse, nil, "")
		}
		visit(in.(ssa.Value), false)
	case *ssa.Index, *ssa.Field:
		if direct {
			add(evUse, nil, "")
		}
	case *ssa.UnOp:
		if in.Op == token.MUL && direct {
			add(evUse, nil, "")
		}
	case *ssa.BinOp:
		if in.Op == token.EQL || in.Op == token.NEQ {
			if ssaflow.IsNil(in.X) || ssaflow.IsNil(in.Y) {
				r.nilChecks(fl, in)
			}
		}
	case *ssa.If, *ssa.Jump:
	case ssa.CallInstruction:
		r.classifyCall(fl, v, direct, in, add, visit)
	case *ssa.MakeClosure:
		fl.lost = true // captured by value: not followed
	case *ssa.Store:
		if cell, ok := in.Addr.(*ssa.Alloc); ok && in.Val == v && r.classifyCell(fl, cell, in, direct, visit) {
			return
		}
		if c := r.localContainer(in); c != nil && in.Val == v && direct {
			// Stored in a local slice or array whose elements are
			// never released: the memory is lost with it.
			add(evUse, nil, "")
			fl.container = c
			return
		}
		add(evEscape, nil, "")
	default:
		// Return, Store, MapUpdate, Send, MakeInterface, ...: the
		// pointer leaves the function's hands.
		add(evEscape, nil, "")
	}
}

// nilChecks records the successors of `if p == nil` where p is nil.
func (r *runner) nilChecks(fl *flow, cmp *ssa.BinOp) {
	for _, ref := range *cmp.Referrers() {
		if iff, ok := ref.(*ssa.If); ok && iff.Cond == cmp {
			if cmp.Op == token.EQL {
				fl.nilEdge[iff.Block()] = 0
			} else {
				fl.nilEdge[iff.Block()] = 1
			}
		}
	}
}

func (r *runner) classifyCall(fl *flow, v ssa.Value, direct bool, ci ssa.CallInstruction, add func(evKind, *cindex.Call, string), visit func(ssa.Value, bool)) {
	_, deferred := ci.(*ssa.Defer)
	common := ci.Common()
	if c := r.idx.CallOf(ci); c != nil {
		kind := evUse
		switch ssaflow.ArgUseOf(c, v) {
		case ssaflow.Frees:
			kind = evRelease
			if deferred {
				kind = evDeferRelease
			}
		case ssaflow.Takes:
			kind = evTake
		case ssaflow.Keeps:
			// C holds it after the call: not freeing it may be
			// deliberate (putenv), so it is no leak.
			kind = evMaybeRelease
		}
		if kind == evUse && r.passesDeallocatorArg(c) {
			kind = evTake // a deallocator passed as a destructor
		}
		if kind == evUse && c.Kind == cindex.CFunc && !c.Info.IsAllocator() && (deferred || typeDestructorOf(c, v)) {
			kind = evMaybeRelease
		}
		if c.Go {
			kind = evEscape // another goroutine
		}
		add(kind, c, "C."+c.Name)
		return
	}
	if common.IsInvoke() {
		kind := evEscape
		for j, a := range common.Args {
			if a != v {
				continue
			}
			k, ok := r.invokeKind(common, j, deferred)
			if !ok {
				kind = evEscape
				break
			}
			kind = k
		}
		if _, ok := ci.(*ssa.Go); ok {
			kind = evEscape
		}
		add(kind, nil, invokeName(common))
		return
	}
	if b, ok := common.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "Add", "Slice", "String", "SliceData", "StringData":
			// unsafe.Add and friends: a pointer into the same memory.
			if val, ok := ci.(*ssa.Call); ok {
				visit(val, false)
			}
		case "len", "cap", "print", "println":
		default:
			add(evEscape, nil, "")
		}
		return
	}
	if common.Value == v {
		add(evEscape, nil, "") // called through
		return
	}
	callee := common.StaticCallee()
	if callee == nil {
		add(evEscape, nil, "")
		return
	}
	sum := r.summaryOf(callee)
	kind := evEscape
	if sum != nil {
		for i, a := range common.Args {
			if a != v {
				continue
			}
			switch {
			case has(sum.Frees, i) && deferred:
				kind = evDeferRelease
			case has(sum.Frees, i):
				kind = evRelease
			case has(sum.Takes, i):
				kind = evTake
			case has(sum.Borrows, i):
				if kind == evEscape {
					kind = evUse
				}
			}
		}
	}
	if _, ok := ci.(*ssa.Go); ok {
		kind = evEscape
	}
	add(kind, nil, funcName(callee, r.pass.Pkg))
}

// classifyCell follows a pointer stored in a local variable that go/ssa
// keeps in a heap cell because a closure captures it. When the store is
// the variable's only one, each load yields the pointer (or the variable's
// zero value before it), and a closure that is deferred and frees the
// variable releases it at return. It reports whether it handled the store.
func (r *runner) classifyCell(fl *flow, cell *ssa.Alloc, st *ssa.Store, direct bool, visit func(ssa.Value, bool)) bool {
	refs := cell.Referrers()
	if refs == nil {
		return false
	}
	for _, ref := range *refs {
		switch ref := ref.(type) {
		case *ssa.Store:
			if ref != st {
				return false // assigned twice
			}
		case *ssa.UnOp:
			if ref.Op != token.MUL {
				return false
			}
		case *ssa.MakeClosure, *ssa.DebugRef:
		default:
			return false
		}
	}
	for _, ref := range *refs {
		switch ref := ref.(type) {
		case *ssa.UnOp:
			visit(ref, direct)
		case *ssa.MakeClosure:
			r.classifyClosure(fl, cell, ref, st, direct)
		}
	}
	return true
}

// classifyClosure handles a closure that captures the cell holding a
// tracked pointer. A closure that is deferred and frees the pointer
// releases it at return; any other capture loses track of it.
func (r *runner) classifyClosure(fl *flow, cell *ssa.Alloc, mc *ssa.MakeClosure, st *ssa.Store, direct bool) {
	fn, ok := mc.Fn.(*ssa.Function)
	if !ok {
		fl.lost = true
		return
	}
	var fv *ssa.FreeVar
	for i, b := range mc.Bindings {
		if b == cell && i < len(fn.FreeVars) {
			fv = fn.FreeVars[i]
		}
	}
	if fv == nil || fv.Referrers() == nil {
		fl.lost = true
		return
	}
	frees := false
	for _, ref := range *fv.Referrers() {
		load, ok := ref.(*ssa.UnOp)
		if !ok || load.Op != token.MUL {
			fl.lost = true // the closure assigns the variable, or passes it on
			return
		}
		inner := r.track(load)
		if inner.lost {
			fl.lost = true
			return
		}
		for _, e := range inner.events {
			switch e.kind {
			case evRelease:
				frees = true
			case evUse:
			default:
				fl.lost = true
				return
			}
		}
	}
	refs := mc.Referrers()
	if !frees || refs == nil || len(*refs) != 1 {
		fl.lost = true
		return
	}
	d, ok := (*refs)[0].(*ssa.Defer)
	if !ok || d.Call.Value != mc {
		fl.lost = true
		return
	}
	if d.Block() != st.Block() || r.reach.Index(d) < r.reach.Index(st) {
		// Deferred before the pointer is assigned: it frees the final
		// value at return, which is right, but the paths are not worth
		// following.
		fl.lost = true
		return
	}
	fl.events = append(fl.events, event{kind: evDeferRelease, instr: d, direct: direct, callee: "a deferred closure"})
}

func has(xs []int, i int) bool {
	for _, x := range xs {
		if x == i {
			return true
		}
	}
	return false
}

// funcName names a Go function for messages in package from.
func funcName(fn *ssa.Function, from *types.Package) string {
	if obj := fn.Object(); obj != nil {
		if f, ok := obj.(*types.Func); ok {
			if recv := f.Signature().Recv(); recv != nil {
				t := recv.Type()
				if p, ok := t.(*types.Pointer); ok {
					t = p.Elem()
				}
				if n, ok := t.(*types.Named); ok {
					return n.Obj().Name() + "." + f.Name()
				}
			}
			if f.Pkg() != nil && f.Pkg() != from {
				return f.Pkg().Name() + "." + f.Name()
			}
			return f.Name()
		}
	}
	return fn.Name()
}

// localContainer returns the local slice or array (make([]*C.char, n) or
// an array variable) that st stores into, if nothing ever releases or
// passes on its elements: they are only stored, loaded and borrowed by C
// calls, and the container itself is only indexed or passed as &s[0] to C
// calls that borrow.
func (r *runner) localContainer(st *ssa.Store) ssa.Value {
	ia, ok := st.Addr.(*ssa.IndexAddr)
	if !ok {
		return nil
	}
	switch ia.X.(type) {
	case *ssa.MakeSlice, *ssa.Alloc:
	default:
		return nil
	}
	c := ia.X
	if r.containerSafe == nil {
		r.containerSafe = make(map[ssa.Value]bool)
	}
	if ok, seen := r.containerSafe[c]; seen {
		if ok {
			return c
		}
		return nil
	}
	r.containerSafe[c] = false // while looking: recursion says no
	ok = r.elementsLost(c)
	r.containerSafe[c] = ok
	if ok {
		return c
	}
	return nil
}

func (r *runner) elementsLost(c ssa.Value) bool {
	for _, ref := range *c.Referrers() {
		switch ref := ref.(type) {
		case *ssa.DebugRef:
		case *ssa.IndexAddr:
			for _, u := range *ref.Referrers() {
				switch u := u.(type) {
				case *ssa.Store:
					if u.Addr != ref {
						return false
					}
				case *ssa.UnOp:
					if u.Op != token.MUL {
						return false
					}
					fl := r.track(u)
					if fl.lost {
						return false
					}
					for _, e := range fl.events {
						if e.kind != evUse {
							return false
						}
					}
				case ssa.CallInstruction:
					// &s[0] passed to C, which borrows the array.
					c := r.idx.CallOf(u)
					if c == nil || c.Go || c.Deferred {
						return false
					}
					if ssaflow.ArgUseOf(c, ref) != ssaflow.Borrows {
						return false
					}
				case *ssa.Convert, *ssa.ChangeType:
					fl := r.track(u.(ssa.Value))
					if fl.lost {
						return false
					}
					for _, e := range fl.events {
						if e.kind != evUse || e.call == nil {
							return false
						}
					}
				default:
					return false
				}
			}
		case *ssa.Call:
			if b, ok := ref.Call.Value.(*ssa.Builtin); !ok || (b.Name() != "len" && b.Name() != "cap") {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// invokeName names an interface method call for messages: k.put.
func invokeName(common *ssa.CallCommon) string {
	recv := "the value"
	switch v := common.Value.(type) {
	case *ssa.Parameter:
		recv = v.Name()
	case *ssa.UnOp:
		if a, ok := v.X.(*ssa.Alloc); ok && a.Comment != "" {
			recv = a.Comment
		}
	}
	return recv + "." + common.Method.Name()
}

// typeDestructorOf reports whether the C call c is, by the pairing of
// types, the destructor of its argument v.
func typeDestructorOf(c *cindex.Call, v ssa.Value) bool {
	for i, a := range c.Args {
		if a == v && ssaflow.TypeDestructor(c.Name, c.Args, i) {
			return true
		}
	}
	return false
}
