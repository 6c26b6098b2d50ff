// Package noreturn defines an Analyzer that records which functions never
// return, as x/tools' ctrlflow pass does, at a fraction of its cost. It
// never reports.
//
// cgolint's C-call index gives SSA construction a "no return" predicate
// (ssa.Program.SetNoReturn), so that code after log.Fatal or os.Exit is
// unreachable in SSA as it is at run time. The predicate must know the
// functions of other packages, so it travels as a fact, and an analyzer with
// facts runs on every package of the program, the standard library
// included. ctrlflow, which cgolint used before, builds a control-flow graph
// for every function and function literal of each of them. This pass gives
// the same answers and builds a graph only for a function that might not
// return: one whose body (outside its function literals) has a call
// statement that might not return (panic, a function intrinsically known
// not to return, a function of another package with the fact, a function of
// this package found not to return), a for loop without a condition, an
// empty select, or a goto. Any other function returns on some path, by the rules of
// go/cfg: it needs no graph.
//
// The answers are ctrlflow's: the same intrinsics (syscall.Exit,
// runtime.Goexit, the fatal methods of zap, logrus and klog...), the same
// go/cfg graphs for the candidates, visited in the same order (so that
// recursion within a package is broken at the same point), and, for a
// function of another package, true exactly when it has the fact and this
// package calls it as a statement (in a declared function or a literal),
// as ctrlflow's map holds. The package's tests compare both passes on the
// standard library.
//
// C functions that never return (exit, abort, a library's fatal-error
// function declared noreturn) are known only to the index, which reads the
// knowledge base after this pass has run. [Result.WithC] decides this
// package's functions again with that knowledge, for the index's SSA
// construction: a Go function of the package that always ends in such a
// call does not return either. Those answers stay within the package (no
// fact is exported for them).
package noreturn

import (
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/cfg"
	"golang.org/x/tools/go/types/typeutil"
)

// Analyzer computes the no-return facts of a package's functions.
var Analyzer = &analysis.Analyzer{
	Name:       "noreturn",
	Doc:        "record the functions that never return",
	URL:        "https://pkg.go.dev/github.com/cgolint/cgolint/passes/noreturn",
	Run:        run,
	ResultType: reflect.TypeFor[*Result](),
	FactTypes:  []analysis.Fact{new(noReturn)},
}

// noReturn is a fact indicating that a function does not return.
type noReturn struct{}

func (*noReturn) AFact()         {}
func (*noReturn) String() string { return "noReturn" }

// Result answers for the functions of a package and those it calls.
type Result struct {
	pass     *analysis.Pass
	noReturn map[*types.Func]bool // this package's functions that never return
	order    []*types.Func        // this package's declared functions, in source order

	once     sync.Once
	imported map[*types.Func]bool // called as statements here, from other packages, with the fact
}

// NoReturn reports whether fn cannot return normally: a function of this
// package found not to return, or a function of another package known not
// to return that this package calls as a statement. It is
// ctrlflow.CFGs.NoReturn, for ssa.Program.SetNoReturn.
func (r *Result) NoReturn(fn *types.Func) bool {
	if r.noReturn[fn] {
		return true
	}
	r.once.Do(r.collectImported)
	return r.imported[fn]
}

// collectImported finds the functions of other packages that this package
// calls as statements and that have the fact. It runs only for a package
// whose SSA is built.
func (r *Result) collectImported() {
	r.imported = make(map[*types.Func]bool)
	pass := r.pass
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			s, ok := n.(*ast.ExprStmt)
			if !ok {
				return true
			}
			call, ok := s.X.(*ast.CallExpr)
			if !ok {
				return true
			}
			fn := typeutil.StaticCallee(pass.TypesInfo, call)
			if fn == nil || fn.Pkg() == pass.Pkg || r.imported[fn] {
				return true
			}
			if pass.ImportObjectFact(fn, new(noReturn)) {
				r.imported[fn] = true
			}
			return true
		})
	}
}

type declInfo struct {
	decl    *ast.FuncDecl
	started bool // to break cycles
}

type runner struct {
	pass     *analysis.Pass
	info     *types.Info // pass.TypesInfo, or that of the files WithC was given
	decls    map[*types.Func]*declInfo
	noReturn map[*types.Func]bool
	export   bool                   // export facts (not in WithC's second run)
	cNoRet   func(*types.Func) bool // WithC's C functions; nil in run
}

func run(pass *analysis.Pass) (any, error) {
	r := &runner{pass: pass, info: pass.TypesInfo, export: true}
	order := r.declare(pass.Files)
	for _, fn := range order {
		r.buildDecl(fn, r.decls[fn])
	}
	return &Result{pass: pass, noReturn: r.noReturn, order: order}, nil
}

// declare records the function declarations of files and returns their
// functions in source order.
func (r *runner) declare(files []*ast.File) []*types.Func {
	r.decls = make(map[*types.Func]*declInfo)
	r.noReturn = make(map[*types.Func]bool)
	var order []*types.Func
	for _, f := range files {
		for _, d := range f.Decls {
			if d, ok := d.(*ast.FuncDecl); ok {
				// Type information may be incomplete.
				if fn, ok := r.info.Defs[d.Name].(*types.Func); ok {
					r.decls[fn] = &declInfo{decl: d}
					order = append(order, fn)
				}
			}
		}
	}
	return order
}

// WithC returns the no-return predicate for building the package's SSA
// from files (the package's syntax with cgo's wrapper closures rewritten
// away, info its type information) when cNoReturn reports the cgo
// functions (_Cfunc_exit) of C functions that never return: such a call
// does not return, and neither does a function of the package that always
// ends in one. If cNoReturn holds for no function the package declares,
// it is r.NoReturn.
func (r *Result) WithC(files []*ast.File, info *types.Info, cNoReturn func(*types.Func) bool) func(*types.Func) bool {
	found := false
	for _, fn := range r.order {
		if cNoReturn(fn) {
			found = true
			break
		}
	}
	if !found {
		return r.NoReturn
	}
	c := &runner{pass: r.pass, info: info, cNoRet: cNoReturn}
	for _, fn := range c.declare(files) {
		c.buildDecl(fn, c.decls[fn])
	}
	return func(fn *types.Func) bool {
		return c.noReturn[fn] || r.NoReturn(fn)
	}
}

// buildDecl decides whether fn returns, as ctrlflow's buildDecl does, but
// builds its control-flow graph only if it might not.
func (r *runner) buildDecl(fn *types.Func, di *declInfo) {
	if di.started {
		return // break cycle
	}
	di.started = true

	noreturn, known := knownIntrinsic(fn)
	if !known && r.cNoRet != nil && r.cNoRet(fn) {
		noreturn, known = true, true
	}
	if !known && di.decl.Body != nil && r.mightNotReturn(di.decl.Body) && !r.returnsOnTop(di.decl.Body.List) {
		noreturn = cfg.New(di.decl.Body, r.callMayReturn).NoReturn()
	}
	if noreturn {
		if r.export {
			r.pass.ExportObjectFact(fn, new(noReturn))
		}
		r.noReturn[fn] = true
	}
}

// mightNotReturn reports whether body has what go/cfg needs to find no
// reachable return: a call statement that may not return, a for loop
// without a condition, select {}, or a goto. It asks callMayReturn about the call
// statements in the order go/cfg's builder does (a for loop's body before
// its post statement), so that the same-package functions they call are
// decided in the same order as by ctrlflow.
func (r *runner) mightNotReturn(body *ast.BlockStmt) bool {
	might := false
	var stmt func(s ast.Stmt)
	stmts := func(list []ast.Stmt) {
		for _, s := range list {
			stmt(s)
		}
	}
	// clauses visits the bodies of a switch's or select's clauses, the
	// default one last, as go/cfg does.
	clauses := func(body *ast.BlockStmt) {
		var dflt []ast.Stmt
		for _, c := range body.List {
			switch c := c.(type) {
			case *ast.CaseClause:
				if c.List == nil {
					dflt = c.Body
					continue
				}
				stmts(c.Body)
			case *ast.CommClause:
				if c.Comm == nil {
					dflt = c.Body
					continue
				}
				stmts(c.Body)
			}
		}
		stmts(dflt)
	}
	stmt = func(s ast.Stmt) {
		switch s := s.(type) {
		case *ast.ExprStmt:
			if call, ok := s.X.(*ast.CallExpr); ok && !r.callMayReturn(call) {
				might = true
			}
		case *ast.LabeledStmt:
			stmt(s.Stmt)
		case *ast.BranchStmt:
			if s.Tok == token.GOTO {
				might = true
			}
		case *ast.BlockStmt:
			stmts(s.List)
		case *ast.IfStmt:
			if s.Init != nil {
				stmt(s.Init)
			}
			stmt(s.Body)
			if s.Else != nil {
				stmt(s.Else)
			}
		case *ast.SwitchStmt:
			if s.Init != nil {
				stmt(s.Init)
			}
			clauses(s.Body)
		case *ast.TypeSwitchStmt:
			if s.Init != nil {
				stmt(s.Init)
			}
			clauses(s.Body)
		case *ast.SelectStmt:
			if len(s.Body.List) == 0 {
				might = true // select {} blocks forever
			}
			for _, c := range s.Body.List {
				if comm := c.(*ast.CommClause).Comm; comm != nil {
					stmt(comm)
				}
			}
			clauses(s.Body)
		case *ast.ForStmt:
			if s.Cond == nil {
				might = true
			}
			if s.Init != nil {
				stmt(s.Init)
			}
			stmt(s.Body)
			if s.Post != nil {
				stmt(s.Post)
			}
		case *ast.RangeStmt:
			stmt(s.Body)
		}
	}
	stmts(body.List)
	return might
}

// returnsOnTop reports whether go/cfg would surely find a reachable
// return, judging by the statements themselves: a return or a defer (which
// go/cfg takes as a possible recover) reached from the entry, or the end of
// the body, through statements whose outcome is plain (a call that may
// return passes; an if's branches, a switch's cases and a loop's body are
// entered). Then the function returns and needs no graph; false means "not
// known this way" (a loop without condition and no return on the way, a
// select, a branch statement...). It asks only about calls mightNotReturn
// decided, so the order in which same-package functions are decided is
// ctrlflow's.
func (r *runner) returnsOnTop(list []ast.Stmt) bool {
	return r.list(list) != unknown
}

// What is known of control along a statement.
const (
	unknown  = iota // nothing (it may stop there, or not)
	returned        // a reachable return or defer in it
	passed          // control surely reaches the point after it
)

func (r *runner) list(list []ast.Stmt) int {
	for _, s := range list {
		if out := r.stmt(s); out != passed {
			return out
		}
	}
	return passed
}

func (r *runner) stmt(s ast.Stmt) int {
	switch s := s.(type) {
	case *ast.ReturnStmt, *ast.DeferStmt:
		return returned
	case *ast.BlockStmt:
		return r.list(s.List)
	case *ast.LabeledStmt:
		return r.stmt(s.Stmt) // a goto or break only adds edges
	case *ast.IfStmt:
		if r.stmt(s.Init) != passed {
			return unknown
		}
		then := r.list(s.Body.List)
		switch {
		case then == returned:
			return returned
		case s.Else == nil:
			return passed // the condition may be false
		}
		els := r.stmt(s.Else)
		switch {
		case els == returned:
			return returned
		case then == passed || els == passed:
			return passed
		}
		return unknown
	case *ast.SwitchStmt:
		if r.stmt(s.Init) != passed {
			return unknown
		}
		return r.clauses(s.Body)
	case *ast.TypeSwitchStmt:
		if r.stmt(s.Init) != passed {
			return unknown
		}
		return r.clauses(s.Body)
	case *ast.ForStmt:
		if r.stmt(s.Init) != passed {
			return unknown
		}
		if r.list(s.Body.List) == returned {
			return returned
		}
		if s.Cond != nil {
			return passed
		}
		return unknown
	case *ast.RangeStmt:
		if r.list(s.Body.List) == returned {
			return returned
		}
		return passed
	case *ast.SelectStmt:
		for _, c := range s.Body.List {
			if comm := c.(*ast.CommClause).Comm; comm != nil && r.stmt(comm) != passed {
				return unknown
			}
		}
		for _, c := range s.Body.List {
			if r.list(c.(*ast.CommClause).Body) == returned {
				return returned
			}
		}
		return unknown
	case nil, *ast.AssignStmt, *ast.IncDecStmt, *ast.SendStmt, *ast.GoStmt,
		*ast.EmptyStmt, *ast.DeclStmt:
		return passed
	case *ast.ExprStmt:
		if call, ok := s.X.(*ast.CallExpr); ok && !r.callMayReturn(call) {
			return unknown
		}
		return passed
	}
	return unknown // a branch statement
}

// clauses is the outcome of a switch's body: every case is entered; control
// passes the switch without a default, or if a case passes.
func (r *runner) clauses(body *ast.BlockStmt) int {
	out := passed
	if hasDefault(body) {
		out = unknown
	}
	for _, c := range body.List {
		switch r.list(c.(*ast.CaseClause).Body) {
		case returned:
			return returned
		case passed:
			out = passed
		}
	}
	return out
}

// hasDefault reports whether a switch's body has a default clause.
func hasDefault(body *ast.BlockStmt) bool {
	for _, c := range body.List {
		if c.(*ast.CaseClause).List == nil {
			return true
		}
	}
	return false
}

// callMayReturn reports whether the called function may return. It is
// ctrlflow's.
func (r *runner) callMayReturn(call *ast.CallExpr) bool {
	if id, ok := call.Fun.(*ast.Ident); ok && r.info.Uses[id] == panicBuiltin {
		return false // panic never returns
	}
	fn := typeutil.StaticCallee(r.info, call)
	if fn == nil {
		return true // callee not statically known; be conservative
	}
	if fn.Pkg() != r.pass.Pkg {
		return !r.pass.ImportObjectFact(fn, new(noReturn))
	}
	if di, ok := r.decls[fn]; ok {
		r.buildDecl(fn, di)
		return !r.noReturn[fn]
	}
	return !r.pass.ImportObjectFact(fn, new(noReturn))
}

var panicBuiltin = types.Universe.Lookup("panic").(*types.Builtin)

// knownIntrinsic reports whether a function intrinsically never returns,
// or returns contrary to its apparent body; it is ctrlflow's list.
func knownIntrinsic(fn *types.Func) (noreturn, known bool) {
	if isFunctionNamed(fn, "syscall", "Exit", "ExitProcess", "ExitThread") ||
		isFunctionNamed(fn, "runtime", "Goexit", "fatalthrow", "fatalpanic", "exit") ||
		isMethodNamed(fn, "go.uber.org/zap", "Logger", "Fatal", "Panic") ||
		isMethodNamed(fn, "go.uber.org/zap", "SugaredLogger", "Fatal", "Fatalw", "Fatalf", "Panic", "Panicw", "Panicf") ||
		isMethodNamed(fn, "github.com/sirupsen/logrus", "Logger", "Exit", "Panic", "Panicf", "Panicln") ||
		isMethodNamed(fn, "github.com/sirupsen/logrus", "Entry", "Panicf", "Panicln") ||
		isFunctionNamed(fn, "k8s.io/klog", "Exit", "ExitDepth", "Exitf", "Exitln", "Fatal", "FatalDepth", "Fatalf", "Fatalln") ||
		isFunctionNamed(fn, "k8s.io/klog/v2", "Exit", "ExitDepth", "Exitf", "Exitln", "Fatal", "FatalDepth", "Fatalf", "Fatalln") {
		return true, true
	}
	if isFunctionNamed(fn, "internal/abi", "EscapeNonString") ||
		isFunctionNamed(fn, "hash/maphash", "Comparable") {
		return false, true
	}
	return false, false
}

// isFunctionNamed reports whether fn is a package-level function of the
// package with the given path named one of names (typesinternal's).
func isFunctionNamed(fn *types.Func, pkgPath string, names ...string) bool {
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != pkgPath || fn.Signature().Recv() != nil {
		return false
	}
	for _, n := range names {
		if fn.Name() == n {
			return true
		}
	}
	return false
}

// isMethodNamed reports whether fn is a method of the named type typeName
// of package pkgPath, named one of names (typesinternal's).
func isMethodNamed(fn *types.Func, pkgPath, typeName string, names ...string) bool {
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != pkgPath {
		return false
	}
	recv := fn.Signature().Recv()
	if recv == nil {
		return false
	}
	t := recv.Type()
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok || named.Obj().Name() != typeName {
		return false
	}
	for _, n := range names {
		if fn.Name() == n {
			return true
		}
	}
	return false
}
