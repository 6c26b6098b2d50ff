package fix

import "runtime"

func draw() {}

// Render never unlocks, on any path: no fix, as the caller may need the
// thread kept.
func Render() {
	runtime.LockOSThread() // want `Render locks the OS thread with runtime.LockOSThread and returns to its caller without unlocking it`
	draw()
}

// Frame forgets the unlock on the early path and has none at all.
func Frame(skip bool) {
	if skip {
		return
	}
	runtime.LockOSThread() // want `Frame returns at line 21 with the OS thread still locked`
	draw()
}
