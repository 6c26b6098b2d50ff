// Package lockthread defines an Analyzer that checks runtime.LockOSThread
// balance and thread-affine call sequences.
//
// # Analyzer lockthread
//
// lockthread: check LockOSThread balance and thread-affine calls
//
// runtime.LockOSThread wires the calling goroutine to its OS thread until a
// matching runtime.UnlockOSThread. Since Go 1.10 the calls nest: the
// goroutine is unlocked only when UnlockOSThread has been called as many
// times as LockOSThread. Some state belongs to the OS thread, not to the
// goroutine: errno-style last-error state of C libraries (dlerror,
// git_error_last, virGetLastError, ERR_get_error), pthread mutexes and
// thread-specific data, the current GL context, and the thread's Linux
// namespaces (setns, unshare). The Go scheduler moves an unlocked goroutine
// between threads at any call, so two calls that must see the same thread
// need the goroutine locked from the first to the second.
//
// The analysis is path-sensitive over each function's control-flow graph
// and counts nesting as the runtime does; paths that panic do not return to
// the caller and are not checked. Functions are summarised as facts, in the
// package and across packages:
//   - returns-locked: the function locks on every path and returns locked
//     on purpose, which is decided from what the code does, never from
//     its name: its callers in the package pair it (at least one unlocks
//     after calling it, returns locked as such a helper itself, or is a
//     goroutine body, init, main or a test; a caller that pairs it on some
//     paths only is reported itself); or it returns, on every path, a
//     function value that unlocks (returns-locked-with-unlocker, runc's
//     `p, closer := utils.ProcThreadSelf(...); defer closer()`); or it
//     leaves per-thread state switched on the locked thread, a namespace
//     entered or a context made current, so its caller must stay there
//     (returns-locked-owning-thread-state, golang.org/x/mobile's app.Main,
//     whose loop made an EGL context current); or nothing in the package
//     calls it and it does nothing but call runtime.LockOSThread (an API
//     for importers, checked where they call it), or it is unexported
//     (dead in this build: tests or other build configurations call it,
//     and are checked there). Otherwise it is reported, whatever its name
//     (Ping, ReadBlock, Mapping, pinThread): a returns-locked function that
//     no caller pairs is reported in the function, once, and its callers
//     are not. Its callers inherit the lock.
//   - unlocks-caller: the function undoes its caller's lock on every path
//     and has callers in the package, or nothing calls it and it does
//     nothing but unlock, or it is unexported and unused.
//   - requires-locked: the function does thread-affine work without locking
//     (it reads C error state of its caller's previous call, like git2go's
//     MakeGitError, or switches namespaces, like netns.Set): its callers
//     must hold the lock, and a caller that makes the sequence without it
//     is reported.
//
// What is deliberately not reported: a goroutine body (a function or
// literal only started with go) that exits locked, because the runtime then
// terminates its thread, which is how runc, netns and CNI plugins throw a
// tainted thread away; LockOSThread in an init function (pins main to the
// main thread, as GUI and GL bindings need) and in main.main; test
// functions; functions only passed as values (errgroup.Go(s.loop)), which
// may be goroutine bodies; the helpers above; a path that returns locked
// together with a function value that unlocks while the function's other
// paths unlock themselves (a restore closure: `restore, err := enter(ns);
// if err != nil { return err }; defer restore()`); a path that returns
// locked after switching per-thread state while locked (setns, unshare, a
// per-thread /proc write, a C function of the cgo preamble or of the
// package's own .c files that calls a thread-affine C function, such as
// x/mobile's createWindow in x11.c calling eglMakeCurrent: leaving a
// tainted thread locked is the safe choice; .c files over 1 MB are not
// read); balanced `LockOSThread(); defer UnlockOSThread()`, nested
// balanced pairs, locks taken and released by helpers with facts;
// functions whose callers in the package all hold the lock, and //export
// functions (C calls them on its own thread, to which cgo keeps the
// goroutine for the call). A function literal passed to code the analysis
// cannot see is not checked for thread-affine sequences.
//
// Category unbalanced-lock: a function returns to its caller with the
// thread still locked on some path. The caller's goroutine stays wired to
// this thread, so no other goroutine can run on it, and when the goroutine
// exits the thread is destroyed. The suggested fix inserts
// `defer runtime.UnlockOSThread()` after the lock when the function has no
// unlock at all and returns unlocked on some path. A function that returns
// locked on every path gets no fix: pinning its caller may be its job (a
// thread attached to a JVM, moved into a namespace), and the finding says
// both remedies: unlock in it, or lock and unlock in the caller.
//
// Bad:
//
//	func (w *Window) Show() error {
//		runtime.LockOSThread()
//		if w.native == nil {
//			return errClosed // still locked
//		}
//		C.gtk_widget_show(w.native)
//		runtime.UnlockOSThread()
//		return nil
//	}
//
// Good:
//
//	func (w *Window) Show() error {
//		runtime.LockOSThread()
//		defer runtime.UnlockOSThread()
//		if w.native == nil {
//			return errClosed
//		}
//		C.gtk_widget_show(w.native)
//		return nil
//	}
//
// Bad (a helper that returns locked, and no caller unlocks after it):
//
//	func (c *Conn) Ping() error {
//		runtime.LockOSThread()
//		return c.roundTrip()
//	}
//
// Good (the helper hands back its unlock; or a caller pairs it):
//
//	func (c *Conn) pin() (unpin func()) {
//		runtime.LockOSThread()
//		return runtime.UnlockOSThread
//	}
//
//	func (c *Conn) Ping() error {
//		defer c.pin()()
//		return c.roundTrip()
//	}
//
// Category unbalanced-unlock: runtime.UnlockOSThread (or a helper that
// unlocks) on a path where the function took no lock. It undoes a lock its
// caller holds, so the caller's goroutine can move threads in the middle of
// its own locked section, or it does nothing and hides a missing lock.
//
// Bad:
//
//	func (w *Writer) Flush() {
//		C.flush(w.h)
//		runtime.UnlockOSThread()
//	}
//
// Good: lock and unlock in the same function, or pair an unlock helper
// with the lock in its callers.
//
// Category thread-affine: two calls that must run on the same OS thread,
// made while the goroutine is not locked to it between them: a C call and
// then the library's last-error getter; pthread_mutex_lock then
// pthread_mutex_unlock in separate cgo calls; pthread_setspecific then
// pthread_getspecific; two namespace switches (setns or unshare from C, or
// from Go through the known APIs below, or functions with a requires-locked
// fact) such as entering a namespace and restoring the original one. A
// single switch in a goroutine body, init or main, where nobody can have
// locked the thread, is reported too: it changes whichever thread runs the
// goroutine, and unrelated goroutines inherit it. An error read is
// reported once, at the getter, naming every call whose error it may read
// (one per path: the cases of a switch of failing calls). Calls known not
// to touch the error state (free, a library's error-code-to-string lookup:
// error-neutral) in between are not the call whose error is read.
//
// Bad:
//
//	func Open(name string) error {
//		h := C.dlopen(cname, C.RTLD_NOW)
//		if h == nil {
//			return errors.New(C.GoString(C.dlerror())) // maybe another thread's error
//		}
//		...
//	}
//
// Good:
//
//	func Open(name string) error {
//		runtime.LockOSThread()
//		defer runtime.UnlockOSThread()
//		h := C.dlopen(cname, C.RTLD_NOW)
//		if h == nil {
//			return errors.New(C.GoString(C.dlerror()))
//		}
//		...
//	}
//
// Bad (the switch back may run on another thread; the work in between may
// run in either namespace):
//
//	func InNamespace(target, orig netns.NsHandle, f func() error) error {
//		if err := netns.Set(target); err != nil {
//			return err
//		}
//		defer netns.Set(orig)
//		return f()
//	}
//
// Good:
//
//	func InNamespace(target, orig netns.NsHandle, f func() error) error {
//		runtime.LockOSThread()
//		defer runtime.UnlockOSThread()
//		if err := netns.Set(target); err != nil {
//			return err
//		}
//		defer netns.Set(orig)
//		return f()
//	}
//
// The thread-affine C functions come from the knowledge base; a function
// declared `thread-affine: true` in the configuration file is treated as a
// last-error getter. The getter reads the state of the last C call before
// it that is not `error-neutral` (the shipped data marks lookups such as
// rd_kafka_err2str, ERR_error_string_n and the getters themselves so): a
// lookup between the failing call and the getter changes nothing. The Go APIs that change the calling thread are one
// table (goapi.go): golang.org/x/sys/unix Setns and Unshare, syscall
// Unshare; github.com/vishvananda/netns Set, Setns, New and NewNamed;
// the Set method of github.com/containernetworking/plugins/pkg/ns.NetNS
// (called through the interface); Syscall, Syscall6, RawSyscall and
// RawSyscall6 of syscall and x/sys/unix with SYS_SETNS or SYS_UNSHARE;
// unix.SchedSetaffinity with pid 0 or unix.Gettid() (the calling thread's
// CPU affinity); writes of per-thread /proc files (os.WriteFile,
// os.OpenFile, syscall.Open and unix.Open of /proc/thread-self/... or
// /proc/self/task/<gettid>/..., such as attr/exec). What the runtime does: setns(2), unshare(2) and
// sched_setaffinity(0, ...) act on the calling OS thread only, and Go may
// run the goroutine's next statement on another thread unless it is
// locked; a goroutine that exits locked takes its thread down with it, so
// a changed thread never runs other goroutines.
//
// Since: v0.1.0. Default: enabled.
package lockthread
