// Package catcher lets its callers choose the signals its C side handles.
package catcher

/*
#include <signal.h>
#include <string.h>

static void on_signal(int sig) { (void)sig; }

static int catch_signal(int sig) {
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_ONSTACK;
	return sigaction(sig, &sa, NULL);
}
*/
import "C"

import "syscall"

// Catch has the C side handle sig.
func Catch(sig syscall.Signal) error {
	if C.catch_signal(C.int(sig)) != 0 {
		return syscall.EINVAL
	}
	return nil
}
