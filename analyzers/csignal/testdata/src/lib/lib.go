// Package lib is a binding whose C side installs signal handlers.
package lib

/*
#include <signal.h>
#include <string.h>

static void on_signal(int sig) { (void)sig; }

// install_usr1 installs a handler on the alternate signal stack.
static int install_usr1(void) {
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_ONSTACK | SA_RESTART;
	return sigaction(SIGUSR1, &sa, NULL);
}

// install_on installs a handler for the signal it is given.
static int install_on(int sig) {
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_ONSTACK;
	return sigaction(sig, &sa, NULL);
}

// ignore_hup ignores SIGHUP.
static void ignore_hup(void) { signal(SIGHUP, SIG_IGN); }
*/
import "C"

import "syscall"

// Init installs the library's handlers.
func Init() {
	C.install_usr1()
	C.install_on(C.int(syscall.SIGTERM))
	C.install_on(C.SIGWINCH)
	C.ignore_hup()
}
