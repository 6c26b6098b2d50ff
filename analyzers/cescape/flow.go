package cescape

import (
	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/internal/ssaflow"
)

// loc is an owner of memory: a package-level variable, or a field of the
// struct that Base points to (ssaflow.Loc).
type loc = ssaflow.Loc

// borrowOnly reports whether every use of v (through pointer conversions)
// only lends it: to a C function that neither frees, takes nor keeps it, or
// as the value of the store skip. Anything else (a Go call, a comparison, a
// return, another store) means the analysis lost track of v.
func (r *runner) borrowOnly(v ssa.Value, skip ssa.Instruction) bool {
	return r.borrowOnlyDepth(v, skip, 0)
}

func (r *runner) borrowOnlyDepth(v ssa.Value, skip ssa.Instruction, depth int) bool {
	if depth > 8 {
		return false
	}
	refs := v.Referrers()
	if refs == nil {
		return true
	}
	for _, ref := range *refs {
		if ref == skip {
			continue
		}
		switch u := ref.(type) {
		case *ssa.DebugRef:
			continue
		case *ssa.ChangeType:
			if !r.borrowOnlyDepth(u, skip, depth+1) {
				return false
			}
			continue
		case *ssa.Convert:
			if !r.borrowOnlyDepth(u, skip, depth+1) {
				return false
			}
			continue
		case ssa.CallInstruction:
			c := r.idx.CallOf(u)
			if c == nil {
				return false
			}
			if ssaflow.ArgUseOf(c, v) != ssaflow.Borrows {
				return false
			}
			continue
		}
		return false
	}
	return true
}

// callTouches reports whether the Go call ci may reach the memory rooted at
// rt: it passes a value derived from rt, or rt is shared (a global or a
// captured variable) and the callee is not a standard-library function.
func (r *runner) callTouches(ci ssa.CallInstruction, rt ssa.Value) bool {
	if r.idx.CallOf(ci) != nil {
		return false
	}
	if _, ok := ci.Common().Value.(*ssa.Builtin); ok {
		return false
	}
	if ssaflow.IsStdCall(ci) {
		// Library code cannot reach the user's fields, except through
		// what it is passed (sync.Once.Do(f) with a closure, for example).
		for _, a := range ci.Common().Args {
			if _, ok := a.(*ssa.MakeClosure); ok {
				return true
			}
		}
		return false
	}
	switch rt.(type) {
	case *ssa.Global, *ssa.FreeVar:
		return true
	}
	vals := append([]ssa.Value{ci.Common().Value}, ci.Common().Args...)
	for _, a := range vals {
		if mc, ok := a.(*ssa.MakeClosure); ok {
			for _, b := range mc.Bindings {
				if ssaflow.Root(b) == rt {
					return true
				}
			}
			continue
		}
		if ssaflow.Root(ssaflow.Unconvert(a)) == rt {
			return true
		}
	}
	return ci.Common().StaticCallee() == nil && !ci.Common().IsInvoke()
}
