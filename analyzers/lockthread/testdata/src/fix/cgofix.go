package fix

// #include <stdlib.h>
// static void paint(void *p) { (void)p; }
import "C"

import (
	"runtime"
	"unsafe"
)

// Paint unlocks on no path, and returns locked on all but the first; the
// C call is rewritten by cgo.
func Paint(p unsafe.Pointer) {
	if p == nil {
		return
	}
	runtime.LockOSThread() // want `Paint returns at line 20 with the OS thread still locked`
	C.paint(p)
}

// Attach returns locked on every path: that may be its purpose (the C call
// may attach thread state its caller relies on), so no fix is offered.
func Attach(p unsafe.Pointer) {
	runtime.LockOSThread() // want `Attach locks the OS thread with runtime.LockOSThread and returns to its caller without unlocking it`
	C.paint(p)
}
