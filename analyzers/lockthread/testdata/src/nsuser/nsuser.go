package nsuser

import (
	"nslib"
	"runtime"
)

func configure() error { return nil }

// Enter switches into ns and back without locking.
func Enter(ns, orig nslib.Handle) error {
	if err := nslib.Set(ns); err != nil {
		return err
	}
	err := configure()
	nslib.Set(orig) // want `nslib.Set \(which switches per-thread state\) switches per-thread state again after nslib.Set \(line 12\), but Enter does not keep`
	return err
}

// EnterLocked is its safe twin.
func EnterLocked(ns, orig nslib.Handle) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := nslib.Set(ns); err != nil {
		return err
	}
	err := configure()
	nslib.Set(orig)
	return err
}

// EnterHelpers locks with the library's helpers.
func EnterHelpers(ns, orig nslib.Handle) error {
	nslib.LockThread()
	defer nslib.UnlockThread()
	nslib.Set(ns)
	defer nslib.Set(orig)
	return configure()
}

// LeakHelpers forgets the library's unlock on one path.
func LeakHelpers(ns nslib.Handle) error {
	nslib.LockThread() // want `LeakHelpers returns at line 45 with the OS thread still locked by nslib.LockThread \(which returns with the thread locked\)`
	if err := configure(); err != nil {
		return err
	}
	nslib.UnlockThread()
	return nil
}

// Sandbox starts a goroutine that unshares without locking.
func Sandbox() {
	go func() {
		nslib.New() // want `nslib.New \(which switches per-thread state\) in the function literal in Sandbox changes the per-thread state of whichever OS thread runs the goroutine`
		configure()
	}()
}

// SandboxLocked locks and exits locked: the thread is terminated with it.
func SandboxLocked() {
	go func() {
		runtime.LockOSThread()
		nslib.New()
		configure()
	}()
}

// Use runs the library's Do: locked inside.
func Use(ns, orig nslib.Handle) error {
	return nslib.Do(ns, orig, configure)
}

// Taint leaves the thread locked when the namespace could not be
// restored: the goroutine must never run elsewhere with a broken thread.
func Taint(ns, orig nslib.Handle) error {
	runtime.LockOSThread()
	if err := nslib.Set(ns); err != nil {
		return err
	}
	err := configure()
	if err := nslib.Set(orig); err != nil {
		return err // the thread is tainted: stay locked on purpose
	}
	runtime.UnlockOSThread()
	return err
}
