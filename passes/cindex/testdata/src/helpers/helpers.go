package helpers

// #include <stdlib.h>
import "C"
import "unsafe"

func Helpers(s string, b []byte) (string, []byte) {
	cs := C.CString(s)                 // want `C.CString in Helpers args=1 allocates`
	cb := C.CBytes(b)                  // want `C.CBytes in Helpers args=1 allocates`
	m := C.malloc(16)                  // want `C.malloc in Helpers args=1 allocates`
	gs := C.GoString(cs)               // want `C.GoString in Helpers args=1`
	gb := C.GoBytes(cb, 4)             // want `C.GoBytes in Helpers args=2`
	gn := C.GoStringN((*C.char)(m), 3) // want `C.GoStringN in Helpers args=2`
	C.free(unsafe.Pointer(cs))         // want `C.free in Helpers args=1 frees`
	C.free(cb)                         // want `C.free in Helpers args=1 frees`
	C.free(m)                          // want `C.free in Helpers args=1 frees`
	return gs + gn, gb
}
