// Command pipeapp links pipelib and starts children with os/exec.
package main

import (
	"os/exec"

	"pipelib" // want `C.quiet_pipes gives SIGPIPE a C disposition at pipelib.go:12:2 in pipelib, and this program links os/exec: children started by os/exec inherit` `C.signal gives SIGCHLD SIG_IGN at pipelib.go:13:2 in pipelib, and this program links os/exec: an ignored SIGCHLD makes the kernel reap children itself`
)

func main() {
	pipelib.Init()
	_ = exec.Command("true").Run()
}
