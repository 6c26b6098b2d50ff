// Package macroflags installs handlers with sa_flags from macros.
package macroflags

/*
#include <signal.h>
#include <stddef.h>
#define WITH_STACK (SA_RESTART | SA_ONSTACK)
#define WITHOUT_STACK (SA_RESTART | SA_SIGINFO)
static void handler(int sig) { (void)sig; }
static void install_with(void) {
	struct sigaction sa = { .sa_handler = handler, .sa_flags = WITH_STACK };
	sigaction(SIGUSR1, &sa, NULL);
}
static void install_without(int fast) {
	struct sigaction sa = { .sa_handler = handler, .sa_flags = WITHOUT_STACK };
	if (fast) {
		sigaction(SIGUSR2, &sa, NULL);
	}
}
*/
import "C"

// Good installs with SA_ONSTACK from a macro.
func Good() { C.install_with() }

// Bad installs with flags from a macro that lacks it.
func Bad() {
	C.install_without(1) // want `C.install_without \(defined in the cgo preamble\) installs a handler for SIGUSR2 without SA_ONSTACK`
}
