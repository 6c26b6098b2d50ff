// Package mask changes signal masks from Go.
package mask

/*
#include <signal.h>
#include <stddef.h>

static void block_all(void) {
	sigset_t set;
	sigfillset(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}
*/
import "C"

import "runtime"

var old C.sigset_t

// Block blocks every signal on whatever thread runs it.
func Block() {
	C.block_all() // want `C.block_all \(defined in the cgo preamble\) changes the signal mask of the current OS thread, but the goroutine is not locked to it`
}

// BlockSet blocks a set.
func BlockSet(set *C.sigset_t) {
	C.pthread_sigmask(C.SIG_BLOCK, set, &old) // want `C.pthread_sigmask changes the signal mask`
}

// BlockLocked locks the thread first.
func BlockLocked() {
	runtime.LockOSThread()
	C.block_all()
}

// Query only reads the mask.
func Query() {
	C.sigprocmask(C.SIG_BLOCK, nil, &old)
}

func init() {
	C.block_all() // the runtime locks the main goroutine during init
}

// blockHelper is only called with the thread locked.
func blockHelper() { C.block_all() }

// Worker locks, then calls the helper.
func Worker() {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	blockHelper()
}

// InGoroutine masks in a goroutine that locks its thread.
func InGoroutine() {
	go func() {
		runtime.LockOSThread()
		C.block_all()
	}()
}

// Unlocked masks in a goroutine that does not.
func Unlocked() {
	go func() {
		C.block_all() // want `C.block_all .* changes the signal mask`
	}()
}

// Unblock only unblocks: Go's threads have these signals unblocked already.
func Unblock(set *C.sigset_t) {
	C.pthread_sigmask(C.SIG_UNBLOCK, set, nil)
}

// GoStatement masks in a goroutine of its own.
func GoStatement() {
	go C.block_all() // want `C.block_all .* changes the signal mask`
}
