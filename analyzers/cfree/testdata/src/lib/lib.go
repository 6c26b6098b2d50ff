// Package lib wraps C strings in Go helpers.
package lib

// #include <stdlib.h>
// #include <string.h>
import "C"

import "unsafe"

// CStr is a C string.
type CStr = *C.char

// New returns an owned C copy of s.
func New(s string) CStr { // want New:`cfree\(owned 0 by free\)`
	return C.CString(s)
}

// Free releases a C string from New.
func Free(p CStr) { // want Free:`cfree\(frees \[0\]\)`
	C.free(unsafe.Pointer(p))
}

// Len borrows a C string.
func Len(p CStr) int { // want Len:`cfree\(borrows \[0\]\)`
	return int(C.strlen(p))
}

// Maybe frees only sometimes: no fact that it frees.
func Maybe(p CStr, ok bool) {
	if ok {
		C.free(unsafe.Pointer(p))
	}
}
