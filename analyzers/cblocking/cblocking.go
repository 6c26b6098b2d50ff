package cblocking

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/build"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/internal/docutil"
	"github.com/cgolint/cgolint/internal/ssaflow"
	"github.com/cgolint/cgolint/passes/cindex"
)

//go:embed doc.go
var doc string

// Analyzer is the cblocking check on the default C-call index.
var Analyzer = New(cindex.Analyzer)

// New returns a cblocking analyzer that reads the given C-call index (an analyzer
// built by cindex.New).
func New(index *analysis.Analyzer) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:      "cblocking",
		Doc:       docutil.MustExtract(doc, "cblocking"),
		URL:       "https://pkg.go.dev/github.com/cgolint/cgolint/analyzers/cblocking",
		Requires:  []*analysis.Analyzer{index},
		FactTypes: []analysis.Fact{new(blocksInC), new(waitsFact)},
		Run: func(pass *analysis.Pass) (any, error) {
			return cindex.Check(pass, index, func(idx *cindex.Index) error { return run(pass, idx) })
		},
	}
}

// blocksInC is the fact that a Go function may block in a C call, directly
// or through other Go functions.
type blocksInC struct {
	CFunc string // the C function it may block in
}

func (*blocksInC) AFact() {}

func (f *blocksInC) String() string { return "blocks in C." + f.CFunc }

// Categories.
const (
	catUnderLock = "under-lock"
	catSleep     = "c-sleep"
	catResolver  = "libc-resolver"
	catUnbounded = "unbounded-goroutines"
	threadLimit  = "the program dies at debug.SetMaxThreads, 10000 threads by default"
)

// blocker says how a Go function may block in C.
type blocker struct {
	cfunc string        // the C function
	via   *ssa.Function // the Go function called that may block in it, or nil for a C call
	at    token.Pos     // the blocking call in the function (user position)
}

// here describes the blocking call, for a related position.
func (r *runner) here(b *blocker) string {
	if b.via == nil {
		return "C." + b.cfunc + " blocks here"
	}
	return fmt.Sprintf("%s may block in C.%s here", r.describe(b.via), b.cfunc)
}

// runner holds the state of one pass.
type runner struct {
	pass *analysis.Pass
	idx  *cindex.Index
	ssa  *cindex.SSA

	blocks  map[*ssa.Function]*blocker     // in-package functions that may block in C
	unlocks map[*ssa.Function]bool         // in-package functions that may release a lock they did not take
	helpers map[*ssa.Function][]helperLock // in-package functions that return with a lock held

}

func run(pass *analysis.Pass, idx *cindex.Index) error {
	if idx.Std() {
		return nil // the standard library is known by name, not by facts
	}
	if !idx.UsesCgo() && !callsBlockers(pass) {
		return nil // nothing of interest: build no SSA
	}
	s, err := idx.SSA()
	if err != nil {
		return err
	}
	r := &runner{
		pass:    pass,
		idx:     idx,
		ssa:     s,
		blocks:  make(map[*ssa.Function]*blocker),
		unlocks: make(map[*ssa.Function]bool),
		helpers: make(map[*ssa.Function][]helperLock),
	}
	r.summarize()
	r.summarizeHelpers()
	r.exportFacts()
	for _, c := range idx.Calls() {
		r.checkCall(c)
	}
	for _, fn := range s.SrcFuncs {
		r.checkLocks(fn)
		r.checkSpawns(fn)
	}
	return nil
}

// callsBlockers reports whether the package uses a function of another
// package that has a blocksInC fact. It reads only the type information.
func callsBlockers(pass *analysis.Pass) bool {
	for _, obj := range pass.TypesInfo.Uses {
		fn, ok := obj.(*types.Func)
		if !ok || fn.Pkg() == nil || fn.Pkg() == pass.Pkg {
			continue
		}
		if pass.ImportObjectFact(fn.Origin(), new(blocksInC)) {
			return true
		}
	}
	return false
}

// summarize computes, to a fixpoint over the package's functions, which may
// block in C and which may release a lock they did not take.
func (r *runner) summarize() {
	for changed := true; changed; {
		changed = false
		for _, fn := range r.ssa.SrcFuncs {
			if r.blocks[fn] == nil {
				if b := r.firstBlocking(fn); b != nil {
					r.blocks[fn] = b
					changed = true
				}
			}
			if !r.unlocks[fn] && r.mayUnlock(fn) {
				r.unlocks[fn] = true
				changed = true
			}
		}
	}
}

// firstBlocking returns the first call in fn (in block order) that may
// block in C, or nil. Calls in go statements do not block fn.
func (r *runner) firstBlocking(fn *ssa.Function) *blocker {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ci, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			if _, isGo := ci.(*ssa.Go); isGo {
				continue
			}
			if cfunc, via, ok := r.callBlocks(ci); ok {
				return &blocker{cfunc: cfunc, via: via, at: r.callPos(fn, ci)}
			}
		}
	}
	return nil
}

// callBlocks reports whether the call may block in C: it is a call of a C
// function that blocks, or of a Go function that may block in C (via, not
// nil, is that function).
func (r *runner) callBlocks(ci ssa.CallInstruction) (cfunc string, via *ssa.Function, ok bool) {
	if c := r.idx.CallOf(ci); c != nil {
		if blockingC(c) {
			return c.Name, nil, true
		}
		return "", nil, false
	}
	callee := ssaflow.Callee(ci.Common())
	if callee == nil {
		return "", nil, false
	}
	if cfunc, ok := r.funcBlocks(callee); ok {
		return cfunc, callee, true
	}
	return "", nil, false
}

// blockingC reports whether a C call may block: the knowledge base says
// its function blocks, and its arguments do not visibly ask it not to (a
// poll with a zero timeout, a wait with WNOHANG, a recv or send with
// MSG_DONTWAIT).
func blockingC(c *cindex.Call) bool {
	if c.Kind != cindex.CFunc || c.Info == nil || !c.Info.Blocks {
		return false
	}
	switch c.Name {
	case "poll":
		return !constArg(c, 2, func(x int64) bool { return x == 0 })
	case "epoll_wait", "epoll_pwait":
		return !constArg(c, 3, func(x int64) bool { return x == 0 })
	case "waitpid", "wait4":
		return !constArg(c, 2, func(x int64) bool { return x&wnohang != 0 })
	case "waitid":
		return !constArg(c, 3, func(x int64) bool { return x&wnohang != 0 })
	case "recv", "recvfrom", "send", "sendto":
		return !constArg(c, 3, func(x int64) bool { return x&msgDontWait() != 0 })
	case "recvmsg", "sendmsg":
		return !constArg(c, 2, func(x int64) bool { return x&msgDontWait() != 0 })
	case "recvmmsg", "sendmmsg":
		return !constArg(c, 3, func(x int64) bool { return x&msgDontWait() != 0 })
	}
	return true
}

// msgDontWait returns MSG_DONTWAIT for the target system: the flag that
// makes one recv or send fail with EAGAIN instead of waiting.
func msgDontWait() int64 {
	switch build.Default.GOOS {
	case "linux", "android":
		return 0x40
	case "darwin", "ios", "freebsd", "netbsd", "openbsd", "dragonfly":
		return 0x80
	}
	return 0 // not known: blocking
}

// wnohang is WNOHANG on Linux, macOS and the BSDs.
const wnohang = 1

// constArg reports whether argument i of the call is a constant integer
// for which ok holds.
func constArg(c *cindex.Call, i int, ok func(int64) bool) bool {
	if i >= len(c.Args) {
		return false
	}
	k, isConst := c.Args[i].(*ssa.Const)
	if !isConst || k.Value == nil || k.Value.Kind() != constant.Int {
		return false
	}
	x, exact := constant.Int64Val(k.Value)
	return exact && ok(x)
}

// funcBlocks reports whether the Go function fn may block in C, from this
// package's summaries or another package's facts.
func (r *runner) funcBlocks(fn *ssa.Function) (string, bool) {
	if fn.Pkg == r.ssa.Pkg {
		if b := r.blocks[fn]; b != nil {
			return b.cfunc, true
		}
		return "", false
	}
	obj, _ := fn.Object().(*types.Func)
	if obj == nil || obj.Pkg() == nil || obj.Pkg() == r.pass.Pkg {
		return "", false
	}
	var f blocksInC
	if r.pass.ImportObjectFact(obj.Origin(), &f) {
		return f.CFunc, true
	}
	return "", false
}

// exportFacts exports a blocksInC fact for each exported function and
// method of the package that may block in C (only those can be called from
// another package).
func (r *runner) exportFacts() {
	for _, fn := range r.ssa.SrcFuncs {
		b := r.blocks[fn]
		if b == nil {
			continue
		}
		obj, _ := fn.Object().(*types.Func)
		if obj == nil || obj.Pkg() != r.pass.Pkg || !obj.Exported() {
			continue
		}
		r.pass.ExportObjectFact(obj, &blocksInC{CFunc: b.cfunc})
	}
	for _, fn := range r.ssa.SrcFuncs {
		obj, _ := fn.Object().(*types.Func)
		if obj == nil || obj.Pkg() != r.pass.Pkg || !obj.Exported() || r.blocks[fn] != nil {
			continue
		}
		if r.bounded(fn) {
			r.pass.ExportObjectFact(obj, new(waitsFact))
		}
	}
}

// checkCall reports C sleeps and libc name resolution.
func (r *runner) checkCall(c *cindex.Call) {
	if c.Kind != cindex.CFunc {
		return
	}
	switch c.Name {
	case "sleep", "usleep", "nanosleep", "clock_nanosleep":
		r.pass.Report(analysis.Diagnostic{
			Pos:      c.Pos(),
			Category: catSleep,
			Message: fmt.Sprintf("C.%s holds an OS thread for the whole sleep, which can be neither preempted nor cancelled; "+
				"use time.Sleep, which parks only the goroutine (or a time.Timer in a select to make it cancellable)", c.Name),
		})
	case "getaddrinfo", "gethostbyname", "gethostbyname2", "gethostbyname_r", "gethostbyname2_r":
		r.reportResolver(c, "use a net.Resolver lookup with a context (LookupIPAddr, LookupHost)")
	case "gethostbyaddr", "gethostbyaddr_r", "getnameinfo":
		r.reportResolver(c, "use net.Resolver.LookupAddr with a context")
	case "res_query", "res_search":
		r.reportResolver(c, "use a net.Resolver lookup with a context (LookupMX, LookupSRV, LookupTXT, ...)")
	}
}

func (r *runner) reportResolver(c *cindex.Call, fix string) {
	r.pass.Report(analysis.Diagnostic{
		Pos:      c.Pos(),
		Category: catResolver,
		Message: fmt.Sprintf("C.%s resolves names from Go in libc, holding an OS thread per lookup for as long as DNS takes, "+
			"with no timeout or context cancellation; %s", c.Name, fix),
	})
}

// describe names a Go function for a message.
func (r *runner) describe(fn *ssa.Function) string {
	obj, _ := fn.Object().(*types.Func)
	if obj == nil {
		return "a function literal"
	}
	name := obj.Name()
	if recv := obj.Signature().Recv(); recv != nil {
		if n := ssaflow.NamedOf(recv.Type()); n != nil {
			name = n.Name() + "." + name
		}
	}
	if obj.Pkg() != nil && obj.Pkg() != r.pass.Pkg {
		name = obj.Pkg().Name() + "." + name
	}
	return name
}

// mayBlock says that a call may block, for a message: "C.read may block",
// or "wrapper may block in C.read".
func (r *runner) mayBlock(cfunc string, via *ssa.Function) string {
	if via == nil {
		return "C." + cfunc + " may block"
	}
	return fmt.Sprintf("%s may block in C.%s", r.describe(via), cfunc)
}

// callPos returns the position to report a call instruction of fn at: the
// user's C call, or the start of the call expression in the user's file.
func (r *runner) callPos(fn *ssa.Function, ci ssa.CallInstruction) token.Pos {
	if c := r.idx.CallOf(ci); c != nil {
		return c.Pos()
	}
	if call := r.callSyntax(fn, ci.Common().Pos()); call != nil {
		return r.idx.UserPos(call.Pos())
	}
	return r.idx.UserPos(ci.Pos())
}

// callSyntax returns the call expression of fn whose Lparen is lparen.
func (r *runner) callSyntax(fn *ssa.Function, lparen token.Pos) *ast.CallExpr {
	return r.idx.CallExpr(lparen)
}

// lineOf returns the line of pos in the user's file.
func (r *runner) lineOf(pos token.Pos) int {
	return r.pass.Fset.Position(pos).Line
}

// methodName returns the name of the method a call invokes, statically or
// through an interface, or "".
func methodName(common *ssa.CallCommon) string {
	if common.IsInvoke() {
		return common.Method.Name()
	}
	if fn := common.StaticCallee(); fn != nil && fn.Signature.Recv() != nil {
		return fn.Name()
	}
	return ""
}

// hasPrefixAny reports whether s starts with one of the prefixes.
func hasPrefixAny(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
