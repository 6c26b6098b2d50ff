// Package pipelib ignores SIGPIPE and SIGCHLD in C, as some C libraries do.
package pipelib

/*
#include <signal.h>
static void quiet_pipes(void) { signal(SIGPIPE, SIG_IGN); }
*/
import "C"

// Init ignores SIGPIPE (harmless on its own) and SIGCHLD.
func Init() {
	C.quiet_pipes()
	C.signal(C.SIGCHLD, C.SIG_IGN)
}
