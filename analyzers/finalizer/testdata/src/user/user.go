package user

// #include <string.h>
import "C"

import (
	"lib"
	"unsafe"
)

// Bad: h's finalizer, set in package lib, may run during the call.
func Zero(h *lib.Handle) {
	C.memset(h.Ptr, 0, 16) // want `h.Ptr passed to C.memset is the last use of h, whose finalizer a func literal releases h.Ptr`
}

// Good: h is used after the call.
func Fill(h *lib.Handle) unsafe.Pointer {
	C.memset(h.Ptr, 1, 16)
	return h.Ptr
}
