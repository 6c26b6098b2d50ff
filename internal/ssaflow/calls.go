package ssaflow

import (
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// IsStdCall reports whether ci statically calls a standard-library function
// (which cannot reach the user's fields on its own).
func IsStdCall(ci ssa.CallInstruction) bool {
	callee := ci.Common().StaticCallee()
	if callee == nil || callee.Object() == nil || callee.Object().Pkg() == nil {
		return false
	}
	return IsStdPath(callee.Object().Pkg().Path())
}

// IsStdPath reports whether path looks like a standard-library import path.
func IsStdPath(path string) bool {
	for i := 0; i < len(path); i++ {
		switch path[i] {
		case '.':
			return false
		case '/':
			return true
		}
	}
	return true
}

// IsBuiltin reports whether ci calls the named builtin (or unsafe) function.
func IsBuiltin(ci ssa.CallInstruction, name string) bool {
	b, ok := ci.Common().Value.(*ssa.Builtin)
	return ok && b.Name() == name
}

// IsFunc reports whether ci statically calls pkg.name (or a method
// (*pkg.T).name when recv is "T").
func IsFunc(ci ssa.CallInstruction, pkg, recv, name string) bool {
	callee := ci.Common().StaticCallee()
	if callee == nil {
		return false
	}
	obj, ok := callee.Object().(*types.Func)
	if !ok || obj.Pkg() == nil || obj.Pkg().Path() != pkg || obj.Name() != name {
		return false
	}
	sig := obj.Signature()
	if recv == "" {
		return sig.Recv() == nil
	}
	if sig.Recv() == nil {
		return false
	}
	n := NamedOf(sig.Recv().Type())
	return n != nil && n.Name() == recv
}

// Callee returns the function a call certainly calls (the generic origin of
// an instantiation), or nil for a dynamic or interface call.
func Callee(common *ssa.CallCommon) *ssa.Function {
	fn := common.StaticCallee()
	if fn == nil {
		return nil
	}
	if o := fn.Origin(); o != nil {
		return o
	}
	return fn
}

// CalleeKey returns FuncKey of the function a call certainly calls, or "".
func CalleeKey(common *ssa.CallCommon) string {
	fn := Callee(common)
	if fn == nil {
		return ""
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok {
		return ""
	}
	return FuncKey(obj)
}

// FuncKey names a function or method by its package path, as tables of
// known functions do: "os.WriteFile", "sync.Mutex.Lock" (pointer receivers
// included), or "" for a method of an unnamed type or a builtin.
func FuncKey(fn *types.Func) string {
	if fn.Pkg() == nil {
		return ""
	}
	if recv := fn.Signature().Recv(); recv != nil {
		n := NamedOf(recv.Type())
		if n == nil {
			return ""
		}
		return fn.Pkg().Path() + "." + n.Name() + "." + fn.Name()
	}
	return fn.Pkg().Path() + "." + fn.Name()
}

// NamedOf returns the type name of t or *t, or nil.
func NamedOf(t types.Type) *types.TypeName {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Obj()
	}
	return nil
}

// IsNamed reports whether t is the named type path.name.
func IsNamed(t types.Type, path, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == path && n.Obj().Name() == name
}

// Outermost returns the top-level function that fn is, or is nested in.
func Outermost(fn *ssa.Function) *ssa.Function {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	return fn
}

// ForCalls calls f for every call instruction of fn (calls, defers and go
// statements), in block order.
func ForCalls(fn *ssa.Function, f func(ssa.CallInstruction)) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if ci, ok := instr.(ssa.CallInstruction); ok {
				f(ci)
			}
		}
	}
}

// MethodKey returns FuncKey of fn when fn is a method ("sync.Mutex.Lock"),
// or "" for a function, a function literal or nil.
func MethodKey(fn *ssa.Function) string {
	if fn == nil || fn.Signature.Recv() == nil {
		return ""
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok {
		return ""
	}
	return FuncKey(obj)
}
