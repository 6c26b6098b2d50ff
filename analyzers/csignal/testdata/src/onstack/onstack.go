// Package onstack builds struct sigaction in Go.
package onstack

/*
#include <signal.h>
static void handler(int sig) { (void)sig; }
static void set_handler(struct sigaction *sa) { sa->sa_handler = handler; }
*/
import "C"

// Install installs a handler without SA_ONSTACK.
func Install() {
	var sa C.struct_sigaction
	C.set_handler(&sa)
	sa.sa_flags = C.SA_RESTART
	C.sigaction(C.SIGUSR2, &sa, nil) // want `C.sigaction installs a handler for SIGUSR2 without SA_ONSTACK.*; add SA_ONSTACK to sa_flags`
}

// InstallOnStack installs one with it.
func InstallOnStack() {
	var sa C.struct_sigaction
	C.set_handler(&sa)
	sa.sa_flags = C.SA_RESTART | C.SA_ONSTACK
	C.sigaction(C.SIGUSR2, &sa, nil)
}

// InstallOr adds SA_ONSTACK to the flags.
func InstallOr() {
	var sa C.struct_sigaction
	C.set_handler(&sa)
	sa.sa_flags = C.SA_RESTART
	sa.sa_flags |= C.SA_ONSTACK
	C.sigaction(C.SIGUSR2, &sa, nil)
}
