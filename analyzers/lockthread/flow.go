package lockthread

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/internal/ssaflow"
	"github.com/cgolint/cgolint/passes/cindex"
)

// runner holds the state of one pass.
type runner struct {
	pass *analysis.Pass
	idx  *cindex.Index
	ssa  *cindex.SSA

	funcs []*ssa.Function
	inPkg map[*ssa.Function]bool
	refs  map[*ssa.Function]*refInfo
	sum   map[*ssa.Function]funcFact // in-package summaries, as facts
	unk   map[*ssa.Function]bool     // inline closures whose lock effect is not one number
	res   map[*ssa.Function]*result

	demoted   map[*ssa.Function]bool // returns-locked functions that no caller pairs (see demote)
	sign      map[*ssa.Function]int  // +1 (-1): every exit holds more (fewer) locks than on entry
	unlockVal map[*ssa.Function]bool // top-level functions that hold runtime.UnlockOSThread as a value
	sysnums   map[int64]bool         // syscall numbers of setns and unshare
}

// effect is what a call does, as far as this check cares.
type effect struct {
	delta int8   // change of the lock count
	unk   bool   // the change is not known
	kinds uint8  // thread-affine events
	src   bool   // a C call, which may leave thread-local error state
	owns  bool   // leaves per-thread state on the thread (a switch, an owning helper)
	name  string // the callee, for messages
	fact  bool   // the kinds come from a summary of a Go function
}

func (e effect) zero() bool { return e.delta == 0 && !e.unk && e.kinds == 0 && !e.src && !e.owns }

// result is what the flow analysis of one function found.
type result struct {
	gaveUp     bool
	exits      []exit
	hasUnlock  bool
	pairs      map[diagKey]pair
	lone       uint8          // affine kinds done at lock count 0, unpaired
	loneSwitch map[int32]bool // sites of unpaired switches at lock count 0
	callLocked map[ssa.CallInstruction]bool
	sites      []ssa.CallInstruction
	effects    map[ssa.CallInstruction]effect
}

type exit struct {
	ret       *ssa.Return
	net       int
	held      [maxDepth]int32 // the lock sites still held, bottom-most first
	unmatched int32           // bottom-most lock site still held (net > 0)
	negAt     int32           // an unlock below the entry count (net < 0)
	taint     bool
	unk       bool
}

type pair struct {
	first, second int32
	kind          uint8
}

type diagKey struct {
	cat     string
	at, rel token.Pos
}

const (
	maxDepth  = 4
	maxStates = 4096
	maxConds  = 4
)

// state is the abstract state on one path. It is comparable, so a set of
// states per block bounds the exploration of loops.
type state struct {
	stack [maxDepth]int32
	depth int8
	neg   int8
	negAt int32
	dfr   int8 // net deferred change of the lock count
	dfrAt int32
	taint bool // per-thread state was switched while locked
	unk   bool

	src, acq, sw    int32 // last C call, acquire, switch (site ids, 0 = none)
	srcX, acqX, swX bool  // the goroutine may have changed threads since
	dRel            int32 // a deferred release

	conds [maxConds]cond
}

type cond struct {
	k   condKey
	val bool
}

// condKey identifies a branch condition up to the shape of its source, so
// that `if x != nil` and a later `if x != nil` (two SSA comparisons), or
// two loads of the same field, are known to agree on a path.
type condKey struct {
	op   token.Token
	a, b atom
}

type atom struct {
	v     ssa.Value
	field int    // 1+field index for a load of v.field, -1 for a load of global v
	c     string // a constant's exact value (v is nil)
}

func atomOf(v ssa.Value) atom {
	switch v := v.(type) {
	case *ssa.Const:
		if v.Value == nil {
			return atom{c: "nil:" + v.Type().String()}
		}
		return atom{c: v.Value.ExactString()}
	case *ssa.UnOp:
		if v.Op == token.MUL {
			switch x := v.X.(type) {
			case *ssa.FieldAddr:
				return atom{v: x.X, field: 1 + x.Field}
			case *ssa.Global:
				return atom{v: x, field: -1}
			}
		}
	}
	return atom{v: v}
}

// keyOf returns the key of a condition, and whether the condition is its
// negation.
func keyOf(v ssa.Value) (condKey, bool) {
	switch v := v.(type) {
	case *ssa.UnOp:
		if v.Op == token.NOT {
			k, neg := keyOf(v.X)
			return k, !neg
		}
	case *ssa.BinOp:
		switch v.Op {
		case token.EQL:
			return condKey{op: token.EQL, a: atomOf(v.X), b: atomOf(v.Y)}, false
		case token.NEQ:
			return condKey{op: token.EQL, a: atomOf(v.X), b: atomOf(v.Y)}, true
		case token.LSS, token.GTR, token.LEQ, token.GEQ:
			return condKey{op: v.Op, a: atomOf(v.X), b: atomOf(v.Y)}, false
		}
	}
	return condKey{a: atomOf(v)}, false
}

// analyze computes summaries to a fixed point, then reports.
func (r *runner) analyze() {
	r.funcs = r.ssa.SrcFuncs
	r.inPkg = make(map[*ssa.Function]bool, len(r.funcs))
	for _, fn := range r.funcs {
		r.inPkg[fn] = true
	}
	r.sysnums = make(map[int64]bool)
	for _, imp := range r.pass.Pkg.Imports() {
		if p := imp.Path(); p != "syscall" && p != "golang.org/x/sys/unix" {
			continue
		}
		for _, name := range []string{"SYS_SETNS", "SYS_UNSHARE"} {
			if c, ok := imp.Scope().Lookup(name).(*types.Const); ok {
				if v, ok := constant.Int64Val(c.Val()); ok {
					r.sysnums[v] = true
				}
			}
		}
	}
	r.collectRefs()

	r.sum = make(map[*ssa.Function]funcFact)
	r.unk = make(map[*ssa.Function]bool)
	r.sign = make(map[*ssa.Function]int)
	r.demoted = make(map[*ssa.Function]bool)
	for round := 0; round < 4; round++ {
		r.fixpoint()
		if !r.demote() {
			break
		}
	}
	for _, fn := range r.funcs {
		if f, ok := r.sum[fn]; ok {
			if obj, ok := fn.Object().(*types.Func); ok && fn.Parent() == nil && fn.Origin() == nil {
				r.pass.ExportObjectFact(obj, &f)
			}
		}
	}
	r.report()
}

// fixpoint computes the summaries of the package's functions to a fixed
// point (a few rounds: helpers of helpers).
func (r *runner) fixpoint() {
	for iter := 0; iter < 6; iter++ {
		r.res = make(map[*ssa.Function]*result)
		changed := false
		for _, fn := range r.funcs {
			res := r.analyzeFunc(fn)
			r.res[fn] = res
			r.sign[fn] = exitSign(res)
			f, unk := r.summarize(fn, res)
			if f != r.sum[fn] || unk != r.unk[fn] {
				changed = true
				if f == (funcFact{}) {
					delete(r.sum, fn)
				} else {
					r.sum[fn] = f
				}
				if unk {
					r.unk[fn] = true
				} else {
					delete(r.unk, fn)
				}
			}
		}
		if !changed {
			break
		}
	}
}

// collectRefs records how each function of the package is used.
func (r *runner) collectRefs() {
	r.refs = make(map[*ssa.Function]*refInfo)
	r.unlockVal = make(map[*ssa.Function]bool)
	ref := func(fn *ssa.Function) *refInfo {
		ri := r.refs[fn]
		if ri == nil {
			ri = new(refInfo)
			r.refs[fn] = ri
		}
		return ri
	}
	target := func(v ssa.Value) *ssa.Function {
		switch v := v.(type) {
		case *ssa.Function:
			if r.inPkg[v] {
				return v
			}
		case *ssa.MakeClosure:
			fn, ok := v.Fn.(*ssa.Function)
			if !ok {
				return nil
			}
			if r.inPkg[fn] {
				return fn
			}
			// A method value x.M is a closure over a synthetic wrapper.
			if obj, ok := fn.Object().(*types.Func); ok && fn.Synthetic != "" && obj.Pkg() == r.pass.Pkg {
				if m := fn.Prog.FuncValue(obj); m != nil && r.inPkg[m] {
					return m
				}
			}
		}
		return nil
	}
	for _, fn := range r.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				callee := ssa.Value(nil)
				if ci, ok := instr.(ssa.CallInstruction); ok && !ci.Common().IsInvoke() {
					callee = ci.Common().Value
					if t := target(callee); t != nil {
						if _, isGo := ci.(*ssa.Go); isGo {
							ref(t).gos++
						} else {
							ref(t).calls = append(ref(t).calls, ci)
						}
					}
				}
				if _, ok := instr.(*ssa.MakeClosure); ok {
					continue // counted where the closure is used
				}
				var ops [8]*ssa.Value
				for _, op := range instr.Operands(ops[:0]) {
					if op == nil || *op == nil || *op == callee {
						continue
					}
					if t := target(*op); t != nil {
						ref(t).values++
					}
					if f, ok := (*op).(*ssa.Function); ok {
						if obj, ok := f.Object().(*types.Func); ok && isRuntimeLock(obj) < 0 {
							r.unlockVal[ssaflow.Outermost(fn)] = true
						}
					}
				}
			}
		}
	}
}

// analyzeFunc runs the path-sensitive flow analysis over fn's CFG.
func (r *runner) analyzeFunc(fn *ssa.Function) *result {
	res := &result{effects: make(map[ssa.CallInstruction]effect)}
	ids := make(map[ssa.CallInstruction]int32)
	var track uint8
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ci, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			if _, isGo := ci.(*ssa.Go); isGo {
				continue
			}
			e := r.effectOf(ci)
			if r.inPkg[ssaflow.Callee(ci.Common())] {
				res.sites = append(res.sites, ci)
				ids[ci] = int32(len(res.sites))
			}
			if e.zero() {
				continue
			}
			if _, ok := ids[ci]; !ok {
				res.sites = append(res.sites, ci)
				ids[ci] = int32(len(res.sites))
			}
			res.effects[ci] = e
			track |= e.kinds
			if e.delta < 0 || e.unk {
				res.hasUnlock = true
			}
		}
	}
	if len(res.effects) == 0 && len(res.sites) == 0 {
		return res
	}
	if fn.Blocks == nil {
		return res
	}
	fa := &flow{r: r, fn: fn, res: res, ids: ids, track: track}
	fa.run()
	if res.gaveUp && track != 0 {
		// Retry for the lock balance alone.
		res2 := &result{effects: res.effects, sites: res.sites, hasUnlock: res.hasUnlock}
		fa = &flow{r: r, fn: fn, res: res2, ids: ids}
		fa.run()
		res = res2
	}
	return res
}

// flow is one run of the analysis over one function.
type flow struct {
	r     *runner
	fn    *ssa.Function
	res   *result
	ids   map[ssa.CallInstruction]int32
	track uint8
	seen  []map[state]bool
	n     int

	condKeys map[condKey]int // how many branches test each condition
}

type item struct {
	b  *ssa.BasicBlock
	st state
}

func (f *flow) run() {
	f.res.pairs = make(map[diagKey]pair)
	f.res.loneSwitch = make(map[int32]bool)
	f.res.callLocked = make(map[ssa.CallInstruction]bool)
	f.res.exits = nil
	f.res.lone = 0
	f.seen = make([]map[state]bool, len(f.fn.Blocks))
	f.condKeys = make(map[condKey]int)
	for _, b := range f.fn.Blocks {
		if i, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); ok {
			k, _ := keyOf(i.Cond)
			f.condKeys[k]++
		}
	}
	work := []item{{f.fn.Blocks[0], state{}}}
	for len(work) > 0 && !f.res.gaveUp {
		it := work[len(work)-1]
		work = work[:len(work)-1]
		if f.seen[it.b.Index] == nil {
			f.seen[it.b.Index] = make(map[state]bool)
		}
		if f.seen[it.b.Index][it.st] {
			continue
		}
		f.seen[it.b.Index][it.st] = true
		if f.n++; f.n > maxStates {
			f.res.gaveUp = true
			break
		}
		work = f.block(it.b, it.st, work)
	}
}

// block runs st through b and appends the successors' states to work.
func (f *flow) block(b *ssa.BasicBlock, st state, work []item) []item {
	for _, instr := range b.Instrs {
		switch instr := instr.(type) {
		case *ssa.Defer:
			e, ok := f.res.effects[instr]
			if !ok {
				continue
			}
			st.unk = st.unk || e.unk
			st.dfr += e.delta
			if st.dfr < -maxDepth || st.dfr > maxDepth {
				f.res.gaveUp = true
				return work
			}
			if e.delta < 0 && st.dfrAt == 0 {
				st.dfrAt = f.ids[instr]
			}
			if e.kinds&kRelease != 0 {
				st.dRel = f.ids[instr]
			}
		case *ssa.Call:
			if f.r.inPkg[ssaflow.Callee(instr.Common())] {
				locked, seen := f.res.callLocked[instr]
				f.res.callLocked[instr] = (locked || !seen) && st.depth > 0
			}
			e, ok := f.res.effects[instr]
			if !ok {
				continue
			}
			if !f.call(&st, f.ids[instr], e) {
				return work
			}
		case *ssa.Return:
			f.exit(st, instr)
			return work
		case *ssa.Panic:
			return work // a panicking path does not return to the caller
		case *ssa.If:
			v, known := f.condValue(&st, instr.Cond)
			if known {
				succ := b.Succs[1]
				if v {
					succ = b.Succs[0]
				}
				return append(work, item{succ, st})
			}
			if k, neg := keyOf(instr.Cond); f.condKeys[k] > 1 {
				for i, val := range []bool{true, false} {
					st2 := st
					st2.addCond(k, val != neg)
					work = append(work, item{b.Succs[i], st2})
				}
				return work
			}
		}
	}
	for _, s := range b.Succs {
		work = append(work, item{s, st})
	}
	return work
}

// condValue returns the value of a branch condition if the path knows it.
func (f *flow) condValue(st *state, v ssa.Value) (val, known bool) {
	if c, ok := v.(*ssa.Const); ok && c.Value != nil && c.Value.Kind() == constant.Bool {
		return constant.BoolVal(c.Value), true
	}
	k, neg := keyOf(v)
	for _, c := range st.conds {
		if c.k == k && (c.k.a.v != nil || c.k.a.c != "") {
			return c.val != neg, true
		}
	}
	return false, false
}

func (st *state) addCond(k condKey, val bool) {
	for i := range st.conds {
		if st.conds[i].k == (condKey{}) {
			st.conds[i] = cond{k, val}
			return
		}
	}
}

// call applies an ordinary call's effect; it reports false if the analysis
// gave up.
func (f *flow) call(st *state, id int32, e effect) bool {
	if f.track != 0 {
		f.affine(st, id, e)
	}
	st.unk = st.unk || e.unk
	for i := int8(0); i < e.delta; i++ {
		if st.depth == maxDepth {
			f.res.gaveUp = true
			return false
		}
		st.stack[st.depth] = id
		st.depth++
	}
	if e.owns && st.depth > 0 {
		st.taint = true
	}
	for i := int8(0); i > e.delta; i-- {
		if st.depth > 0 {
			st.depth--
			st.stack[st.depth] = 0
			if st.depth == 0 {
				st.srcX, st.acqX, st.swX = true, true, true
			}
		} else {
			if st.neg++; st.neg > maxDepth {
				f.res.gaveUp = true
				return false
			}
			if st.negAt == 0 {
				st.negAt = id
			}
		}
	}
	return true
}

// affine applies a call's thread-affine events: a pair whose two ends may
// run on different threads is recorded, an unpaired event at lock count 0
// goes into the function's summary.
func (f *flow) affine(st *state, id int32, e effect) {
	if e.kinds&kErr != 0 && f.track&kErr != 0 {
		if st.src != 0 && st.src != id {
			if st.srcX || st.depth == 0 {
				f.res.pairs[f.key(kErr, st.src, id)] = pair{st.src, id, kErr}
			}
		} else if st.depth == 0 {
			f.res.lone |= kErr
		}
	}
	if e.kinds&kRelease != 0 {
		prev, exposed := st.acq, st.acqX
		if prev == 0 {
			prev, exposed = st.sw, st.swX
		}
		if prev != 0 {
			if exposed || st.depth == 0 {
				f.res.pairs[f.key(kRelease, prev, id)] = pair{prev, id, kRelease}
			}
		} else if st.depth == 0 {
			f.res.lone |= kRelease
		}
	}
	if e.kinds&kSwitch != 0 {
		if st.sw != 0 {
			if st.swX || st.depth == 0 {
				f.res.pairs[f.key(kSwitch, st.sw, id)] = pair{st.sw, id, kSwitch}
			}
		} else if st.depth == 0 {
			f.res.lone |= kSwitch
			f.res.loneSwitch[id] = true
		}
		st.sw, st.swX = id, st.depth == 0
	}
	if e.kinds&kAcquire != 0 {
		st.acq, st.acqX = id, st.depth == 0
		if st.depth == 0 {
			f.res.lone |= kAcquire
		}
	}
	if e.src && f.track&kErr != 0 {
		st.src, st.srcX = id, st.depth == 0
	}
}

// exit records the state at a return.
func (f *flow) exit(st state, ret *ssa.Return) {
	if st.dRel != 0 && f.track != 0 {
		f.affine(&st, st.dRel, effect{kinds: kRelease})
	}
	x := exit{ret: ret, taint: st.taint, unk: st.unk, negAt: st.negAt}
	depth := int(st.depth)
	if st.dfr < 0 {
		pop := min(depth, int(-st.dfr))
		depth -= pop
		if int(-st.dfr) > pop && x.negAt == 0 {
			x.negAt = st.dfrAt
		}
	}
	x.net = int(st.depth) - int(st.neg) + int(st.dfr)
	if depth > 0 {
		x.unmatched = st.stack[0]
		copy(x.held[:depth], st.stack[:depth])
	}
	f.res.exits = append(f.res.exits, x)
}

func (f *flow) key(kind uint8, first, second int32) diagKey {
	return diagKey{cat: string(rune('0' + kind)), at: token.Pos(second), rel: token.Pos(first)}
}
