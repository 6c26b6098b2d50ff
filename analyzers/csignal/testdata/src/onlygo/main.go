// Command onlygo uses os/signal and no C code.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt, syscall.SIGTERM)
	signal.Notify(c)
	signal.Ignore(syscall.SIGPIPE)
	fmt.Println(<-c)
}
