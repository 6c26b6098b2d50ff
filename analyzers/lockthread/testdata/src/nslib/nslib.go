// Package nslib is a namespace library in the vishvananda/netns style: its
// functions switch the calling thread's namespace and require the caller to
// lock the goroutine to its thread.
package nslib

import (
	"runtime"

	"golang.org/x/sys/unix"
)

// Handle is a namespace file descriptor.
type Handle int

// Set switches the calling thread to ns (callers must lock).
func Set(ns Handle) error { // want Set:"lockthread:requires-locked\\(switch\\)"
	return unix.Setns(int(ns), unix.CLONE_NEWNET)
}

// New unshares the network namespace (callers must lock).
func New() error { // want New:"lockthread:requires-locked\\(switch\\)"
	return unix.Unshare(unix.CLONE_NEWNET)
}

// LockThread locks the goroutine for the caller.
func LockThread() { // want LockThread:"lockthread:returns-locked"
	runtime.LockOSThread()
}

// UnlockThread undoes LockThread.
func UnlockThread() { // want UnlockThread:"lockthread:unlocks-caller"
	runtime.UnlockOSThread()
}

// Do runs f in ns, locked, and restores the namespace.
func Do(ns, orig Handle, f func() error) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := Set(ns); err != nil {
		return err
	}
	defer Set(orig)
	return f()
}
