package owned

/*
#include <signal.h>

// with_onstack puts back the disposition in force with SA_ONSTACK added.
static int with_onstack(int sig) {
	struct sigaction cur;
	if (sigaction(sig, NULL, &cur) != 0) return -1;
	cur.sa_flags |= SA_ONSTACK;
	return sigaction(sig, &cur, NULL);
}

static void fix_toolkit_handlers(void) {
	with_onstack(SIGSEGV);
	with_onstack(SIGINT);
	with_onstack(SIGCHLD);
}

static void without_restart(int sig) {
	struct sigaction cur;
	sigaction(sig, NULL, &cur); // "sigaction(sig, &x, NULL)" in a comment
	cur.sa_flags &= ~SA_RESTART;
	sigaction(sig, &cur, NULL);
}

// replace_segv reads the old handler but installs a new one.
static void on_segv(int sig) { (void)sig; }
static void replace_segv(void) {
	struct sigaction old, sa = {0};
	sigaction(SIGSEGV, NULL, &old);
	sa.sa_handler = on_segv;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGSEGV, &sa, NULL);
}

// forward_segv saves the handler it replaces, to call it for Go's faults.
static struct sigaction go_segv;
static void forwarding(int sig, siginfo_t *info, void *ctx) { go_segv.sa_sigaction(sig, info, ctx); }
static void forward_segv(void) {
	struct sigaction sa = {0};
	sa.sa_sigaction = forwarding;
	sa.sa_flags = SA_ONSTACK | SA_SIGINFO;
	sigaction(SIGSEGV, &sa, &go_segv);
}
*/
import "C"

import "syscall"

// FixFlags adds SA_ONSTACK to the handlers in force and clears SA_RESTART:
// no disposition changes.
func FixFlags() {
	C.fix_toolkit_handlers()
	C.without_restart(C.int(syscall.SIGURG))
	C.with_onstack(C.SIGPROF)
}

// Replace installs a new SIGSEGV handler.
func Replace() {
	C.replace_segv() // want `C.replace_segv \(defined in the cgo preamble\) gives SIGSEGV a C handler`
}

// Forward installs a SIGSEGV handler that keeps the runtime's, as the
// os/signal docs ask.
func Forward() {
	C.forward_segv()
}

// ForwardGo does the same with a struct sigaction built in Go.
func ForwardGo(sa *C.struct_sigaction) {
	var old C.struct_sigaction
	C.sigaction(C.SIGBUS, sa, &old)
}
