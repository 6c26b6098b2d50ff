// Command app uses lib and handles signals from Go.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"lib"
)

func main() {
	lib.Init()
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGUSR1, os.Interrupt) // want `signal.Notify handles SIGUSR1, but C.install_usr1 gives it a C handler at lib.go:37:2 in lib: a process has one disposition per signal.*; handle SIGUSR1 on one side only`
	signal.Ignore(syscall.SIGTERM)                  // want `signal.Ignore ignores SIGTERM, but C.install_on gives it a C handler at lib.go:38:2 in lib`
	signal.Notify(c, syscall.SIGQUIT)               // no C code touches SIGQUIT
	fmt.Println(<-c)
}
