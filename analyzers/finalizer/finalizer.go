package finalizer

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/internal/docutil"
	"github.com/cgolint/cgolint/internal/ssaflow"
	"github.com/cgolint/cgolint/passes/cindex"
)

//go:embed doc.go
var doc string

// Analyzer is the finalizer check on the default C-call index.
var Analyzer = New(cindex.Analyzer)

// New returns a finalizer analyzer that reads the given C-call index (an analyzer
// built by cindex.New).
func New(index *analysis.Analyzer) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:      "finalizer",
		Doc:       docutil.MustExtract(doc, "finalizer"),
		URL:       "https://pkg.go.dev/github.com/cgolint/cgolint/analyzers/finalizer",
		Requires:  []*analysis.Analyzer{index},
		FactTypes: []analysis.Fact{new(finalizedFact), new(releasesFact)},
		Run: func(pass *analysis.Pass) (any, error) {
			return cindex.Check(pass, index, func(idx *cindex.Index) error { return run(pass, idx) })
		},
	}
}

// Categories.
const (
	catBadObject     = "bad-object"
	catBadFunc       = "bad-func"
	catNeverRuns     = "never-runs"
	catDoubleRelease = "double-release"
	catKeepAlive     = "keepalive"
)

func run(pass *analysis.Pass, idx *cindex.Index) (err error) {
	if idx.Std() {
		return nil // the standard library is known by name
	}
	if !interesting(pass, idx) {
		return nil // no finalizers, no C calls, nothing with our facts: no SSA
	}
	s, err := idx.SSA()
	if err != nil {
		return err
	}
	r := &runner{
		pass:     pass,
		idx:      idx,
		ssa:      s,
		raw:      make(map[*ssa.Function][]release),
		unsafe:   make(map[*ssa.Function]map[relKey]*event),
		disarms:  make(map[*ssa.Function]map[int]bool),
		types:    make(map[*types.TypeName]*finType),
		imported: make(map[*types.TypeName]*finType),
		finFuncs: make(map[*ssa.Function]bool),
		calls:    make(map[*ssa.Function][]*cindex.Call),
		rawFiles: make(map[string]*ast.File),
	}
	for _, c := range idx.Calls() {
		r.calls[c.Func] = append(r.calls[c.Func], c)
	}
	r.learnDestructors()
	r.computeRaw()
	r.finalizerSites()
	r.exportFacts()
	r.computeDisarms()
	r.computeUnsafe()
	r.reportDoubleRelease()
	r.reportKeepAlive()
	return nil
}

// interesting reports whether the package might have something to say: it
// uses runtime.SetFinalizer or runtime.AddCleanup, uses cgo, or uses a type
// or function that carries one of our facts.
func interesting(pass *analysis.Pass, idx *cindex.Index) bool {
	if idx.UsesCgo() {
		return true
	}
	for _, obj := range pass.TypesInfo.Uses {
		if obj.Pkg() == nil || obj.Pkg() == pass.Pkg {
			continue
		}
		switch obj := obj.(type) {
		case *types.Func:
			if obj.Pkg().Path() == "runtime" && (obj.Name() == "SetFinalizer" || obj.Name() == "AddCleanup") {
				return true
			}
			if pass.ImportObjectFact(obj, new(releasesFact)) {
				return true
			}
		case *types.TypeName:
			if pass.ImportObjectFact(obj, new(finalizedFact)) {
				return true
			}
		}
	}
	return false
}

// runner holds the state of one pass.
type runner struct {
	pass *analysis.Pass
	idx  *cindex.Index
	ssa  *cindex.SSA

	raw      map[*ssa.Function][]release         // what each function releases, whatever it disarms
	unsafe   map[*ssa.Function]map[relKey]*event // releases on a path that does not disarm
	disarms  map[*ssa.Function]map[int]bool      // parameters disarmed on every path
	types    map[*types.TypeName]*finType        // finalized types of this package
	imported map[*types.TypeName]*finType        // finalized types from facts
	finFuncs map[*ssa.Function]bool              // functions used as finalizers or cleanups
	calls    map[*ssa.Function][]*cindex.Call    // C calls by enclosing function
	rawFiles map[string]*ast.File                // parsed user files, for fixes

	paramEscapes map[*ssa.Function]map[int]bool // parameters a function lets escape

	learned map[string]bool // C functions the package's finalizers release fields with
}

// A finType is a type with a finalizer or cleanup, and what it releases.
type finType struct {
	fields    map[string]string // released field path -> "C.f" that releases it
	vias      map[string]bool   // every "C.f" the finalizer releases a field with
	guards    map[string]bool   // fields the finalizer tests
	finalizer string
	cleanup   bool
	at        token.Pos // a SetFinalizer/AddCleanup call, in the user's file (this package only)
}

type relKey struct {
	param int
	field string
}

// An event is a release found in a function: a C call, or a call of a
// function that releases.
type event struct {
	instr   ssa.CallInstruction
	via     string        // "C.free"
	through *ssa.Function // the Go function called, or nil for a direct C call
	call    *cindex.Call  // the direct C call, or nil
}

// ---- releases ----

// releasesArg reports whether the C call c releases its argument i: the
// knowledge base says it frees or takes it; or, the argument being the
// call's only pointer, the pairing of types says it is its destructor
// (ssaflow.TypeDestructor: git_repository_free(git_repository *)), or a
// finalizer of the package ends with that function on a field of its
// object (learnDestructors). A name alone proves nothing:
// x_user_delete(db, name) deletes a record.
func (r *runner) releasesArg(c *cindex.Call, i int) bool {
	if c.Kind != cindex.CFunc {
		return false
	}
	if c.Info.FreesArg(i) || c.Info.TakesArg(i) {
		return true
	}
	if ssaflow.TypeDestructor(c.Name, c.Args, i) {
		return true
	}
	return r.learned[c.Name] && onlyPointer(c, i)
}

// onlyPointer reports whether argument i is the only pointer argument of c.
func onlyPointer(c *cindex.Call, i int) bool {
	if i >= len(c.Args) || !ssaflow.IsAddressLike(ssaflow.UnconvertHandle(c.Args[i]).Type()) {
		return false
	}
	for j, a := range c.Args {
		if j != i && ssaflow.IsAddressLike(ssaflow.UnconvertHandle(a).Type()) {
			return false
		}
	}
	return true
}

// learnDestructors records the C functions that a finalizer or cleanup of
// the package calls last on a field of its object (or on the cleanup's
// argument), with that as their only pointer argument: whatever their
// names, that is how the package releases the field.
func (r *runner) learnDestructors() {
	r.learned = make(map[string]bool)
	reach := ssaflow.NewReach()
	for _, fn := range r.ssa.SrcFuncs {
		ssaflow.ForCalls(fn, func(ci ssa.CallInstruction) {
			args := ci.Common().Args
			var f ssa.Value
			switch runtimeFunc(ci.Common()) {
			case "SetFinalizer":
				if len(args) == 2 {
					f = args[1]
				}
			case "AddCleanup":
				if len(args) == 3 {
					f = args[1]
				}
			}
			if mi, ok := f.(*ssa.MakeInterface); ok {
				f = mi.X
			}
			if f == nil {
				return
			}
			fin, _ := resolve(f)
			if fin == nil || len(fin.Params) == 0 {
				return
			}
			p := fin.Params[0]
			byPath := make(map[string][]*cindex.Call)
			for _, c := range r.calls[fin] {
				for j, a := range c.Args {
					base, path := ssaflow.LoadPath(a)
					if c.Kind != cindex.CFunc || !onlyPointer(c, j) || base != p && ssaflow.UnconvertHandle(a) != p {
						continue
					}
					byPath[path] = append(byPath[path], c)
				}
			}
			for _, cs := range byPath {
				for _, c := range cs {
					last := true
					for _, d := range cs {
						if d != c && reach.Reaches(c.Instr, d.Instr) {
							last = false
						}
					}
					if last {
						r.learned[c.Name] = true
					}
				}
			}
		})
	}
}

// paramIndex returns the index of v among fn's parameters, or -1; a
// parameter asserted to its type counts (func free(v any) { v.(*T).Close() }).
func paramIndex(fn *ssa.Function, v ssa.Value) int {
	if ta, ok := v.(*ssa.TypeAssert); ok && !ta.CommaOk {
		v = ta.X
	}
	return ssaflow.ParamIndex(fn, v)
}

func joinPath(a, b string) (string, bool) {
	switch {
	case a == "":
		return b, true
	case b == "":
		return a, true
	}
	return "", false // two levels: not followed
}

// calleeReleases returns what the static callee of a Go call releases, from
// this package's summaries or from facts.
func (r *runner) calleeReleases(callee *ssa.Function, summary map[*ssa.Function][]release) []release {
	if callee == nil {
		return nil
	}
	if callee.Pkg == r.ssa.Pkg {
		return summary[callee]
	}
	if callee.Synthetic != "" && summary != nil {
		return r.wrapperReleases(callee, summary, 0)
	}
	if obj, ok := callee.Object().(*types.Func); ok && obj.Pkg() != nil && obj.Pkg() != r.pass.Pkg {
		var f releasesFact
		if r.pass.ImportObjectFact(obj, &f) {
			return f.Releases
		}
	}
	return nil
}

// wrapperReleases returns what a synthetic function (a wrapper for a
// promoted method, a method-expression thunk) releases, from what it calls.
func (r *runner) wrapperReleases(fn *ssa.Function, summary map[*ssa.Function][]release, depth int) []release {
	if depth > 3 {
		return nil
	}
	seen := make(map[release]bool)
	ssaflow.ForCalls(fn, func(ci ssa.CallInstruction) {
		common := ci.Common()
		callee := common.StaticCallee()
		if callee == nil {
			return
		}
		var rels []release
		switch {
		case callee.Pkg == r.ssa.Pkg:
			rels = summary[callee]
		case callee.Synthetic != "":
			rels = r.wrapperReleases(callee, summary, depth+1)
		}
		for _, rel := range rels {
			if rel.Param >= len(common.Args) {
				continue
			}
			base, path := ssaflow.LoadPath(common.Args[rel.Param])
			if path == "" {
				base, path = ssaflow.AddrPath(ssaflow.UnconvertHandle(common.Args[rel.Param]))
			}
			i := paramIndex(fn, base)
			if i < 0 {
				continue
			}
			if full, ok := joinPath(path, rel.Field); ok {
				seen[release{Param: i, Field: full, Via: rel.Via}] = true
			}
		}
	})
	return sortedReleases(seen)
}

// computeRaw computes, for every function, the parameters (or fields of
// parameters) it releases on some path, through C calls and Go calls.
func (r *runner) computeRaw() {
	for round := 0; round < 8; round++ {
		changed := false
		for _, fn := range r.ssa.SrcFuncs {
			rels := r.releasesOf(fn, r.raw)
			if !slices.Equal(rels, r.raw[fn]) {
				r.raw[fn] = rels
				changed = true
			}
		}
		if !changed {
			break
		}
	}
}

// releasesOf returns what fn releases, given its callees' summaries.
func (r *runner) releasesOf(fn *ssa.Function, summary map[*ssa.Function][]release) []release {
	seen := make(map[release]bool)
	add := func(v ssa.Value, field, via string) {
		base, path := ssaflow.LoadPath(v)
		i := paramIndex(fn, base)
		if i < 0 {
			return
		}
		if p, ok := joinPath(path, field); ok {
			seen[release{Param: i, Field: p, Via: via}] = true
		}
	}
	ssaflow.ForCalls(fn, func(ci ssa.CallInstruction) {
		if c := r.idx.CallOf(ci); c != nil {
			for i, a := range c.Args {
				if r.releasesArg(c, i) {
					add(a, "", "C."+c.Name)
				}
			}
			return
		}
		common := ci.Common()
		for _, rel := range r.calleeReleases(common.StaticCallee(), summary) {
			if rel.Param < len(common.Args) {
				add(common.Args[rel.Param], rel.Field, rel.Via)
			}
		}
	})
	return sortedReleases(seen)
}

func sortedReleases(m map[release]bool) []release {
	out := make([]release, 0, len(m))
	for rel := range m {
		out = append(out, rel)
	}
	slices.SortFunc(out, func(a, b release) int {
		if a.Param != b.Param {
			return a.Param - b.Param
		}
		if a.Field != b.Field {
			return strings.Compare(a.Field, b.Field)
		}
		return strings.Compare(a.Via, b.Via)
	})
	// Keep one releasing function per field: the summary answers "what", not "how".
	return slices.CompactFunc(out, func(a, b release) bool { return a.Param == b.Param && a.Field == b.Field })
}

// ---- finalizer sites ----

// runtimeFunc returns the name of the runtime function (or method, as
// "Cleanup.Stop") a call calls statically, or "".
func runtimeFunc(common *ssa.CallCommon) string {
	if name, ok := strings.CutPrefix(ssaflow.CalleeKey(common), "runtime."); ok {
		return name
	}
	return ""
}

// finalizerSites checks every SetFinalizer and AddCleanup call, and learns
// the finalized types.
func (r *runner) finalizerSites() {
	for _, fn := range r.ssa.SrcFuncs {
		ssaflow.ForCalls(fn, func(ci ssa.CallInstruction) {
			call, ok := ci.(*ssa.Call)
			if !ok {
				return
			}
			switch runtimeFunc(ci.Common()) {
			case "SetFinalizer":
				r.setFinalizer(fn, call)
			case "AddCleanup":
				r.addCleanup(fn, call)
			}
		})
	}
}

// resolve returns the function a finalizer value calls: the function
// itself, a closure's function, or the method a method-expression thunk
// calls; and the closure, if any.
func resolve(v ssa.Value) (*ssa.Function, *ssa.MakeClosure) {
	v = ssaflow.UnconvertHandle(v)
	var mc *ssa.MakeClosure
	var fn *ssa.Function
	switch v := v.(type) {
	case *ssa.Function:
		fn = v
	case *ssa.MakeClosure:
		mc = v
		fn, _ = v.Fn.(*ssa.Function)
	}
	if fn != nil && fn.Synthetic != "" && mc == nil {
		// A method-expression thunk: it calls the method.
		var target *ssa.Function
		ssaflow.ForCalls(fn, func(ci ssa.CallInstruction) {
			if c := ci.Common().StaticCallee(); c != nil && target == nil {
				target = c
			}
		})
		if target != nil {
			fn = target
		}
	}
	return fn, mc
}

func (r *runner) setFinalizer(fn *ssa.Function, call *ssa.Call) {
	args := call.Call.Args
	if len(args) != 2 {
		return
	}
	mi, ok := args[0].(*ssa.MakeInterface)
	if !ok {
		return // dynamic type unknown
	}
	obj := mi.X
	syn := r.syntaxOf(fn, call.Pos())
	objText, finText := "the object", "the finalizer"
	pos := r.idx.UserPos(call.Pos())
	if syn != nil && len(syn.Args) == 2 {
		objText, finText = exprText(syn.Args[0]), exprText(syn.Args[1])
		pos = r.idx.UserPos(syn.Pos())
	}

	// The first argument.
	objType := obj.Type()
	ptr, isPtr := objType.Underlying().(*types.Pointer)
	if !isPtr {
		if _, isIface := objType.Underlying().(*types.Interface); isIface {
			return
		}
		r.pass.Report(analysis.Diagnostic{
			Pos:      pos,
			Category: catBadObject,
			Message: fmt.Sprintf("runtime.SetFinalizer on %s, a %s and not a pointer: the runtime throws a fatal error (first argument is not pointer); pass a pointer to a heap object",
				objText, types.TypeString(objType, types.RelativeTo(r.pass.Pkg))),
		})
		return
	}
	if msg := r.interior(obj, ptr.Elem()); msg != "" {
		r.pass.Report(analysis.Diagnostic{
			Pos:      pos,
			Category: catBadObject,
			Message: fmt.Sprintf("runtime.SetFinalizer on %s, %s: the runtime throws a fatal error (pointer not at beginning of allocated block); set the finalizer on the allocated object itself",
				objText, msg),
		})
		return
	}

	// The second argument.
	finV := args[1]
	if c, ok := finV.(*ssa.Const); ok && c.IsNil() {
		return // disarms
	}
	fmi, ok := finV.(*ssa.MakeInterface)
	if !ok {
		return
	}
	if msg := badFunc(fmi.X.Type(), objType, r.pass.Pkg); msg != "" {
		r.pass.Report(analysis.Diagnostic{
			Pos:      pos,
			Category: catBadFunc,
			Message:  fmt.Sprintf("finalizer %s for %s %s: the runtime throws a fatal error at runtime.SetFinalizer; use a func with one parameter of type %s", finText, objText, msg, types.TypeString(objType, types.RelativeTo(r.pass.Pkg))),
		})
		return
	}
	finFn, mc := resolve(fmi.X)
	if mc != nil && r.captures(mc, obj) {
		r.pass.Report(analysis.Diagnostic{
			Pos:      pos,
			Category: catNeverRuns,
			Message:  fmt.Sprintf("the finalizer of %s refers to %s itself, which keeps it reachable: the finalizer never runs and what it releases leaks; use the finalizer's parameter instead", objText, objText),
		})
		return
	}
	if r.temporary(obj, mi, finFn, call) {
		r.pass.Report(analysis.Diagnostic{
			Pos:      pos,
			Category: catBadObject,
			Message:  fmt.Sprintf("runtime.SetFinalizer on %s, which nothing keeps: it is unreachable at once and its finalizer runs at the next garbage collection; set the finalizer on an object the program keeps", objText),
		})
		return
	}
	if finFn == nil {
		return
	}
	r.finFuncs[finFn] = true
	tn := namedElem(objType)
	if tn == nil || tn.Pkg() != r.pass.Pkg {
		return
	}
	ft := r.local(tn, pos, describe(finFn, finText), false)
	for _, rel := range r.finReleases(finFn) {
		if rel.Param == 0 && rel.Field != "" {
			if _, ok := ft.fields[rel.Field]; !ok {
				ft.fields[rel.Field] = rel.Via
			}
			ft.vias[rel.Via] = true
		}
	}
	r.guardsOf(finFn, 0, ft.guards, make(map[*ssa.Function]bool))
}

// addCleanup checks runtime.AddCleanup(ptr, cleanup, arg).
func (r *runner) addCleanup(fn *ssa.Function, call *ssa.Call) {
	args := call.Call.Args
	if len(args) != 3 {
		return
	}
	ptr, cleanup, arg := ssaflow.UnconvertHandle(args[0]), args[1], ssaflow.UnconvertHandle(args[2])
	syn := r.syntaxOf(fn, call.Pos())
	ptrText, argText, cleanupText := "ptr", "arg", "the cleanup"
	pos := r.idx.UserPos(call.Pos())
	if syn != nil && len(syn.Args) == 3 {
		ptrText, argText, cleanupText = exprText(syn.Args[0]), exprText(syn.Args[2]), exprText(syn.Args[1])
		pos = r.idx.UserPos(syn.Pos())
	}
	if ssaflow.SameObject(ptr, arg) {
		r.pass.Report(analysis.Diagnostic{
			Pos:      pos,
			Category: catNeverRuns,
			Message:  fmt.Sprintf("runtime.AddCleanup with arg %s equal to ptr %s: it panics (ptr is equal to arg, cleanup will never run); pass what the cleanup releases, such as a field of %s", argText, ptrText, ptrText),
		})
		return
	}
	if ssaflow.PointsInto(arg, ptr) {
		r.pass.Report(analysis.Diagnostic{
			Pos:      pos,
			Category: catNeverRuns,
			Message:  fmt.Sprintf("the cleanup argument %s points into %s and keeps it reachable: the cleanup never runs and what it releases leaks; pass the field's value, not its address", argText, ptrText),
		})
		return
	}
	cfn, mc := resolve(cleanup)
	if mc != nil && r.captures(mc, ptr) {
		r.pass.Report(analysis.Diagnostic{
			Pos:      pos,
			Category: catNeverRuns,
			Message:  fmt.Sprintf("the cleanup function for %s refers to %s itself, which keeps it reachable: the cleanup never runs and what it releases leaks; use only the cleanup's argument", ptrText, ptrText),
		})
		return
	}
	if cfn == nil {
		return
	}
	r.finFuncs[cfn] = true
	tn := namedElem(ptr.Type())
	if tn == nil || tn.Pkg() != r.pass.Pkg {
		return
	}
	base, path := ssaflow.LoadPath(arg)
	if path == "" || base != ptr {
		return
	}
	for _, rel := range r.finReleases(cfn) {
		if rel.Param == 0 && rel.Field == "" {
			ft := r.local(tn, pos, describe(cfn, cleanupText), true)
			if _, ok := ft.fields[path]; !ok {
				ft.fields[path] = rel.Via
			}
			ft.vias[rel.Via] = true
		}
	}
}

// exprText returns an argument's text for messages.
func exprText(e ast.Expr) string {
	if _, ok := ast.Unparen(e).(*ast.FuncLit); ok {
		return "func literal"
	}
	return types.ExprString(e)
}

// finReleases returns what a finalizer function releases.
func (r *runner) finReleases(fn *ssa.Function) []release {
	if fn.Synthetic != "" {
		return r.wrapperReleases(fn, r.raw, 0)
	}
	return r.raw[fn]
}

// local returns the finType of a type of this package, creating it.
func (r *runner) local(tn *types.TypeName, at token.Pos, finalizer string, cleanup bool) *finType {
	ft := r.types[tn]
	if ft == nil {
		ft = &finType{fields: make(map[string]string), vias: make(map[string]bool), guards: make(map[string]bool), finalizer: finalizer, cleanup: cleanup, at: at}
		r.types[tn] = ft
	}
	return ft
}

// namedElem returns the type name T of a *T, or nil (also for generic types).
func namedElem(t types.Type) *types.TypeName {
	p, ok := t.Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	if !ok || n.TypeArgs().Len() > 0 || n.TypeParams().Len() > 0 {
		return nil
	}
	return n.Obj()
}

// describe names a finalizer function for messages.
func describe(fn *ssa.Function, text string) string {
	if fn == nil || fn.Parent() != nil || fn.Synthetic != "" {
		if text == "func literal" {
			return "a func literal"
		}
		return text
	}
	if recv := fn.Signature.Recv(); recv != nil {
		t := recv.Type()
		star := ""
		if p, ok := t.(*types.Pointer); ok {
			star, t = "*", p.Elem()
		}
		name := t.String()
		if n := ssaflow.NamedOf(t); n != nil {
			name = n.Name()
		}
		return fmt.Sprintf("(%s%s).%s", star, name, fn.Name())
	}
	return fn.Name()
}

// guardsOf adds to guards the fields of fn's parameter i that fn (or a
// function it passes the parameter to) tests in a condition.
func (r *runner) guardsOf(fn *ssa.Function, i int, guards map[string]bool, seen map[*ssa.Function]bool) {
	if fn == nil || seen[fn] || i >= len(fn.Params) {
		return
	}
	seen[fn] = true
	p := fn.Params[i]
	var visit func(v ssa.Value, depth int)
	visit = func(v ssa.Value, depth int) {
		if depth > 3 {
			return
		}
		switch v := v.(type) {
		case *ssa.BinOp:
			visit(v.X, depth+1)
			visit(v.Y, depth+1)
		case *ssa.UnOp:
			if v.Op == token.MUL {
				if base, path := ssaflow.LoadPath(v); base == p && path != "" {
					guards[path] = true
				}
				return
			}
			visit(v.X, depth+1)
		}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.If:
				visit(instr.Cond, 0)
			case ssa.CallInstruction:
				common := instr.Common()
				callee := common.StaticCallee()
				if callee == nil || callee.Pkg != r.ssa.Pkg {
					continue
				}
				for j, a := range common.Args {
					if ssaflow.UnconvertHandle(a) == p {
						r.guardsOf(callee, j, guards, seen)
					}
				}
			}
		}
	}
}

// interior returns why obj, a pointer, is an interior pointer that
// SetFinalizer rejects, or "".
func (r *runner) interior(obj ssa.Value, elem types.Type) string {
	obj = ssaflow.UnconvertHandle(obj)
	// The runtime accepts interior pointers into tiny allocations.
	if !hasPointers(elem) && r.pass.TypesSizes.Sizeof(elem) < 16 {
		return ""
	}
	root := func(v ssa.Value) ssa.Value {
		for {
			switch x := v.(type) {
			case *ssa.FieldAddr:
				v = x.X
			case *ssa.IndexAddr:
				v = x.X
			default:
				return v
			}
		}
	}
	if _, ok := root(obj).(*ssa.Global); ok {
		return "" // not heap memory: the runtime ignores it
	}
	switch x := obj.(type) {
	case *ssa.FieldAddr:
		p, ok := x.X.Type().Underlying().(*types.Pointer)
		if !ok {
			return ""
		}
		st, ok := p.Elem().Underlying().(*types.Struct)
		if !ok {
			return ""
		}
		fields := make([]*types.Var, st.NumFields())
		for i := range fields {
			fields[i] = st.Field(i)
		}
		if off := r.pass.TypesSizes.Offsetsof(fields)[x.Field]; off > 0 {
			return fmt.Sprintf("a pointer to field %s at offset %d inside its allocation", st.Field(x.Field).Name(), off)
		}
	case *ssa.IndexAddr:
		if c, ok := x.Index.(*ssa.Const); ok {
			if c.Int64() > 0 {
				return fmt.Sprintf("a pointer to element %d inside its allocation", c.Int64())
			}
			return ""
		}
		return "a pointer to an element inside its allocation (any but the first)"
	}
	return ""
}

// hasPointers reports whether values of t contain pointers.
func hasPointers(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Kind() == types.String || u.Kind() == types.UnsafePointer || u.Kind() == types.UntypedNil
	case *types.Array:
		return u.Len() > 0 && hasPointers(u.Elem())
	case *types.Struct:
		for i := 0; i < u.NumFields(); i++ {
			if hasPointers(u.Field(i).Type()) {
				return true
			}
		}
		return false
	}
	return true
}

// badFunc returns why a finalizer of type ft cannot take an object of type
// ot, or "".
func badFunc(ft, ot types.Type, pkg *types.Package) string {
	q := types.RelativeTo(pkg)
	sig, ok := ft.Underlying().(*types.Signature)
	if !ok {
		if _, isIface := ft.Underlying().(*types.Interface); isIface {
			return ""
		}
		return fmt.Sprintf("is a %s, not a function", types.TypeString(ft, q))
	}
	if sig.Variadic() {
		return fmt.Sprintf("(%s) is variadic", types.TypeString(ft, q))
	}
	if n := sig.Params().Len(); n != 1 {
		return fmt.Sprintf("(%s) takes %d parameters, not 1", types.TypeString(ft, q), n)
	}
	pt := sig.Params().At(0).Type()
	if !types.AssignableTo(ot, pt) {
		return fmt.Sprintf("takes a %s, which a %s cannot be passed as", types.TypeString(pt, q), types.TypeString(ot, q))
	}
	return ""
}

// captures reports whether a closure refers to obj: it captures obj, or the
// variable obj was read from or stored in, or a pointer into it.
func (r *runner) captures(mc *ssa.MakeClosure, obj ssa.Value) bool {
	obj = ssaflow.UnconvertHandle(obj)
	for _, b := range mc.Bindings {
		if b == obj || ssaflow.PointsInto(b, obj) {
			return true
		}
		if cell, ok := b.(*ssa.Alloc); ok && holds(cell, obj) {
			return true
		}
	}
	return false
}

// holds reports whether the variable cell holds obj: obj was read from it,
// or stored into it.
func holds(cell *ssa.Alloc, obj ssa.Value) bool {
	if l, ok := obj.(*ssa.UnOp); ok && l.Op == token.MUL && l.X == cell {
		return true
	}
	for _, ref := range *cell.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Addr == cell && ssaflow.UnconvertHandle(st.Val) == obj {
			return true
		}
	}
	return false
}

// temporary reports whether obj is a fresh allocation that nothing but this
// SetFinalizer call uses, with a finalizer that does not re-arm itself (the
// "notify me at each GC" idiom).
func (r *runner) temporary(obj ssa.Value, mi *ssa.MakeInterface, finFn *ssa.Function, call *ssa.Call) bool {
	alloc, ok := obj.(*ssa.Alloc)
	if !ok || !alloc.Heap {
		return false
	}
	if elem := alloc.Type().Underlying().(*types.Pointer).Elem(); r.pass.TypesSizes.Sizeof(elem) == 0 {
		return false // zero-size objects share one address that is never freed
	}
	if strings.HasSuffix(r.pass.Fset.Position(call.Pos()).Filename, "_test.go") {
		return false
	}
	if mrefs := *mi.Referrers(); len(mrefs) != 1 || mrefs[0] != call {
		return false
	}
	for _, ref := range *alloc.Referrers() {
		switch ref := ref.(type) {
		case *ssa.MakeInterface:
			if ref != mi {
				return false
			}
		case *ssa.FieldAddr, *ssa.IndexAddr:
			for _, rr := range *ref.(ssa.Value).Referrers() {
				if st, ok := rr.(*ssa.Store); !ok || st.Addr != ref.(ssa.Value) {
					return false
				}
			}
		case *ssa.Store:
			if ref.Addr != alloc {
				return false
			}
		default:
			return false
		}
	}
	if finFn == nil {
		return false
	}
	rearms := false
	ssaflow.ForCalls(finFn, func(ci ssa.CallInstruction) {
		if n := runtimeFunc(ci.Common()); n == "SetFinalizer" || n == "AddCleanup" {
			rearms = true
		}
	})
	return !rearms
}

// ---- facts ----

func (r *runner) exportFacts() {
	tns := make([]*types.TypeName, 0, len(r.types))
	for tn := range r.types {
		tns = append(tns, tn)
	}
	slices.SortFunc(tns, func(a, b *types.TypeName) int { return strings.Compare(a.Name(), b.Name()) })
	for _, tn := range tns {
		ft := r.types[tn]
		if len(ft.fields) == 0 {
			continue
		}
		f := &finalizedFact{Finalizer: ft.finalizer, Cleanup: ft.cleanup}
		for _, k := range sortedKeys(ft.fields) {
			f.Fields = append(f.Fields, k)
			f.Via = append(f.Via, ft.fields[k])
		}
		f.Guards = sortedKeys(ft.guards)
		r.pass.ExportObjectFact(tn, f)
	}
	for _, fn := range r.ssa.SrcFuncs {
		obj, ok := fn.Object().(*types.Func)
		if !ok || fn.Parent() != nil || !obj.Exported() || len(r.raw[fn]) == 0 {
			continue
		}
		r.pass.ExportObjectFact(obj, &releasesFact{Releases: r.raw[fn]})
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// finTypeOf returns what is known about the finalizer of *T for a
// parameter type *T, or nil.
func (r *runner) finTypeOf(t types.Type) *finType {
	tn := namedElem(t)
	if tn == nil {
		return nil
	}
	if ft, ok := r.types[tn]; ok {
		if len(ft.fields) == 0 {
			return nil
		}
		return ft
	}
	if tn.Pkg() == r.pass.Pkg {
		return nil
	}
	if ft, ok := r.imported[tn]; ok {
		return ft
	}
	var f finalizedFact
	var ft *finType
	if r.pass.ImportObjectFact(tn, &f) && len(f.Fields) == len(f.Via) {
		ft = &finType{fields: make(map[string]string), vias: make(map[string]bool), guards: make(map[string]bool), finalizer: f.Finalizer, cleanup: f.Cleanup}
		for i, k := range f.Fields {
			ft.fields[k] = f.Via[i]
			ft.vias[f.Via[i]] = true
		}
		for _, k := range f.Guards {
			ft.guards[k] = true
		}
	}
	r.imported[tn] = ft
	return ft
}
