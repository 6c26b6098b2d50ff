package lockthread

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ssa"
)

// summarize returns fn's summary for its callers, and whether fn is a
// closure whose effect on the lock count is not one number (its callers
// then know nothing about their own balance).
func (r *runner) summarize(fn *ssa.Function, res *result) (funcFact, bool) {
	var f funcFact
	if res.gaveUp {
		return f, fn.Parent() != nil
	}
	f.Affine = res.lone
	if r.knownUnlocked(fn) {
		f.Affine = 0 // nobody calls it: it reports its own sequences
	}
	for _, p := range res.pairs {
		f.Affine &^= p.kind // reported in fn: its callers need not hear of it
	}
	if f.Affine&kAcquire != 0 {
		for _, e := range res.effects {
			if e.kinds&kRelease != 0 {
				f.Affine &^= kAcquire // released in the same function
				break
			}
		}
	}
	nets := make(map[int]bool)
	for _, x := range res.exits {
		if x.unk {
			return f, fn.Parent() != nil
		}
		nets[x.net] = true
	}
	if len(nets) > 1 {
		return f, fn.Parent() != nil
	}
	for d := range nets {
		if d != 0 && r.isHelper(fn, d, res) {
			f.Delta = int8(max(-2, min(2, d)))
			f.Unlocker = d == 1 && r.returnsUnlocker(fn)
			f.Owns = d > 0 && !f.Unlocker && allTainted(res)
		}
	}
	return f, false
}

// exitSign returns +1 if every exit of a function holds more locks than on
// entry, -1 if every exit holds fewer, and 0 otherwise or when unknown.
func exitSign(res *result) int {
	if res.gaveUp || len(res.exits) == 0 {
		return 0
	}
	pos, neg := true, true
	for _, x := range res.exits {
		if x.unk {
			return 0
		}
		pos = pos && x.net > 0
		neg = neg && x.net < 0
	}
	switch {
	case pos:
		return 1
	case neg:
		return -1
	}
	return 0
}

// allTainted reports whether every exit of a function returns locked after
// switching per-thread state on the locked thread.
func allTainted(res *result) bool {
	for _, x := range res.exits {
		if !x.taint {
			return false
		}
	}
	return len(res.exits) > 0
}

// isHelper reports whether fn, which changes its caller's lock count by d
// on every path, does so on purpose. Names do not count; what the code
// does does:
//   - a function literal: its parent, or whoever calls it, accounts for it;
//   - it returns, on every path, a function value that undoes the lock
//     (returnsUnlocker), or it leaves per-thread state switched on the
//     locked thread (a namespace entered, a context made current), which
//     its callers must not leave;
//   - it has callers in the package, and (for a lock) they pair it: see
//     demote, which withdraws the status when none does;
//   - it is unexported and nothing in the package calls it: it is dead in
//     this build (tests or other build configurations call it, and are
//     checked where they do);
//   - it is exported, nothing in the package calls it, and it does nothing
//     but lock (or unlock): an API for its importers, who are checked
//     through its fact (onlyLocks).
//
// A goroutine body, init, main.main or a test function is never a helper:
// it may exit locked for its own reasons (exemptBalance).
func (r *runner) isHelper(fn *ssa.Function, d int, res *result) bool {
	if fn.Parent() != nil {
		return true
	}
	if r.exemptBalance(fn) {
		return false
	}
	if d > 0 && (r.returnsUnlocker(fn) || allTainted(res)) {
		return true
	}
	if d > 0 && r.demoted[fn] {
		return false
	}
	if len(r.callers(fn)) > 0 {
		return true
	}
	if !isExported(fn) {
		return true
	}
	return onlyLocks(fn, res)
}

// onlyLocks reports whether every call fn makes is runtime.LockOSThread or
// runtime.UnlockOSThread:
// a function that does nothing but lock (or unlock) exists to do so for
// its caller, and has no work of its own that it could have meant to
// bracket.
func onlyLocks(fn *ssa.Function, res *result) bool {
	n := 0
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ci, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			if e := res.effects[ci]; e.delta == 0 || e.unk || e.fact {
				return false // not runtime.LockOSThread or UnlockOSThread
			}
			n++
		}
	}
	return n > 0
}

// callers returns the calls of fn from other functions of the package.
func (r *runner) callers(fn *ssa.Function) []ssa.CallInstruction {
	ri := r.refs[fn]
	if ri == nil {
		return nil
	}
	var cs []ssa.CallInstruction
	for _, ci := range ri.calls {
		if ci.Parent() != fn {
			cs = append(cs, ci)
		}
	}
	return cs
}

// demote withdraws the helper status of each function that returns locked
// and has callers in the package when none of them pairs it (pairs), and
// reports whether it withdrew any: the summaries must then be recomputed,
// and the function is reported as the one that forgets to unlock. A caller
// that pairs it on some paths and not others is reported itself.
func (r *runner) demote() bool {
	changed := false
	for _, fn := range r.funcs {
		f := r.sum[fn]
		if f.Delta <= 0 || f.Unlocker || f.Owns || fn.Parent() != nil || r.demoted[fn] {
			continue
		}
		cs := r.callers(fn)
		if len(cs) == 0 {
			continue
		}
		paired := false
		for _, ci := range cs {
			if r.pairs(ci) {
				paired = true
				break
			}
		}
		if !paired {
			r.demoted[fn] = true
			changed = true
		}
	}
	return changed
}

// pairs reports whether the caller of a returns-locked function at ci
// accounts for the lock it inherits: it unlocks after the call (no exit
// holds the call's lock, or it unlocks and some exit does not hold it), it
// returns locked itself as a helper, it may exit locked (a goroutine body,
// init, main, a test), or the analysis of the caller knows too little.
func (r *runner) pairs(ci ssa.CallInstruction) bool {
	c := ci.Parent()
	res := r.res[c]
	if res == nil || res.gaveUp || r.unk[c] || r.sum[c].Delta > 0 {
		return true
	}
	if c.Parent() == nil && r.exemptBalance(c) {
		return true
	}
	var id int32
	for i, s := range res.sites {
		if s == ci {
			id = int32(i + 1)
		}
	}
	if id == 0 {
		return true
	}
	holdsAll, holdsAny := true, false
	for _, x := range res.exits {
		if x.unk || x.taint {
			continue
		}
		h := false
		for _, s := range x.held {
			h = h || s == id
		}
		holdsAll = holdsAll && h
		holdsAny = holdsAny || h
	}
	return !holdsAny || (res.hasUnlock && !holdsAll)
}

// returnsUnlocker reports whether every return of fn hands back, in a
// result of func type, a function value that undoes the lock:
// runtime.UnlockOSThread itself, a function or literal of the package that
// unlocks its caller (or may: it calls a func value that may be
// UnlockOSThread), or the unlocker returned by another such function.
func (r *runner) returnsUnlocker(fn *ssa.Function) bool {
	found := false
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok {
			continue
		}
		if !r.retUnlocker(ret) {
			return false
		}
		found = true
	}
	return found
}

// retUnlocker reports whether a return hands back, in a result of func
// type, a function value that undoes the lock.
func (r *runner) retUnlocker(ret *ssa.Return) bool {
	if ret == nil {
		return false
	}
	for _, v := range ret.Results {
		if _, ok := v.Type().Underlying().(*types.Signature); ok && r.isUnlocker(v) {
			return true
		}
	}
	return false
}

// isUnlocker reports whether the func value v undoes a lock when called.
func (r *runner) isUnlocker(v ssa.Value) bool {
	for {
		switch x := v.(type) {
		case *ssa.ChangeType:
			v = x.X
			continue
		case *ssa.Convert:
			v = x.X
			continue
		}
		break
	}
	switch v := v.(type) {
	case *ssa.Function:
		if obj, ok := v.Object().(*types.Func); ok && isRuntimeLock(obj) < 0 {
			return true
		}
		return r.inPkg[v] && (r.sum[v].Delta < 0 || r.sign[v] < 0)
	case *ssa.MakeClosure:
		g, ok := v.Fn.(*ssa.Function)
		return ok && r.inPkg[g] && (r.sum[g].Delta < 0 || r.sign[g] < 0 || r.unk[g])
	case *ssa.Extract, *ssa.Call:
		return r.unlockerCall(v).delta < 0
	}
	return false
}

// exemptBalance reports whether fn may leave the thread locked: a
// goroutine body (the thread is terminated when it exits), an init
// function (pins main to the main thread), main.main, a test function,
// or a function literal (its parent or its unknown caller accounts for it).
func (r *runner) exemptBalance(fn *ssa.Function) bool {
	if ri := r.refs[fn]; ri != nil && ri.values > 0 && len(ri.calls) == 0 {
		return true // only passed as a value: maybe a goroutine body (errgroup.Go(s.loop))
	}
	return fn.Parent() != nil || r.knownUnlocked(fn)
}

// knownUnlocked reports whether fn starts on a goroutine that nobody can
// have locked for it.
func (r *runner) knownUnlocked(fn *ssa.Function) bool {
	if ri := r.refs[fn]; ri != nil && ri.gos > 0 && len(ri.calls) == 0 && ri.values == 0 {
		return true // a goroutine body
	}
	if fn.Parent() != nil || fn.Signature.Recv() != nil {
		return false
	}
	name := fn.Name()
	if name == "init" || strings.HasPrefix(name, "init#") {
		return true
	}
	if name == "main" && r.pass.Pkg.Name() == "main" {
		return true
	}
	if strings.HasSuffix(r.pass.Fset.Position(fn.Pos()).Filename, "_test.go") {
		for _, p := range []string{"Test", "Benchmark", "Fuzz", "Example"} {
			if strings.HasPrefix(name, p) {
				return true
			}
		}
	}
	return false
}

// isExportedToC reports whether fn has a //export directive: C calls it on
// its own thread, to which cgo locks the goroutine for the call.
func isExportedToC(fn *ssa.Function) bool {
	decl, ok := fn.Syntax().(*ast.FuncDecl)
	if !ok || decl.Doc == nil {
		return false
	}
	for _, c := range decl.Doc.List {
		if strings.HasPrefix(c.Text, "//export ") {
			return true
		}
	}
	return false
}

// entryLocked computes the functions that always run with the thread
// locked by their caller: //export functions, and unexported functions and
// literals only called in the package, at points where the thread is locked.
func (r *runner) entryLocked() map[*ssa.Function]bool {
	el := make(map[*ssa.Function]bool)
	for _, fn := range r.funcs {
		if isExportedToC(fn) {
			el[fn] = true
			continue
		}
		ri := r.refs[fn]
		if ri == nil || len(ri.calls) == 0 || ri.gos > 0 || ri.values > 0 || isExported(fn) {
			continue
		}
		el[fn] = true
	}
	// An init function that stays locked keeps main.main on the main
	// thread, locked.
	if main := r.ssa.Pkg.Func("main"); main != nil && r.pass.Pkg.Name() == "main" {
		for _, fn := range r.funcs {
			if n := fn.Name(); fn.Parent() == nil && (n == "init" || strings.HasPrefix(n, "init#")) {
				for _, x := range r.res[fn].exits {
					if x.net > 0 || x.unk {
						el[main] = true
					}
				}
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, fn := range r.funcs {
			if !el[fn] || isExportedToC(fn) || r.refs[fn] == nil {
				continue
			}
			for _, ci := range r.refs[fn].calls {
				caller := ci.Parent()
				res := r.res[caller]
				if el[caller] || (res != nil && res.callLocked[ci]) {
					continue
				}
				el[fn] = false
				changed = true
				break
			}
		}
	}
	return el
}

// report reports what the final analysis found.
func (r *runner) report() {
	el := r.entryLocked()
	for _, fn := range r.funcs {
		res := r.res[fn]
		if res == nil || res.gaveUp {
			continue
		}
		r.reportBalance(fn, res)
		if el[fn] {
			continue
		}
		if ri := r.refs[fn]; ri != nil && ri.values > 0 {
			continue // called by code we cannot see, maybe with the thread locked
		}
		r.reportAffine(fn, res)
	}
}

func (r *runner) reportBalance(fn *ssa.Function, res *result) {
	if r.exemptBalance(fn) {
		return
	}
	if f := r.sum[fn]; f.Delta != 0 {
		return // a helper: its callers account for it
	}
	for _, x := range res.exits {
		if x.unk {
			return
		}
	}
	allLocked := len(res.exits) > 0
	for _, x := range res.exits {
		allLocked = allLocked && x.net > 0 && !(x.net == 1 && r.retUnlocker(x.ret))
	}
	type lockDiag struct {
		ret   token.Pos
		extra bool // some exit leaves more than one lock
	}
	locks := make(map[int32]*lockDiag)
	unlocks := make(map[int32]token.Pos)
	var order []int32
	for _, x := range res.exits {
		rp := r.returnPos(fn, x.ret)
		switch {
		case x.net == 1 && r.retUnlocker(x.ret):
			// Returns locked with the function that unlocks (and
			// unlocks itself on its other paths): a restore closure.
		case x.net > 0 && x.unmatched != 0 && !x.taint:
			d := locks[x.unmatched]
			if d == nil {
				d = &lockDiag{ret: rp}
				locks[x.unmatched] = d
				order = append(order, x.unmatched)
			} else if rp < d.ret {
				d.ret = rp
			}
			d.extra = d.extra || x.net > 1
		case x.net < 0 && x.negAt != 0:
			if p, ok := unlocks[x.negAt]; !ok || rp < p {
				if !ok {
					order = append(order, -x.negAt)
				}
				unlocks[x.negAt] = rp
			}
		}
	}
	name := funcName(fn)
	for _, id := range order {
		if id < 0 {
			ci := res.sites[-id-1]
			rp := unlocks[-id]
			what := res.effects[ci].name
			if res.effects[ci].fact {
				what += " (which undoes its caller's lock)"
			}
			r.pass.Report(analysis.Diagnostic{
				Pos:      r.callPos(ci),
				Category: catUnlock,
				Message: fmt.Sprintf("%s in %s has no matching runtime.LockOSThread on the path returning at line %d: it undoes a lock its caller took (or nothing), so the caller's goroutine is unpinned early; lock first in %s, or remove the unlock",
					what, name, r.line(rp), name),
				Related: []analysis.RelatedInformation{{Pos: rp, Message: "returns here"}},
			})
			continue
		}
		d := locks[id]
		ci := res.sites[id-1]
		e := res.effects[ci]
		what := e.name
		if e.fact {
			what += " (which returns with the thread locked)"
		}
		var msg string
		if allLocked {
			msg = fmt.Sprintf("%s locks the OS thread with %s and returns to its caller without unlocking it: the caller's goroutine stays wired to this thread and no other goroutine can run on it; if only %s needs the thread, defer runtime.UnlockOSThread() right after locking; if its caller needs it kept (thread-attached C state), lock and unlock in the caller around the whole use",
				name, what, name)
		} else {
			msg = fmt.Sprintf("%s returns at line %d with the OS thread still locked by %s: the caller's goroutine stays wired to this thread; unlock on every path, e.g. defer runtime.UnlockOSThread() right after locking",
				name, r.line(d.ret), what)
		}
		diag := analysis.Diagnostic{
			Pos:      r.callPos(ci),
			Category: catLock,
			Message:  msg,
			Related:  []analysis.RelatedInformation{{Pos: d.ret, Message: "returns here with the thread locked"}},
		}
		// No fix for a function that returns locked on every path: that
		// may be its job (attach the thread to a JVM or a namespace and
		// keep it for the caller: jnigi 32d4c7bc's real fix moved the lock
		// to the callers), and the message gives both remedies.
		if !allLocked && !res.hasUnlock && !d.extra && !e.fact {
			if fix, ok := r.deferUnlockFix(ci); ok {
				diag.SuggestedFixes = []analysis.SuggestedFix{fix}
			}
		}
		r.pass.Report(diag)
	}
}

func (r *runner) reportAffine(fn *ssa.Function, res *result) {
	name := funcName(fn)
	// One finding per second call and kind: an error read after a switch
	// whose cases each make a different failing call is one bug, whose
	// first calls (one per path) are listed.
	type group struct {
		kind   uint8
		second int32
		firsts []int32
	}
	var groups []*group
	index := make(map[[2]int32]*group)
	for _, k := range sortedKeys(res.pairs) {
		p := res.pairs[k]
		g := index[[2]int32{p.second, int32(p.kind)}]
		if g == nil {
			g = &group{kind: p.kind, second: p.second}
			index[[2]int32{p.second, int32(p.kind)}] = g
			groups = append(groups, g)
		}
		if !slices.Contains(g.firsts, p.first) {
			g.firsts = append(g.firsts, p.first)
		}
	}
	for _, g := range groups {
		second := res.sites[g.second-1]
		e2 := res.effects[second]
		var firsts []string
		var related []analysis.RelatedInformation
		for _, id := range g.firsts {
			ci := res.sites[id-1]
			firsts = append(firsts, fmt.Sprintf("%s (line %d)", res.effects[ci].name, r.line(r.callPos(ci))))
			related = append(related, analysis.RelatedInformation{Pos: r.callPos(ci), Message: "the first call of the sequence"})
		}
		slices.SortStableFunc(related, func(a, b analysis.RelatedInformation) int { return cmp.Compare(a.Pos, b.Pos) })
		first := firsts[0]
		before := res.effects[res.sites[g.firsts[0]-1]].name
		if len(firsts) > 1 {
			first = strings.Join(firsts[:len(firsts)-1], ", ") + " or " + firsts[len(firsts)-1]
			before = "the first of them"
		}
		var msg string
		switch g.kind {
		case kErr:
			msg = fmt.Sprintf("%s reads the thread-local error state left by %s, but %s does not keep the goroutine locked to its OS thread between them: the goroutine may move to another thread and read another call's error; call runtime.LockOSThread and defer runtime.UnlockOSThread before %s",
				describe(e2, kErr), first, name, before)
		case kRelease:
			msg = fmt.Sprintf("%s uses per-thread state set by %s, but %s does not keep the goroutine locked to its OS thread between them: the two calls may run on different threads; call runtime.LockOSThread and defer runtime.UnlockOSThread before %s",
				describe(e2, kRelease), first, name, before)
		case kSwitch:
			msg = fmt.Sprintf("%s switches per-thread state again after %s, but %s does not keep the goroutine locked to its OS thread between them: the first switch may have changed another thread, and the work in between ran wherever the scheduler put it; call runtime.LockOSThread and defer runtime.UnlockOSThread before %s",
				describe(e2, kSwitch), first, name, before)
		}
		r.pass.Report(analysis.Diagnostic{
			Pos:      r.callPos(second),
			Category: catAffine,
			Message:  msg,
			Related:  related,
		})
	}
	if !r.knownUnlocked(fn) {
		return
	}
	var ids []int32
	for id := range res.loneSwitch {
		ids = append(ids, id)
	}
	sortInt32(ids)
	for _, id := range ids {
		ci := res.sites[id-1]
		paired := false
		for _, p := range res.pairs {
			if p.first == id || p.second == id {
				paired = true
			}
		}
		if paired {
			continue
		}
		r.pass.Report(analysis.Diagnostic{
			Pos:      r.callPos(ci),
			Category: catAffine,
			Message: fmt.Sprintf("%s in %s changes the per-thread state of whichever OS thread runs the goroutine, which is not locked to it: the goroutine may move away and unrelated goroutines inherit the change; call runtime.LockOSThread first (and let the goroutine exit locked if the change is not undone)",
				describe(res.effects[ci], kSwitch), name),
		})
	}
}

// describe names a callee, saying why it is thread-affine when that comes
// from a summary.
func describe(e effect, k uint8) string {
	if !e.fact {
		return e.name
	}
	switch k {
	case kErr:
		return e.name + " (which reads C error state)"
	case kRelease:
		return e.name + " (which uses per-thread state)"
	}
	return e.name + " (which switches per-thread state)"
}

func sortInt32(s []int32) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// callPos returns the position of the user's call expression for ci.
func (r *runner) callPos(ci ssa.CallInstruction) token.Pos {
	if c := r.idx.CallOf(ci); c != nil {
		return c.Pos()
	}
	if ce := r.callExprAt(ci.Common().Pos()); ce != nil {
		return ce.Pos()
	}
	return ci.Pos()
}

// callExprAt returns the call expression whose Lparen is at pos.
func (r *runner) callExprAt(pos token.Pos) *ast.CallExpr {
	return r.idx.CallExpr(pos)
}

// returnPos returns the position of a return, or of the closing brace for
// the implicit return at the end of a function.
func (r *runner) returnPos(fn *ssa.Function, ret *ssa.Return) token.Pos {
	if ret != nil && ret.Pos().IsValid() {
		return ret.Pos()
	}
	if syn := fn.Syntax(); syn != nil {
		return syn.End() - 1
	}
	return fn.Pos()
}

func (r *runner) line(pos token.Pos) int { return r.pass.Fset.Position(pos).Line }

// deferUnlockFix returns the edit inserting `defer runtime.UnlockOSThread()`
// after the statement `runtime.LockOSThread()` of ci.
func (r *runner) deferUnlockFix(ci ssa.CallInstruction) (analysis.SuggestedFix, bool) {
	call, ok := ci.(*ssa.Call)
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	ce := r.callExprAt(call.Common().Pos())
	if ce == nil {
		return analysis.SuggestedFix{}, false
	}
	sel, ok := ce.Fun.(*ast.SelectorExpr)
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	pkgIdent, ok := sel.X.(*ast.Ident)
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	if pn, ok := r.pass.TypesInfo.Uses[pkgIdent].(*types.PkgName); !ok || pn.Imported().Path() != "runtime" {
		return analysis.SuggestedFix{}, false
	}
	var file *ast.File
	for _, f := range r.pass.Files {
		if f.FileStart <= ce.Pos() && ce.Pos() < f.FileEnd {
			file = f
		}
	}
	if file == nil {
		return analysis.SuggestedFix{}, false
	}
	path, _ := astutil.PathEnclosingInterval(file, ce.Pos(), ce.End())
	if len(path) < 3 {
		return analysis.SuggestedFix{}, false
	}
	stmt, ok := path[1].(*ast.ExprStmt)
	if !ok || path[0] != ast.Node(ce) {
		return analysis.SuggestedFix{}, false
	}
	if _, ok := path[2].(*ast.BlockStmt); !ok {
		return analysis.SuggestedFix{}, false
	}
	start, end := r.idx.UserPos(stmt.Pos()), r.idx.UserPos(stmt.End())
	src, tf, ok := r.idx.UserSource(start)
	if !ok || int(end) < tf.Base() || int(end) > tf.Base()+tf.Size() {
		return analysis.SuggestedFix{}, false
	}
	off := tf.Offset(start)
	lineStart := tf.Offset(tf.LineStart(tf.Line(start)))
	indent := string(src[lineStart:off])
	if strings.TrimLeft(indent, " \t") != "" {
		return analysis.SuggestedFix{}, false // not alone on its line
	}
	if !strings.HasPrefix(string(src[off:]), pkgIdent.Name+"."+sel.Sel.Name) {
		return analysis.SuggestedFix{}, false // the user's text is not what we think
	}
	// Insert at the end of the line, after any trailing comment.
	eol := tf.Offset(end)
	for eol < len(src) && src[eol] != '\n' {
		eol++
	}
	rest := strings.TrimSpace(string(src[tf.Offset(end):eol]))
	if rest != "" && !strings.HasPrefix(rest, "//") {
		return analysis.SuggestedFix{}, false // more code on the line
	}
	at := tf.Pos(eol)
	text := "\n" + indent + "defer " + pkgIdent.Name + ".UnlockOSThread()"
	return analysis.SuggestedFix{
		Message:   "Add defer " + pkgIdent.Name + ".UnlockOSThread()",
		TextEdits: []analysis.TextEdit{{Pos: at, End: at, NewText: []byte(text)}},
	}, true
}
