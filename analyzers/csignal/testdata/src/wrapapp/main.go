// Command wrapapp calls wrappers: the signals are constants at its calls.
package main

import (
	"fmt"
	"syscall"

	"catcher"
	"shutdown"
)

func main() {
	_ = catcher.Catch(syscall.SIGUSR1)
	_ = catcher.Catch(syscall.SIGPROF)      // want `catcher.Catch \(which calls C.catch_signal\) gives SIGPROF a C handler, but the runtime's CPU profiler`
	stop := shutdown.Watch(syscall.SIGUSR1) // want `shutdown.Watch \(which calls signal.Notify\) handles SIGUSR1, but catcher.Catch \(which calls C.catch_signal\) gives it a C handler at main.go:13:6 in wrapapp`
	quit := shutdown.WatchOne(syscall.SIGQUIT)
	_ = shutdown.Graceful()
	_ = catcher.Catch(syscall.SIGUSR2)
	_ = shutdown.WatchOne(syscall.SIGUSR2) // want `shutdown.WatchOne \(which calls signal.Notify\) handles SIGUSR2, but catcher.Catch \(which calls C.catch_signal\) gives it a C handler at main.go:18:6 in wrapapp`
	fmt.Println(<-stop, <-quit)
}
