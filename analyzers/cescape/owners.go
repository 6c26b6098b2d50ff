package cescape

import (
	"fmt"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/internal/ssaflow"
	"github.com/cgolint/cgolint/passes/cindex"
)

// This file holds the checks on owners of C memory: overwrite,
// freed-while-stored and dangling.

// ownerName returns how the user wrote the owner a store assigns.
func ownerName(st *ssa.Store, l loc) string {
	if _, lhs := storeStmt(st.Parent(), st); lhs != nil {
		return cindex.ExprString(lhs)
	}
	if l.Global != nil {
		return l.Global.Name()
	}
	return name(st.Addr)
}

// isCOwner reports whether the owner is itself C memory (a field of a C
// struct): what C memory holds is C's business, not an owner of ours.
func isCOwner(l loc) bool {
	return l.Global == nil && isCType(l.Base.Type())
}

// releaseHint says how to release memory from dealloc held by owner.
func releaseHint(dealloc, owner string) string {
	switch dealloc {
	case "":
		return "release the old value first"
	case "free":
		return fmt.Sprintf("free the old value first with C.free(unsafe.Pointer(%s))", owner)
	}
	return fmt.Sprintf("free the old value first with C.%s(%s)", dealloc, owner)
}

// overwrites reports owners assigned fresh C memory twice in fn with nothing
// releasing, or taking over, the first allocation in between.
func (r *runner) overwrites(fn *ssa.Function) {
	type allocStore struct {
		st *ssa.Store
		l  loc
		a  alloc
	}
	var stores []allocStore
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok {
				continue
			}
			l, ok := ssaflow.LocOf(st.Addr)
			if !ok || isCOwner(l) {
				continue
			}
			if a, ok := r.allocOf(ssaflow.Unconvert(st.Val)); ok {
				stores = append(stores, allocStore{st, l, a})
			}
		}
	}
	for _, s2 := range stores {
		for _, s1 := range stores {
			if !ssaflow.SameLoc(s1.l, s2.l) || !r.reach.Reaches(s1.st, s2.st) {
				continue
			}
			if r.releasedBetween(s1.st, s2.st, s1.l) {
				continue
			}
			owner := ownerName(s2.st, s2.l)
			r.overwritten[s2.st] = true
			line := r.pass.Fset.Position(s1.a.pos).Line
			r.report(storePos(s2.st), catOverwrite, "the first allocation, stored here", storePos(s1.st), nil,
				"%s is overwritten with new C memory while it still holds the %s result stored on line %d, which leaks; %s",
				owner, s1.a.what, line, releaseHint(s1.a.dealloc, owner))
			break
		}
	}
}

// releasedBetween reports whether the memory that s1 stored in l may be
// released, taken over or lost track of before s2 stores again.
func (r *runner) releasedBetween(s1, s2 *ssa.Store, l loc) bool {
	v := ssaflow.Unconvert(s1.Val)
	if !r.borrowOnly(v, s1) {
		return true // the allocation is used elsewhere: we lost track of it
	}
	instrs, blocks := r.reach.Between(s1, s2)
	var rt ssa.Value
	if l.Global != nil {
		rt = l.Global
	} else {
		rt = ssaflow.Root(l.Base)
		// The owner must be the same object on every trip round a loop.
		if in, ok := rt.(ssa.Instruction); ok {
			for _, b := range blocks {
				if in.Block() == b {
					return true
				}
			}
		}
		if in, ok := l.Base.(ssa.Instruction); ok && s1 == s2 {
			for _, b := range blocks {
				if in.Block() == b {
					return true
				}
			}
		}
	}
	for _, instr := range instrs {
		switch x := instr.(type) {
		case *ssa.UnOp:
			if x.Op != token.MUL {
				continue
			}
			if xl, ok := ssaflow.LocOf(x.X); ok && ssaflow.SameLoc(xl, l) && !r.borrowOnly(x, nil) {
				return true // the old value is read and used
			}
		case *ssa.Store:
			if x == s2 {
				continue
			}
			if xl, ok := ssaflow.LocOf(x.Addr); ok && ssaflow.SameLoc(xl, l) {
				return true
			}
			if l.Global == nil && ssaflow.SameValue(x.Addr, l.Base) {
				return true // the whole owner is overwritten
			}
		case ssa.CallInstruction:
			if r.callTouches(x, rt) {
				return true
			}
		}
	}
	return false
}

// outlives reports whether the owner of l is still reachable after fn
// returns: a global, a field of what a pointer parameter (or the receiver)
// points to, or of a local object that fn returns.
func outlives(l loc) bool {
	if l.Global != nil {
		return true
	}
	switch rt := ssaflow.Root(l.Base).(type) {
	case *ssa.Global:
		return true
	case *ssa.Parameter:
		return ssaflow.IsPointerLike(rt.Type())
	case *ssa.Alloc:
		return returned(rt)
	}
	return false
}

// returned reports whether v is returned directly (through changes of type
// or an interface) by a return of its function.
func returned(v ssa.Value) bool {
	return len(returnsOf(v, 0, false)) > 0
}

// freedWhileStored reports C memory that fn stores in an owner that
// outlives it and then frees, leaving the owner pointing at freed memory.
func (r *runner) freedWhileStored(fn *ssa.Function) {
	var frees []ssa.CallInstruction
	var stores []*ssa.Store
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Store:
				stores = append(stores, x)
			case ssa.CallInstruction:
				if len(r.releasedArgs(x, false)) > 0 {
					frees = append(frees, x)
				}
			}
		}
	}
	if len(frees) == 0 {
		return
	}
	for _, st := range stores {
		l, ok := ssaflow.LocOf(st.Addr)
		if !ok {
			continue
		}
		// A C struct is C's to manage, unless it leaves the function:
		// returned to the caller, or handed to a C function that keeps it.
		cOwner := isCOwner(l)
		if !cOwner && !outlives(l) {
			continue
		}
		v := ssaflow.Unconvert(st.Val)
		if isNil(v) || !ssaflow.IsPointerLike(v.Type()) {
			continue
		}
		for _, f := range frees {
			if r.reported[f] {
				continue
			}
			_, deferred := f.(*ssa.Defer)
			hit := false
			for _, a := range r.releasedArgs(f, false) {
				u := ssaflow.Unconvert(a)
				if u == v && (r.reach.Reaches(st, f) || deferred) {
					hit = true
				}
				if ld, ok := u.(*ssa.UnOp); ok && ld.Op == token.MUL {
					if ll, ok := ssaflow.LocOf(ld.X); ok && ssaflow.SameLoc(ll, l) && r.reach.Reaches(st, ld) {
						hit = true
					}
				}
			}
			if !hit || (!deferred && r.reach.Reaches(f, st)) || r.clearedAfter(fn, st, l, f) {
				continue
			}
			var keeper string
			if cOwner {
				if keeper = r.cStructOutlives(fn, st, l, f); keeper == "" {
					continue
				}
			}
			r.reported[f] = true
			owner := ownerName(st, l)
			fnName := funcName(fn, r.pass.Pkg)
			if keeper == "caller" {
				r.report(r.callPos(fn, f), catFreedWhileStore, "stored here", storePos(st), nil,
					"%s frees the memory that %s still points to, and %s belongs to the caller of %s: the caller reads freed memory (use after free); free it only when the caller is done with %s, or clear %s before the free",
					callName(r, f), owner, ownerOf(owner), fnName, ownerOf(owner), owner)
				continue
			}
			if keeper == "returned" {
				r.report(r.callPos(fn, f), catFreedWhileStore, "stored here", storePos(st), nil,
					"%s frees the memory that %s still points to, and %s is returned: the caller reads freed memory (use after free); free it only when the caller is done with %s",
					callName(r, f), owner, ownerOf(owner), ownerOf(owner))
				continue
			}
			if keeper != "" {
				r.report(r.callPos(fn, f), catFreedWhileStore, "stored here", storePos(st), nil,
					"%s frees the memory that %s still points to, and %s keeps %s: C reads freed memory (use after free); free it only once C has released %s",
					callName(r, f), owner, keeper, ownerOf(owner), ownerOf(owner))
				continue
			}
			r.report(r.callPos(fn, f), catFreedWhileStore, "stored here", storePos(st), nil,
				"%s frees the memory that %s still points to: %s dangles after %s returns (use after free, double free); clear %s before freeing, or free the memory only when %s is released",
				callName(r, f), owner, owner, fnName, owner, ownerOf(owner))
		}
	}
}

// clearedAfter reports whether something may clear or take over owner l
// after the store st: another store to it, a store of the whole owner, or a
// Go call that can reach it.
func (r *runner) clearedAfter(fn *ssa.Function, st *ssa.Store, l loc, except ssa.CallInstruction) bool {
	var rt ssa.Value = l.Global
	if l.Global == nil {
		rt = ssaflow.Root(l.Base)
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if instr == st || ssa.Instruction(except) == instr || !r.reach.Reaches(st, instr) {
				continue
			}
			switch x := instr.(type) {
			case *ssa.Store:
				if xl, ok := ssaflow.LocOf(x.Addr); ok && ssaflow.SameLoc(xl, l) {
					return true
				}
				if l.Global == nil && ssaflow.SameValue(x.Addr, l.Base) {
					return true
				}
			case ssa.CallInstruction:
				if r.callTouches(x, rt) {
					return true
				}
			}
		}
	}
	return closureStores(fn, l.Key())
}

// closureStores reports whether a closure inside fn assigns the owner key.
func closureStores(fn *ssa.Function, key types.Object) bool {
	for _, anon := range fn.AnonFuncs {
		for _, b := range anon.Blocks {
			for _, instr := range b.Instrs {
				if st, ok := instr.(*ssa.Store); ok {
					if l, ok := ssaflow.LocOf(st.Addr); ok && l.Key() == key {
						return true
					}
				}
			}
		}
		if closureStores(anon, key) {
			return true
		}
	}
	return false
}

// callName names the function a call calls, as the user wrote it.
func callName(r *runner, ci ssa.CallInstruction) string {
	if c := r.idx.CallOf(ci); c != nil {
		return "C." + c.Name
	}
	if callee := ci.Common().StaticCallee(); callee != nil {
		if obj, ok := callee.Object().(*types.Func); ok {
			return r.goFuncName(obj)
		}
		return callee.Name()
	}
	if common := ci.Common(); common.IsInvoke() {
		return name(common.Value) + "." + common.Method.Name()
	}
	return "the call"
}

// ownerOf returns the object an owner expression belongs to: "x" for "x.p".
func ownerOf(owner string) string {
	for i := len(owner) - 1; i >= 0; i-- {
		if owner[i] == '.' {
			return owner[:i]
		}
	}
	return owner
}

// funcName names fn for messages: F, (*T).M, or "a closure in F".
func funcName(fn *ssa.Function, pkg *types.Package) string {
	if fn.Parent() != nil {
		return "the closure in " + funcName(fn.Parent(), pkg)
	}
	if recv := fn.Signature.Recv(); recv != nil {
		t := types.TypeString(recv.Type(), types.RelativeTo(pkg))
		if _, ok := recv.Type().(*types.Pointer); ok {
			t = "(" + t + ")"
		}
		return t + "." + fn.Name()
	}
	return fn.Name()
}

// cStructOutlives returns how the C struct that the C owner l belongs to
// outlives fn after the store st and the free: "returned" when fn returns it
// (the pointer, or the struct by value) on a path the free runs on, "C.f"
// when a C function that keeps or takes it is passed it after the store,
// "caller" when it is a parameter of fn that fn does not lend to C after
// the store (fn fills it for its caller), or "".
func (r *runner) cStructOutlives(fn *ssa.Function, st *ssa.Store, l loc, free ssa.CallInstruction) string {
	rt := ssaflow.Root(l.Base)
	switch rt.(type) {
	case *ssa.Alloc, *ssa.Call:
	case *ssa.Parameter:
		if keeper := r.cKeeper(fn, st, rt); keeper != "" {
			return keeper
		}
		if r.lentToC(fn, st, rt) {
			return "" // fn uses what it filled itself: the caller may never read it
		}
		return "caller"
	default:
		return "" // a global: not followed
	}
	// The struct must be returned on a path the free runs on: a deferred
	// free runs at every return after the store, another one before the
	// returns it reaches.
	from := ssa.Instruction(st)
	if _, deferred := free.(*ssa.Defer); !deferred {
		from = free
	}
	for _, ret := range returnsOf(rt, 0, true) {
		if r.reach.Reaches(from, ret) {
			return "returned"
		}
	}
	return r.cKeeper(fn, st, rt)
}

// cKeeper returns "C.f" for the first C call of fn after the store st that
// keeps or takes the struct rooted at rt, or "".
func (r *runner) cKeeper(fn *ssa.Function, st *ssa.Store, rt ssa.Value) string {
	for _, c := range r.idx.Calls() {
		if c.Func != fn || c.Info == nil || !r.reach.Reaches(st, c.Instr) {
			continue
		}
		for i, a := range c.Args {
			if (c.Info.KeepsArg(i) || c.Info.TakesArg(i)) && ssaflow.Root(ssaflow.Unconvert(a)) == rt {
				return "C." + c.Name
			}
		}
	}
	return ""
}

// lentToC reports whether a C call of fn after the store st is passed the
// struct rooted at rt (or a pointer into it).
func (r *runner) lentToC(fn *ssa.Function, st *ssa.Store, rt ssa.Value) bool {
	for _, c := range r.idx.Calls() {
		if c.Func != fn || !r.reach.Reaches(st, c.Instr) {
			continue
		}
		for _, a := range c.Args {
			if ssaflow.Root(ssaflow.Unconvert(a)) == rt {
				return true
			}
		}
	}
	return false
}

// returnsOf returns the return instructions that return v directly
// (through changes of type or an interface) and, with through, also
// through a local variable that go/ssa keeps in memory (a function with a
// defer returns through one) and, for a local struct, by value.
func returnsOf(v ssa.Value, depth int, through bool) []*ssa.Return {
	if depth > 6 || v.Referrers() == nil {
		return nil
	}
	var out []*ssa.Return
	for _, ref := range *v.Referrers() {
		switch u := ref.(type) {
		case *ssa.Return:
			out = append(out, u)
		case *ssa.ChangeType, *ssa.MakeInterface:
			out = append(out, returnsOf(u.(ssa.Value), depth+1, through)...)
		case *ssa.UnOp:
			if _, ok := v.(*ssa.Alloc); ok && through && u.Op == token.MUL {
				out = append(out, returnsOf(u, depth+1, through)...)
			}
		case *ssa.Store:
			if cell, ok := u.Addr.(*ssa.Alloc); ok && through && u.Val == v {
				out = append(out, returnsOf(cell, depth+1, through)...)
			}
		}
	}
	return out
}

// A release is a call that frees the memory an owner holds, through the
// owner: C.free(unsafe.Pointer(h.name)) in Close or a finalizer.
type release struct {
	fn *ssa.Function
	ci ssa.CallInstruction
}

// releasesByOwner returns the calls of the package that release an owner
// (a field of any object, or a global), by the owner's key.
func (r *runner) releasesByOwner() map[types.Object][]release {
	out := make(map[types.Object][]release)
	for _, fn := range r.prog.SrcFuncs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				ci, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				for _, a := range r.releasedArgs(ci, false) {
					ld, ok := ssaflow.Unconvert(a).(*ssa.UnOp)
					if !ok || ld.Op != token.MUL {
						continue
					}
					if l, ok := ssaflow.LocOf(ld.X); ok && !isCOwner(l) && l.Key() != nil {
						out[l.Key()] = append(out[l.Key()], release{fn, ci})
					}
				}
			}
		}
	}
	return out
}

// setterOverwrites reports a function that stores fresh C memory in an
// owner that outlives it (a field of its receiver, or a global) without
// reading the old value first, when another function of the package (a
// Close, a finalizer) releases that owner: the owner holds C memory, and
// each call after the first leaks the old value.
func (r *runner) setterOverwrites(fn *ssa.Function, releases map[types.Object][]release) {
	if fn.Blocks == nil || fn.Parent() != nil {
		return
	}
	var stores []*ssa.Store
	count := make(map[types.Object]int)
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if st, ok := instr.(*ssa.Store); ok {
				if l, ok := ssaflow.LocOf(st.Addr); ok && l.Key() != nil {
					count[l.Key()]++
					stores = append(stores, st)
				}
			}
		}
	}
	for _, st := range stores {
		l, _ := ssaflow.LocOf(st.Addr)
		if isCOwner(l) || count[l.Key()] != 1 {
			continue // C's to manage; or two stores, the overwrite category's
		}
		v := ssaflow.Unconvert(st.Val)
		a, ok := r.allocOf(v)
		if !ok || r.overwritten[st] || !r.borrowOnly(v, st) {
			continue // reported as an overwrite already, or freed, or passed on
		}
		rt := l.RootValue()
		if l.Global == nil && (fn.Signature.Recv() == nil || len(fn.Params) == 0 || rt != fn.Params[0]) {
			continue // only a method's receiver is certainly not fresh
		}
		var rel *release
		for i, x := range releases[l.Key()] {
			if x.fn != fn {
				rel = &releases[l.Key()][i]
				break
			}
		}
		if rel == nil || r.readsOwner(fn, l) || r.touchedBefore(fn, st, rt) || r.onlyFresh(fn, l) {
			continue
		}
		owner := ownerName(st, l)
		r.report(storePos(st), catOverwrite, "released here", r.callPos(rel.fn, rel.ci), nil,
			"%s is overwritten with new C memory without releasing the C memory it holds, which %s releases: each call of %s after the first leaks the old value; %s",
			owner, funcName(rel.fn, r.pass.Pkg), funcName(fn, r.pass.Pkg), releaseHint(a.dealloc, owner))
	}
}

// readsOwner reports whether fn reads the owner l (of the same object): a
// nil check or a free of the old value, both of which mean fn handles it.
func (r *runner) readsOwner(fn *ssa.Function, l loc) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ld, ok := instr.(*ssa.UnOp)
			if !ok || ld.Op != token.MUL {
				continue
			}
			if xl, ok := ssaflow.LocOf(ld.X); ok && xl.Key() == l.Key() && (l.Global != nil || xl.RootValue() == l.RootValue()) {
				return true
			}
		}
	}
	return closureReads(fn, l.Key())
}

// closureReads reports whether a closure inside fn reads the owner key.
func closureReads(fn *ssa.Function, key types.Object) bool {
	for _, anon := range fn.AnonFuncs {
		for _, b := range anon.Blocks {
			for _, instr := range b.Instrs {
				if ld, ok := instr.(*ssa.UnOp); ok && ld.Op == token.MUL {
					if l, ok := ssaflow.LocOf(ld.X); ok && l.Key() == key {
						return true
					}
				}
			}
		}
		if closureReads(anon, key) {
			return true
		}
	}
	return false
}

// touchedBefore reports whether a Go call that may reach rt runs before the
// store st (h.Close() before h.name = ...).
func (r *runner) touchedBefore(fn *ssa.Function, st *ssa.Store, rt ssa.Value) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if ci, ok := instr.(ssa.CallInstruction); ok && r.reach.Reaches(ci, st) && r.callTouches(ci, rt) {
				return true
			}
		}
	}
	return false
}

// onlyFresh reports whether every call of fn in the package is on a fresh
// object (the receiver is allocated in the caller), or, for a global, from
// an init function: fn then initialises, it does not overwrite. A function
// no one in the package calls is API, and counts as callable twice.
func (r *runner) onlyFresh(fn *ssa.Function, l loc) bool {
	if l.Global != nil && fn.Name() == "init" {
		return true
	}
	calls := 0
	for _, g := range r.prog.SrcFuncs {
		for _, b := range g.Blocks {
			for _, instr := range b.Instrs {
				ci, ok := instr.(ssa.CallInstruction)
				if !ok || ci.Common().StaticCallee() != fn {
					continue
				}
				calls++
				if l.Global != nil {
					if g.Name() != "init" || g.Parent() != nil {
						return false
					}
					continue
				}
				args := ci.Common().Args
				if len(args) == 0 {
					return false
				}
				if _, fresh := ssaflow.Root(args[0]).(*ssa.Alloc); !fresh {
					return false
				}
			}
		}
	}
	return calls > 0
}
