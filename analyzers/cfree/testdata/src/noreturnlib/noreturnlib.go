// Package noreturnlib calls a library's fatal-error functions, which its
// header declares noreturn; cfree learns that with `learn: [headers]`.
package noreturnlib

// #include <stdlib.h>
// #include "nr.h"
import "C"

import "unsafe"

// Fatal ends the process through nr_fatal on the path that keeps cs.
func Fatal(s string, bad bool) {
	cs := C.CString(s)
	if bad {
		C.nr_fatal(cs)
		return
	}
	C.free(unsafe.Pointer(cs))
}

// Die ends the process through nr_die, declared _Noreturn.
func Die(s string, code C.int) {
	cs := C.CString(s)
	if code != 0 {
		C.nr_die(code)
		return
	}
	C.free(unsafe.Pointer(cs))
}

// Warn leaks cs: nr_warn returns.
func Warn(s string, bad bool) {
	cs := C.CString(s) // want `C.CString result cs is not freed on the path that returns at line \d+, so its C memory leaks there`
	if bad {
		C.nr_warn(cs)
		return
	}
	C.free(unsafe.Pointer(cs))
}
