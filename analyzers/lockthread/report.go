package lockthread

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
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
		if d != 0 && r.isHelper(fn, d) {
			f.Delta = int8(max(-2, min(2, d)))
			f.Unlocker = d == 1 && hasFuncResult(fn.Signature)
		}
	}
	return f, false
}

// hasFuncResult reports whether a signature has a result of func type.
func hasFuncResult(sig *types.Signature) bool {
	for v := range sig.Results().Variables() {
		if _, ok := v.Type().Underlying().(*types.Signature); ok {
			return true
		}
	}
	return false
}

// isHelper reports whether fn, which changes its caller's lock count by d
// on every path, does so on purpose: it is named for it, or its callers in
// the package rely on it.
func (r *runner) isHelper(fn *ssa.Function, d int) bool {
	if r.exemptBalance(fn) && fn.Parent() == nil {
		return false
	}
	if fn.Parent() != nil {
		return true
	}
	callers := 0
	if ri := r.refs[fn]; ri != nil {
		for _, ci := range ri.calls {
			if ci.Parent() != fn {
				callers++
			}
		}
	}
	if d > 0 {
		return lockish(fn.Name()) || callers > 0
	}
	return unlockish(fn.Name()) || callers > 0
}

// exemptBalance reports whether fn may leave the thread locked: a
// goroutine body (the thread is terminated when it exits), an init
// function (pins main to the main thread), main.main, a test function,
// or a function literal (its parent or its unknown caller accounts for it).
func (r *runner) exemptBalance(fn *ssa.Function) bool {
	if fn.Parent() == nil && fn.Signature.Recv() == nil && (fn.Name() == "Main" || fn.Name() == "main") {
		return true // an entry point for main.main (golang.org/x/mobile/app.Main)
	}
	if ri := r.refs[fn]; ri != nil && ri.values > 0 && len(ri.calls) == 0 {
		return true // only passed as a value: maybe a goroutine body (errgroup.Go(s.loop))
	}
	return fn.Parent() != nil || r.knownUnlocked(fn)
}

// pairedHelpers returns the functions that return locked on every path,
// or unlock their caller on every path, and come in pairs on one type: a
// constructor or method that locks and a method of the same type that
// unlocks (x/mobile's createContext and (*contextGL).destroy). Their users
// call them in turn: they are not bugs.
func (r *runner) pairedHelpers() map[*ssa.Function]bool {
	locks := make(map[*types.TypeName][]*ssa.Function)
	unlocks := make(map[*types.TypeName][]*ssa.Function)
	for _, fn := range r.funcs {
		res := r.res[fn]
		if res == nil || res.gaveUp || len(res.exits) == 0 || r.exemptBalance(fn) || r.sum[fn].Delta != 0 {
			continue
		}
		allPos, allNeg := true, true
		for _, x := range res.exits {
			allPos = allPos && x.net > 0 && !x.unk
			allNeg = allNeg && x.net < 0 && !x.unk
		}
		var types []*types.TypeName
		if recv := fn.Signature.Recv(); recv != nil {
			types = append(types, namedOf(recv.Type()))
		}
		if allPos {
			for v := range fn.Signature.Results().Variables() {
				types = append(types, namedOf(v.Type()))
			}
		}
		for _, t := range types {
			if t == nil {
				continue
			}
			if allPos {
				locks[t] = append(locks[t], fn)
			} else if allNeg {
				unlocks[t] = append(unlocks[t], fn)
			}
		}
	}
	paired := make(map[*ssa.Function]bool)
	for t, fns := range locks {
		if len(unlocks[t]) > 0 {
			for _, fn := range fns {
				paired[fn] = true
			}
			for _, fn := range unlocks[t] {
				paired[fn] = true
			}
		}
	}
	return paired
}

// namedOf returns the type name of t or *t, or nil.
func namedOf(t types.Type) *types.TypeName {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Obj()
	}
	return nil
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
	r.paired = r.pairedHelpers()
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
	allLocked, allUnlocked := len(res.exits) > 0, len(res.exits) > 0
	for _, x := range res.exits {
		allLocked = allLocked && x.net > 0
		allUnlocked = allUnlocked && x.net < 0
	}
	if r.paired[fn] && (allLocked || allUnlocked) {
		return
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
			msg = fmt.Sprintf("%s locks the OS thread with %s and returns to its caller without unlocking it: the caller's goroutine stays wired to this thread and no other goroutine can run on it; defer runtime.UnlockOSThread() right after locking",
				name, what)
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
		if !res.hasUnlock && !d.extra && !e.fact {
			if fix, ok := r.deferUnlockFix(ci); ok {
				diag.SuggestedFixes = []analysis.SuggestedFix{fix}
			}
		}
		r.pass.Report(diag)
	}
}

func (r *runner) reportAffine(fn *ssa.Function, res *result) {
	name := funcName(fn)
	for _, k := range sortedKeys(res.pairs) {
		p := res.pairs[k]
		first, second := res.sites[p.first-1], res.sites[p.second-1]
		e1, e2 := res.effects[first], res.effects[second]
		var msg string
		switch p.kind {
		case kErr:
			msg = fmt.Sprintf("%s reads the thread-local error state left by %s (line %d), but %s does not keep the goroutine locked to its OS thread between them: the goroutine may move to another thread and read another call's error; call runtime.LockOSThread and defer runtime.UnlockOSThread before %s",
				describe(e2, kErr), e1.name, r.line(r.callPos(first)), name, e1.name)
		case kRelease:
			msg = fmt.Sprintf("%s uses per-thread state set by %s (line %d), but %s does not keep the goroutine locked to its OS thread between them: the two calls may run on different threads; call runtime.LockOSThread and defer runtime.UnlockOSThread before %s",
				describe(e2, kRelease), e1.name, r.line(r.callPos(first)), name, e1.name)
		case kSwitch:
			msg = fmt.Sprintf("%s switches per-thread state again after %s (line %d), but %s does not keep the goroutine locked to its OS thread between them: the first switch may have changed another thread, and the work in between ran wherever the scheduler put it; call runtime.LockOSThread and defer runtime.UnlockOSThread before %s",
				describe(e2, kSwitch), e1.name, r.line(r.callPos(first)), name, e1.name)
		}
		r.pass.Report(analysis.Diagnostic{
			Pos:      r.callPos(second),
			Category: catAffine,
			Message:  msg,
			Related:  []analysis.RelatedInformation{{Pos: r.callPos(first), Message: "the first call of the sequence"}},
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
