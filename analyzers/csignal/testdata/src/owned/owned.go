// Package owned gives C dispositions to signals the Go runtime owns.
package owned

/*
#include <signal.h>

static void on_fault(int sig) { (void)sig; }
static void crash_handlers(void) {
	struct sigaction sa = {0};
	sa.sa_handler = on_fault;
	sa.sa_flags = SA_ONSTACK | SA_SIGINFO;
	sigaction(SIGSEGV, &sa, 0);
	sigaction(SIGBUS, &sa, 0);
}
static void set_handler(int sig) { signal(sig, on_fault); }
*/
import "C"

import "syscall"

// Install installs crash and profiling handlers.
func Install() {
	C.crash_handlers()                          // want `C.crash_handlers \(defined in the cgo preamble\) gives SIGBUS, SIGSEGV a C handler, but the runtime turns SIGBUS into Go panics`
	C.set_handler(C.SIGPROF)                    // want `C.set_handler .* gives SIGPROF a C handler, but the runtime's CPU profiler`
	C.signal(C.int(syscall.SIGURG), C.SIG_IGN)  // want `C.signal gives SIGURG SIG_IGN, but the runtime preempts goroutines with SIGURG`
	C.signal(C.SIGPIPE, C.SIG_IGN)              // this package links neither net nor os/exec
	C.signal(C.SIGCHLD, C.SIG_DFL)              // SIG_DFL for a signal Go does not handle
	C.signal(C.SIGALRM, (*[0]byte)(C.on_fault)) // want `C.signal installs a handler for SIGALRM without SA_ONSTACK.*; install it with sigaction and SA_ONSTACK in sa_flags`
	C.sigaction(C.SIGSEGV, nil, nil)            // only reads
}
