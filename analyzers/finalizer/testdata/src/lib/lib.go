package lib

// #include <stdlib.h>
import "C"

import (
	"runtime"
	"unsafe"
)

// Handle's finalizer frees Ptr.
type Handle struct { // want Handle:"finalizer a func literal releases Ptr"
	Ptr unsafe.Pointer
}

func New() *Handle {
	h := &Handle{Ptr: C.malloc(16)}
	runtime.SetFinalizer(h, func(h *Handle) { C.free(h.Ptr) })
	return h
}
