// Package pipeexec ignores SIGPIPE in C and starts children itself.
package pipeexec

/*
#include <signal.h>
*/
import "C"

import "os/exec"

// Run ignores SIGPIPE, then starts a child that inherits it.
func Run() error {
	C.signal(C.SIGPIPE, C.SIG_IGN) // want `C.signal gives SIGPIPE SIG_IGN, but this package links os/exec: children started by os/exec inherit an ignored SIGPIPE`
	return exec.Command("true").Run()
}
