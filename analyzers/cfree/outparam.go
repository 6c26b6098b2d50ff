package cfree

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/passes/cindex"
)

// outAllocs returns the objects that the C call ci hands back through
// out-parameters (the knowledge base's AllocOut: sqlite3_prepare_v2(db, q,
// -1, &stmt, nil), git_commit_lookup(&c, repo, id)), each tracked through
// the loads of its variable.
//
// Only a plain local variable whose address is taken by this call alone is
// followed; anything else (a field, a variable a closure captures, one
// assigned elsewhere) is not, and stays silent. Such calls return a status:
// on failure they leave no object behind (NULL, or the variable untouched).
// So the successor of a comparison of the status with 0 where the status is
// nonzero (== / !=) or negative (< 0, >= 0) owns nothing; a status used in
// any other way (passed to a Go function that turns it into an error,
// compared with something else) hides which path failed, and the object is
// not followed.
func (r *runner) outAllocs(ci ssa.CallInstruction) []*alloc {
	call, ok := ci.(*ssa.Call)
	if !ok {
		return nil
	}
	c := r.idx.CallOf(call)
	if c == nil || c.Info == nil || len(c.Info.AllocOut) == 0 || c.TwoResult || c.Info.Dealloc == "" {
		return nil
	}
	var out []*alloc
	for _, i := range c.Info.AllocOut {
		if i >= len(c.Args) {
			continue
		}
		cell, ok := cindex.Unconvert(c.Args[i]).(*ssa.Alloc)
		// SSA puts every variable whose address is passed to a call on the
		// heap (Heap): what matters is that nothing but this call and loads
		// use it (a closure that captures it is a MakeClosure referrer).
		if !ok || cell.Comment == "" {
			continue
		}
		loads, ok := outLoads(cell, call)
		if !ok {
			continue
		}
		fl := r.trackFrom(call, loads...)
		if !r.failureEdges(fl, call) {
			continue
		}
		out = append(out, &alloc{
			value:   call,
			call:    c,
			what:    "C." + c.Name,
			dealloc: c.Info.Dealloc,
			pos:     c.Pos(),
			name:    cell.Comment,
			typ:     cell.Type().(*types.Pointer).Elem(),
			out:     fl,
		})
	}
	return out
}

// outLoads returns the loads of the variable cell, if its address is used
// by call alone (directly or converted) and it is otherwise only read.
func outLoads(cell *ssa.Alloc, call *ssa.Call) ([]ssa.Value, bool) {
	var loads []ssa.Value
	var onlyCall func(v ssa.Value) bool
	onlyCall = func(v ssa.Value) bool {
		for _, ref := range *v.Referrers() {
			switch ref := ref.(type) {
			case *ssa.Call:
				if ref != call {
					return false
				}
			case *ssa.ChangeType:
				if !onlyCall(ref) {
					return false
				}
			case *ssa.Convert:
				if !onlyCall(ref) {
					return false
				}
			case *ssa.DebugRef:
			default:
				return false
			}
		}
		return true
	}
	for _, ref := range *cell.Referrers() {
		switch ref := ref.(type) {
		case *ssa.UnOp:
			if ref.Op != token.MUL {
				return nil, false
			}
			loads = append(loads, ref)
		case *ssa.Call:
			if ref != call {
				return nil, false
			}
		case *ssa.ChangeType, *ssa.Convert:
			if !onlyCall(ref.(ssa.Value)) {
				return nil, false
			}
		case *ssa.DebugRef:
		default:
			return nil, false // stored, passed elsewhere, its field taken
		}
	}
	return loads, true
}

// failureEdges marks in fl.nilEdge the successors of the comparisons of
// call's status with 0 on which the call failed, and reports whether every
// use of the status is such a comparison.
func (r *runner) failureEdges(fl *flow, call *ssa.Call) bool {
	var visit func(v ssa.Value) bool
	visit = func(v ssa.Value) bool {
		for _, ref := range *v.Referrers() {
			switch ref := ref.(type) {
			case *ssa.DebugRef:
			case *ssa.Convert:
				if !visit(ref) {
					return false
				}
			case *ssa.ChangeType:
				if !visit(ref) {
					return false
				}
			case *ssa.BinOp:
				op := ref.Op
				switch {
				case ref.X == v && isZeroInt(ref.Y):
				case ref.Y == v && isZeroInt(ref.X):
					op = swapCmp(op)
				default:
					return false
				}
				var fail int // successor index where the call failed
				switch op {
				case token.EQL, token.GEQ:
					fail = 1 // status == 0 / >= 0 holds on success
				case token.NEQ, token.LSS:
					fail = 0
				default:
					return false // status > 0 or <= 0: which side failed is unclear
				}
				for _, br := range *ref.Referrers() {
					iff, ok := br.(*ssa.If)
					if !ok || iff.Cond != ref {
						return false
					}
					fl.nilEdge[iff.Block()] = fail
				}
			default:
				return false
			}
		}
		return true
	}
	return visit(call)
}

// isZeroInt reports whether v is the integer constant 0.
func isZeroInt(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.Value != nil && c.Value.Kind() == constant.Int && constant.Sign(c.Value) == 0
}

// swapCmp returns the comparison with its operands swapped.
func swapCmp(op token.Token) token.Token {
	switch op {
	case token.LSS:
		return token.GTR
	case token.GTR:
		return token.LSS
	case token.LEQ:
		return token.GEQ
	case token.GEQ:
		return token.LEQ
	}
	return op
}
