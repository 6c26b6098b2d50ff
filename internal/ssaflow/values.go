package ssaflow

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/passes/cindex"
)

// Unconvert returns v without the pointer conversions that C calls are
// written with: unsafe.Pointer(p), (*C.char)(q) and changes of named type.
// It is the index's own (cindex.Unconvert), so that every check and the
// index agree on what a C call's argument is.
func Unconvert(v ssa.Value) ssa.Value { return cindex.Unconvert(v) }

// IsPointerLike reports whether t is a pointer or unsafe.Pointer.
func IsPointerLike(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		return true
	case *types.Basic:
		return u.Kind() == types.UnsafePointer
	}
	return false
}

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
