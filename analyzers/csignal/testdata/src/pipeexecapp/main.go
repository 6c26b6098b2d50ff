// Command pipeexecapp links pipeexec (already reported there) and ignores
// SIGPIPE from Go too: nothing new to report.
package main

import (
	"os/exec"
	"os/signal"
	"syscall"

	"pipeexec"
)

func main() {
	signal.Ignore(syscall.SIGPIPE)
	_ = pipeexec.Run()
	_ = exec.Command("true").Run()
}
