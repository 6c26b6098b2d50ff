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
	signal.Notify(c) // want `signal.Notify with no signals catches all, including SIGUSR1 \(C.install_usr1 gives it a C handler at lib.go:37:2 in lib\), SIGTERM \(C.install_on .*\), SIGWINCH \(.*\), SIGHUP \(C.ignore_hup gives it a C disposition at lib.go:40:2 in lib\): a process has one disposition per signal.*; handle SIGUSR1, SIGTERM, SIGWINCH, SIGHUP on one side only \(or list the signals Notify should catch\)`
	fmt.Println(<-c)
}
