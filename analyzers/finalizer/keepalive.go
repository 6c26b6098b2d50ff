package finalizer

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/internal/ssaflow"
	"github.com/cgolint/cgolint/passes/cindex"
)

// This file finds the keepalive category: C calls that pass a field the
// finalizer releases as the last use of its object.

func (r *runner) reportKeepAlive() {
	r.computeEscapes()
	sites := r.callSites()
	for _, fn := range r.ssa.SrcFuncs {
		calls := r.calls[fn]
		if len(calls) == 0 || r.finFuncs[fn] {
			continue
		}
		for i, p := range fn.Params {
			r.keepAlive(fn, p, i, calls, sites)
		}
		// Objects the function gets from Go calls.
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if v, ok := instr.(*ssa.Call); ok && r.idx.CallOf(v) == nil {
					r.keepAlive(fn, v, -1, calls, nil)
				}
			}
		}
	}
}

// keepAlive reports the C calls of fn that pass a field of v (parameter i,
// or a call result when i < 0) that its finalizer releases, as the last use
// of v.
func (r *runner) keepAlive(fn *ssa.Function, v ssa.Value, i int, calls []*cindex.Call, sites map[*ssa.Function][]ssa.CallInstruction) {
	ft := r.finTypeOf(v.Type())
	if ft == nil {
		return
	}
	// A function that disarms v, or releases it as the finalizer does, is
	// a Close: the finalizer cannot run during it, or the double release
	// is reported.
	if len(r.disarmBlocks(fn, v, ft)) > 0 {
		return
	}
	if i >= 0 {
		for _, rel := range r.raw[fn] {
			if rel.Param == i && r.sameRelease(ft, rel.Via) {
				return
			}
		}
	} else if r.releasesValue(calls, v, ft) {
		return
	}
	derived := ssaflow.Derived(v)
	if r.escapes(derived) || deferUses(fn, derived) || (i >= 0 && r.callersKeep(fn, i, sites, 0)) {
		return
	}
	for _, c := range calls {
		if c.Deferred || c.Go {
			continue
		}
		field, ok := passesField(c, v, ft, derived)
		if !ok || ssaflow.UsedAfter(c.Instr, derived) || sourceUsedAfter(v, c.Instr) {
			continue
		}
		name := v.Name()
		if i < 0 {
			if name = r.receiverText(c, field); name == "" {
				continue
			}
		}
		r.reportKeep(name, field, ft, c)
	}
}

// sourceUsedAfter reports whether v is the result of a call whose receiver
// or arguments are used after instr: v may point into one of them
// (obj.AsObject() returning &obj.Object), which then keeps it alive.
func sourceUsedAfter(v ssa.Value, instr ssa.Instruction) bool {
	call, ok := v.(*ssa.Call)
	if !ok {
		return false
	}
	srcs := append([]ssa.Value(nil), call.Call.Args...)
	if call.Call.IsInvoke() {
		srcs = append(srcs, call.Call.Value)
	}
	for _, a := range srcs {
		if ssaflow.UsedAfter(instr, ssaflow.Derived(ssaflow.UnconvertHandle(a))) {
			return true
		}
	}
	return false
}

// releasesValue reports whether one of calls releases a field of v as its
// finalizer does.
func (r *runner) releasesValue(calls []*cindex.Call, v ssa.Value, ft *finType) bool {
	for _, c := range calls {
		for j, a := range c.Args {
			if base, _ := ssaflow.LoadPath(a); base == v && r.releasesArg(c, j) && r.sameRelease(ft, "C."+c.Name) {
				return true
			}
		}
	}
	return false
}

// receiverText returns the variable x of the argument x.field (or
// conversions of it) of the C call c, as written, or "".
func (r *runner) receiverText(c *cindex.Call, field string) string {
	parts := strings.Split(field, ".")
	for _, a := range c.Syntax.Args {
		e := ast.Unparen(a)
		for {
			call, ok := e.(*ast.CallExpr)
			if !ok || len(call.Args) != 1 {
				break
			}
			if tv, ok := r.ssa.Info.Types[call.Fun]; !ok || !tv.IsType() {
				break
			}
			e = ast.Unparen(call.Args[0])
		}
		for k := len(parts) - 1; k >= 0; k-- {
			sel, ok := e.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != parts[k] {
				e = nil
				break
			}
			e = ast.Unparen(sel.X)
		}
		if id, ok := e.(*ast.Ident); ok {
			return id.Name
		}
	}
	return ""
}

// passesField returns the field of p that ft's finalizer releases and that
// c passes to C; ok is false if c passes none, or also passes a pointer into
// p (which keeps p alive during the call).
func passesField(c *cindex.Call, p ssa.Value, ft *finType, derived map[ssa.Value]bool) (string, bool) {
	field := ""
	for _, a := range c.Args {
		if derived[ssaflow.UnconvertHandle(a)] {
			return "", false
		}
		if base, path := ssaflow.LoadPath(a); base == p && path != "" {
			if _, ok := ft.fields[path]; ok && field == "" {
				field = path
			}
		}
	}
	return field, field != ""
}

// escapes reports whether a pointer of the set is stored, captured, put in
// an interface (other than for runtime.KeepAlive), sent, merged, returned,
// or passed to a dynamic call or to a function of the package that lets it
// escape: the analysis then loses track of what keeps it alive. C calls and
// functions of other packages are assumed not to keep it (sync.Mutex.Lock
// on &x.mu is the common case).
func (r *runner) escapes(set map[ssa.Value]bool) bool {
	for v := range set {
		for _, ref := range *v.Referrers() {
			switch ref := ref.(type) {
			case *ssa.Store:
				if set[ref.Val] {
					return true
				}
			case *ssa.MakeInterface:
				for _, rr := range *ref.Referrers() {
					if ci, ok := rr.(ssa.CallInstruction); !ok || runtimeFunc(ci.Common()) != "KeepAlive" {
						return true
					}
				}
			case *ssa.MakeClosure, *ssa.Send, *ssa.MapUpdate, *ssa.Phi, *ssa.Return:
				return true
			case ssa.CallInstruction:
				if r.idx.CallOf(ref) != nil {
					continue
				}
				common := ref.Common()
				if common.IsInvoke() {
					return true
				}
				callee := common.StaticCallee()
				if callee == nil {
					return true
				}
				if callee.Pkg != r.ssa.Pkg {
					continue
				}
				for j, a := range common.Args {
					if set[a] && r.paramEscapes[callee][j] {
						return true
					}
				}
			}
		}
	}
	return false
}

// computeEscapes finds the parameters that each function of the package
// lets escape.
func (r *runner) computeEscapes() {
	r.paramEscapes = make(map[*ssa.Function]map[int]bool)
	for round := 0; round < 8; round++ {
		changed := false
		for _, fn := range r.ssa.SrcFuncs {
			for i, p := range fn.Params {
				if r.paramEscapes[fn][i] || !ssaflow.IsAddressLike(p.Type()) {
					continue
				}
				if r.escapes(ssaflow.Derived(p)) {
					if r.paramEscapes[fn] == nil {
						r.paramEscapes[fn] = make(map[int]bool)
					}
					r.paramEscapes[fn][i] = true
					changed = true
				}
			}
		}
		if !changed {
			break
		}
	}
}

// callSites returns the static calls of each function of the package.
func (r *runner) callSites() map[*ssa.Function][]ssa.CallInstruction {
	sites := make(map[*ssa.Function][]ssa.CallInstruction)
	for _, fn := range r.ssa.SrcFuncs {
		ssaflow.ForCalls(fn, func(ci ssa.CallInstruction) {
			if callee := ci.Common().StaticCallee(); callee != nil && callee.Pkg == r.ssa.Pkg {
				sites[callee] = append(sites[callee], ci)
			}
		})
	}
	return sites
}

// callersKeep reports whether every caller of fn, an unexported function
// that is only called directly, uses its argument i after the call (or
// passes its own parameter, and its callers keep it in turn): then no
// caller lets the object die during fn.
func (r *runner) callersKeep(fn *ssa.Function, i int, sites map[*ssa.Function][]ssa.CallInstruction, depth int) bool {
	if depth > 4 || isEntry(fn) || fn.Parent() != nil || len(sites[fn]) == 0 {
		return false
	}
	for _, site := range sites[fn] {
		args := site.Common().Args
		if i >= len(args) {
			return false
		}
		a := ssaflow.UnconvertHandle(args[i])
		set := ssaflow.Derived(a)
		if l, ok := a.(*ssa.UnOp); ok && l.Op == token.MUL {
			if cell, ok := l.X.(*ssa.Alloc); ok {
				set[cell] = true // a variable: any later access keeps it
			}
		}
		if ssaflow.UsedAfter(site, set) || deferUses(site.Parent(), set) {
			continue
		}
		caller := site.Parent()
		if j := paramIndex(caller, a); j >= 0 && caller != fn && r.callersKeep(caller, j, sites, depth+1) {
			continue
		}
		return false
	}
	return true
}

// deferUses reports whether a defer or go statement of fn refers to the set.
func deferUses(fn *ssa.Function, set map[ssa.Value]bool) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch instr.(type) {
			case *ssa.Defer, *ssa.Go:
				if ssaflow.Uses(instr, set) {
					return true
				}
			}
		}
	}
	return false
}

func (r *runner) reportKeep(name, field string, ft *finType, c *cindex.Call) {
	kind := "finalizer"
	if ft.cleanup {
		kind = "cleanup"
	}
	d := analysis.Diagnostic{
		Pos:      c.Pos(),
		Category: catKeepAlive,
		Message: fmt.Sprintf("%s.%s passed to C.%s is the last use of %s, whose %s %s releases %s.%s: the %s may run and release it during the call (use after free); add runtime.KeepAlive(%s) after the call",
			name, field, c.Name, name, kind, ft.finalizer, name, field, kind, name),
	}
	if ft.at.IsValid() {
		d.Related = []analysis.RelatedInformation{{Pos: ft.at, Message: "the " + kind + " is set here"}}
	}
	if name != "_" {
		if fixPos, indent, ok := r.stmtEnd(c.Pos()); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{{
				Message: fmt.Sprintf("Add runtime.KeepAlive(%s) after the call", name),
				TextEdits: []analysis.TextEdit{{Pos: fixPos, End: fixPos,
					NewText: []byte(fmt.Sprintf("\n%sruntime.KeepAlive(%s)", indent, name))}},
			}}
		}
	}
	r.pass.Report(d)
}

// syntaxOf returns the call expression of fn (or its closures) whose Lparen
// is lparen, in the syntax SSA was built from.
func (r *runner) syntaxOf(fn *ssa.Function, lparen token.Pos) *ast.CallExpr {
	return r.idx.CallExpr(lparen)
}

// stmtEnd returns where to insert a statement after the one that contains
// the user's position pos (in the user's file), and that statement's
// indentation. ok is false unless the statement is an expression,
// assignment or declaration directly in a block, and its file imports
// "runtime" under its own name.
func (r *runner) stmtEnd(pos token.Pos) (token.Pos, string, bool) {
	content, tf, ok := r.idx.UserSource(pos)
	if !ok {
		return token.NoPos, "", false
	}
	f, ok := r.rawFiles[tf.Name()]
	if !ok {
		f, _ = parser.ParseFile(token.NewFileSet(), tf.Name(), content, parser.SkipObjectResolution)
		r.rawFiles[tf.Name()] = f
	}
	if f == nil || !importsRuntime(f) {
		return token.NoPos, "", false
	}
	off := tf.Offset(pos)
	base := f.FileStart
	var found ast.Stmt
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil {
			return false
		}
		if int(n.Pos()-base) > off || int(n.End()-base) <= off {
			return false
		}
		var list []ast.Stmt
		switch n := n.(type) {
		case *ast.BlockStmt:
			list = n.List
		case *ast.CaseClause:
			list = n.Body
		case *ast.CommClause:
			list = n.Body
		}
		for _, s := range list {
			if int(s.Pos()-base) <= off && off < int(s.End()-base) {
				found = s
			}
		}
		return true
	})
	switch found.(type) {
	case *ast.ExprStmt, *ast.AssignStmt, *ast.DeclStmt:
	default:
		return token.NoPos, "", false
	}
	start, end := int(found.Pos()-base), int(found.End()-base)
	ls := start
	for ls > 0 && content[ls-1] != '\n' {
		ls--
	}
	indent := string(content[ls:start])
	if strings.TrimLeft(indent, " \t") != "" {
		return token.NoPos, "", false // not alone on its line
	}
	return tf.Pos(end), indent, true
}

func importsRuntime(f *ast.File) bool {
	for _, imp := range f.Imports {
		if imp.Path.Value == `"runtime"` && (imp.Name == nil || imp.Name.Name == "runtime") {
			return true
		}
	}
	return false
}
