// Package noreturn frees C memory on every path that returns; the paths
// that do not free it end in a C function that never returns (exit,
// abort), so nothing leaks there. Go does not know that C.exit never
// returns, so such code still needs a return statement after it.
package noreturn

// #include <stdio.h>
// #include <stdlib.h>
// #include <unistd.h>
import "C"

import "unsafe"

// Returns leaks cs on the early return.
func Returns(s string) C.int {
	cs := C.CString(s) // want `C.CString result cs is not freed on the path that returns at line \d+, so its C memory leaks there`
	n := C.puts(cs)
	if n < 0 {
		return n
	}
	C.free(unsafe.Pointer(cs))
	return n
}

// Exits ends the process on the path that does not free cs.
func Exits(s string) C.int {
	cs := C.CString(s)
	n := C.puts(cs)
	if n < 0 {
		C.exit(1)
		return n
	}
	C.free(unsafe.Pointer(cs))
	return n
}

// Aborts ends the process in the switch's default case.
func Aborts(s string, mode int) int {
	cs := C.CString(s)
	switch mode {
	case 0:
		C.free(unsafe.Pointer(cs))
		return 0
	case 1:
		C.puts(cs)
		C.free(unsafe.Pointer(cs))
		return 1
	default:
		C.abort()
	}
	return -1
}

// ExitsNow uses _exit, which skips atexit handlers but ends the process too.
func ExitsNow(s string, code C.int) {
	cs := C.CString(s)
	if code != 0 {
		C._exit(code)
		return
	}
	C.free(unsafe.Pointer(cs))
}

// die never returns: every path ends in C.exit.
func die(msg string) {
	cs := C.CString(msg)
	C.puts(cs)
	C.free(unsafe.Pointer(cs))
	C.exit(2)
}

// ViaHelper ends the process through a Go function that always exits.
func ViaHelper(s string) C.int {
	cs := C.CString(s)
	n := C.puts(cs)
	if n < 0 {
		die("puts failed")
		return n
	}
	C.free(unsafe.Pointer(cs))
	return n
}

// warn returns on one path: it is not a way out.
func warn(msg string, fatal bool) {
	cs := C.CString(msg)
	C.puts(cs)
	C.free(unsafe.Pointer(cs))
	if fatal {
		C.exit(2)
	}
}

// ViaReturningHelper leaks cs when warn returns.
func ViaReturningHelper(s string) C.int {
	cs := C.CString(s) // want `C.CString result cs is not freed on the path that returns at line \d+, so its C memory leaks there`
	n := C.puts(cs)
	if n < 0 {
		warn("puts failed", false)
		return n
	}
	C.free(unsafe.Pointer(cs))
	return n
}
