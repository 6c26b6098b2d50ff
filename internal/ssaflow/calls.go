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
	t := sig.Recv().Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Name() == recv
}
