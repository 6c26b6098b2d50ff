// Command loadapp links C constructors that install signal handlers.
package main

// #include <unistd.h>
import "C"

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGINT) // want `signal.Notify handles SIGINT, but the C constructor install_int \(run when the program loads\) gives it a C handler at ctor.c:10:2 in loadapp: a process has one disposition per signal: the Go runtime starts after the constructor.*; handle SIGINT on one side only`
	signal.Notify(c, syscall.SIGTERM)
	fmt.Println(<-c, C.getpid())
}
