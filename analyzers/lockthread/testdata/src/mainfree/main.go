package main

import "syscall"

// main switches the namespace of whichever thread runs it.
func main() {
	syscall.Unshare(syscall.CLONE_NEWNS) // want `syscall.Unshare in main changes the per-thread state of whichever OS thread runs the goroutine`
	loop()
}

func loop() {}
