package cfree

import (
	"golang.org/x/tools/go/ssa"
)

// An interface method call has no static callee. When the interface is
// closed (ssaflow.Impls), cfree decides
// from the facts of every implementation: all free the argument, all take
// it, or all borrow it. Otherwise, or when there is no implementation, the
// pointer is assumed to have moved.

// invokeKind returns what the interface method call does to its argument
// j (not counting the receiver), and a name for the callee.
func (r *runner) invokeKind(common *ssa.CallCommon, j int, deferred bool) (evKind, bool) {
	impls, ok := r.impls.Of(common)
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
