// Package csignal runs a C worker loop that a user can interrupt with Ctrl-C.
//
// The hazard (csignal): the C side installs its own SIGINT handler to stop
// the loop, and the Go side also waits for SIGINT with signal.NotifyContext
// to shut down. The C handler, installed from Go, keeps SIGINT from the Go
// runtime, so the context is never cancelled. Handle SIGINT on one side only:
// here, drop the C handler and call C.worker_stop from Go when the context
// is done.
package csignal

/*
#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stop_requested;

static void on_sigint(int sig) { (void)sig; stop_requested = 1; }

// worker_init arranges for Ctrl-C to stop the worker loop.
static int worker_init(void) {
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sa.sa_flags = SA_ONSTACK | SA_RESTART;
	return sigaction(SIGINT, &sa, NULL);
}

// worker_step does one unit of work; it returns 0 once stopped.
static int worker_step(void) {
	if (stop_requested) return 0;
	usleep(1000);
	return 1;
}

static void worker_stop(void) { stop_requested = 1; }
*/
import "C"

import (
	"context"
	"errors"
	"os"
	"os/signal"
)

// Run runs the worker until Ctrl-C, then cleans up from Go.
func Run(ctx context.Context, cleanup func()) error {
	if C.worker_init() != 0 {
		return errors.New("csignal: cannot install the worker's SIGINT handler")
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done() // never happens on Ctrl-C: the C handler has SIGINT
		cleanup()
		C.worker_stop()
	}()
	for C.worker_step() != 0 {
	}
	return nil
}
