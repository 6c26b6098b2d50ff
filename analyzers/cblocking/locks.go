package cblocking

import (
	"fmt"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/internal/ssaflow"
)

// This file finds blocking C calls made while a sync.Mutex or sync.RWMutex
// is held. It is a forward may-analysis over each function's control-flow
// graph: the state is the set of locks held on some path, each named by the
// access path of the mutex (a global, or a field path from a parameter or a
// local, through loads), so that s.mu.Lock() and a later s.mu.Unlock()
// match although they are different SSA values. A deferred Unlock releases
// nothing until the function returns, so calls after `mu.Lock(); defer
// mu.Unlock()` are made with mu held. A function of the package that
// returns with a lock of its parameter or a global held (`func (s *S)
// lock() { s.mu.Lock() }`) is a lock helper: a call of it takes that lock.

// A mutex is reached from a root value (a global, a parameter, a local, a
// free variable) by steps: field selections and loads.
type mutexPath struct {
	root   ssa.Value
	steps  string // ".3*.1": field indices and loads
	suffix string // ".conn.mu": the field names, for messages
}

// pathOf returns the access path of the mutex pointer v. Values that SSA
// computes afresh for each access (field addresses, loads) are named by
// what they are computed from.
func pathOf(v ssa.Value) mutexPath {
	switch v := v.(type) {
	case *ssa.FieldAddr:
		p := pathOf(v.X)
		p.steps += "." + strconv.Itoa(v.Field)
		name, ok := ssaflow.FieldName(v)
		if !ok {
			name = "?" // not a name: the message says "the mutex"
		}
		p.suffix += "." + name
		return p
	case *ssa.UnOp:
		if v.Op == token.MUL {
			p := pathOf(v.X)
			p.steps += "*"
			return p
		}
	case *ssa.IndexAddr:
		// SSA names are unique within a function: s[i] and a later s[i]
		// index with the same value i.
		p := pathOf(v.X)
		p.steps += "[" + v.Index.Name() + "]"
		if c, ok := v.Index.(*ssa.Const); ok {
			p.suffix += "[" + c.Value.ExactString() + "]"
		} else {
			p.suffix += "[...]"
		}
		return p
	case *ssa.ChangeType:
		return pathOf(v.X)
	}
	return mutexPath{root: v}
}

// rootName names the root of a mutex path as the user wrote it, or "".
func rootName(v ssa.Value) string {
	switch v := v.(type) {
	case *ssa.Global:
		return v.Name()
	case *ssa.Alloc:
		return v.Comment
	case *ssa.Parameter:
		return v.Name()
	case *ssa.FreeVar:
		return v.Name()
	}
	return ""
}

// name returns the mutex as the user would write it: "s.mu".
func (p mutexPath) name() string {
	root := rootName(p.root)
	if root == "" || strings.Contains(p.suffix, "?") {
		return "the mutex"
	}
	return root + p.suffix
}

// keyer gives keys to mutex paths within one function.
type keyer struct {
	ids map[ssa.Value]int
}

// key returns the key of a mutex path: globals by name, other roots by
// identity.
func (k *keyer) key(p mutexPath, read bool) string {
	var root string
	if g, ok := p.root.(*ssa.Global); ok {
		root = "g:" + g.Pkg.Pkg.Path() + "." + g.Name()
	} else {
		if k.ids == nil {
			k.ids = make(map[ssa.Value]int)
		}
		id, ok := k.ids[p.root]
		if !ok {
			id = len(k.ids)
			k.ids[p.root] = id
		}
		root = "v" + strconv.Itoa(id)
	}
	if read {
		return root + p.steps + "|r"
	}
	return root + p.steps + "|w"
}

// lockOp is a call of Lock, RLock, Unlock or RUnlock on a mutex.
type lockOp struct {
	path mutexPath
	lock bool // Lock or RLock, as opposed to Unlock or RUnlock
	read bool // RLock or RUnlock
}

// lockOpOf returns the lock operation that the call is, if it calls a
// sync.Mutex or sync.RWMutex method, or Lock or Unlock through an
// interface value that is a sync.Locker (a sync.Cond's L, a Locker
// parameter or field): the interface value is then the lock, named by its
// access path like a mutex.
func lockOpOf(common *ssa.CallCommon) (lockOp, bool) {
	if common.IsInvoke() {
		name := common.Method.Name()
		if (name != "Lock" && name != "Unlock") || !isLocker(common.Value.Type()) {
			return lockOp{}, false
		}
		return lockOp{path: pathOf(common.Value), lock: name == "Lock"}, true
	}
	fn := common.StaticCallee()
	switch ssaflow.MethodKey(fn) {
	case "sync.Mutex.Lock", "sync.Mutex.Unlock", "sync.RWMutex.Lock", "sync.RWMutex.RLock", "sync.RWMutex.Unlock", "sync.RWMutex.RUnlock":
	default:
		return lockOp{}, false
	}
	if len(common.Args) == 0 {
		return lockOp{}, false
	}
	return lockOp{
		path: pathOf(common.Args[0]),
		lock: fn.Name() == "Lock" || fn.Name() == "RLock",
		read: fn.Name() == "RLock" || fn.Name() == "RUnlock",
	}, true
}

// lockerIface is the method set of sync.Locker: Lock() and Unlock().
var lockerIface = func() *types.Interface {
	sig := types.NewSignatureType(nil, nil, nil, nil, nil, false)
	it := types.NewInterfaceType([]*types.Func{
		types.NewFunc(token.NoPos, nil, "Lock", sig),
		types.NewFunc(token.NoPos, nil, "Unlock", sig),
	}, nil)
	it.Complete()
	return it
}()

// isLocker reports whether t is an interface type whose values are locks:
// it has sync.Locker's methods (sync.Locker itself, or an interface that
// embeds it or declares the same two methods).
func isLocker(t types.Type) bool {
	if _, ok := t.Underlying().(*types.Interface); !ok {
		return false
	}
	return types.Implements(t, lockerIface)
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
			ci, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			if _, isGo := ci.(*ssa.Go); isGo {
				continue
			}
			if op, ok := lockOpOf(ci.Common()); ok {
				key := k.key(op.path, op.read)
				if !op.lock {
					unlocked = append(unlocked, key)
				} else if _, isCall := ci.(*ssa.Call); isCall {
					locked[key] = true
				}
				continue
			}
			if callee := ssaflow.Callee(ci.Common()); callee != nil && callee != fn && r.unlocks[callee] {
				return true
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

// heldLock is a lock held at some point: where it was taken and its name.
type heldLock struct {
	pos  token.Pos // the Lock call (or the helper's call), in the user's file
	path mutexPath
	read bool
}

type lockState map[string]heldLock

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

// helperLock is a lock that a function of the package leaves held when it
// returns, reached from one of its parameters or a global.
type helperLock struct {
	param  int // the parameter the mutex is reached from, or -1 for a global
	global *ssa.Global
	steps  string // from the parameter
	suffix string
	read   bool
}

func (h helperLock) String() string {
	return fmt.Sprintf("%d %p %s %v", h.param, h.global, h.steps, h.read)
}

// summarizeHelpers finds the lock helpers of the package, to a fixpoint.
func (r *runner) summarizeHelpers() {
	for range 4 { // helpers of helpers, a few levels deep
		changed := false
		for _, fn := range r.ssa.SrcFuncs {
			hs := r.exitLocks(fn)
			if !slices.Equal(hs, r.helpers[fn]) {
				r.helpers[fn] = hs
				changed = true
			}
		}
		if !changed {
			return
		}
	}
}

// exitLocks returns the locks of fn's parameters or globals that fn may
// leave held when it returns.
func (r *runner) exitLocks(fn *ssa.Function) []helperLock {
	var k keyer
	in, deferred := r.lockFlow(fn, &k, nil)
	if in == nil {
		return nil
	}
	exit := lockState{}
	for _, b := range fn.Blocks {
		if in[b.Index] == nil || len(b.Instrs) == 0 {
			continue
		}
		if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); !ok {
			continue
		}
		out := in[b.Index].clone()
		r.transfer(fn, &k, b, out, nil)
		exit.merge(out)
	}
	var hs []helperLock
	for key, h := range exit {
		if deferred[key] {
			continue // released by a deferred Unlock
		}
		hl := helperLock{param: -1, steps: h.path.steps, suffix: h.path.suffix, read: h.read}
		switch root := h.path.root.(type) {
		case *ssa.Global:
			hl.global = root
		case *ssa.Parameter:
			hl.param = slices.Index(fn.Params, root)
			if hl.param < 0 {
				continue
			}
		default:
			continue
		}
		hs = append(hs, hl)
	}
	slices.SortFunc(hs, func(a, b helperLock) int { return strings.Compare(a.String(), b.String()) })
	return hs
}

// lockFlow runs the may-held analysis over fn. It returns the locks held
// on entry to each block (nil for unreachable blocks, and nil altogether
// when fn takes no lock), and the keys of the mutexes fn unlocks in a
// deferred call. report, if set, is called once per blocking call of a
// reachable block with the locks then held.
func (r *runner) lockFlow(fn *ssa.Function, k *keyer, report func(*ssa.Call, lockState)) ([]lockState, map[string]bool) {
	locks := false
	deferred := make(map[string]bool)
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.Call:
				if op, ok := lockOpOf(&instr.Call); ok && op.lock {
					locks = true
				} else if callee := ssaflow.Callee(&instr.Call); callee != nil && len(r.helpers[callee]) > 0 {
					locks = true
				}
			case *ssa.Defer:
				if op, ok := lockOpOf(&instr.Call); ok && !op.lock {
					deferred[k.key(op.path, op.read)] = true
				}
			}
		}
	}
	if !locks || len(fn.Blocks) == 0 {
		return nil, nil // no need to inspect the CFG
	}
	in := make([]lockState, len(fn.Blocks))
	in[0] = lockState{}
	work := []*ssa.BasicBlock{fn.Blocks[0]}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		out := in[b.Index].clone()
		r.transfer(fn, k, b, out, nil)
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
	if report != nil {
		for _, b := range fn.Blocks {
			if in[b.Index] != nil {
				r.transfer(fn, k, b, in[b.Index].clone(), report)
			}
		}
	}
	return in, deferred
}

// transfer applies the instructions of block b to st; report, if set, is
// called at each call made with a lock held.
func (r *runner) transfer(fn *ssa.Function, k *keyer, b *ssa.BasicBlock, st lockState, report func(*ssa.Call, lockState)) {
	for _, instr := range b.Instrs {
		call, ok := instr.(*ssa.Call)
		if !ok {
			continue
		}
		if op, ok := lockOpOf(&call.Call); ok {
			key := k.key(op.path, op.read)
			if !op.lock {
				if _, ok := st[key]; ok {
					delete(st, key)
				} else {
					clear(st) // we cannot tell what it unlocks: stay silent
				}
			} else if _, ok := st[key]; !ok {
				st[key] = heldLock{pos: r.callPos(fn, call), path: op.path, read: op.read}
			}
			continue
		}
		if r.mayRelease(&call.Call) {
			clear(st) // it may release what we hold: stay silent
			continue
		}
		if callee := ssaflow.Callee(&call.Call); callee != nil {
			if hs := r.helpers[callee]; len(hs) > 0 {
				r.takeHelperLocks(fn, k, call, hs, st)
				continue
			}
		}
		if report != nil && len(st) > 0 {
			report(call, st)
		}
	}
}

// takeHelperLocks adds to st the locks that a call of a lock helper takes.
func (r *runner) takeHelperLocks(fn *ssa.Function, k *keyer, call *ssa.Call, hs []helperLock, st lockState) {
	for _, h := range hs {
		var p mutexPath
		if h.global != nil {
			p = mutexPath{root: h.global, steps: h.steps, suffix: h.suffix}
		} else {
			if h.param >= len(call.Call.Args) {
				continue
			}
			p = pathOf(call.Call.Args[h.param])
			p.steps += h.steps
			p.suffix += h.suffix
		}
		key := k.key(p, h.read)
		if _, ok := st[key]; !ok {
			st[key] = heldLock{pos: r.callPos(fn, call), path: p, read: h.read}
		}
	}
}

// mayRelease reports whether a call (other than a tracked Unlock) may
// release a lock the caller holds: a function of the package that may, an
// Unlock through the sync.Locker interface, or a method value of Unlock.
func (r *runner) mayRelease(common *ssa.CallCommon) bool {
	switch methodName(common) {
	case "Unlock", "RUnlock":
		return true
	}
	if callee := ssaflow.Callee(common); callee != nil {
		if r.unlocks[callee] {
			return true
		}
		if obj, ok := callee.Object().(*types.Func); ok && obj.Pkg() != nil && obj.Pkg().Path() == "sync" {
			switch obj.Name() {
			case "Unlock", "RUnlock":
				return true
			}
		}
	}
	return false
}

// checkLocks reports the calls of fn that may block in C while a mutex is
// held on some path to them.
func (r *runner) checkLocks(fn *ssa.Function) {
	var k keyer
	r.lockFlow(fn, &k, func(call *ssa.Call, st lockState) {
		cfunc, via, ok := r.callBlocks(call)
		if !ok {
			return
		}
		r.reportUnderLock(fn, call, cfunc, via, first(st))
	})
}

// first returns the lock of st taken first in the source.
func first(st lockState) heldLock {
	var h heldLock
	for _, v := range st {
		if h.pos == token.NoPos || v.pos < h.pos || v.pos == h.pos && v.path.name() < h.path.name() {
			h = v
		}
	}
	return h
}

func (r *runner) reportUnderLock(fn *ssa.Function, call *ssa.Call, cfunc string, via *ssa.Function, h heldLock) {
	verb := "locked"
	if h.read {
		verb = "read-locked"
	}
	name := h.path.name()
	r.pass.Report(analysis.Diagnostic{
		Pos:      r.callPos(fn, call),
		Category: catUnderLock,
		Message: fmt.Sprintf("%s while %s is held (%s on line %d): every goroutine that needs %s waits behind a C call "+
			"that cannot be preempted or cancelled; release %s before the call",
			r.mayBlock(cfunc, via), name, verb, r.lineOf(h.pos), name, name),
		Related: []analysis.RelatedInformation{{Pos: h.pos, Message: name + " " + verb + " here"}},
	})
}
