// Command allnotify catches every signal and links lib.
package main

import (
	"fmt"
	"os"
	"os/signal"

	_ "lib"
)

func main() {
	c := make(chan os.Signal, 1)
	signal.Notify(c) // want `signal.Notify with no signals catches all, including SIGHUP, which C.ignore_hup gives a C disposition` `including SIGTERM` `including SIGUSR1` `including SIGWINCH`
	fmt.Println(<-c)
}
