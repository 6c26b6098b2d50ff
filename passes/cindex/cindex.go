// Package cindex defines an Analyzer that indexes the calls to C functions of
// a package, in SSA form, for the cgolint analyzers. It never reports.
//
// # What the analysis framework hands us
//
// A cgo package reaches an analyzer as cmd/cgo's output: the files are
// _cgo_gotypes.go, x.cgo1.go (with //line comments that map back to the
// user's x.go) and _cgo_import.go, under build-cache names. C.f(...) is a
// call of the Go function _Cfunc_f declared in _cgo_gotypes.go; C.malloc is
// _Cfunc__CMalloc; `r, err := C.f()` calls _C2func_f; C.CString, C.CBytes,
// C.GoString, C.GoStringN and C.GoBytes are _Cfunc_<name> Go functions.
// A call with a pointer-typed argument is wrapped in an immediately invoked
// closure that calls _cgoCheckPointer (see rewrite.go).
//
// # Design choice: rewrite the wrappers away before building SSA
//
// Built as they are, cgo's wrapper closures turn every variable they capture
// into a heap cell (Alloc, Store, Load) and move each wrapped C call into an
// anonymous function the user never wrote. cindex does not try to resolve
// those cells afterwards, which would mean re-implementing SSA lifting for
// them. It rewrites each wrapper back into the call the user wrote before
// building SSA (on a path copy of the syntax, never on pass.Files, and with
// a private copy of the type information). The payoffs: captured variables
// are ordinary SSA registers, a deferred C call's arguments are evaluated at
// the defer statement as in Go, and there is no "wrapper function" for any
// consumer to skip. The same index reads the raw shape gopls type-checks
// (C.f resolved to _Cfunc_f, no wrappers), since it recognises C calls by
// their callee's name, not by the wrapper.
//
// # Cost
//
// SSA is built only for packages that need it: eagerly for a package that
// uses cgo (its C calls are the index), lazily through [Index.SSA] for any
// other package whose analyzers ask (LockOSThread users, os/signal users,
// importers of functions with facts). cindex has no FactTypes, so it runs only
// where a hazard analyzer runs, and a package that nobody asks about costs no
// SSA construction at all; a test keeps that promise. The no-return
// information SSA construction needs comes from package noreturn, which
// gives x/tools' ctrlflow's answers but builds a control-flow graph only
// for the few functions that might not return: ctrlflow built one for
// every function of every package, the standard library included, which
// was most of cgolint's cost on plain Go code.
//
// # Positions
//
// Each [Call] carries the user's call expression (Syntax) and its position,
// which //line maps to the user's file. The SSA positions inside a rewritten
// function are those of the cooked file too; never build text edits from
// them: use [Index.RawFile] to reach the user's source.
package cindex

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/passes/cfuncs"
	"github.com/cgolint/cgolint/passes/config"
	"github.com/cgolint/cgolint/passes/csrc"
	"github.com/cgolint/cgolint/passes/noreturn"
)

// Analyzer is the index with the built-in knowledge base and no user
// configuration. Drivers that read a configuration build their own with New.
var Analyzer = New(nil)

// New returns an index analyzer that classifies C functions with cfg's
// knowledge base. cfg is read when the analyzer runs, not when it is built,
// so a driver may fill it in while parsing flags; nil means no configuration.
func New(cfg *config.Config) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:       "cindex",
		Doc:        "index calls to C functions for later passes",
		URL:        "https://pkg.go.dev/github.com/cgolint/cgolint/passes/cindex",
		Requires:   []*analysis.Analyzer{noreturn.Analyzer},
		ResultType: reflect.TypeFor[*Index](),
		Run: func(pass *analysis.Pass) (any, error) {
			return run(pass, cfg)
		},
	}
}

// Kind says what a C call is, as far as the Go side can tell.
type Kind uint8

const (
	// CFunc is a call of a C function (including C.malloc).
	CFunc Kind = iota
	// Helper is a call of one of cgo's Go helpers: C.CString, C.CBytes,
	// C.GoString, C.GoStringN, C.GoBytes.
	Helper
)

// A Call is one call of a C function the user wrote.
type Call struct {
	Name      string              // C name: "free", "malloc" (for C.malloc), "CString" for helpers
	Kind      Kind                // CFunc or Helper
	Info      *cfuncs.Func        // knowledge-base roles; nil for an unknown C function (it borrows)
	Func      *ssa.Function       // enclosing user function (a user closure, a method, init...)
	Instr     ssa.CallInstruction // the *ssa.Call, *ssa.Defer or *ssa.Go
	Args      []ssa.Value         // argument values as the user's call passes them
	Deferred  bool                // `defer C.f(...)`: Args are the values at the defer statement
	Go        bool                // `go C.f(...)`
	TwoResult bool                // `r, err := C.f(...)`: Value is a tuple (result, errno error)
	Syntax    *ast.CallExpr       // the call in the syntax SSA was built from (cooked positions)

	pos, end token.Pos // the user's call in the user's file
}

// Value returns the call's result (a tuple for TwoResult calls), or nil for
// a deferred or go call.
func (c *Call) Value() ssa.Value {
	if v, ok := c.Instr.(*ssa.Call); ok {
		return v
	}
	return nil
}

// Pos returns the position of the `C.` of the user's call, in the user's
// file. Report C-call findings here.
func (c *Call) Pos() token.Pos { return c.pos }

// End returns the position just past the user's call, in the user's file,
// or token.NoPos when it is not known exactly.
func (c *Call) End() token.Pos { return c.end }

// Index is the result of the cindex analyzer. Its methods are safe for
// concurrent use by the analyzers that share it.
type Index struct {
	pass    *analysis.Pass
	cfg     *config.Config
	kb      *cfuncs.KB
	csrc    *csrc.Result // what the package's C code does; nil without cgo
	kbOnce  sync.Once
	usesCgo bool
	std     bool
	noret   *noreturn.Result

	once  sync.Once
	files []*ast.File // the syntax SSA was built from
	ssa   *SSA
	err   error
	calls []*Call
	byIns map[ssa.CallInstruction]*Call

	callsOnce sync.Once
	byLparen  map[token.Pos]*ast.CallExpr // every call of files, by Lparen
	unwrapped map[*ast.CallExpr]bool      // calls rewritten from cgo's wrappers

	rawMu sync.Mutex
	raw   map[string]*rawFile // the user's files behind //line, by name
}

// SSA is a package in SSA form: the same shape as buildssa's result.
type SSA struct {
	Pkg      *ssa.Package
	SrcFuncs []*ssa.Function // source functions and their closures, in source order
	// Info is the type information of the syntax SSA was built from: in a
	// cgo package it also covers the nodes that replaced cgo's wrappers.
	Info *types.Info
}

// Enabled reports whether the user's configuration leaves the named check
// on. A disabled check's Run returns at once: the same configuration then
// works in every driver, whatever analyzers it was given.
func (x *Index) Enabled(check string) bool { return x.cfg.Enabled(check) }

// Check runs a hazard analyzer's check on pass with the index it Requires:
// nothing when the user's configuration disables the analyzer, the index's
// error when the package cannot be checked, and a panic in check turned
// into an error naming the analyzer and the package, so that one odd
// function cannot bring down every driver. Use it as the analyzer's Run.
func Check(pass *analysis.Pass, index *analysis.Analyzer, check func(*Index) error) (_ any, err error) {
	idx, err := For(pass, index)
	if idx == nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: internal error in %s: %v", pass.Analyzer.Name, pass.Pkg.Path(), r)
		}
	}()
	return nil, check(idx)
}

// For returns the index that the hazard analyzer running in pass reads
// (index is the cindex analyzer it Requires). It returns nil and no error
// when the user's configuration disables the analyzer, and an error when
// the package cannot be checked (its cgo files were skipped), which the
// analyzer should return from Run so that every driver prints it.
func For(pass *analysis.Pass, index *analysis.Analyzer) (*Index, error) {
	x := pass.ResultOf[index].(*Index)
	if x.err != nil {
		return nil, x.err
	}
	if !x.Enabled(pass.Analyzer.Name) {
		return nil, nil
	}
	return x, nil
}

// Std reports whether the package is in the standard library. The index
// treats it as having no C calls (net and os/user use cgo by design); the
// hazard analyzers know the standard library by name, not by facts.
func (x *Index) Std() bool { return x.std }

// UsesCgo reports whether the package uses cgo.
func (x *Index) UsesCgo() bool { return x.usesCgo }

// KB returns the knowledge base in force for this package: the built-in
// table, the user's configuration and what the package's cgo preambles
// define.
func (x *Index) KB() *cfuncs.KB {
	x.kbOnce.Do(func() {
		if x.kb == nil {
			// A package without cgo: the shipped data is parsed only if
			// a check asks (under go vet, each package is a process).
			x.kb = x.cfg.KB()
		}
	})
	return x.kb
}

// CSource returns what the C front end read of the package's C code (its
// preambles and .c files): the roles it inferred (already in KB), the
// functions that run at load time, and what it could not read. It is
// empty, never nil, for a package without cgo.
func (x *Index) CSource() *csrc.Result {
	if x.csrc == nil {
		return &csrc.Result{}
	}
	return x.csrc
}

// CPos returns the position of line:col of a C file (a .c file, or the Go
// file of a preamble) in the pass's FileSet, adding the file to it once, so
// that a diagnostic's Related information can point into C code in every
// driver. It returns token.NoPos if the file cannot be read.
func (x *Index) CPos(file string, line, col int) token.Pos {
	rf := x.rawFileNamed(file)
	if rf == nil {
		return token.NoPos
	}
	if col < 1 {
		col = 1
	}
	if p, ok := rf.pos(line, col); ok {
		return p
	}
	if p, ok := rf.pos(line, 1); ok {
		return p
	}
	return token.NoPos
}

// ImportC returns the position of `import "C"` in the user's Go file
// named file, or, when file is not one of the package's Go files (a .c
// file), in the first of them by name: where findings about the package's
// C code as a whole (what runs at load time) are reported.
func (x *Index) ImportC(file string) token.Pos {
	var names []string
	seen := map[string]bool{}
	for _, f := range x.pass.Files {
		if isCgoGenerated(x.pass.Fset, f) {
			continue
		}
		n := userFile(x.pass.Fset, f)
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	slices.Sort(names)
	if seen[file] {
		names = append([]string{file}, names...)
	}
	for _, n := range names {
		rf := x.rawFileNamed(n)
		if rf == nil {
			continue
		}
		fs := token.NewFileSet()
		f, err := parser.ParseFile(fs, n, rf.content, parser.ImportsOnly)
		if err != nil {
			continue
		}
		for _, imp := range f.Imports {
			if imp.Path.Value == `"C"` {
				return rf.tf.Pos(fs.File(imp.Pos()).Offset(imp.Pos()))
			}
		}
	}
	return token.NoPos
}

// Calls returns every C call of the package, in source order. For a
// package without cgo it returns nil and builds nothing.
func (x *Index) Calls() []*Call {
	if !x.usesCgo {
		return nil
	}
	x.build()
	return x.calls
}

// CallsTo returns the calls of the named C function, in source order.
func (x *Index) CallsTo(name string) []*Call {
	var out []*Call
	for _, c := range x.Calls() {
		if c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

// CallOf returns the C call that instr is, or nil.
func (x *Index) CallOf(instr ssa.CallInstruction) *Call {
	if !x.usesCgo {
		return nil
	}
	x.build()
	return x.byIns[instr]
}

// SSA returns the package in SSA form, building it on first use. It
// returns an error only if construction failed.
func (x *Index) SSA() (*SSA, error) {
	x.build()
	return x.ssa, x.err
}

// buildHook, when set by a test, is called each time SSA is built.
var buildHook func(*types.Package)

func run(pass *analysis.Pass, cfg *config.Config) (any, error) {
	x := &Index{pass: pass, cfg: cfg, noret: pass.ResultOf[noreturn.Analyzer].(*noreturn.Result)}
	if err := checkNotSkipped(pass); err != nil {
		// Returned to every hazard analyzer by For: go vet prints only the
		// errors of the analyzers it was asked to run, not of their
		// prerequisites.
		x.err = err
		return x, nil
	}
	x.std = isStd(pass)
	x.usesCgo = !x.std && usesCgo(pass)
	if !x.usesCgo {
		return x, nil // no need to build anything (not even the KB) until asked
	}
	// What the preamble defines only fills in functions that neither the
	// configuration nor the shipped data declares: declared knowledge wins.
	kb := cfg.KB()
	var pkgs []string
	x.csrc, pkgs = cSource(pass, kb, cfg)
	defs := make(map[string]*cfuncs.Func, len(x.csrc.Funcs))
	for _, f := range x.csrc.Funcs {
		defs[f.Name] = f
	}
	gir := girFuncs(cfg, pkgs, kb)
	cfuncs.PreferDeclaredDealloc(defs, gir)
	funcs := make([]*cfuncs.Func, len(x.csrc.Funcs))
	for i, f := range x.csrc.Funcs {
		funcs[i] = defs[f.Name]
	}
	x.kb = kb.Fill(funcs...).Fill(gir...)
	// A failed build is x.err, which For returns to every hazard analyzer,
	// as for skipped files: go vet prints only the errors of the analyzers
	// it was asked to run (an error of cindex would reach the user as
	// "failed prerequisites: cindex").
	x.build()
	return x, nil
}

// isStd reports whether the package's files are in GOROOT.
func isStd(pass *analysis.Pass) bool {
	if len(pass.Files) == 0 {
		return false
	}
	goroot := filepath.Join(build.Default.GOROOT, "src") + string(filepath.Separator)
	return strings.HasPrefix(pass.Fset.Position(pass.Files[0].Package).Filename, goroot)
}

// usesCgo reports whether the package was processed by cgo (or, in the raw
// shape gopls type-checks, imports "C").
func usesCgo(pass *analysis.Pass) bool {
	for _, imp := range pass.Pkg.Imports() {
		if imp.Path() == "runtime/cgo" {
			return true
		}
	}
	for _, f := range pass.Files {
		for _, imp := range f.Imports {
			if imp.Path.Value == `"C"` {
				return true
			}
		}
	}
	return false
}

func (x *Index) build() {
	x.once.Do(func() {
		defer func() {
			if r := recover(); r != nil {
				x.err = fmt.Errorf("cindex: internal error building SSA for %s: %v", x.pass.Pkg.Path(), r)
			}
		}()
		x.ssa = x.buildSSA()
		if x.usesCgo {
			x.index()
		}
	})
}

// buildSSA builds the package as buildssa does, from the rewritten syntax
// in a cgo package.
func (x *Index) buildSSA() *SSA {
	pass := x.pass
	if buildHook != nil {
		buildHook(pass.Pkg)
	}
	files, info := pass.Files, pass.TypesInfo
	if x.usesCgo {
		rw := newRewriter(pass.TypesInfo)
		x.unwrapped = rw.unwrapped
		files = make([]*ast.File, len(pass.Files))
		for i, f := range pass.Files {
			files[i] = rw.file(f)
		}
		info = rw.info
	}

	prog := ssa.NewProgram(pass.Fset, 0)
	noret := x.noret.NoReturn
	if x.usesCgo {
		noret = x.noret.WithC(files, info, x.cNoReturn)
	}
	prog.SetNoReturn(noret)
	for _, p := range pass.Pkg.Imports() {
		prog.CreatePackage(p, nil, nil, true)
	}
	pkg := prog.CreatePackage(pass.Pkg, files, info, false)
	pkg.Build()

	var funcs []*ssa.Function
	var add func(f *ssa.Function)
	add = func(f *ssa.Function) {
		funcs = append(funcs, f)
		for _, anon := range f.AnonFuncs {
			add(anon)
		}
	}
	for _, f := range files {
		if isCgoGenerated(pass.Fset, f) {
			continue
		}
		for _, decl := range f.Decls {
			if decl, ok := decl.(*ast.FuncDecl); ok {
				if fn, ok := info.Defs[decl.Name].(*types.Func); ok {
					if f := prog.FuncValue(fn); f != nil {
						add(f)
					}
				}
			}
		}
	}
	// Package-level var initializers live in the package's init function.
	if init := pkg.Func("init"); init != nil {
		add(init)
	}
	x.files = files
	return &SSA{Pkg: pkg, SrcFuncs: funcs, Info: info}
}

// index finds every C call in the source functions.
func (x *Index) index() {
	x.byIns = make(map[ssa.CallInstruction]*Call)
	for _, fn := range x.ssa.SrcFuncs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				ci, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				if c := x.classify(fn, ci); c != nil {
					x.calls = append(x.calls, c)
					x.byIns[ci] = c
				}
			}
		}
	}
	slices.SortStableFunc(x.calls, func(a, b *Call) int {
		pa, pb := x.pass.Fset.Position(a.Pos()), x.pass.Fset.Position(b.Pos())
		return cmp.Or(cmp.Compare(pa.Filename, pb.Filename), cmp.Compare(pa.Offset, pb.Offset))
	})
}

// classify returns the Call that ci is, or nil if it calls no C function.
func (x *Index) classify(fn *ssa.Function, ci ssa.CallInstruction) *Call {
	common := ci.Common()
	callee := common.StaticCallee()
	if callee == nil || callee.Object() == nil || callee.Pkg != x.ssa.Pkg {
		return nil
	}
	name, kind, two, ok := cName(callee.Name())
	if !ok {
		return nil
	}
	syntax := x.syntaxAt(common.Pos())
	if syntax == nil {
		return nil // not a call the user wrote
	}
	c := &Call{
		Name:      name,
		Kind:      kind,
		Info:      x.kb.Lookup(name),
		Func:      fn,
		Instr:     ci,
		Args:      common.Args,
		TwoResult: two,
		Syntax:    syntax,
	}
	c.pos, c.end = x.userSpan(syntax, name)
	switch ci.(type) {
	case *ssa.Defer:
		c.Deferred = true
	case *ssa.Go:
		c.Go = true
	}
	return c
}

// cName decodes the Go name cgo gives a C function.
func cName(goName string) (name string, kind Kind, twoResult, ok bool) {
	switch {
	case goName == "_Cfunc__CMalloc":
		return "malloc", CFunc, false, true
	case strings.HasPrefix(goName, "_C2func_"):
		return strings.TrimPrefix(goName, "_C2func_"), CFunc, true, true
	case strings.HasPrefix(goName, "_Cfunc_"):
		name := strings.TrimPrefix(goName, "_Cfunc_")
		switch name {
		case "CString", "CBytes", "GoString", "GoStringN", "GoBytes":
			return name, Helper, false, true
		}
		return name, CFunc, false, true
	}
	return "", 0, false, false
}

// cNoReturn reports whether fn is cgo's function for a C function that the
// knowledge base says never returns (exit, abort, a library's fatal-error
// function): SSA construction ends the path at its calls.
func (x *Index) cNoReturn(fn *types.Func) bool {
	if fn.Pkg() != x.pass.Pkg {
		return false
	}
	name, kind, _, ok := cName(fn.Name())
	if !ok || kind != CFunc {
		return false
	}
	f := x.KB().Lookup(name)
	return f != nil && f.NoReturn
}

// isCgoFuncName reports whether a Go identifier names a C function as cgo spells it.
func isCgoFuncName(goName string) bool {
	_, _, _, ok := cName(goName)
	return ok
}

// syntaxAt returns the user's C call expression whose SSA position (its
// Lparen) is pos, in the syntax SSA was built from, or nil.
func (x *Index) syntaxAt(pos token.Pos) *ast.CallExpr {
	if call := x.callExprAt(pos); call != nil && isCgoFuncName(calleeName(call)) {
		return call
	}
	return nil
}

// CallExpr returns the call expression whose Lparen is lparen (an SSA call
// instruction's Common().Pos()) in the syntax SSA was built from, or nil.
// In a cgo package that syntax is cindex's rewrite, so a C call that cgo
// wrapped is found here and not in pass.Files. The map is built once per
// package and shared by every check.
func (x *Index) CallExpr(lparen token.Pos) *ast.CallExpr {
	x.build()
	return x.callExprAt(lparen)
}

// callExprAt is CallExpr once SSA is built (or while it is being indexed).
func (x *Index) callExprAt(lparen token.Pos) *ast.CallExpr {
	x.callsOnce.Do(func() {
		x.byLparen = make(map[token.Pos]*ast.CallExpr)
		for _, f := range x.files {
			if isCgoGenerated(x.pass.Fset, f) {
				continue
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok {
					x.byLparen[call.Lparen] = call
				}
				return true
			})
		}
	})
	return x.byLparen[lparen]
}

// isCgoGenerated reports whether f is one of cgo's own files
// (_cgo_gotypes.go, _cgo_import.go, under build-cache names), as opposed to
// a user's file that cgo cooked (whose //line comments name the user's file).
func isCgoGenerated(fset *token.FileSet, f *ast.File) bool {
	if fset.Position(f.Package).Filename != fset.File(f.FileStart).Name() {
		return false // cooked: //line names the user's file
	}
	for _, cg := range f.Comments {
		if cg.Pos() > f.Package {
			break
		}
		for _, c := range cg.List {
			if c.Text == "// Code generated by cmd/cgo; DO NOT EDIT." {
				return true
			}
		}
	}
	return false
}

// Unconvert returns v without the pointer conversions that C calls are
// written with: unsafe.Pointer(p), (*C.char)(q) and changes of named type,
// so the argument of C.free(unsafe.Pointer(p)) is p itself.
func Unconvert(v ssa.Value) ssa.Value {
	for {
		switch c := v.(type) {
		case *ssa.ChangeType:
			v = c.X
		case *ssa.Convert:
			if !IsPointerLike(c.Type()) || !IsPointerLike(c.X.Type()) {
				return v
			}
			v = c.X
		default:
			return v
		}
	}
}

// IsPointerLike reports whether t is a pointer or unsafe.Pointer: the
// types Unconvert looks through.
func IsPointerLike(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		return true
	case *types.Basic:
		return u.Kind() == types.UnsafePointer
	}
	return false
}

// ExprString returns e as the user wrote it, with the names cgo gave C
// entities (_Cfunc_f, _Ctype_char, ...) turned back into C.name: for
// messages and suggested fixes that quote the user's code.
func ExprString(e ast.Expr) string {
	s := types.ExprString(e)
	s = strings.ReplaceAll(s, "_Cfunc__CMalloc", "C.malloc")
	for _, p := range []string{"_Ctype_", "_Cfunc_", "_Cvar_", "_Cmacro_", "_Ciconst_", "_Cfconst_", "_Csconst_"} {
		s = strings.ReplaceAll(s, p, "C.")
	}
	return s
}
