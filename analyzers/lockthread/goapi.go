package lockthread

import (
	"go/constant"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/internal/ssaflow"
)

// This file is the one place that knows Go functions of other packages by
// name: the runtime's lock calls, and the Go APIs that change the calling
// OS thread's state. Packages analyzed with this check also carry facts
// (netns.Set gets requires-locked(switch) from its body); the table covers
// the standard library, which is not analyzed, and keeps the answer the
// same when a dependency is seen without facts (a driver that analyzes
// only the target packages, or a dependency that is not Go source).

// goAPI is what a call of a known Go function does to the calling thread.
type goAPI struct {
	// delta is +1 for runtime.LockOSThread, -1 for UnlockOSThread.
	delta int8
	// kinds are the thread-affine events of the call (kSwitch).
	kinds uint8
	// sysnum, if set, says the call is a raw system call whose number is
	// argument 0: it switches thread state only for SYS_SETNS and
	// SYS_UNSHARE.
	sysnum bool
	// self, if >= 0, is an argument that names the thread the call acts
	// on: it switches the calling thread only when that argument is the
	// constant 0 or the result of Gettid (sched_setaffinity(0, ...)).
	self int
	// procWrite says the call writes a file named by argument 0, with open
	// flags in argument flags if flags >= 0: it switches thread state when
	// the file is visibly per-thread /proc state (/proc/thread-self/...).
	procWrite bool
	flags     int
}

// goAPIs are the known Go functions, by "importpath.Func" or, for methods
// (of a concrete type or an interface), "importpath.Type.Method".
var goAPIs = map[string]goAPI{
	"runtime.LockOSThread":   {delta: 1, self: -1},
	"runtime.UnlockOSThread": {delta: -1, self: -1},

	// Namespace switches: setns(2) and unshare(2) change the calling
	// thread only.
	"golang.org/x/sys/unix.Setns":   {kinds: kSwitch, self: -1},
	"golang.org/x/sys/unix.Unshare": {kinds: kSwitch, self: -1},
	"syscall.Unshare":               {kinds: kSwitch, self: -1},
	// vishvananda/netns: Set and Setns call unix.Setns; New and NewNamed
	// unshare CLONE_NEWNET and leave the thread in the new namespace.
	"github.com/vishvananda/netns.Set":      {kinds: kSwitch, self: -1},
	"github.com/vishvananda/netns.Setns":    {kinds: kSwitch, self: -1},
	"github.com/vishvananda/netns.New":      {kinds: kSwitch, self: -1},
	"github.com/vishvananda/netns.NewNamed": {kinds: kSwitch, self: -1},
	// containernetworking/plugins: NetNS.Set switches the calling thread
	// (NetNS.Do locks around its callback and is not listed).
	"github.com/containernetworking/plugins/pkg/ns.NetNS.Set": {kinds: kSwitch, self: -1},

	// Raw system calls, switching when the number is SYS_SETNS or
	// SYS_UNSHARE.
	"syscall.Syscall":                   {sysnum: true, self: -1},
	"syscall.Syscall6":                  {sysnum: true, self: -1},
	"syscall.RawSyscall":                {sysnum: true, self: -1},
	"syscall.RawSyscall6":               {sysnum: true, self: -1},
	"golang.org/x/sys/unix.Syscall":     {sysnum: true, self: -1},
	"golang.org/x/sys/unix.Syscall6":    {sysnum: true, self: -1},
	"golang.org/x/sys/unix.RawSyscall":  {sysnum: true, self: -1},
	"golang.org/x/sys/unix.RawSyscall6": {sysnum: true, self: -1},

	// CPU affinity of the calling thread (pid 0): only that thread is
	// pinned, and the goroutine may leave it at the next call.
	"golang.org/x/sys/unix.SchedSetaffinity": {kinds: kSwitch, self: 0},

	// Writes of per-thread /proc files (/proc/thread-self/attr/exec).
	"os.WriteFile":               {procWrite: true, flags: -1, self: -1},
	"io/ioutil.WriteFile":        {procWrite: true, flags: -1, self: -1},
	"os.OpenFile":                {procWrite: true, flags: 1, self: -1},
	"syscall.Open":               {procWrite: true, flags: 1, self: -1},
	"golang.org/x/sys/unix.Open": {procWrite: true, flags: 1, self: -1},
}

// lookupAPI returns the table's entry for fn.
func lookupAPI(fn *types.Func) (goAPI, bool) {
	a, ok := goAPIs[ssaflow.FuncKey(fn)]
	return a, ok
}

// apiEffect returns the effect of a call of the known function fn with
// args, and whether the call does anything this check cares about.
func (r *runner) apiEffect(fn *types.Func, name string, args []ssa.Value) (effect, bool) {
	a, ok := lookupAPI(fn)
	if !ok {
		return effect{}, false
	}
	switch {
	case a.delta != 0:
		return effect{delta: a.delta, name: name}, true
	case a.sysnum:
		if len(args) > 0 {
			if v, ok := constInt(args[0]); ok && r.sysnums[v] {
				return effect{kinds: kSwitch, owns: true, name: name + "(SYS_SETNS/SYS_UNSHARE)"}, true
			}
		}
		return effect{}, false
	case a.procWrite:
		if isProcWrite(args, a.flags) {
			return effect{kinds: kSwitch, owns: true, name: name + " of a per-thread /proc file"}, true
		}
		return effect{}, false
	case a.self >= 0:
		if a.self >= len(args) {
			return effect{}, false
		}
		if v, ok := constInt(args[a.self]); (!ok || v != 0) && !isGettid(args[a.self]) {
			return effect{}, false // another thread or process, or not known
		}
	}
	return effect{kinds: a.kinds, owns: a.kinds&kSwitch != 0, name: name}, true
}

// constInt returns the value of an integer constant.
func constInt(v ssa.Value) (int64, bool) {
	c, ok := v.(*ssa.Const)
	if !ok || c.Value == nil || c.Value.Kind() != constant.Int {
		return 0, false
	}
	return constant.Int64Val(c.Value)
}

// isGettid reports whether v is the result of unix.Gettid or
// syscall.Gettid (through integer conversions): the calling thread.
func isGettid(v ssa.Value) bool {
	for {
		c, ok := v.(*ssa.Convert)
		if !ok {
			break
		}
		v = c.X
	}
	call, ok := v.(*ssa.Call)
	if !ok {
		return false
	}
	switch ssaflow.CalleeKey(call.Common()) {
	case "syscall.Gettid", "golang.org/x/sys/unix.Gettid":
		return true
	}
	return false
}
