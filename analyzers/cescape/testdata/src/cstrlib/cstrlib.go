// Package cstrlib wraps C strings for other packages.
package cstrlib

// #include <stdlib.h>
import "C"

import "unsafe"

// New returns a C copy of s, owned by the caller.
func New(s string) unsafe.Pointer { // want New:`ownedResult\(free\)`
	return unsafe.Pointer(C.CString(s))
}

// Free releases memory from New.
func Free(p unsafe.Pointer) { // want Free:`freesParams\[0\]`
	C.free(p)
}
