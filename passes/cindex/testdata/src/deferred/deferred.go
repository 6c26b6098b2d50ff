package deferred

// #include <stdlib.h>
import "C"
import "unsafe"

func Early() {
	var p *C.char
	defer C.free(unsafe.Pointer(p)) // want `C.free in Early deferred args=1`
	p = C.CString("x")              // want `C.CString in Early args=1`
}

func Late(s string) {
	p := C.CString(s)               // want `C.CString in Late args=1`
	defer C.free(unsafe.Pointer(p)) // want `C.free in Late deferred args=1`
}
