// Command quiet links lib and notifies only signals no C code touches.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"lib"
	"pipelib"
)

func main() {
	lib.Init()
	pipelib.Init()
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGQUIT, syscall.SIGUSR2)
	fmt.Println(<-c)
}
