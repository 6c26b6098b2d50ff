// Package cexport calls functions of a .c file that includes the
// _cgo_export.h cgo generates for the package's //export functions.
package cexport

// #include <stdlib.h>
// int post_and_free(char *text);
// int post(char *text);
import "C"

import "unsafe"

// PostTwice frees what post_and_free (hooks.c) has already freed.
func PostTwice(s string) {
	cs := C.CString(s)
	C.post_and_free(cs)
	C.free(unsafe.Pointer(cs)) // want `cs was already freed by C.post_and_free on this path: releasing it again is a double free`
}

// Post frees what post only borrowed: right.
func Post(s string) {
	cs := C.CString(s)
	C.post(cs)
	C.free(unsafe.Pointer(cs))
}
