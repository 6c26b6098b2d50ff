package cfree

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/internal/ssaflow"
	"github.com/cgolint/cgolint/passes/cindex"
)

// checkFrees reports double frees and uses after free of the pointer that
// fl tracks (an allocation a, or a parameter when a is nil). Only the
// pointer itself counts, not phis or pointers derived from it.
func (r *runner) checkFrees(fn *ssa.Function, fl *flow, a *alloc, name string) {
	var sb *ssa.BasicBlock
	si := -1
	if a != nil {
		sb, si = a.value.(ssa.Instruction).Block(), r.reach.Index(a.value.(ssa.Instruction))
	} else {
		sb = fn.Blocks[0]
	}
	if name == "" {
		name = "the pointer"
		if a != nil {
			name = "the " + a.what + " result"
		}
	}
	reported := make(map[ssa.Instruction]bool)
	for _, first := range fl.events {
		if !first.direct || (first.kind != evRelease && first.kind != evDeferRelease && first.kind != evTake) {
			continue
		}
		reach := r.reach.Avoiding(first.instr, sb, si)
		for _, second := range fl.events {
			if !second.direct || second.instr == first.instr || reported[second.instr] || !reach(second.instr) {
				continue
			}
			var cat, msg string
			firstWhat := "freed by " + first.callee
			if first.kind == evTake {
				firstWhat = "handed to " + first.callee + ", which takes ownership"
			}
			switch {
			case first.kind == evDeferRelease && (second.kind == evRelease || second.kind == evTake):
				cat = catDoubleFree
				by := "the deferred " + first.callee
				if strings.HasPrefix(first.callee, "a ") {
					by = first.callee
				}
				msg = fmt.Sprintf("%s is released here and again by %s at return: double free; drop one of the two", name, by)
			case first.kind == evDeferRelease:
				continue
			case second.kind == evRelease || second.kind == evDeferRelease || second.kind == evTake:
				cat = catDoubleFree
				msg = fmt.Sprintf("%s was already %s on this path: releasing it again is a double free; release it once", name, firstWhat)
			case second.kind == evUse && first.kind != evTake:
				cat = catUseAfter
				msg = fmt.Sprintf("%s was already %s on this path: using it here is a use after free; use it before releasing it", name, firstWhat)
			default:
				continue
			}
			reported[second.instr] = true
			pos := second.instr.Pos()
			if second.call != nil {
				pos = second.call.Pos()
			}
			related := first.instr.Pos()
			if first.call != nil {
				related = first.call.Pos()
			}
			r.pass.Report(analysis.Diagnostic{
				Pos: pos, Category: cat, Message: msg,
				Related: []analysis.RelatedInformation{{Pos: related, Message: "released here"}},
			})
		}
	}
}

// checkFamilies reports memory released by a deallocator of another
// allocator family.
func (r *runner) checkFamilies(a *alloc, fl *flow) {
	if a.call == nil {
		return
	}
	kb := r.idx.KB()
	for _, e := range fl.events {
		if e.call == nil || (e.kind != evRelease && e.kind != evDeferRelease) {
			continue
		}
		if kb.WrongFamily(a.call.Name, e.call.Name) {
			r.pass.Report(analysis.Diagnostic{
				Pos:      e.call.Pos(),
				Category: catFamily,
				Message: fmt.Sprintf("memory from %s is released with C.%s, which belongs to another allocator; release it with C.%s",
					a.what, e.call.Name, a.dealloc),
				Related: []analysis.RelatedInformation{{Pos: a.pos, Message: "allocated here"}},
			})
		}
	}
}

// checkFreedArgs reports what a C deallocator must never be given: Go
// memory, and memory that C owns.
func (r *runner) checkFreedArgs(ci ssa.CallInstruction) {
	c := r.idx.CallOf(ci)
	if c == nil || !c.Info.IsDeallocator() {
		return
	}
	for i, arg := range c.Args {
		if c.Info.FreesArg(i) {
			r.checkGoMemoryFree(c, arg)
			r.checkBorrowedFree(c, arg)
		}
	}
}

// checkGoMemoryFree reports a deallocator c given arg, Go memory.
func (r *runner) checkGoMemoryFree(c *cindex.Call, arg ssa.Value) {
	if what := goMemory(ssaflow.Unconvert(arg)); what != "" {
		r.pass.Report(analysis.Diagnostic{
			Pos:      c.Pos(),
			Category: catGoMemory,
			Message: fmt.Sprintf("C.%s is given %s, which Go allocated: C must never free Go memory (heap corruption); free only what a C allocator returned",
				c.Name, what),
		})
	}
}

// checkBorrowedFree reports a deallocator c given arg, the result of a C
// function known to return borrowed memory (cfuncs.Func.Borrowed: static
// storage, or memory its library or an argument owns and releases). Only a
// result that reaches the deallocator directly (through conversions and
// local variables) is reported: where the value went through memory or a
// merge of paths, the check stays silent.
func (r *runner) checkBorrowedFree(c *cindex.Call, arg ssa.Value) {
	src, ok := ssaflow.Unconvert(arg).(*ssa.Call)
	if !ok {
		return
	}
	from := r.idx.CallOf(src)
	if from == nil || from.Kind != cindex.CFunc || from.Info == nil || !from.Info.Borrowed {
		return
	}
	r.pass.Report(analysis.Diagnostic{
		Pos:      c.Pos(),
		End:      c.End(),
		Category: catBorrowed,
		Message: fmt.Sprintf("C.%s is given the result of C.%s (line %d), which is borrowed: that memory belongs to the library (static storage, or an object that releases it), so freeing it corrupts the heap or frees it twice; drop the release and copy the data (C.GoString) while it is valid",
			c.Name, from.Name, r.line(from.Pos())),
		Related: []analysis.RelatedInformation{{Pos: from.Pos(), End: from.End(), Message: "borrowed memory returned here"}},
	})
}

// goMemory describes v if it certainly points into memory Go allocated.
func goMemory(v ssa.Value) string {
	for {
		switch x := v.(type) {
		case *ssa.Alloc:
			switch x.Comment {
			case "makeslice", "slicelit", "varargs":
				return "an element of a Go slice"
			case "":
				return "a Go allocation"
			}
			return "the address of Go variable " + x.Comment
		case *ssa.MakeSlice:
			return "an element of a Go slice"
		case *ssa.IndexAddr:
			v = x.X
		case *ssa.FieldAddr:
			v = x.X
		case *ssa.Slice:
			v = x.X
		default:
			return ""
		}
	}
}

// checkEarlyDefers reports `defer C.free(unsafe.Pointer(p))` while p is
// still nil, when p is assigned an allocation later in the function.
func (r *runner) checkEarlyDefers(fn *ssa.Function) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			d, ok := instr.(*ssa.Defer)
			if !ok {
				continue
			}
			c := r.idx.CallOf(d)
			if c == nil || c.Syntax == nil {
				continue
			}
			for i, arg := range c.Args {
				if i >= len(c.Syntax.Args) || !(c.Info.FreesArg(i) || c.Info == nil && len(c.Args) == 1) {
					continue
				}
				if cell := nilCellAt(r.reach, d, arg); cell != nil {
					r.earlyDeferOut(c, i, cell)
					continue
				}
				if !c.Info.FreesArg(i) || !ssaflow.IsZero(arg) {
					continue
				}
				id, ok := ast.Unparen(r.stripConv(c.Syntax.Args[i])).(*ast.Ident)
				if !ok {
					continue
				}
				obj := r.ssa.Info.Uses[id]
				if obj == nil {
					continue
				}
				r.earlyDefer(fn, c, id.Name, obj)
			}
		}
	}
}

// earlyDefer finds a later allocation assigned to obj and reports.
func (r *runner) earlyDefer(fn *ssa.Function, c *cindex.Call, name string, obj any) {
	var target *alloc
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			v, ok := instr.(ssa.Value)
			if !ok || target != nil {
				continue
			}
			a := r.allocOf(v)
			if a == nil || a.expr == nil || a.expr.Pos() < c.Syntax.Pos() {
				continue
			}
			if id := r.names[a.expr]; id != nil && (r.ssa.Info.Uses[id] == obj || r.ssa.Info.Defs[id] == obj) {
				target = a
			}
		}
	}
	if target == nil {
		return
	}
	r.early[target.value] = true
	r.pass.Report(analysis.Diagnostic{
		Pos:      c.Pos(),
		Category: catEarlyDefer,
		Message: fmt.Sprintf("deferred C.%s evaluates %s now, while it is still nil, so the memory from %s assigned to %s later is never freed; defer a closure instead: defer func() { C.%s(unsafe.Pointer(%s)) }()",
			c.Name, name, target.what, name, c.Name, name),
		Related: []analysis.RelatedInformation{{Pos: target.pos, Message: name + " gets its memory here"}},
	})
}

// nilCellAt returns the local variable whose value arg loads at the
// deferred call d, when the variable certainly holds nil there: it is
// zeroed, nothing but nil is stored in it before d, and its address is
// only passed to C calls, none of which can run before d. Otherwise nil.
func nilCellAt(reach *ssaflow.Reach, d *ssa.Defer, arg ssa.Value) *ssa.Alloc {
	ld, ok := ssaflow.Unconvert(arg).(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return nil
	}
	cell, ok := ld.X.(*ssa.Alloc)
	if !ok || cell.Referrers() == nil {
		return nil
	}
	ok = true
	forAddressUses(cell, func(use ssa.Instruction, stored ssa.Value) {
		switch {
		case !ok:
		case use == nil:
			ok = false // the address escapes where we cannot follow it
		case stored != nil && ssaflow.IsZero(stored):
		case reach.Reaches(use, d):
			ok = false // written before the defer
		}
	})
	if !ok {
		return nil
	}
	return cell
}

// forAddressUses calls f for each instruction that can write the local
// variable cell: each Store to it (with the value stored) and each call
// that is passed its address (possibly converted). It calls f with a nil
// instruction when the address goes anywhere else: a Go call, a closure, a
// store of the address.
func forAddressUses(cell *ssa.Alloc, f func(use ssa.Instruction, stored ssa.Value)) {
	var visit func(v ssa.Value, depth int)
	visit = func(v ssa.Value, depth int) {
		if depth > 4 || v.Referrers() == nil {
			f(nil, nil)
			return
		}
		for _, ref := range *v.Referrers() {
			switch u := ref.(type) {
			case *ssa.DebugRef:
			case *ssa.UnOp:
				if u.Op != token.MUL || v != ssa.Value(cell) {
					f(nil, nil)
				}
			case *ssa.Store:
				if u.Addr != v || v != ssa.Value(cell) {
					f(nil, nil)
					continue
				}
				f(u, u.Val)
			case *ssa.ChangeType:
				visit(u, depth+1)
			case *ssa.Convert:
				if !ssaflow.IsPointerLike(u.Type()) {
					f(nil, nil)
					continue
				}
				visit(u, depth+1)
			case ssa.CallInstruction:
				f(u, nil)
			default:
				f(nil, nil)
			}
		}
	}
	visit(cell, 0)
}

// earlyDeferOut reports a deferred release of a variable that is nil at
// the defer and filled later by a C call through its address: the defer
// releases nil and the memory C stores is never released.
func (r *runner) earlyDeferOut(c *cindex.Call, i int, cell *ssa.Alloc) {
	var fill *cindex.Call
	forAddressUses(cell, func(use ssa.Instruction, _ ssa.Value) {
		ci, ok := use.(ssa.CallInstruction)
		if !ok || fill != nil || !r.reach.Reaches(c.Instr, ci) {
			return
		}
		// Only a C function known to allocate through that parameter
		// fills it with memory to free: git_branch_name(&name, ref) stores
		// a pointer the reference owns, and the nil defer is then right.
		if fc := r.idx.CallOf(ci); fc != nil && !fc.Deferred && !fc.Go && allocsOutThrough(fc, cell) {
			fill = fc
		}
	})
	if fill == nil {
		return
	}
	// One bug, one finding: the leak of what fill hands back through the
	// out-parameter (outparam.go) is this early defer.
	if v, ok := fill.Instr.(ssa.Value); ok {
		r.early[v] = true
	}
	name := cell.Comment
	if id, ok := ast.Unparen(r.stripConv(c.Syntax.Args[i])).(*ast.Ident); ok {
		name = id.Name
	}
	args := make([]string, len(c.Syntax.Args))
	for j, a := range c.Syntax.Args {
		args[j] = cindex.ExprString(a)
	}
	call := "C." + c.Name + "(" + strings.Join(args, ", ") + ")"
	r.pass.Report(analysis.Diagnostic{
		Pos:      c.Pos(),
		Category: catEarlyDefer,
		Message: fmt.Sprintf("deferred C.%s evaluates %s now, while it is still nil, so the memory C.%s stores in %s later is never freed; defer it after C.%s, or defer a closure: defer func() { %s }()",
			c.Name, name, fill.Name, name, fill.Name, call),
		Related: []analysis.RelatedInformation{{Pos: fill.Pos(), Message: name + " is filled here"}},
	})
}

// allocsOutThrough reports whether the C call c is passed the address of
// cell as a parameter through which it hands back owned memory (AllocOut).
func allocsOutThrough(c *cindex.Call, cell *ssa.Alloc) bool {
	for i, a := range c.Args {
		if ssaflow.Unconvert(a) == ssa.Value(cell) && c.Info != nil && slices.Contains(c.Info.AllocOut, i) {
			return true
		}
	}
	return false
}

// stripConv removes type conversions from e.
func (r *runner) stripConv(e ast.Expr) ast.Expr {
	for {
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok || len(call.Args) != 1 {
			return e
		}
		tv, ok := r.ssa.Info.Types[call.Fun]
		if !ok || !tv.IsType() {
			return e
		}
		e = call.Args[0]
	}
}

// deferFix offers `defer C.free(unsafe.Pointer(p))` on the line after a
// lone `p := C.CString(s)` (directly in the function body) whose pointer is
// only borrowed, when the file already imports "unsafe" (or the fix does
// not need it).
func (r *runner) deferFix(a *alloc, name string, fl *flow) []analysis.SuggestedFix {
	if a.call == nil || a.dealloc != "free" || a.expr == nil {
		return nil
	}
	as := r.defines[a.expr]
	if as == nil || fl.lost {
		return nil
	}
	for _, e := range fl.events {
		if e.kind != evUse {
			return nil
		}
	}
	fset := r.pass.Fset
	if fset.Position(as.Pos()).Line != fset.Position(as.End()).Line {
		return nil
	}
	free := r.freeExpr(a, name)
	content, tf, ok := r.idx.UserSource(as.Pos())
	if !ok {
		return nil
	}
	var imp []analysis.TextEdit
	if bytes.Contains([]byte(free), []byte("unsafe.")) {
		if imp, ok = unsafeImport(content, tf); !ok {
			return nil
		}
	}
	up := r.idx.UserPos(as.Pos())
	line := tf.Line(up)
	if line >= tf.LineCount() {
		return nil
	}
	start := tf.Offset(tf.LineStart(line))
	next := tf.Offset(tf.LineStart(line + 1))
	text := content[start:next]
	indent := text[:len(text)-len(bytes.TrimLeft(text, " \t"))]
	if !bytes.HasPrefix(bytes.TrimLeft(text, " \t"), []byte(name)) {
		return nil // the statement is not alone at the start of its line
	}
	at := tf.Pos(next)
	return []analysis.SuggestedFix{{
		Message:   "Add defer " + free,
		TextEdits: append(imp, analysis.TextEdit{Pos: at, End: at, NewText: []byte(string(indent) + "defer " + free + "\n")}),
	}}
}

// unsafeImport returns the edit that makes a Go source file import
// "unsafe" (none if it does), inserting `import "unsafe"` on its own line
// after `import "C"`. It reports false when it cannot be certain: the file
// does not parse, imports unsafe under another name, or has no plain
// `import "C"` declaration to follow.
func unsafeImport(src []byte, tf *token.File) ([]analysis.TextEdit, bool) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ImportsOnly)
	if err != nil {
		return nil, false
	}
	var afterC token.Pos
	for _, imp := range f.Imports {
		switch p, _ := strconv.Unquote(imp.Path.Value); p {
		case "unsafe":
			return nil, imp.Name == nil
		}
	}
	for _, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT && !gd.Lparen.IsValid() && len(gd.Specs) == 1 {
			if spec := gd.Specs[0].(*ast.ImportSpec); spec.Path.Value == `"C"` && spec.Name == nil {
				afterC = gd.End()
			}
		}
	}
	if !afterC.IsValid() {
		return nil, false
	}
	at := tf.Pos(fset.Position(afterC).Offset)
	return []analysis.TextEdit{{Pos: at, End: at, NewText: []byte("\n\nimport \"unsafe\"")}}, true
}

// hoistFix offers to hoist an inline C.CString(x) (or C.CBytes(x)) out of
// the statement that uses it, into a variable with its deferred free:
//
//	C.f(C.CString(name))  =>  cname := C.CString(name)
//	                          defer C.free(unsafe.Pointer(cname))
//	                          C.f(cname)
//
// Only when that is certainly right: the statement is directly in the
// function body, on one line, with no other allocation inline; x has no
// calls (so hoisting it changes no order of evaluation); the new name is
// used nowhere in the function or its scope; and the file imports "unsafe".
func (r *runner) hoistFix(fn *ssa.Function, a *alloc, pos token.Pos, fl *flow) []analysis.SuggestedFix {
	if a.call == nil || a.dealloc != "free" || a.expr == nil || len(a.expr.Args) != 1 || fl.lost {
		return nil
	}
	if a.call.Name != "CString" && a.call.Name != "CBytes" {
		return nil
	}
	for _, e := range fl.events {
		if e.kind != evUse || e.call == nil {
			return nil
		}
	}
	pure := true
	ast.Inspect(a.expr.Args[0], func(n ast.Node) bool {
		switch n.(type) {
		case *ast.CallExpr, *ast.UnaryExpr, *ast.FuncLit:
			pure = false
		}
		return pure
	})
	if !pure {
		return nil
	}
	var body *ast.BlockStmt
	switch s := fn.Syntax().(type) {
	case *ast.FuncDecl:
		body = s.Body
	case *ast.FuncLit:
		body = s.Body
	}
	if body == nil {
		return nil
	}
	var stmt ast.Stmt
	for _, st := range body.List {
		if st.Pos() <= a.expr.Pos() && a.expr.End() <= st.End() {
			stmt = st
		}
	}
	if stmt == nil {
		return nil
	}
	switch stmt.(type) {
	case *ast.ExprStmt, *ast.AssignStmt, *ast.ReturnStmt, *ast.IfStmt, *ast.DeclStmt:
	default:
		return nil
	}
	fset := r.pass.Fset
	line := fset.Position(pos).Line
	if fset.Position(stmt.Pos()).Line != line || (fset.Position(stmt.End()).Line != line && !isIf(stmt)) {
		return nil
	}
	content, tf, ok := r.idx.UserSource(pos)
	if !ok || line >= tf.LineCount() || tf.Line(pos) != line {
		return nil
	}
	var imp []analysis.TextEdit
	if a.call.Name != "CBytes" { // C.free(unsafe.Pointer(cs)); C.CBytes is an unsafe.Pointer already
		if imp, ok = unsafeImport(content, tf); !ok {
			return nil
		}
	}
	start := tf.Offset(tf.LineStart(line))
	next := tf.Offset(tf.LineStart(line + 1))
	text := string(content[start:next])
	if strings.Count(text, "C.CString(")+strings.Count(text, "C.CBytes(") != 1 {
		return nil
	}
	call := "C." + a.call.Name + "("
	off := tf.Offset(pos)
	if !strings.HasPrefix(string(content[off:]), call) {
		return nil
	}
	end := cindex.CloseParen(content, off+len(call)-1)
	if end < 0 || end >= next {
		return nil
	}
	name := r.freshName(fn, a)
	if name == "" {
		return nil
	}
	indent := text[:len(text)-len(strings.TrimLeft(text, " \t"))]
	hoisted := fmt.Sprintf("%s%s := %s\n%sdefer C.free(unsafe.Pointer(%s))\n", indent, name, string(content[off:end+1]), indent, name)
	if a.call.Name == "CBytes" {
		hoisted = fmt.Sprintf("%s%s := %s\n%sdefer C.free(%s)\n", indent, name, string(content[off:end+1]), indent, name)
	}
	return []analysis.SuggestedFix{{
		Message: "Hoist " + string(content[off:end+1]) + " into " + name + " and defer its free",
		TextEdits: append(imp,
			analysis.TextEdit{Pos: tf.Pos(start), End: tf.Pos(start), NewText: []byte(hoisted)},
			analysis.TextEdit{Pos: tf.Pos(off), End: tf.Pos(end + 1), NewText: []byte(name)},
		),
	}}
}

func isIf(s ast.Stmt) bool { _, ok := s.(*ast.IfStmt); return ok }

// freshName returns a variable name for a hoisted allocation that nothing
// in the function or its enclosing scopes uses, or "".
func (r *runner) freshName(fn *ssa.Function, a *alloc) string {
	base := "cstr"
	if a.call.Name == "CBytes" {
		base = "cbuf"
	}
	if id, ok := ast.Unparen(a.expr.Args[0]).(*ast.Ident); ok {
		base = "c" + id.Name
	}
	used := make(map[string]bool)
	ast.Inspect(fn.Syntax(), func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			used[id.Name] = true
		}
		return true
	})
	scope := r.pass.Pkg.Scope().Innermost(a.expr.Pos())
	for i := 0; i < 10; i++ {
		name := base
		if i > 0 {
			name = fmt.Sprintf("%s%d", base, i+1)
		}
		if used[name] {
			continue
		}
		if scope != nil {
			if _, obj := scope.LookupParent(name, a.expr.Pos()); obj != nil {
				continue
			}
		} else if r.pass.Pkg.Scope().Lookup(name) != nil {
			continue
		}
		return name
	}
	return ""
}
