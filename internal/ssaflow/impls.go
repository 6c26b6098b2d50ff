package ssaflow

import (
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// Impls answers which methods an interface method call can run. When the
// interface is closed, that is, it has a method with an unexported name,
// only types declared in its package can implement it (a type of another
// package can only embed one of them, and so runs the same method): the
// implementations are the package's types, each method found in the
// package's source functions. Build one per pass with NewImpls.
type Impls struct {
	pkg     *types.Package
	info    *types.Info
	prog    *ssa.Program
	funcs   []*ssa.Function
	methods map[*types.Func]*ssa.Function
	sets    map[*types.Named][]types.Type // nil entry: not enumerable
}

// NewImpls returns the implementations finder of package pkg, whose syntax
// info and source functions are given.
func NewImpls(pkg *types.Package, info *types.Info, prog *ssa.Program, funcs []*ssa.Function) *Impls {
	return &Impls{pkg: pkg, info: info, prog: prog, funcs: funcs, sets: make(map[*types.Named][]types.Type)}
}

// Of returns the source functions that the interface method call common
// can run, and true, when the interface is closed and every implementation
// is a method declared in the package; otherwise false.
func (m *Impls) Of(common *ssa.CallCommon) ([]*ssa.Function, bool) {
	if !common.IsInvoke() {
		return nil, false
	}
	named, isNamed := types.Unalias(common.Value.Type()).(*types.Named)
	if !isNamed || named.Obj().Pkg() != m.pkg {
		return nil, false
	}
	iface, isIface := named.Underlying().(*types.Interface)
	if !isIface || !Closed(iface) {
		return nil, false
	}
	set, seen := m.sets[named]
	if !seen {
		set = m.implementers(iface)
		m.sets[named] = set
	}
	if set == nil {
		return nil, false
	}
	var fns []*ssa.Function
	for _, t := range set {
		sel := m.prog.MethodSets.MethodSet(t).Lookup(common.Method.Pkg(), common.Method.Name())
		if sel == nil {
			return nil, false
		}
		f, isFunc := sel.Obj().(*types.Func)
		if !isFunc {
			return nil, false
		}
		fn := m.funcOf(f)
		if fn == nil {
			return nil, false // promoted from an embedded interface, or synthetic
		}
		fns = append(fns, fn)
	}
	return fns, true
}

// Closed reports whether iface has a method with an unexported name, which
// only types of its own package can declare.
func Closed(iface *types.Interface) bool {
	for f := range iface.Methods() {
		if !f.Exported() {
			return true
		}
	}
	return false
}

// implementers returns the types of the package that implement iface (T if
// it does, else *T), or nil when they cannot be enumerated (a generic type
// with a method of the interface's).
func (m *Impls) implementers(iface *types.Interface) []types.Type {
	set := []types.Type{}
	for _, obj := range m.info.Defs {
		tn, ok := obj.(*types.TypeName)
		if !ok || tn.Pkg() != m.pkg || tn.IsAlias() {
			continue
		}
		t := tn.Type()
		if _, isIface := t.Underlying().(*types.Interface); isIface {
			continue
		}
		if n, ok := t.(*types.Named); ok && n.TypeParams().Len() > 0 {
			for f := range n.Methods() {
				if obj, _, _ := types.LookupFieldOrMethod(iface, false, f.Pkg(), f.Name()); obj != nil {
					return nil // generic: its instances are not enumerated
				}
			}
			continue
		}
		switch {
		case types.Implements(t, iface):
			set = append(set, t)
		case types.Implements(types.NewPointer(t), iface):
			set = append(set, types.NewPointer(t))
		}
	}
	return set
}

// funcOf returns the source function of a method declared in the package.
func (m *Impls) funcOf(f *types.Func) *ssa.Function {
	if m.methods == nil {
		m.methods = make(map[*types.Func]*ssa.Function)
		for _, fn := range m.funcs {
			if o, ok := fn.Object().(*types.Func); ok {
				m.methods[o] = fn
			}
		}
	}
	return m.methods[f]
}
