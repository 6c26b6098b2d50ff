package fix

// #include <stdlib.h>
// static void paint(void *p) { (void)p; }
import "C"

import (
	"runtime"
	"unsafe"
)

// Paint never unlocks; the C call is rewritten by cgo.
func Paint(p unsafe.Pointer) {
	runtime.LockOSThread() // want `Paint locks the OS thread with runtime.LockOSThread and returns to its caller without unlocking it`
	C.paint(p)
}
