package cescape

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/internal/ssaflow"
	"github.com/cgolint/cgolint/passes/cindex"
)

// A freeSite is a call that frees the memory an owner holds, through the
// owner: C.free(unsafe.Pointer(x.p)).
type freeSite struct {
	fn      *ssa.Function
	ci      ssa.CallInstruction
	load    *ssa.UnOp // the read of x.p
	l       loc
	cleared bool // the function clears the owner afterwards
	refills bool // ... with new memory: a setter, not a release path
}

// dangling reports owners freed through the owner and not cleared, when
// something else can free them again: another function of the type (or its
// finalizer), or a second call of the same exported method.
func (r *runner) dangling() {
	finalizers, disarms := r.finalizers()
	var sites []*freeSite
	for _, fn := range r.prog.SrcFuncs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				ci, ok := instr.(ssa.CallInstruction)
				if !ok || r.reported[ci] {
					continue
				}
				for _, a := range r.releasedArgs(ci, false) {
					ld, ok := ssaflow.Unconvert(a).(*ssa.UnOp)
					if !ok || ld.Op != token.MUL {
						continue
					}
					l, ok := ssaflow.LocOf(ld.X)
					if !ok || isCOwner(l) {
						continue
					}
					if l.Global == nil {
						switch ssaflow.Root(l.Base).(type) {
						case *ssa.Parameter, *ssa.FreeVar, *ssa.Global:
						default:
							continue // a local object: it dies with the function
						}
					}
					s := &freeSite{fn: fn, ci: ci, load: ld, l: l}
					s.cleared = r.clearedAfterLoad(fn, s)
					s.refills = r.refills(fn, s)
					sites = append(sites, s)
				}
			}
		}
	}
	for _, s := range sites {
		if s.cleared || r.reported[s.ci] {
			continue
		}
		if finalizers[s.fn] {
			// The object is unreachable when its finalizer runs; only a
			// second explicit call of an exported method used as the
			// finalizer, (*T).Free, can free it again.
			if r.callableTwice(s) {
				r.reportTwice(s)
			}
			continue
		}
		var other *freeSite
		for _, o := range sites {
			if o.fn == s.fn || o.l.Key() != s.l.Key() || o.refills {
				continue
			}
			if finalizers[o.fn] && disarms[s.fn] {
				continue // the finalizer is disarmed before it can run
			}
			if finalizers[o.fn] && r.idx.Enabled("finalizer") {
				// A release that an armed finalizer repeats is the finalizer
				// check's double-release (with its SetFinalizer(x, nil) fix):
				// one bug, one finding.
				continue
			}
			other = o
			break
		}
		owner := cindex.ExprString(ownerExpr(s))
		if other != nil {
			what := funcName(other.fn, r.pass.Pkg)
			if finalizers[other.fn] {
				what = "the finalizer of " + ownerOf(owner)
			}
			r.reported[s.ci] = true
			r.report(r.callPos(s.fn, s.ci), catDangling, "freed again here", r.callPos(other.fn, other.ci), r.nilFix(s),
				"%s frees %s without clearing it, and %s frees it too: if both run, the memory is freed twice; set %s = nil after the free",
				callName(r, s.ci), owner, what, owner)
			continue
		}
		if r.callableTwice(s) {
			r.reportTwice(s)
		}
	}
}

// reportTwice reports a free site that a second call frees again.
func (r *runner) reportTwice(s *freeSite) {
	owner := cindex.ExprString(ownerExpr(s))
	r.reported[s.ci] = true
	r.report(r.callPos(s.fn, s.ci), catDangling, "", token.NoPos, r.nilFix(s),
		"%s frees %s without clearing it, so a second call of %s frees it again (double free); set %s = nil after the free",
		callName(r, s.ci), owner, funcName(s.fn, r.pass.Pkg), owner)
}

// ownerExpr returns an expression naming the owner of a free site.
func ownerExpr(s *freeSite) ast.Expr {
	if s.l.Global != nil {
		return ast.NewIdent(s.l.Global.Name())
	}
	return &ast.SelectorExpr{X: ast.NewIdent(derefName(name(s.l.Base))), Sel: ast.NewIdent(s.l.Field.Name())}
}

// finalizers returns the functions set as finalizers in this package, and
// the functions that disarm a finalizer (runtime.SetFinalizer(x, nil)).
func (r *runner) finalizers() (fins, disarms map[*ssa.Function]bool) {
	fins = make(map[*ssa.Function]bool)
	disarms = make(map[*ssa.Function]bool)
	for _, fn := range r.prog.SrcFuncs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				ci, ok := instr.(ssa.CallInstruction)
				if !ok || !ssaflow.IsFunc(ci, "runtime", "", "SetFinalizer") || len(ci.Common().Args) != 2 {
					continue
				}
				f := ci.Common().Args[1]
				if mi, ok := f.(*ssa.MakeInterface); ok {
					f = mi.X
				}
				switch f := f.(type) {
				case *ssa.Function:
					fins[f] = true
					if f.Synthetic != "" {
						// A method expression, (*T).finalize, is a thunk
						// that calls the method.
						for _, b := range f.Blocks {
							for _, instr := range b.Instrs {
								if ci, ok := instr.(ssa.CallInstruction); ok {
									if callee := ci.Common().StaticCallee(); callee != nil {
										fins[callee] = true
									}
								}
							}
						}
					}
				case *ssa.MakeClosure:
					if g, ok := f.Fn.(*ssa.Function); ok {
						fins[g] = true
					}
				case *ssa.Const:
					if f.IsNil() {
						disarms[fn] = true
					}
				}
			}
		}
	}
	return fins, disarms
}

// clearedAfterLoad reports whether fn clears the owner after reading the
// value it frees (before or after the free: `p := x.p; x.p = nil; C.free(p)`
// is as good), overwrites the whole owner, or hands it to a Go function that
// might.
func (r *runner) clearedAfterLoad(fn *ssa.Function, s *freeSite) bool {
	var rt ssa.Value = s.l.Global
	if s.l.Global == nil {
		rt = ssaflow.Root(s.l.Base)
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if instr == s.ci || !r.reach.Reaches(s.load, instr) {
				continue
			}
			switch x := instr.(type) {
			case *ssa.Store:
				if xl, ok := ssaflow.LocOf(x.Addr); ok && ssaflow.SameLoc(xl, s.l) {
					return true
				}
				if s.l.Global == nil && ssaflow.SameValue(x.Addr, s.l.Base) {
					return true
				}
			case ssa.CallInstruction:
				if r.callTouches(x, rt) {
					return true
				}
			}
		}
	}
	return closureStores(fn, s.l.Key())
}

// refills reports whether fn stores a non-nil value in the owner after
// reading the value it frees.
func (r *runner) refills(fn *ssa.Function, s *freeSite) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if st, ok := instr.(*ssa.Store); ok && r.reach.Reaches(s.load, st) && !isNil(ssaflow.Unconvert(st.Val)) {
				if l, ok := ssaflow.LocOf(st.Addr); ok && ssaflow.SameLoc(l, s.l) {
					return true
				}
			}
		}
	}
	return false
}

// callableTwice reports whether the function of a free site can free the
// owner twice: an exported method freeing its receiver's field, or an
// exported function freeing a global, with no guard in front of the free
// that tests state the function itself changes (a closed flag, a
// sync.Once, an atomic swap).
func (r *runner) callableTwice(s *freeSite) bool {
	fn := s.fn
	if fn.Parent() != nil || fn.Object() == nil || !fn.Object().Exported() {
		return false
	}
	if s.l.Global == nil {
		if fn.Signature.Recv() == nil || len(fn.Params) == 0 || ssaflow.Root(s.l.Base) != fn.Params[0] {
			return false
		}
	}
	var rt ssa.Value
	if s.l.Global != nil {
		rt = s.l.Global
	} else {
		rt = fn.Params[0]
	}
	fb := s.ci.Block()
	for b := fb.Idom(); b != nil; b = b.Idom() {
		iff, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		// A guard has a branch that skips the free (a loop test does not).
		skips := false
		for _, succ := range b.Succs {
			if succ != fb && !r.reach.BlockReaches(succ, fb) {
				skips = true
			}
		}
		if skips && r.dependsOnState(fn, iff.Cond, rt, 0) {
			return false
		}
	}
	return true
}

// dependsOnState reports whether v depends on state rooted at rt that fn
// changes (a field it assigns), or on a Go call that is passed rt.
func (r *runner) dependsOnState(fn *ssa.Function, v ssa.Value, rt ssa.Value, depth int) bool {
	if depth > 8 {
		return false
	}
	switch x := v.(type) {
	case *ssa.UnOp:
		if x.Op == token.MUL {
			if l, ok := ssaflow.LocOf(x.X); ok && r.assigns(fn, l) {
				var lr ssa.Value = l.Global
				if l.Global == nil {
					lr = ssaflow.Root(l.Base)
				}
				_, rtGlobal := rt.(*ssa.Global)
				_, lrGlobal := lr.(*ssa.Global)
				// State of the receiver, or, for a package variable, any
				// package-level state.
				if lr == rt || (rtGlobal && lrGlobal) {
					return true
				}
			}
		}
		return r.dependsOnState(fn, x.X, rt, depth+1)
	case *ssa.BinOp:
		return r.dependsOnState(fn, x.X, rt, depth+1) || r.dependsOnState(fn, x.Y, rt, depth+1)
	case *ssa.Phi:
		for _, e := range x.Edges {
			if r.dependsOnState(fn, e, rt, depth+1) {
				return true
			}
		}
	case *ssa.Extract:
		return r.dependsOnState(fn, x.Tuple, rt, depth+1)
	case *ssa.ChangeType:
		return r.dependsOnState(fn, x.X, rt, depth+1)
	case *ssa.Convert:
		return r.dependsOnState(fn, x.X, rt, depth+1)
	case *ssa.Call:
		if _, ok := x.Call.Value.(*ssa.Builtin); ok || r.idx.CallOf(x) != nil {
			return false
		}
		for _, a := range append([]ssa.Value{x.Call.Value}, x.Call.Args...) {
			if ssaflow.Root(a) == rt {
				return true
			}
		}
	}
	return false
}

// assigns reports whether fn stores to the owner l (or, for a field, to the
// same field of any object).
func (r *runner) assigns(fn *ssa.Function, l loc) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if st, ok := instr.(*ssa.Store); ok {
				if sl, ok := ssaflow.LocOf(st.Addr); ok && sl.Key() == l.Key() {
					return true
				}
			}
		}
	}
	return false
}

// nilFix returns the fix that clears the owner right after the free: only
// for a plain statement `C.free(unsafe.Pointer(x.p))` alone on its line,
// freeing a field or global of a type that nil can clear.
func (r *runner) nilFix(s *freeSite) []analysis.SuggestedFix {
	c := r.idx.CallOf(s.ci)
	if c == nil || c.Deferred || c.Go || !c.End().IsValid() {
		return nil
	}
	var t types.Type
	if s.l.Global != nil {
		t = s.l.Global.Type().(*types.Pointer).Elem()
	} else {
		t = s.l.Field.Type()
	}
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Slice, *types.Map, *types.Signature:
	case *types.Basic:
		if t.Underlying().(*types.Basic).Kind() != types.UnsafePointer {
			return nil
		}
	default:
		return nil
	}
	src, tf, ok := r.idx.UserSource(c.Pos())
	if !ok || tf != r.pass.Fset.File(c.End()) {
		return nil
	}
	start, end := tf.Offset(c.Pos()), tf.Offset(c.End())
	if start < 0 || end > len(src) || start >= end {
		return nil
	}
	// The call must be the whole statement: only blanks before it on its
	// line, and only blanks or a comment after it.
	lineStart := bytes.LastIndexByte(src[:start], '\n') + 1
	indent := src[lineStart:start]
	if len(bytes.TrimLeft(indent, " \t")) != 0 {
		return nil
	}
	rest := src[end:]
	eol := len(src)
	if i := bytes.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i]
		eol = end + i
	}
	if rest = bytes.TrimSpace(rest); len(rest) != 0 && !bytes.HasPrefix(rest, []byte("//")) {
		return nil
	}
	// Read the owner back from the user's text of the call.
	text := string(src[start:end])
	call, err := parser.ParseExpr(text)
	if err != nil {
		return nil
	}
	ce, ok := call.(*ast.CallExpr)
	if !ok || len(ce.Args) != 1 {
		return nil
	}
	arg := ce.Args[0]
	for {
		if p, ok := arg.(*ast.ParenExpr); ok {
			arg = p.X
			continue
		}
		if conv, ok := arg.(*ast.CallExpr); ok && len(conv.Args) == 1 {
			arg = conv.Args[0]
			continue
		}
		break
	}
	switch a := arg.(type) {
	case *ast.SelectorExpr:
		if s.l.Field == nil || a.Sel.Name != s.l.Field.Name() {
			return nil
		}
	case *ast.Ident:
		if s.l.Global == nil || a.Name != s.l.Global.Name() {
			return nil
		}
	default:
		return nil
	}
	want := text[arg.Pos()-1 : arg.End()-1]
	pos := tf.Pos(eol) // after a trailing comment, which stays with the call
	return []analysis.SuggestedFix{{
		Message: "Set " + want + " = nil after the free",
		TextEdits: []analysis.TextEdit{{
			Pos:     pos,
			End:     pos,
			NewText: []byte("\n" + string(indent) + want + " = nil"),
		}},
	}}
}
