// Package both installs a C handler and notifies from Go in one package.
package both

/*
#include <signal.h>

static void on_int(int sig) { (void)sig; }
static void install_int(void) { signal(SIGINT, on_int); }
static void install_usr2(void) {
	struct sigaction sa = {0};
	sa.sa_handler = on_int;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR2, &sa, 0);
}
*/
import "C"

import (
	"context"
	"os"
	"os/signal"
)

// Start installs C's SIGINT handler and also waits for SIGINT in Go.
func Start(ctx context.Context) context.Context {
	C.install_int()                                  // want `C.install_int \(defined in the cgo preamble\) installs a handler for SIGINT without SA_ONSTACK`
	ctx, _ = signal.NotifyContext(ctx, os.Interrupt) // want `signal.NotifyContext handles SIGINT, but C.install_int gives it a C handler at both.go:26:2 in both`
	return ctx
}

// Usr2 installs a C handler, with SA_ONSTACK, for a signal Go does not handle.
func Usr2() { C.install_usr2() }
