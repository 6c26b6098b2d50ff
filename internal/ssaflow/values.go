package ssaflow

import (
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/passes/cindex"
)

// Unconvert returns v without the pointer conversions that C calls are
// written with: unsafe.Pointer(p), (*C.char)(q) and changes of named type.
// It is the index's own (cindex.Unconvert), so that every check and the
// index agree on what a C call's argument is.
func Unconvert(v ssa.Value) ssa.Value { return cindex.Unconvert(v) }

// UnconvertHandle is Unconvert, also through integer conversions of a
// pointer, C.uintptr_t(uintptr(unsafe.Pointer(p))), as C calls that take
// handles as uintptr_t are written.
func UnconvertHandle(v ssa.Value) ssa.Value {
	for {
		v = Unconvert(v)
		c, ok := v.(*ssa.Convert)
		if !ok {
			return v
		}
		from, ok1 := c.X.Type().Underlying().(*types.Basic)
		to, ok2 := c.Type().Underlying().(*types.Basic)
		if !ok1 || !ok2 || to.Info()&types.IsInteger == 0 ||
			(from.Kind() != types.UnsafePointer && from.Kind() != types.Uintptr) {
			return v
		}
		v = c.X
	}
}

// IsAddressLike reports whether t is a pointer, unsafe.Pointer or uintptr:
// a type whose values may be addresses.
func IsAddressLike(t types.Type) bool {
	if b, ok := t.Underlying().(*types.Basic); ok && b.Kind() == types.Uintptr {
		return true
	}
	return IsPointerLike(t)
}

// ParamIndex returns the index of v among fn's parameters, or -1.
func ParamIndex(fn *ssa.Function, v ssa.Value) int {
	p, ok := v.(*ssa.Parameter)
	if !ok {
		return -1
	}
	return slices.Index(fn.Params, p)
}

// IsPointerLike reports whether t is a pointer or unsafe.Pointer; it is the
// index's own, as Unconvert is, so the two agree on what a conversion keeps.
func IsPointerLike(t types.Type) bool { return cindex.IsPointerLike(t) }

// IsNil reports whether v, under pointer conversions, is the constant nil.
func IsNil(v ssa.Value) bool {
	c, ok := Unconvert(v).(*ssa.Const)
	return ok && c.IsNil()
}

// IsZero reports whether v, under pointer conversions, is a constant nil or
// zero.
func IsZero(v ssa.Value) bool {
	c, ok := Unconvert(v).(*ssa.Const)
	if !ok {
		return false
	}
	return c.IsNil() || (c.Value != nil && c.Value.Kind() == constant.Int && constant.Sign(c.Value) == 0)
}

// Root returns the value that the pointer v was derived from by selecting
// fields, elements and loads, through pointer conversions.
func Root(v ssa.Value) ssa.Value {
	for range 32 {
		switch x := v.(type) {
		case *ssa.FieldAddr:
			v = x.X
		case *ssa.IndexAddr:
			v = x.X
		case *ssa.Slice:
			v = x.X
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return v
			}
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		case *ssa.Convert:
			if !IsPointerLike(x.X.Type()) {
				return v
			}
			v = x.X
		default:
			return v
		}
	}
	return v
}

// FieldOf returns the struct field a FieldAddr selects, or nil.
func FieldOf(fa *ssa.FieldAddr) *types.Var {
	ptr, ok := fa.X.Type().Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	st, ok := ptr.Elem().Underlying().(*types.Struct)
	if !ok || fa.Field >= st.NumFields() {
		return nil
	}
	return st.Field(fa.Field)
}

// FieldName returns the name of the struct field a FieldAddr selects; ok
// is false when the struct type is not visible.
func FieldName(fa *ssa.FieldAddr) (name string, ok bool) {
	if f := FieldOf(fa); f != nil {
		return f.Name(), true
	}
	return "", false
}

// AddrPath returns the base and the field path of an address &base.f.g:
// base and "f.g"; for any other address, addr itself and "". A field whose
// struct is not visible is named by its index.
func AddrPath(addr ssa.Value) (ssa.Value, string) {
	var names []string
	x := addr
	for {
		fa, ok := x.(*ssa.FieldAddr)
		if !ok {
			break
		}
		name, ok := FieldName(fa)
		if !ok {
			name = strconv.Itoa(fa.Field)
		}
		names = append(names, name)
		x = fa.X
	}
	if len(names) == 0 {
		return addr, ""
	}
	slices.Reverse(names)
	return x, strings.Join(names, ".")
}

// LoadPath returns the value that v reads a field of, and the field's path
// ("ptr", "inner.ptr"), for v = base.ptr (through pointer and handle
// conversions, UnconvertHandle); otherwise v without conversions and "".
func LoadPath(v ssa.Value) (ssa.Value, string) {
	v = UnconvertHandle(v)
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return v, ""
	}
	base, path := AddrPath(load.X)
	if path == "" {
		return v, ""
	}
	return base, path
}

// PointsInto reports whether v is a pointer into obj (&obj.f, &obj.a[i],
// &obj.f.a[i]...), through conversions (UnconvertHandle).
func PointsInto(v, obj ssa.Value) bool {
	v = UnconvertHandle(v)
	for range 16 {
		switch x := v.(type) {
		case *ssa.FieldAddr:
			v = UnconvertHandle(x.X)
		case *ssa.IndexAddr:
			v = UnconvertHandle(x.X)
		default:
			return false
		}
		if v == obj {
			return true
		}
	}
	return false
}

// Derived returns p and the pointers computed from it without a load:
// &p.f, &p.a[i], slices and conversions.
func Derived(p ssa.Value) map[ssa.Value]bool {
	set := map[ssa.Value]bool{p: true}
	work := []ssa.Value{p}
	for len(work) > 0 {
		v := work[len(work)-1]
		work = work[:len(work)-1]
		for _, ref := range *v.Referrers() {
			switch ref := ref.(type) {
			case *ssa.FieldAddr, *ssa.IndexAddr, *ssa.ChangeType, *ssa.Convert, *ssa.Slice:
				dv := ref.(ssa.Value)
				if !set[dv] {
					set[dv] = true
					work = append(work, dv)
				}
			}
		}
	}
	return set
}

// SameObject reports whether a and b are certainly the same pointer: the
// same value, or two loads of one local variable that is assigned once.
func SameObject(a, b ssa.Value) bool {
	if a == b {
		return true
	}
	la, ok1 := a.(*ssa.UnOp)
	lb, ok2 := b.(*ssa.UnOp)
	if ok1 && ok2 && la.Op == token.MUL && lb.Op == token.MUL && la.X == lb.X {
		if _, ok := la.X.(*ssa.Alloc); ok {
			return StoresTo(la.X) == 1
		}
	}
	return false
}

// StoresTo returns the number of stores to the address cell.
func StoresTo(cell ssa.Value) int {
	n := 0
	for _, ref := range *cell.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Addr == cell {
			n++
		}
	}
	return n
}

// A Loc is an owner of memory: a package-level variable, or a field of the
// struct that Base points to.
type Loc struct {
	Global *ssa.Global
	Field  *types.Var
	Base   ssa.Value
}

// LocOf returns the owner that addr is the address of.
func LocOf(addr ssa.Value) (Loc, bool) {
	switch a := addr.(type) {
	case *ssa.Global:
		return Loc{Global: a}, true
	case *ssa.FieldAddr:
		if f := FieldOf(a); f != nil {
			return Loc{Field: f, Base: a.X}, true
		}
	}
	return Loc{}, false
}

// Key returns the object that identifies the owner across functions: the
// global's object or the field.
func (l Loc) Key() types.Object {
	if l.Global != nil {
		return l.Global.Object()
	}
	return l.Field
}

// RootValue returns the global, or the root of the field's base.
func (l Loc) RootValue() ssa.Value {
	if l.Global != nil {
		return l.Global
	}
	return Root(l.Base)
}

// SameLoc reports whether a and b are certainly the same owner.
func SameLoc(a, b Loc) bool {
	if a.Global != nil || b.Global != nil {
		return a.Global == b.Global
	}
	return a.Field == b.Field && SameValue(a.Base, b.Base)
}

// SameValue reports whether a and b are the same pointer: the same SSA
// value, or the same path of field selections and loads from one.
func SameValue(a, b ssa.Value) bool {
	if a == b {
		return true
	}
	switch a := a.(type) {
	case *ssa.FieldAddr:
		if b, ok := b.(*ssa.FieldAddr); ok {
			return a.Field == b.Field && SameValue(a.X, b.X)
		}
	case *ssa.UnOp:
		if b, ok := b.(*ssa.UnOp); ok && a.Op == token.MUL && b.Op == token.MUL {
			return SameValue(a.X, b.X)
		}
	}
	return false
}
