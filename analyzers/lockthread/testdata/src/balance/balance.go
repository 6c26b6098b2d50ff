package balance

import (
	"errors"
	"runtime"
)

var errBusy = errors.New("busy")

func work() error { return nil }

// EarlyReturn forgets the unlock on its error path.
func EarlyReturn(busy bool) error {
	runtime.LockOSThread() // want `EarlyReturn returns at line 16 with the OS thread still locked by runtime.LockOSThread: the caller's goroutine stays wired`
	if busy {
		return errBusy
	}
	runtime.UnlockOSThread()
	return nil
}

// EarlyReturnFixed is its safe twin.
func EarlyReturnFixed(busy bool) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if busy {
		return errBusy
	}
	return nil
}

// Show never unlocks.
func Show() {
	runtime.LockOSThread() // want `Show locks the OS thread with runtime.LockOSThread and returns to its caller without unlocking it`
	_ = work()
}

// ShowFixed is its safe twin.
func ShowFixed() {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	_ = work()
}

// Nested pairs are balanced: LockOSThread calls nest since Go 1.10.
func Nested() {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	runtime.LockOSThread()
	_ = work()
	runtime.UnlockOSThread()
}

// NestedMissing unlocks once for two locks.
func NestedMissing() {
	runtime.LockOSThread() // want `NestedMissing locks the OS thread with runtime.LockOSThread and returns`
	runtime.LockOSThread()
	_ = work()
	runtime.UnlockOSThread()
}

// Finish undoes a lock it never took.
func Finish() {
	_ = work()
	runtime.UnlockOSThread() // want `runtime.UnlockOSThread in Finish has no matching runtime.LockOSThread on the path returning at line 66`
}

// unlockCaller does nothing but unlock, and nothing calls it: dead in this
// build; its callers elsewhere are checked where they are.
func unlockCaller() { // want unlockCaller:"lockthread:unlocks-caller"
	runtime.UnlockOSThread()
}

// UnlockSome unlocks on one path only after locking on none.
func UnlockSome(b bool) {
	if b {
		runtime.UnlockOSThread() // want `runtime.UnlockOSThread in UnlockSome has no matching runtime.LockOSThread`
	}
}

// Loop locks and unlocks in each iteration.
func Loop(n int) {
	for i := 0; i < n; i++ {
		runtime.LockOSThread()
		_ = work()
		runtime.UnlockOSThread()
	}
}

// Conditional locks and unlocks under the same condition.
func Conditional(pin bool) {
	if pin {
		runtime.LockOSThread()
	}
	_ = work()
	if pin {
		runtime.UnlockOSThread()
	}
}

// lockThread is a helper that returns locked: its callers pair it.
func lockThread() { // want lockThread:"lockthread:returns-locked"
	runtime.LockOSThread()
}

// releaseThread is its partner.
func releaseThread() { // want releaseThread:"lockthread:unlocks-caller"
	runtime.UnlockOSThread()
}

// WithHelpers pairs the helpers.
func WithHelpers() {
	lockThread()
	defer releaseThread()
	_ = work()
}

// WithHelpersLeak forgets the unlock helper on one path.
func WithHelpersLeak(b bool) error {
	lockThread() // want `WithHelpersLeak returns at line 122 with the OS thread still locked by lockThread \(which returns with the thread locked\)`
	if b {
		return errBusy
	}
	releaseThread()
	return nil
}

// pinned has callers that pair it, whatever its name.
func pinned() error { // want pinned:"lockthread:returns-locked"
	runtime.LockOSThread()
	return work()
}

// UsesPinned pairs pinned.
func UsesPinned() error {
	defer runtime.UnlockOSThread()
	return pinned()
}

// DeferredClosure unlocks in a deferred function literal.
func DeferredClosure() {
	runtime.LockOSThread()
	defer func() {
		runtime.UnlockOSThread()
	}()
	_ = work()
}

// Worker is a goroutine body: it exits locked on purpose, and the runtime
// terminates its thread.
func worker() {
	runtime.LockOSThread()
	_ = work()
}

// Start launches goroutines that exit locked.
func Start() {
	go worker()
	go func() {
		runtime.LockOSThread()
		_ = work()
	}()
}

func init() {
	runtime.LockOSThread() // pins main to the main thread
}

// Panics does not return to its caller locked: it panics.
func Panics() {
	runtime.LockOSThread()
	panic("no")
}

// TemporarilyUnlocked gives up its caller's lock and takes it back.
func TemporarilyUnlocked() {
	runtime.UnlockOSThread()
	defer runtime.LockOSThread()
	_ = work()
}

// pinWithCloser returns locked, with the function that unlocks.
func pinWithCloser() (string, func()) { // want pinWithCloser:"lockthread:returns-locked-with-unlocker"
	runtime.LockOSThread()
	return "/proc/thread-self", runtime.UnlockOSThread
}

// UseCloser defers the returned unlock.
func UseCloser() {
	p, closer := pinWithCloser()
	defer closer()
	_ = p
}

// LeakCloser drops it on one path.
func LeakCloser(b bool) error {
	_, closer := pinWithCloser() // want `LeakCloser returns at line 199 with the OS thread still locked by pinWithCloser`
	if b {
		return errBusy
	}
	closer()
	return nil
}

type server struct{}

// loop is started through a method value: a goroutine body we cannot see.
func (s *server) loop() {
	runtime.LockOSThread()
	_ = work()
}

func spawn(f func()) { go f() }

// Serve passes the method value.
func (s *server) Serve() {
	spawn(s.loop)
}

// inNamespace returns locked with a restore function on success and
// unlocks through a function value on failure.
func inNamespace(enter bool) (func(), error) {
	var unlock func()
	restore := func() {
		if unlock != nil {
			unlock()
		}
	}
	if enter {
		runtime.LockOSThread()
		unlock = runtime.UnlockOSThread
		if err := work(); err != nil {
			restore()
			return nil, err
		}
	}
	return restore, nil
}

type handle struct{ pinned bool }

// ConditionalField locks and unlocks under two loads of the same field.
func (h *handle) ConditionalField() {
	if h.pinned {
		runtime.LockOSThread()
	}
	_ = work()
	if h.pinned {
		runtime.UnlockOSThread()
	}
}

// ConditionalNil compares the same value twice.
func ConditionalNil(p *handle) {
	if p != nil {
		runtime.LockOSThread()
	}
	_ = work()
	if p == nil {
		return
	}
	runtime.UnlockOSThread()
}
