package cblocking

import (
	"fmt"
	"go/token"
	"go/types"
	"strconv"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// This file finds blocking C calls made while a sync.Mutex or sync.RWMutex
// is held. It is a forward may-analysis over each function's control-flow
// graph: the state is the set of locks held on some path, each named by the
// access path of the mutex (a global, a field path from a parameter or a
// local, through loads), so that s.mu.Lock() and a later s.mu.Unlock()
// match although they are different SSA values. A deferred Unlock releases
// nothing until the function returns, so calls after `mu.Lock(); defer
// mu.Unlock()` are made with mu held.

// lockOp is a call of Lock, RLock, Unlock or RUnlock on a mutex.
type lockOp struct {
	key  string // the mutex's access path, with the mode ("|r" or "|w")
	name string // the mutex as the user would write it: "s.mu"
	lock bool   // Lock or RLock, as opposed to Unlock or RUnlock
	read bool   // RLock or RUnlock
}

// keyer gives access paths to mutex pointers within one function.
type keyer struct {
	ids map[ssa.Value]int
}

// key returns the access path of the pointer v: values that SSA computes
// afresh for each access (field addresses, loads) are named by what they
// are computed from, everything else by identity.
func (k *keyer) key(v ssa.Value) string {
	switch v := v.(type) {
	case *ssa.Global:
		return "g:" + v.Pkg.Pkg.Path() + "." + v.Name()
	case *ssa.FieldAddr:
		return k.key(v.X) + "." + strconv.Itoa(v.Field)
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return k.key(v.X) + "*"
		}
	case *ssa.ChangeType:
		return k.key(v.X)
	}
	if k.ids == nil {
		k.ids = make(map[ssa.Value]int)
	}
	id, ok := k.ids[v]
	if !ok {
		id = len(k.ids)
		k.ids[v] = id
	}
	return "v" + strconv.Itoa(id)
}

// render names the mutex pointer v as the user would write it, or "".
func render(v ssa.Value) string {
	switch v := v.(type) {
	case *ssa.Global:
		return v.Name()
	case *ssa.FieldAddr:
		base := render(v.X)
		if base == "" {
			return ""
		}
		p, ok := v.X.Type().Underlying().(*types.Pointer)
		if !ok {
			return ""
		}
		st, ok := p.Elem().Underlying().(*types.Struct)
		if !ok || v.Field >= st.NumFields() {
			return ""
		}
		return base + "." + st.Field(v.Field).Name()
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return render(v.X)
		}
	case *ssa.ChangeType:
		return render(v.X)
	case *ssa.Alloc:
		return v.Comment
	case *ssa.Parameter:
		return v.Name()
	case *ssa.FreeVar:
		return v.Name()
	}
	return ""
}

// lockOpOf returns the lock operation that instr is, if it is a
// (non-deferred) call of a sync.Mutex or sync.RWMutex method.
func lockOpOf(k *keyer, instr ssa.Instruction) (lockOp, bool) {
	call, ok := instr.(*ssa.Call)
	if !ok {
		return lockOp{}, false
	}
	fn := call.Call.StaticCallee()
	if !isMethod(fn, "sync", []string{"Mutex", "RWMutex"}, "Lock", "RLock", "Unlock", "RUnlock") || len(call.Call.Args) == 0 {
		return lockOp{}, false
	}
	mu := call.Call.Args[0]
	op := lockOp{
		name: render(mu),
		lock: fn.Name() == "Lock" || fn.Name() == "RLock",
		read: fn.Name() == "RLock" || fn.Name() == "RUnlock",
	}
	if op.name == "" {
		op.name = "the mutex"
	}
	op.key = k.key(mu) + "|w"
	if op.read {
		op.key = k.key(mu) + "|r"
	}
	return op, true
}

// mayUnlock reports whether fn may release a lock it did not take itself:
// it unlocks (now or deferred) a mutex it never locks, or calls a function
// of the package that may. A call of such a function ends what the caller
// knows about its locks.
func (r *runner) mayUnlock(fn *ssa.Function) bool {
	var k keyer
	locked := make(map[string]bool)
	var unlocked []string
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if op, ok := lockOpOf(&k, instr); ok {
				if op.lock {
					locked[op.key] = true
				} else {
					unlocked = append(unlocked, op.key)
				}
				continue
			}
			if d, ok := instr.(*ssa.Defer); ok {
				if callee := d.Call.StaticCallee(); isMethod(callee, "sync", []string{"Mutex", "RWMutex"}, "Unlock", "RUnlock") && len(d.Call.Args) > 0 {
					mode := "|w"
					if callee.Name() == "RUnlock" {
						mode = "|r"
					}
					unlocked = append(unlocked, k.key(d.Call.Args[0])+mode)
				}
			}
			if ci, ok := instr.(ssa.CallInstruction); ok {
				if _, isGo := ci.(*ssa.Go); !isGo {
					if callee := staticCallee(ci.Common()); callee != nil && callee != fn && r.unlocks[callee] {
						return true
					}
				}
			}
		}
	}
	for _, key := range unlocked {
		if !locked[key] {
			return true
		}
	}
	return false
}

// held is a lock held at some point: where it was taken and its name.
type held struct {
	pos  token.Pos // the Lock call, in the user's file
	name string
	read bool
}

type lockState map[string]held

func (s lockState) clone() lockState {
	c := make(lockState, len(s))
	for k, v := range s {
		c[k] = v
	}
	return c
}

// merge adds the locks of t to s and reports whether s changed.
func (s lockState) merge(t lockState) bool {
	changed := false
	for k, v := range t {
		if old, ok := s[k]; !ok || v.pos < old.pos {
			s[k] = v
			changed = true
		}
	}
	return changed
}

// checkLocks reports the calls of fn that may block in C while a mutex is
// held on some path to them.
func (r *runner) checkLocks(fn *ssa.Function) {
	var k keyer
	ops := make(map[ssa.Instruction]lockOp)
	locks := false
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if op, ok := lockOpOf(&k, instr); ok {
				ops[instr] = op
				locks = locks || op.lock
			}
		}
	}
	if !locks {
		return // no need to inspect the CFG
	}

	// transfer applies the block's instructions to st; report, if set, is
	// called at each blocking call with the locks then held.
	transfer := func(b *ssa.BasicBlock, st lockState, report func(ssa.CallInstruction, lockState)) {
		for _, instr := range b.Instrs {
			if op, ok := ops[instr]; ok {
				if op.lock {
					if _, ok := st[op.key]; !ok {
						st[op.key] = held{pos: r.callPos(fn, instr.(*ssa.Call)), name: op.name, read: op.read}
					}
				} else {
					delete(st, op.key)
				}
				continue
			}
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			if callee := staticCallee(&call.Call); callee != nil && r.unlocks[callee] {
				clear(st) // it may release what we hold: stay silent
				continue
			}
			if report != nil && len(st) > 0 {
				report(call, st)
			}
		}
	}

	in := make([]lockState, len(fn.Blocks))
	in[0] = lockState{}
	work := []*ssa.BasicBlock{fn.Blocks[0]}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		out := in[b.Index].clone()
		transfer(b, out, nil)
		for _, s := range b.Succs {
			if in[s.Index] == nil {
				in[s.Index] = lockState{}
				in[s.Index].merge(out)
				work = append(work, s)
			} else if in[s.Index].merge(out) {
				work = append(work, s)
			}
		}
	}
	for _, b := range fn.Blocks {
		if in[b.Index] == nil {
			continue // unreachable
		}
		transfer(b, in[b.Index].clone(), func(call ssa.CallInstruction, st lockState) {
			cfunc, via, ok := r.callBlocks(call)
			if !ok {
				return
			}
			r.reportUnderLock(fn, call, cfunc, via, first(st))
		})
	}
}

// first returns the lock of st taken first in the source.
func first(st lockState) held {
	var h held
	for _, v := range st {
		if h.pos == token.NoPos || v.pos < h.pos || v.pos == h.pos && v.name < h.name {
			h = v
		}
	}
	return h
}

func (r *runner) reportUnderLock(fn *ssa.Function, call ssa.CallInstruction, cfunc string, via *ssa.Function, h held) {
	lockPos := h.pos
	verb, method := "locked", "Lock"
	if h.read {
		verb, method = "read-locked", "RLock"
	}
	what := r.what(cfunc, via)
	r.pass.Report(analysis.Diagnostic{
		Pos:      r.callPos(fn, call),
		Category: catUnderLock,
		Message: fmt.Sprintf("%s may block while %s is held (%s on line %d): every goroutine that needs %s waits behind a C call "+
			"that cannot be preempted or cancelled; release %s before the call",
			what, h.name, verb, r.lineOf(lockPos), h.name, h.name),
		Related: []analysis.RelatedInformation{{Pos: lockPos, Message: fmt.Sprintf("%s.%s here", h.name, method)}},
	})
}
