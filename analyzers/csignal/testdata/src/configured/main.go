// Command configured links a C library whose my_lib_catch installs a
// handler for the signal it is given, declared in the configuration.
package main

// #include <signal.h>
// static int my_lib_catch(int sig) { return sig; } // stands in for the library
import "C"

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	C.my_lib_catch(C.SIGHUP)
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGHUP) // want `signal.Notify handles SIGHUP, but C.my_lib_catch gives it a C disposition at main.go:16:2 in configured`
	<-c
}
