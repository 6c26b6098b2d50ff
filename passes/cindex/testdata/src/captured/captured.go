package captured

// #include <stdlib.h>
import "C"
import "unsafe"

func Captured(s string) {
	p := C.CString(s)               // want `C.CString in Captured args=1`
	C.free(unsafe.Pointer(p))       // want `C.free in Captured args=1`
	q := C.CString(s)               // want `C.CString in Captured args=1`
	defer C.free(unsafe.Pointer(q)) // want `C.free in Captured deferred args=1`
}
