package cside

// #include <stdlib.h>
// int lib_bind(void *stmt, const char *value, void (*destroy)(void *));
// void cfree(void *p);
// void helper_release(void *p);
// static int bind_owned(void *stmt, char *v) { return lib_bind(stmt, v, &free); }
// static void drop(char *p) { helper_release(p); }
import "C"

import "unsafe"

// stmt stands for a prepared statement of the library.
var stmt unsafe.Pointer

// BindDestructor hands cv to the library with a destructor defined in
// lib.c: the library frees it, so nothing leaks.
func BindDestructor(s string) {
	cv := C.CString(s)
	C.lib_bind(stmt, cv, (*[0]byte)(C.cfree))
}

// BindNoDestructor gives the library no destructor: cv leaks.
func BindNoDestructor(s string) {
	cv := C.CString(s) // want `C.CString result cv is never freed`
	C.lib_bind(stmt, cv, nil)
}

// BindOwned hands cv over through a preamble wrapper that passes &free.
func BindOwned(s string) {
	cv := C.CString(s)
	C.bind_owned(stmt, cv)
}

// BindOwnedThenFree frees what the library now owns.
func BindOwnedThenFree(s string) {
	cv := C.CString(s)
	C.bind_owned(stmt, cv)
	C.free(unsafe.Pointer(cv)) // want `cv was already handed to C.bind_owned, which takes ownership on this path: releasing it again is a double free`
}

// Drop releases cs through a preamble function whose .c helper frees it.
func Drop(s string) {
	cs := C.CString(s)
	C.drop(cs)
}

// DropTwice releases cs through the helper, then again.
func DropTwice(s string) {
	cs := C.CString(s)
	C.drop(cs)
	C.free(unsafe.Pointer(cs)) // want `cs was already freed by C.drop on this path: releasing it again is a double free`
}
