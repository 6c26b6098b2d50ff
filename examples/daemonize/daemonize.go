// Package daemonize detaches the process from its terminal the C way.
//
// The hazard (chostile): fork() copies a multithreaded Go process with only
// the calling thread; the child's runtime is broken. Use os/exec to start a
// detached child instead.
package daemonize

// #include <stdlib.h>
// #include <unistd.h>
//
// static int detach(void) {
//     pid_t pid = fork();
//     if (pid > 0) _exit(0);
//     if (pid == 0) setsid();
//     return pid;
// }
import "C"

import "errors"

// Detach turns the process into a daemon.
func Detach() error {
	if C.detach() < 0 {
		return errors.New("daemonize: fork failed")
	}
	return nil
}
