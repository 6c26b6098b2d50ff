package main

import "runtime"

// main stays locked to the main thread: a GUI main loop.
func main() {
	runtime.LockOSThread()
	loop()
}

func loop() {}
