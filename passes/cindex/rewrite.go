package cindex

import (
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"reflect"
	"strings"
)

// This file undoes cgo's pointer-checking wrappers before SSA is built.
//
// cmd/cgo turns every call C.f(args) that has a pointer-typed argument into an
// immediately invoked closure:
//
//	func() T { _cgo0 := unsafe.Pointer(p); _cgoCheckPointer(_cgo0, nil); return _Cfunc_f(_cgo0) }()
//
// and a deferred one into a closure that returns the call:
//
//	defer func() func() { _cgo0 := ...; return func() { _cgoCheckPointer(...); _Cfunc_f(_cgo0) } }()()
//
// Built as they are, these closures capture the user's variables, which turns
// them into heap cells (Alloc/Store/Load) in SSA: a consumer would see memory
// operations where the user wrote plain locals, and the C call inside a
// function that the user never wrote. Instead of resolving the cells after the
// fact, we rewrite each wrapper back into the call the user wrote,
// _Cfunc_f(unsafe.Pointer(p)), by substituting the _cgoN temporaries with
// their initialising expressions, and build SSA from the rewritten syntax.
// The SSA builder then lifts the user's variables into registers as usual,
// and a deferred call gets its arguments evaluated at the defer statement,
// exactly as Go evaluates `defer C.f(p)`.
//
// The rewrite never mutates pass.Files, which other analyzers read
// concurrently: it copies the path from each file down to each wrapper
// (unchanged subtrees are shared) and records the type of every copied node
// in a private copy of the types.Info maps that SSA construction reads.

// rewriter holds the state of one package's rewrite.
type rewriter struct {
	info *types.Info // private copy: Types, Implicits, Selections, FileVersions are cloned
	// unwrapped holds the calls synthesized from wrappers. Their _Cfunc_f
	// identifier is where cgo's //line comment puts the end of the user's call.
	unwrapped map[*ast.CallExpr]bool
}

func newRewriter(info *types.Info) *rewriter {
	cp := *info
	cp.Types = maps.Clone(info.Types)
	cp.Implicits = maps.Clone(info.Implicits)
	cp.Selections = maps.Clone(info.Selections)
	cp.FileVersions = maps.Clone(info.FileVersions)
	return &rewriter{info: &cp, unwrapped: make(map[*ast.CallExpr]bool)}
}

// file returns f with every cgo wrapper rewritten, or f itself when it has none.
func (rw *rewriter) file(f *ast.File) *ast.File {
	out := rw.rewrite(f).(*ast.File)
	if out != f && rw.info.FileVersions != nil {
		if v, ok := rw.info.FileVersions[f]; ok {
			rw.info.FileVersions[out] = v
		}
	}
	return out
}

// rewrite returns n with cgo wrappers replaced, copying the nodes on the
// path to each change (post-order, so nested wrappers are undone first).
// Subtrees without a function literal cannot hold a wrapper and are not
// walked by reflection: a cheap ast.Inspect tells.
func (rw *rewriter) rewrite(n ast.Node) ast.Node {
	return rw.copyPath(n, func(n ast.Node) (ast.Node, bool) {
		switch n.(type) {
		case *ast.Ident, *ast.BasicLit:
			return n, true
		case *ast.FuncDecl, *ast.GenDecl, ast.Stmt:
			return n, !hasFuncLit(n)
		}
		return n, false
	}, func(_, n ast.Node) ast.Node {
		if call, ok := n.(*ast.CallExpr); ok {
			if r := rw.unwrap(call); r != nil {
				return r
			}
		}
		return n
	})
}

// copyPath walks n and returns it with its subtrees replaced as pre and
// post say, copying only the nodes on the path to a replacement. pre may
// replace a node (or keep it) without descending by returning true; post
// sees each node after its children and may replace it.
func (rw *rewriter) copyPath(n ast.Node, pre func(ast.Node) (ast.Node, bool), post func(orig, n ast.Node) ast.Node) ast.Node {
	v := reflect.ValueOf(n)
	if n == nil || v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return n
	}
	if r, done := pre(n); done {
		return r
	}
	s := v.Elem()
	var cp reflect.Value // lazily made copy of *n
	set := func(i int, x reflect.Value) {
		if !cp.IsValid() {
			cp = reflect.New(s.Type())
			cp.Elem().Set(s)
		}
		cp.Elem().Field(i).Set(x)
	}
	for i := 0; i < s.NumField(); i++ {
		f := s.Field(i)
		if !s.Type().Field(i).IsExported() {
			continue
		}
		switch {
		case f.Kind() == reflect.Slice && f.Type().Elem().Implements(nodeType):
			var ns reflect.Value
			for j := 0; j < f.Len(); j++ {
				e := f.Index(j)
				if e.IsNil() {
					continue
				}
				r := rw.copyPath(e.Interface().(ast.Node), pre, post)
				if r != e.Interface() {
					if !ns.IsValid() {
						ns = reflect.MakeSlice(f.Type(), f.Len(), f.Len())
						reflect.Copy(ns, f)
					}
					ns.Index(j).Set(reflect.ValueOf(r))
				}
			}
			if ns.IsValid() {
				set(i, ns)
			}
		case (f.Kind() == reflect.Interface || f.Kind() == reflect.Pointer) && f.Type().Implements(nodeType):
			if f.IsNil() {
				continue
			}
			old := f.Interface().(ast.Node)
			if r := rw.copyPath(old, pre, post); r != old {
				set(i, reflect.ValueOf(r))
			}
		}
	}
	out := n
	if cp.IsValid() {
		out = cp.Interface().(ast.Node)
		rw.copied(n, out)
	}
	return post(n, out)
}

var nodeType = reflect.TypeFor[ast.Node]()

// hasFuncLit reports whether n contains a function literal, as every cgo
// wrapper is.
func hasFuncLit(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			found = true
		}
		return !found
	})
	return found
}

// copied records cp, a copy of n, in the type information.
func (rw *rewriter) copied(n, cp ast.Node) {
	if e, ok := n.(ast.Expr); ok {
		if tv, ok := rw.info.Types[e]; ok {
			rw.info.Types[cp.(ast.Expr)] = tv
		}
	}
	if obj, ok := rw.info.Implicits[n]; ok {
		rw.info.Implicits[cp] = obj
	}
	if sel, ok := n.(*ast.SelectorExpr); ok {
		if s, ok := rw.info.Selections[sel]; ok {
			rw.info.Selections[cp.(*ast.SelectorExpr)] = s
		}
	}
}

// unwrap returns the C call that the cgo wrapper call stands for, or nil if
// call is not a wrapper. The result is a synthesized *ast.CallExpr
// `(_Cfunc_f)(args)` whose Pos and Lparen are the wrapper's first token,
// which //line maps to the start of `C.f` in the user's file (the
// _Cfunc_f identifier itself maps past the user's statement). Its Rparen is
// the end of the last argument, the user's `)` when no space precedes it.
func (rw *rewriter) unwrap(call *ast.CallExpr) *ast.CallExpr {
	if len(call.Args) != 0 {
		return nil
	}
	var body []ast.Stmt
	switch fun := call.Fun.(type) {
	case *ast.FuncLit:
		// func() T { temps; checks; return _Cfunc_f(...) }()
		if fun.Type.Params.NumFields() != 0 {
			return nil
		}
		body = fun.Body.List
	case *ast.CallExpr:
		// func() func() { temps; return func() { checks; _Cfunc_f(...) } }()()
		lit, ok := fun.Fun.(*ast.FuncLit)
		if !ok || len(fun.Args) != 0 || lit.Type.Params.NumFields() != 0 || len(lit.Body.List) == 0 {
			return nil
		}
		ret, ok := lit.Body.List[len(lit.Body.List)-1].(*ast.ReturnStmt)
		if !ok || len(ret.Results) != 1 {
			return nil
		}
		inner, ok := ret.Results[0].(*ast.FuncLit)
		if !ok {
			return nil
		}
		body = append(append([]ast.Stmt(nil), lit.Body.List[:len(lit.Body.List)-1]...), inner.Body.List...)
	default:
		return nil
	}
	if len(body) == 0 {
		return nil
	}

	// The last statement is the C call.
	var cCall *ast.CallExpr
	switch last := body[len(body)-1].(type) {
	case *ast.ExprStmt:
		cCall, _ = last.X.(*ast.CallExpr)
	case *ast.ReturnStmt:
		if len(last.Results) == 1 {
			cCall, _ = last.Results[0].(*ast.CallExpr)
		}
	}
	if cCall == nil || !isCgoFuncName(calleeName(cCall)) {
		return nil
	}

	// Every other statement defines a _cgo temporary or checks a pointer.
	env := make(map[string]ast.Expr)
	for _, st := range body[:len(body)-1] {
		switch st := st.(type) {
		case *ast.AssignStmt:
			if st.Tok != token.DEFINE || len(st.Lhs) != 1 || len(st.Rhs) != 1 {
				return nil
			}
			id, ok := st.Lhs[0].(*ast.Ident)
			if !ok || !strings.HasPrefix(id.Name, "_cgo") {
				return nil
			}
			env[id.Name] = rw.subst(st.Rhs[0], env)
		case *ast.DeclStmt:
			gd, ok := st.Decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR || len(gd.Specs) != 1 {
				return nil
			}
			vs, ok := gd.Specs[0].(*ast.ValueSpec)
			if !ok || len(vs.Names) != 1 || len(vs.Values) != 1 || !strings.HasPrefix(vs.Names[0].Name, "_cgo") {
				return nil
			}
			env[vs.Names[0].Name] = rw.subst(vs.Values[0], env)
		case *ast.ExprStmt:
			c, ok := st.X.(*ast.CallExpr)
			if !ok || !strings.HasPrefix(calleeName(c), "_cgoCheck") {
				return nil
			}
		default:
			return nil
		}
	}

	// cgo passes every argument through a temporary; a user's closure that
	// merely calls C (`func() { C.f(x) }()`) is not a wrapper.
	if len(cCall.Args) == 0 {
		return nil
	}
	args := make([]ast.Expr, len(cCall.Args))
	for i, a := range cCall.Args {
		id, ok := a.(*ast.Ident)
		if !ok || env[id.Name] == nil {
			return nil
		}
		args[i] = env[id.Name]
	}
	fun := &ast.ParenExpr{Lparen: call.Pos(), X: cCall.Fun, Rparen: call.Pos()}
	out := &ast.CallExpr{Fun: fun, Lparen: call.Pos(), Args: args, Rparen: call.Pos()}
	if len(args) > 0 {
		out.Rparen = args[len(args)-1].End()
	}
	rw.info.Types[fun] = rw.info.Types[cCall.Fun]
	rw.unwrapped[out] = true
	if tv, ok := rw.info.Types[cCall]; ok {
		rw.info.Types[out] = tv
	}
	return out
}

// subst returns e with each _cgo temporary replaced by its definition.
// cgo spells an indexed argument &s[i] as
//
//	_cgoIndex0 := &s; _cgo0 := unsafe.Pointer(&(*_cgoIndex0)[i])
//
// so *_cgoIndexN is replaced by s itself rather than by *&s.
func (rw *rewriter) subst(e ast.Expr, env map[string]ast.Expr) ast.Expr {
	if len(env) == 0 {
		return e
	}
	return rw.copyPath(e, func(n ast.Node) (ast.Node, bool) {
		switch x := n.(type) {
		case *ast.Ident:
			if d, ok := env[x.Name]; ok {
				return d, true
			}
			return x, true
		case *ast.StarExpr:
			if id, ok := x.X.(*ast.Ident); ok {
				if d, ok := env[id.Name].(*ast.UnaryExpr); ok && d.Op == token.AND {
					return d.X, true
				}
			}
		case *ast.FuncLit:
			return x, true // temporaries never occur inside user closures
		}
		return n, false
	}, func(_, n ast.Node) ast.Node { return n }).(ast.Expr)
}

// calleeName returns the name of the identifier a call calls, seen through
// parentheses (cgo writes `( _Cfunc_f )(args)`), or "".
func calleeName(call *ast.CallExpr) string {
	fun := ast.Unparen(call.Fun)
	switch f := fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr: // the raw shape gopls type-checks: C.f
		return f.Sel.Name
	}
	return ""
}
