package lockthread

import (
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/internal/ssaflow"
	"github.com/cgolint/cgolint/passes/cfuncs"
	"github.com/cgolint/cgolint/passes/cindex"
)

// This file says what each call does to the calling thread (effectOf): C
// calls through the knowledge base (the package's own C code included, as
// the C front end reads it), Go calls
// through the table of goapi.go, in-package summaries and imported facts.

// refInfo says how a function of the package is referred to in it.
type refInfo struct {
	calls  []ssa.CallInstruction // static calls and defers
	gos    int                   // `go f()` statements
	values int                   // other uses: passed, stored, returned
}

// effectOf returns what the call ci does.
func (r *runner) effectOf(ci ssa.CallInstruction) effect {
	if c := r.idx.CallOf(ci); c != nil {
		if c.Kind != cindex.CFunc {
			return effect{}
		}
		// A call that leaves the thread-local error state alone (an
		// error-code-to-string lookup) is not one whose error a getter
		// reads.
		e := effect{src: c.Info == nil || !c.Info.ErrorNeutral, name: "C." + c.Name}
		if c.Info != nil && c.Info.ThreadAffine {
			k, ok := cKinds[c.Name]
			if !ok {
				k = kErr
				// A function of the package's C code (preamble or
				// .c file, read by the C front end) that calls a
				// thread-affine function: its kind is not known,
				// it may make state current on the thread
				// (x/mobile's createWindow in x11.c calls
				// eglMakeCurrent).
				e.owns = c.Info.Origin == cfuncs.OriginPreamble
			}
			e.kinds = k
			e.owns = e.owns || k&kSwitch != 0
		}
		return e
	}
	common := ci.Common()
	if common.IsInvoke() {
		// A method of an interface: known from the table only.
		name := common.Method.Name()
		if n := ssaflow.NamedOf(common.Value.Type()); n != nil && n.Pkg() != nil {
			name = n.Pkg().Name() + "." + n.Name() + "." + name
		}
		if e, ok := r.apiEffect(common.Method, name, common.Args); ok {
			return e
		}
		return effect{}
	}
	callee := ssaflow.Callee(common)
	if callee == nil {
		e := r.unlockerCall(common.Value)
		if e.zero() && r.unlockVal[ssaflow.Outermost(ci.Parent())] {
			// A function value that may be runtime.UnlockOSThread
			// (netlink's `unlockThd = runtime.UnlockOSThread`).
			e.unk = true
		}
		return e
	}
	if r.inPkg[callee] {
		e := effect{name: calleeName(r.pass.Pkg, callee)}
		if r.unk[callee] {
			e.unk = true
		}
		if f, ok := r.sum[callee]; ok {
			e.delta, e.kinds, e.fact = f.Delta, f.Affine, true
			e.owns = f.Owns || f.Affine&kSwitch != 0
		}
		return e
	}
	obj, ok := callee.Object().(*types.Func)
	if !ok {
		return effect{}
	}
	name := calleeName(r.pass.Pkg, callee)
	if obj.Pkg() != r.pass.Pkg {
		if e, ok := r.apiEffect(obj, name, common.Args); ok {
			return e
		}
	}
	var f funcFact
	if obj.Pkg() != r.pass.Pkg && r.pass.ImportObjectFact(obj, &f) {
		return effect{delta: f.Delta, kinds: f.Affine, name: name, fact: true,
			owns: f.Owns || f.Affine&kSwitch != 0}
	}
	return effect{}
}

// unlockerCall returns the effect of calling v, a function value: an unlock
// if v is the func result of a call to a returns-locked function whose
// summary says that its func result undoes the lock.
func (r *runner) unlockerCall(v ssa.Value) effect {
	if x, ok := v.(*ssa.Extract); ok {
		v = x.Tuple
	}
	call, ok := v.(*ssa.Call)
	if !ok {
		return effect{}
	}
	callee := ssaflow.Callee(call.Common())
	if callee == nil {
		return effect{}
	}
	var f funcFact
	if r.inPkg[callee] {
		f = r.sum[callee]
	} else if obj, ok := callee.Object().(*types.Func); !ok || !r.pass.ImportObjectFact(obj, &f) {
		return effect{}
	}
	if !f.Unlocker {
		return effect{}
	}
	return effect{delta: -1, name: "the unlock function returned by " + calleeName(r.pass.Pkg, callee), fact: true}
}

// isProcWrite reports whether a call with args writes a per-thread file
// of /proc (/proc/thread-self/..., /proc/self/task/<tid>/...), which
// changes the calling thread's state (attr/exec, attr/current, ...): the
// path is argument 0, and the open flags, if flags >= 0, argument flags.
func isProcWrite(args []ssa.Value, flags int) bool {
	if len(args) == 0 {
		return false
	}
	if flags >= 0 {
		if flags >= len(args) {
			return false
		}
		v, ok := constInt(args[flags])
		if !ok || v&3 == 0 { // O_WRONLY or O_RDWR
			return false
		}
	}
	return isThreadProcPath(args[0])
}

// isThreadProcPath reports whether v is visibly a path under the calling
// thread's /proc directory.
func isThreadProcPath(v ssa.Value) bool {
	prefixed := func(s string) bool {
		return strings.HasPrefix(s, "/proc/thread-self/") || strings.HasPrefix(s, "/proc/self/task/")
	}
	switch v := v.(type) {
	case *ssa.Const:
		return v.Value != nil && v.Value.Kind() == constant.String && prefixed(constant.StringVal(v.Value))
	case *ssa.BinOp:
		return v.Op == token.ADD && isThreadProcPath(v.X)
	case *ssa.Call:
		if ssaflow.CalleeKey(v.Common()) != "fmt.Sprintf" {
			return false
		}
		if len(v.Common().Args) == 0 {
			return false
		}
		c, ok := v.Common().Args[0].(*ssa.Const)
		if !ok || c.Value == nil || c.Value.Kind() != constant.String {
			return false
		}
		format := constant.StringVal(c.Value)
		return prefixed(format) || (strings.Contains(format, "/task/%d/") && sprintfUsesGettid(v))
	}
	return false
}

// sprintfUsesGettid reports whether a fmt.Sprintf call formats the
// result of unix.Gettid or syscall.Gettid.
func sprintfUsesGettid(call *ssa.Call) bool {
	found := false
	for _, b := range call.Block().Instrs {
		st, ok := b.(*ssa.Store)
		if !ok {
			continue
		}
		mi, ok := st.Val.(*ssa.MakeInterface)
		if !ok {
			continue
		}
		if isGettid(mi.X) {
			found = true
		}
	}
	return found
}

// calleeName names a Go callee as the user would write it.
func calleeName(from *types.Package, fn *ssa.Function) string {
	name := funcName(fn)
	if fn.Pkg != nil && fn.Pkg.Pkg != from && fn.Signature.Recv() == nil {
		return fn.Pkg.Pkg.Name() + "." + name
	}
	return name
}
