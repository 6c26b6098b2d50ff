// Package neutral calls a library whose error state is thread-local
// (lib_last_error) and which has a lookup that leaves that state alone
// (lib_strerror, configured error-neutral), as librdkafka's rd_kafka_err2str
// or libgit2's git_error_last itself: the getter still reads the state of
// the failing call before the lookup. An error-setting call
// (lib_set_option) in the same place replaces it.
package neutral

// static int lib_do(int x) { return x; }
// static int lib_set_option(int x) { return x; }
// static const char *lib_strerror(int code) { return code ? "failed" : "ok"; }
// static const char *lib_last_error(void) { return "none"; }
import "C"

import (
	"errors"
	"runtime"
)

// describe reads the error its caller's last call left: the code's text,
// then the thread-local message.
func describe(code C.int) error { // want describe:"lockthread:requires-locked\\(error-state\\)"
	text := C.GoString(C.lib_strerror(code))
	return errors.New(text + ": " + C.GoString(C.lib_last_error()))
}

// Unlocked does not lock between lib_do and describe's getter.
func Unlocked(x int) error {
	ret := C.lib_do(C.int(x))
	return describe(ret) // want `describe \(which reads C error state\) reads the thread-local error state left by C.lib_do \(line 29\), but Unlocked does not keep`
}

// Locked is its safe twin.
func Locked(x int) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	ret := C.lib_do(C.int(x))
	return describe(ret)
}

// describeOption sets an option first: the getter reads that call's error,
// not its caller's.
func describeOption(code C.int) error {
	C.lib_set_option(code)
	return errors.New(C.GoString(C.lib_last_error())) // want `C.lib_last_error reads the thread-local error state left by C.lib_set_option \(line 44\), but describeOption does not keep`
}

// UnlockedOption's lib_do error is never read: describeOption reads its own.
func UnlockedOption(x int) error {
	ret := C.lib_do(C.int(x))
	return describeOption(ret)
}

// LockedLookup locks only after lib_do failed: the lookup in between does
// not change which call's error the getter reads.
func LockedLookup(x int) error {
	ret := C.lib_do(C.int(x))
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	text := C.GoString(C.lib_strerror(ret))
	return errors.New(text + C.GoString(C.lib_last_error())) // want `C.lib_last_error reads the thread-local error state left by C.lib_do \(line 57\), but LockedLookup does not keep`
}

// LockedOption locks only after lib_do, but the getter reads the error of
// lib_set_option, called on the same thread.
func LockedOption(x int) error {
	ret := C.lib_do(C.int(x))
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	C.lib_set_option(ret)
	return errors.New(C.GoString(C.lib_last_error()))
}
