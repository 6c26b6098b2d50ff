// Package chostile defines an Analyzer that reports C calls the Go runtime
// cannot survive or that defeat it.
//
// # Analyzer chostile
//
// chostile: report C calls that break the Go runtime (fork, longjmp, pthread_exit)
//
// Some C functions assume they own the process, the thread or the stack. Called
// from Go they break the runtime's invariants, and the program crashes,
// deadlocks or corrupts memory, usually far from the call and not every time.
// chostile reports calls of these functions from Go, directly or through a
// C function of the package (cgo preamble or .c file) that calls them.
//
// Category thread-exit: pthread_exit ends the OS thread while the runtime
// believes the goroutine is inside a cgo call. The goroutine never returns, the
// runtime loses the thread, and deferred calls do not run. Return from the
// goroutine instead, or call runtime.Goexit to run its defers and end it.
//
// Bad:
//
//	go func() { C.pthread_exit(nil) }()
//
// Good:
//
//	go func() { defer wg.Done(); if err := work(); err != nil { return } }()
//
// Category thread-cancel: pthread_cancel targets a thread the Go runtime may
// own (every thread that runs Go code is one of its Ms). A cancelled Go thread
// dies with the runtime's state on it. Stop Go work with a context or a
// channel; stop C work with the C library's own cancellation API.
//
// Category fork: fork and vfork copy a multithreaded Go process with only the
// calling thread. In the child the other threads, the locks they held, the
// garbage collector and the scheduler are gone, and the next allocation or
// goroutine switch can hang or crash; vfork also shares the parent's stack
// with the child. Use os/exec (or syscall.ForkExec), which forks and
// immediately execs without running Go code in the child.
//
// Bad:
//
//	if pid := C.fork(); pid == 0 { runChild() }
//
// Good:
//
//	cmd := exec.Command(os.Args[0], "child")
//	err := cmd.Start()
//
// A preamble function that forks and then immediately calls an exec function
// or _exit in the child, as posix_spawn does, is not reported.
//
// The package's C constructors (functions of its preamble or .c files
// marked __attribute__((constructor))) run when the program loads, before
// the Go runtime starts, on behalf of the package: a fork there is reported
// at the package's import "C", with Related pointing at the C call, unless
// the constructor also calls _exit, exit, abort or an exec function (the
// daemonizing and fork-exec idioms). No Go thread exists yet, so the hazard
// is another one: parent and child both go on to run the whole Go program
// (checked with a cgo program). pthread_exit in a constructor ends the main
// thread, and the program exits without running main (category
// thread-exit). The other categories cannot reach Go code at load time and
// are not reported there.
//
// Bad:
//
//	// worker.c
//	__attribute__((constructor)) static void start(void) { if (fork() == 0) work(); }
//
// Good:
//
//	func init() { cmd := exec.Command(os.Args[0], "worker"); _ = cmd.Start() }
//
// Category nonlocal-jump: setjmp, sigsetjmp, longjmp and siglongjmp. A jump
// buffer saved by a cgo call describes a C frame that is gone once the call
// returns to Go; a longjmp from Go, or one across Go frames, skips the
// runtime's cgo bookkeeping and the Go frames' defers, and crashes. Keep
// setjmp and its longjmp inside one C function, and report failure to Go as an
// error code; in Go, return errors or panic.
//
// Category context-switch: getcontext, makecontext, setcontext and
// swapcontext switch stacks behind the runtime's back; the runtime's stack
// bounds and goroutine state no longer match the stack in use. Use goroutines
// for coroutines, or keep the context switching entirely inside C.
//
// Since: v0.1.0. Default: enabled.
package chostile
