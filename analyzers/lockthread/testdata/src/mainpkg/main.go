package main

import (
	"runtime"
	"syscall"
)

// main stays locked to the main thread: a GUI main loop. It may switch
// the thread's namespaces: init locked it.
func main() {
	runtime.LockOSThread()
	syscall.Unshare(syscall.CLONE_NEWNS)
	loop()
}

func loop() {}

func init() {
	runtime.LockOSThread()
}
