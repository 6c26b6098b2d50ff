// Package csignal defines an Analyzer that reports signal dispositions that
// C code and the Go runtime fight over, across a whole program.
//
// # Analyzer csignal
//
// csignal: report signals that C code and Go both claim
//
// A process has one disposition (handler, SIG_IGN or SIG_DFL) per signal,
// and one signal mask per thread. The Go runtime installs its own handler,
// with SA_ONSTACK, for nearly every signal at start-up, and relies on some;
// os/signal only tells that handler where to deliver. The os/signal docs
// ("Go programs that use cgo or SWIG") describe what happens when C code
// changes a disposition too:
//
//   - a handler that was already in place when the runtime started (a C
//     constructor, a non-Go program calling Go) is kept for forwarding, and
//     Notify for that signal installs Go's handler in its place;
//   - a handler installed by C after the runtime started, that is by any C
//     call made from Go, replaces Go's handler and keeps it: Notify does not
//     take the signal back, so a Notify channel for that signal never
//     receives, whether the C call ran before or after Notify (verified with
//     go1.26: signal.Notify, then C installs a handler, then the signal is
//     sent: the channel stays empty; the same with the C call first);
//   - a C handler without SA_ONSTACK runs on whatever stack the thread is
//     using, a small goroutine stack on a Go thread, which the docs call
//     "likely to cause the program to crash"; if it forwards the signal to
//     Go's handler, the runtime aborts with "non-Go code set up signal
//     handler without SA_ONSTACK flag";
//   - the runtime owns some signals whatever the program does: SIGURG
//     (asynchronous preemption of goroutines), SIGPROF (the CPU profiler),
//     SIGSEGV, SIGBUS and SIGFPE (turned into run-time panics), and, in
//     programs that use them, SIGPIPE (package net and os/exec pipes get
//     EPIPE errors instead of dying) and SIGCHLD (os/exec waits for its
//     children; a C SIG_IGN disposition is inherited by the children it
//     starts, and an ignored SIGCHLD makes the kernel reap them first).
//
// The handler is usually installed in one package (a binding whose C
// library, or cgo preamble, calls signal or sigaction) and Notify called in
// another (the program's main). csignal therefore records, as package facts,
// which signals each package and everything it imports gives a C disposition
// and which it handles with os/signal, and reports a conflict in the main
// package that links both, and in a package that does both itself. The C
// side is seen at the Go call of signal, sigaction, sigset, bsd_signal or
// sysv_signal, or of a C function of the package (preamble or .c file,
// read with a C front end) that calls them (with literal signal names, or
// with the signal number the Go caller passes), and at the package's
// import "C" for its load-time constructors.
// Signal numbers are read whatever their spelling: C.SIGUSR1,
// syscall.SIGUSR1, unix.SIGUSR1, os.Interrupt. A Go function that hands
// its parameter on to signal.Notify (a graceful-shutdown helper taking
// ...os.Signal) or to a C installer is summarised by an object fact, so
// the constant signals at its callers count, in any package.
//
// Category conflict: a signal is given a C disposition (a handler, SIG_IGN
// or SIG_DFL) from Go and is also handled with signal.Notify, NotifyContext,
// Ignore or Reset somewhere in the program. Notify with no signals catches
// all, so it conflicts with every C disposition of the program (the
// runtime's own signals aside). Handle each signal on one side only: drop
// the C handler (most C libraries have an option to leave signals alone), or
// do not Notify for it and let the C library call back into Go.
//
// Bad:
//
//	// package binding
//	func Init() { C.install_handlers() } // preamble: sigaction(SIGTERM, &sa, NULL)
//
//	// package main
//	binding.Init()
//	signal.Notify(stop, syscall.SIGTERM) // never receives
//
// Good:
//
//	binding.InitWithoutSignals() // the C library leaves SIGTERM to Go
//	signal.Notify(stop, syscall.SIGTERM)
//
// C code that runs when the program loads counts too: a function of the
// package's preamble or .c files marked __attribute__((constructor)) that
// installs a handler (or SIG_IGN) sets it on behalf of the package, at its
// import "C", with Related pointing at the C call. The Go runtime starts
// after such a constructor and passes the signal on to the C disposition
// only while Go does not handle it: once signal.Notify takes the signal,
// the C code's handler never runs again.
//
// Bad:
//
//	// hooks.c
//	__attribute__((constructor)) static void hooks(void) { signal(SIGINT, on_int); }
//
//	// main.go
//	signal.Notify(stop, os.Interrupt) // the C handler stops running
//
// Good: handle SIGINT on one side only, or install the C handler from an
// explicit init call the program can leave out.
//
// Category runtime-signal: a C disposition for SIGURG, SIGPROF, SIGSEGV,
// SIGBUS or SIGFPE, anywhere; for SIGPIPE (any disposition with os/exec, a
// handler or SIG_DFL with net) or SIGCHLD (SIG_IGN or a handler) in a
// program that links net or os/exec. Leave these signals to the runtime;
// stop SIGPIPE in C with MSG_NOSIGNAL or SO_NOSIGPIPE instead of ignoring it
// process-wide, and wait for C's own children by pid.
//
// Bad:
//
//	C.signal(C.SIGPIPE, C.SIG_IGN) // children of os/exec inherit SIG_IGN
//	C.crash_handler_install()      // preamble: sigaction(SIGSEGV, ...)
//
// Good:
//
//	C.send(fd, buf, n, C.MSG_NOSIGNAL)
//
// Category no-onstack: a handler installed without SA_ONSTACK where the flags
// are visible: a cgo preamble function whose sigaction flags lack it (or that
// calls signal() with a handler, which never sets it), a struct sigaction
// built in Go whose sa_flags constant lacks it, or C.signal called from Go
// with a C function as handler. It is reported whatever signal it is for.
//
// Bad:
//
//	sa.sa_flags = C.SA_RESTART
//	C.sigaction(C.SIGUSR2, &sa, nil)
//
// Good:
//
//	sa.sa_flags = C.SA_RESTART | C.SA_ONSTACK
//	C.sigaction(C.SIGUSR2, &sa, nil)
//
// Category thread-mask: sigprocmask or pthread_sigmask (or a preamble
// function that calls them) called from Go to change the mask, while the
// goroutine is not locked to its thread. The mask belongs to the OS thread,
// and the os/signal docs say non-Go code "should not change the signal mask
// on any threads created by the Go runtime": the goroutine can move to
// another thread at any time, and the changed mask stays behind on a thread
// that then runs other goroutines. Prefer os/signal (Ignore, Notify); if the
// C library needs a mask, lock the thread and restore the mask before
// unlocking it. The call is quiet when runtime.LockOSThread precedes it on
// every path of its function (or of every caller of an unexported helper),
// in init functions (the runtime locks the main goroutine during
// initialisation), when it only reads the mask, and for SIG_UNBLOCK (Go's
// threads run with signals unblocked already).
//
// Bad:
//
//	C.pthread_sigmask(C.SIG_BLOCK, &set, nil)
//
// Good:
//
//	runtime.LockOSThread()
//	defer runtime.UnlockOSThread()
//	C.pthread_sigmask(C.SIG_BLOCK, &set, &old)
//	defer C.pthread_sigmask(C.SIG_SETMASK, &old, nil)
//
// Not reported: a program that only uses os/signal; C handlers installed
// with SA_ONSTACK for signals Go never handles; Notify of signals no C code
// touches; SIG_IGN or SIG_DFL set by C for signals Go does not handle (other
// than the runtime's own); signal numbers that are not constants at the call
// (or at the call of a Go wrapper); signal.Ignore of a signal C also
// sets to SIG_IGN; a preamble function that reads the disposition in force
// and puts it back with other flags (sigaction(sig, NULL, &sa), then
// sa.sa_flags |= SA_ONSTACK and sigaction(sig, &sa, NULL): the idiom GUI
// bindings use to fix a toolkit's handlers); a sigaction that saves the
// action it replaces (a non-NULL third argument), which is taken to forward
// to it as the os/signal docs ask (its SA_ONSTACK is still checked); C code
// that runs without a Go call (constructors, C threads, C files compiled
// next to the package), which csignal cannot see.
//
// Since: v0.1.0. Default: enabled.
package csignal
