package cfree

import (
	"fmt"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/internal/ssaflow"
	"github.com/cgolint/cgolint/passes/cindex"
)

// checkFieldsLeftSet reports a C object held in a field of a parameter (the
// receiver of a Close method, usually) that the function releases and then
// clears (sets to nil, or to anything) on some paths but leaves set on a
// path that returns: typically the error return of
//
//	rv := C.sqlite3_finalize(s.stmt)
//	if rv != C.SQLITE_OK {
//		return s.error(rv) // s.stmt still points to the freed statement
//	}
//	s.stmt = nil
//
// The object outlives the call, so the next Close (or a finalizer) sees the
// field set and releases the object again: a double free. The clearing on
// the other path is the function's own statement that the field must not
// outlive the release, so nothing here is guessed. A release whose status
// result the function reads counts only when it is known to release even
// when it fails (frees-on-error: sqlite3_finalize, not sqlite3_close). A
// release in a loop, a deferred release, and a field the function never
// sets again are left alone.
func (r *runner) checkFieldsLeftSet(fn *ssa.Function) {
	for _, b := range fn.Blocks {
		for i, instr := range b.Instrs {
			ci, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			c := r.idx.CallOf(ci)
			if c == nil || c.Deferred || !c.Info.IsDeallocator() {
				continue
			}
			// A release whose status the function reads may have failed
			// without releasing (sqlite3_close on SQLITE_BUSY keeps the
			// connection open), unless it is known to release anyway.
			if refs := ci.Referrers(); refs != nil && len(*refs) > 0 && !c.Info.FreesOnError {
				continue
			}
			for a, arg := range c.Args {
				if !c.Info.FreesArg(a) {
					continue
				}
				r.checkFieldLeftSet(fn, b, i, c, arg)
			}
		}
	}
}

// checkFieldLeftSet checks one release, the instruction at index i of
// block b, of the value arg.
func (r *runner) checkFieldLeftSet(fn *ssa.Function, b *ssa.BasicBlock, i int, c *cindex.Call, arg ssa.Value) {
	callee := c.Name
	base, path := ssaflow.LoadPath(ssaflow.Unconvert(arg))
	if path == "" {
		return
	}
	param, ok := base.(*ssa.Parameter)
	if !ok {
		return
	}
	if _, ok := param.Type().Underlying().(*types.Pointer); !ok {
		return
	}
	// The stores to the same field of the same parameter.
	stores := make(map[*ssa.BasicBlock]*ssa.Store)
	for _, sb := range fn.Blocks {
		for _, instr := range sb.Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok {
				continue
			}
			if sbase, spath := ssaflow.AddrPath(st.Addr); sbase == base && spath == path {
				if stores[sb] == nil {
					stores[sb] = st
				}
			}
		}
	}
	if len(stores) == 0 {
		return // never cleared: the function does not track the field's state
	}
	// Cleared right after the release, in its block: on every path.
	for _, instr := range b.Instrs[i+1:] {
		if st, ok := instr.(*ssa.Store); ok {
			if sbase, spath := ssaflow.AddrPath(st.Addr); sbase == base && spath == path {
				return
			}
		}
	}
	// A release that can run again (a loop) is not this shape.
	if anyAvoiding(b.Succs, nil, func(x *ssa.BasicBlock) bool { return x == b }) {
		return
	}
	// Some clearing store follows the release...
	var cleared *ssa.Store
	if !anyAvoiding(b.Succs, nil, func(x *ssa.BasicBlock) bool { cleared = stores[x]; return cleared != nil }) {
		return
	}
	// ...and a return is reached without one.
	avoid := make(map[*ssa.BasicBlock]bool, len(stores))
	for sb := range stores {
		avoid[sb] = true
	}
	var exit *ssa.BasicBlock
	leaves := func(x *ssa.BasicBlock) bool {
		if ssaflow.Returns(x) {
			exit = x
			return true
		}
		return false
	}
	if !leaves(b) && !anyAvoiding(b.Succs, avoid, leaves) {
		return
	}
	ret := exit.Instrs[len(exit.Instrs)-1]
	field := param.Name() + "." + path
	retPos := r.retPos(fn, ret)
	d := analysis.Diagnostic{
		Pos:      c.Pos(),
		Category: catDoubleFree,
		Message: fmt.Sprintf("%s is released by C.%s and set again on some paths, but the path that returns at line %d leaves it pointing to the released object: the next release of %s (another Close, a finalizer) frees it twice; clear %s right after C.%s, before checking its result",
			field, callee, r.line(retPos), field, field, callee),
		Related: []analysis.RelatedInformation{{Pos: retPos, Message: "returns here with " + field + " still set"}},
	}
	if cleared.Pos().IsValid() {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: r.idx.UserPos(cleared.Pos()), Message: "set here on another path"})
	}
	r.pass.Report(d)
}

// anyAvoiding reports whether a block satisfying target is reachable from
// one of starts without entering a block of avoid.
func anyAvoiding(starts []*ssa.BasicBlock, avoid map[*ssa.BasicBlock]bool, target func(*ssa.BasicBlock) bool) bool {
	for _, s := range starts {
		if ssaflow.FindAvoiding(s, avoid, target) {
			return true
		}
	}
	return false
}
