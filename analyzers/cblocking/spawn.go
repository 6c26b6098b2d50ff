package cblocking

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/internal/ssaflow"
)

// This file finds goroutines started per item of a loop (or per request of
// an HTTP handler) that block in C, with no visible bound on how many run
// at once. Each such goroutine holds an OS thread while it is blocked. The
// shapes are read from the syntax, and anything unclear stays silent:
//   - per item: a range over a slice, map, string or channel (not over a
//     literal or an array); a three-clause loop bounded by len(x); an
//     endless loop that accepts connections or receives a value each turn;
//     an http handler. A goroutine that loops, started per item of a
//     collection, is a long-lived worker per resource and is not reported;
//   - bounds: a channel send (semaphore) or a bare receive (token) in the
//     loop, a call of Acquire, TryAcquire, Wait or SetLimit in the loop,
//     errgroup.SetLimit in the function, or a goroutine body that itself
//     waits on a channel or a lock (a worker, or a serialised call).

// spawn is a goroutine started by fn.
type spawn struct {
	instr  ssa.CallInstruction
	target *ssa.Function // the goroutine's function, or nil for `go C.f()`
	group  ssa.Value     // the errgroup.Group, for g.Go(f)
}

// checkSpawns reports the goroutines fn starts per item that block in C.
func (r *runner) checkSpawns(fn *ssa.Function) {
	body := funcBody(fn)
	if body == nil {
		return
	}
	if strings.HasSuffix(r.pass.Fset.Position(body.Pos()).Filename, "_test.go") {
		return // tests start goroutines over fixed inputs
	}
	var limited bool // errgroup.SetLimit called in fn
	var spawns []spawn
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.Go:
				spawns = append(spawns, spawn{instr: instr, target: ssaflow.Callee(&instr.Call)})
			case *ssa.Call:
				callee := instr.Call.StaticCallee()
				switch ssaflow.MethodKey(callee) {
				case "golang.org/x/sync/errgroup.Group.SetLimit":
					limited = true
				case "golang.org/x/sync/errgroup.Group.Go", "golang.org/x/sync/errgroup.Group.TryGo", "sync.WaitGroup.Go":
					if len(instr.Call.Args) == 2 {
						if t := funcValue(instr.Call.Args[1]); t != nil {
							sp := spawn{instr: instr, target: t}
							if isErrgroup(callee) {
								sp.group = instr.Call.Args[0]
							}
							spawns = append(spawns, sp)
						}
					}
				}
			}
		}
	}
	for _, sp := range spawns {
		r.checkSpawn(fn, body, sp, limited)
	}
}

func isErrgroup(fn *ssa.Function) bool {
	switch ssaflow.MethodKey(fn) {
	case "golang.org/x/sync/errgroup.Group.Go", "golang.org/x/sync/errgroup.Group.TryGo":
		return true
	}
	return false
}

// funcValue returns the function that a func value certainly is, or nil.
func funcValue(v ssa.Value) *ssa.Function {
	switch v := v.(type) {
	case *ssa.Function:
		return v
	case *ssa.MakeClosure:
		if fn, ok := v.Fn.(*ssa.Function); ok {
			return fn
		}
	}
	return nil
}

// funcBody returns the body of fn's syntax, or nil.
func funcBody(fn *ssa.Function) *ast.BlockStmt {
	switch syn := fn.Syntax().(type) {
	case *ast.FuncDecl:
		return syn.Body
	case *ast.FuncLit:
		return syn.Body
	}
	return nil
}

func (r *runner) checkSpawn(fn *ssa.Function, body *ast.BlockStmt, sp spawn, limited bool) {
	// What does the goroutine block in?
	var how, here string
	var at token.Pos
	if c := r.idx.CallOf(sp.instr); c != nil {
		if !blockingC(c) {
			return
		}
		at, how = c.Pos(), "C."+c.Name
		here = how + " blocks here"
	} else {
		if sp.target == nil {
			return
		}
		cfunc, ok := r.funcBlocks(sp.target)
		if !ok {
			return
		}
		how = "C." + cfunc
		if sp.target.Pkg == r.ssa.Pkg {
			if r.bounded(sp.target) {
				return // a worker, or a serialised call
			}
			b := r.blocks[sp.target]
			if b != nil {
				at, here = b.at, r.here(b)
			}
			switch {
			case sp.target.Parent() == nil: // a named function
				how = fmt.Sprintf("C.%s (in %s)", cfunc, r.describe(sp.target))
			case b != nil && b.via != nil:
				how = fmt.Sprintf("C.%s (through %s)", cfunc, r.describe(b.via))
			}
		} else {
			how = fmt.Sprintf("C.%s (in %s)", cfunc, r.describe(sp.target))
		}
	}
	if sp.group != nil {
		if limited || !isLocal(sp.group) {
			return // the group may be limited where we cannot see
		}
	}

	// Where is it started?
	var pos token.Pos
	path := pathTo(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt:
			if _, isGo := sp.instr.(*ssa.Go); isGo && n.Go == sp.instr.Pos() {
				pos = n.Pos()
				return true
			}
		case *ast.CallExpr:
			if _, isGo := sp.instr.(*ssa.Go); !isGo && n.Lparen == sp.instr.Pos() {
				pos = n.Pos()
				return true
			}
		}
		return false
	})
	if path == nil {
		return
	}
	var per string
	for i := len(path) - 1; i >= 0; i-- {
		n := path[i]
		if !isLoop(n) {
			continue
		}
		for _, outer := range path[:i+1] {
			if isLoop(outer) && r.hasBound(outer) {
				return
			}
		}
		per = r.perItem(n)
		if per == "" {
			return // a loop of unclear shape: maybe a fixed pool
		}
		if per == perCollection && sp.target != nil && sp.target.Pkg == r.ssa.Pkg && loops(sp.target) {
			return // a long-lived goroutine per resource (a reader per device) is a design, not a burst
		}
		break
	}
	if per == "" {
		name, ok := isHandler(fn)
		if !ok || r.hasBound(body) {
			return
		}
		per = "for each request to the http handler " + name
	}
	d := analysis.Diagnostic{
		Pos:      r.idx.UserPos(pos),
		Category: catUnbounded,
		Message: fmt.Sprintf("goroutine started %s blocks in %s with no bound on how many run at once: each blocked goroutine holds an OS thread, "+
			"so a burst of work starts as many threads (%s); bound the concurrency with a semaphore channel, errgroup.SetLimit or a fixed pool of workers",
			per, how, threadLimit),
	}
	if at.IsValid() {
		d.Related = []analysis.RelatedInformation{{Pos: at, Message: here}}
	}
	r.pass.Report(d)
}

// pathTo returns the nodes from root down to the first node that match
// accepts, not looking inside function literals, or nil.
func pathTo(root ast.Node, match func(ast.Node) bool) []ast.Node {
	var stack, found []ast.Node
	ast.Inspect(root, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if found != nil {
			return false
		}
		if match(n) {
			found = append(slices.Clone(stack), n)
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		stack = append(stack, n)
		return true
	})
	return found
}

func isLoop(n ast.Node) bool {
	switch n.(type) {
	case *ast.ForStmt, *ast.RangeStmt:
		return true
	}
	return false
}

// perItem says what the loop iterates over when that is clearly one item
// or request per turn ("for each item of the loop"), or "".
func (r *runner) perItem(loop ast.Node) string {
	switch loop := loop.(type) {
	case *ast.RangeStmt:
		if _, ok := ast.Unparen(loop.X).(*ast.CompositeLit); ok {
			return "" // a fixed list
		}
		t := r.ssa.Info.TypeOf(loop.X)
		if t == nil {
			return ""
		}
		switch u := t.Underlying().(type) {
		case *types.Slice, *types.Map:
			return perCollection
		case *types.Chan:
			return "for each value received by the loop"
		case *types.Basic:
			if u.Info()&types.IsString != 0 {
				return perCollection
			}
		}
	case *ast.ForStmt:
		if loop.Cond == nil {
			if receivesEachTurn(loop.Body) {
				return "for each request received by the loop"
			}
			return ""
		}
		if bin, ok := ast.Unparen(loop.Cond).(*ast.BinaryExpr); ok && (r.isLen(bin.X) || r.isLen(bin.Y)) {
			return perCollection
		}
	}
	return ""
}

const perCollection = "for each item of the loop"

// loops reports whether the body of fn has a loop, outside function literals.
func loops(fn *ssa.Function) bool {
	body := funcBody(fn)
	if body == nil {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ForStmt, *ast.RangeStmt:
			found = true
		}
		return !found
	})
	return found
}

// isLen reports whether e is a call of the builtin len.
func (r *runner) isLen(e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return false
	}
	b, ok := r.ssa.Info.Uses[id].(*types.Builtin)
	return ok && b.Name() == "len"
}

// receivesEachTurn reports whether an endless loop's body takes in work:
// it calls an Accept method or receives a value it uses.
func receivesEachTurn(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ExprStmt:
			if u, ok := ast.Unparen(n.X).(*ast.UnaryExpr); ok && u.Op == token.ARROW {
				return false // a receive whose value is dropped: not an item
			}
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				found = true
			}
		case *ast.CallExpr:
			if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && hasPrefixAny(sel.Sel.Name, "Accept") {
				found = true
			}
		}
		return true
	})
	return found
}

// hasBound reports whether n (a loop or a function body) visibly limits the
// goroutines it starts: a channel send, a bare receive outside a select's
// cases, or a call of Acquire, TryAcquire, Wait or SetLimit.
func (r *runner) hasBound(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit, *ast.GoStmt:
			return false
		case *ast.SendStmt:
			found = true
		case *ast.CommClause:
			if _, ok := n.Comm.(*ast.SendStmt); ok {
				found = true
				return false
			}
			for _, s := range n.Body {
				if r.hasBound(s) {
					found = true
				}
			}
			return false // a case's receive is not a token taken
		case *ast.ExprStmt:
			if u, ok := ast.Unparen(n.X).(*ast.UnaryExpr); ok && u.Op == token.ARROW {
				found = true
			}
		case *ast.CallExpr:
			if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && r.isMethodCall(sel) {
				if m, ok := r.ssa.Info.Selections[sel].Obj().(*types.Func); ok && r.waitsFunc(m) {
					found = true
				}
			}
		}
		return true
	})
	return found
}

// isMethodCall reports whether sel selects a method (not a package's function).
func (r *runner) isMethodCall(sel *ast.SelectorExpr) bool {
	s, ok := r.ssa.Info.Selections[sel]
	return ok && s.Kind() == types.MethodVal
}

// bounded reports whether a goroutine's function, or a function of the
// package it calls, visibly waits for its turn: it receives or sends on a
// channel, selects, or takes a lock or a semaphore, so the goroutines do
// not all sit in C at once.
func (r *runner) bounded(fn *ssa.Function) bool {
	return r.boundedDepth(fn, make(map[*ssa.Function]bool), 3)
}

func (r *runner) boundedDepth(fn *ssa.Function, seen map[*ssa.Function]bool, depth int) bool {
	if seen[fn] || depth == 0 {
		return false
	}
	seen[fn] = true
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.Send, *ssa.Select:
				return true
			case *ssa.UnOp:
				if instr.Op == token.ARROW {
					return true
				}
			case *ssa.Call:
				if op, ok := lockOpOf(&instr.Call); ok && op.lock {
					return true // a lock serialises the goroutines
				}
				callee := ssaflow.Callee(&instr.Call)
				if callee == nil {
					continue
				}
				if callee.Pkg == fn.Pkg {
					if r.boundedDepth(callee, seen, depth-1) {
						return true
					}
				} else if obj, ok := callee.Object().(*types.Func); ok && r.waitsFunc(obj) {
					return true
				}
			}
		}
	}
	return false
}

// isLocal reports whether v, an errgroup, is created in the function, so
// any SetLimit on it would be visible there.
func isLocal(v ssa.Value) bool {
	switch v := v.(type) {
	case *ssa.Alloc:
		return true
	case *ssa.Extract:
		_, ok := v.Tuple.(*ssa.Call)
		return ok
	case *ssa.Call:
		return true
	}
	return false
}

// isHandler reports whether fn has the shape of an http handler: its
// parameters are an http.ResponseWriter and an *http.Request.
func isHandler(fn *ssa.Function) (string, bool) {
	params := fn.Signature.Params()
	if params.Len() != 2 {
		return "", false
	}
	if !ssaflow.IsNamed(params.At(0).Type(), "net/http", "ResponseWriter") {
		return "", false
	}
	p, ok := params.At(1).Type().(*types.Pointer)
	if !ok || !ssaflow.IsNamed(p.Elem(), "net/http", "Request") {
		return "", false
	}
	name := fn.Name()
	if fn.Parent() != nil {
		name = "literal in " + fn.Parent().Name()
	}
	return name, true
}

// knownWaits are the methods of the standard library and golang.org/x/sync
// that make their caller wait for its turn, or limit how many goroutines
// run (by "importpath.Type.Method"): what makes a loop that starts
// goroutines bounded. Other packages' functions are known by their
// waitsFact, and the package's own by their bodies.
var knownWaits = map[string]bool{
	"sync.Mutex.Lock":                                 true,
	"sync.RWMutex.Lock":                               true,
	"sync.RWMutex.RLock":                              true,
	"sync.WaitGroup.Wait":                             true,
	"sync.Cond.Wait":                                  true,
	"golang.org/x/sync/semaphore.Weighted.Acquire":    true,
	"golang.org/x/sync/semaphore.Weighted.TryAcquire": true,
	"golang.org/x/sync/errgroup.Group.SetLimit":       true,
	"golang.org/x/sync/errgroup.Group.Wait":           true,
}

// waitsFact is the fact that a function visibly waits for its turn: it
// sends or receives on a channel, selects, or takes a lock or a semaphore
// (a pool's Acquire). A goroutine that calls it is not one of an
// unbounded crowd.
type waitsFact struct{}

func (*waitsFact) AFact() {}

func (*waitsFact) String() string { return "waits for its turn" }

// waitsFunc reports whether a call of fn waits for its turn: a known
// method, a function of the package whose body does, or a function of
// another package with a waitsFact. Names do not count.
func (r *runner) waitsFunc(fn *types.Func) bool {
	if fn.Pkg() == nil {
		return false
	}
	if recv := fn.Signature().Recv(); recv != nil {
		if ssaflow.NamedOf(recv.Type()) == nil {
			return false
		}
		t := recv.Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if isLocker(t) && fn.Name() == "Lock" {
			return true // Lock through a sync.Locker
		}
	}
	if knownWaits[ssaflow.FuncKey(fn)] {
		return true
	}
	if fn.Pkg() == r.pass.Pkg {
		if f := r.ssa.Pkg.Prog.FuncValue(fn.Origin()); f != nil {
			return r.bounded(f)
		}
		return false
	}
	return r.pass.ImportObjectFact(fn.Origin(), new(waitsFact))
}
