package cfree

import (
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// An interface method call has no static callee. When the interface is
// closed, that is, it has a method with an unexported name, only types
// declared in this package can implement it (a type of another package can
// only embed one of them, and so runs the same method). cfree then decides
// from the facts of every implementation: all free the argument, all take
// it, or all borrow it. Otherwise, or when there is no implementation, the
// pointer is assumed to have moved.

// invokeKind returns what the interface method call does to its argument
// j (not counting the receiver), and a name for the callee.
func (r *runner) invokeKind(common *ssa.CallCommon, j int, deferred bool) (evKind, bool) {
	impls, ok := r.implementations(common)
	if !ok || len(impls) == 0 {
		return evEscape, false
	}
	frees, takes, borrows := 0, 0, 0
	for _, fn := range impls {
		sum := r.summaryOf(fn)
		switch {
		case sum == nil:
			return evEscape, false
		case has(sum.Frees, j+1):
			frees++
		case has(sum.Takes, j+1):
			takes++
		case has(sum.Borrows, j+1):
			borrows++
		default:
			return evEscape, false
		}
	}
	switch {
	case frees == len(impls) && deferred:
		return evDeferRelease, true
	case frees == len(impls):
		return evRelease, true
	case frees+takes == len(impls):
		return evTake, true
	case borrows == len(impls):
		return evUse, true
	}
	return evEscape, false
}

// implementations returns the methods that an interface method call can
// run, when the interface is closed; ok is false otherwise.
func (r *runner) implementations(common *ssa.CallCommon) (fns []*ssa.Function, ok bool) {
	named, isNamed := types.Unalias(common.Value.Type()).(*types.Named)
	if !isNamed || named.Obj().Pkg() != r.pass.Pkg {
		return nil, false
	}
	iface, isIface := named.Underlying().(*types.Interface)
	if !isIface || !closed(iface) {
		return nil, false
	}
	if r.impls == nil {
		r.impls = make(map[*types.Named]*implSet)
	}
	set, seen := r.impls[named]
	if !seen {
		set = r.implSetOf(iface)
		r.impls[named] = set
	}
	if set == nil {
		return nil, false
	}
	for _, t := range set.types {
		sel := r.ssa.Pkg.Prog.MethodSets.MethodSet(t).Lookup(common.Method.Pkg(), common.Method.Name())
		if sel == nil {
			return nil, false
		}
		m, isFunc := sel.Obj().(*types.Func)
		if !isFunc {
			return nil, false
		}
		fn := r.funcOf(m)
		if fn == nil {
			return nil, false
		}
		fns = append(fns, fn)
	}
	return fns, true
}

// An implSet is the set of concrete types whose values can be in a closed
// interface.
type implSet struct{ types []types.Type }

// closed reports whether iface has a method with an unexported name, which
// only types of its own package can declare.
func closed(iface *types.Interface) bool {
	for m := range iface.Methods() {
		if !m.Exported() {
			return true
		}
	}
	return false
}

// implSetOf returns the types of the package that implement iface (T if it
// does, else *T), or nil when they cannot be enumerated (a generic type).
func (r *runner) implSetOf(iface *types.Interface) *implSet {
	set := &implSet{}
	for _, obj := range r.ssa.Info.Defs {
		tn, ok := obj.(*types.TypeName)
		if !ok || tn.Pkg() != r.pass.Pkg || tn.IsAlias() {
			continue
		}
		t := tn.Type()
		if _, isIface := t.Underlying().(*types.Interface); isIface {
			continue
		}
		if n, ok := t.(*types.Named); ok && n.TypeParams().Len() > 0 {
			for m := range n.Methods() {
				if obj, _, _ := types.LookupFieldOrMethod(iface, false, m.Pkg(), m.Name()); obj != nil {
					return nil // generic: its instances are not enumerated
				}
			}
			continue
		}
		switch {
		case types.Implements(t, iface):
			set.types = append(set.types, t)
		case types.Implements(types.NewPointer(t), iface):
			set.types = append(set.types, types.NewPointer(t))
		}
	}
	return set
}

// funcOf returns the source function of a method declared in this package.
func (r *runner) funcOf(m *types.Func) *ssa.Function {
	if r.methods == nil {
		r.methods = make(map[*types.Func]*ssa.Function)
		for _, fn := range r.ssa.SrcFuncs {
			if f, ok := fn.Object().(*types.Func); ok {
				r.methods[f] = fn
			}
		}
	}
	return r.methods[m]
}
