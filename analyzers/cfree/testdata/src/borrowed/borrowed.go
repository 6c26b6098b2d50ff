package borrowed

// #include <stdlib.h>
// #include <string.h>
// #include <time.h>
// static const char *version(void) { return "1.0"; }
import "C"

import "unsafe"

// Home frees the environment's own string.
func Home() string {
	cs := C.CString("HOME")
	defer C.free(unsafe.Pointer(cs))
	v := C.getenv(cs)
	if v == nil {
		return ""
	}
	defer C.free(unsafe.Pointer(v)) // want `C.free is given the result of C.getenv \(line 15\), which is borrowed: that memory belongs to the library`
	return C.GoString(v)
}

// HomeCopy copies the environment's string and frees only its own.
func HomeCopy() string {
	cs := C.CString("HOME")
	defer C.free(unsafe.Pointer(cs))
	v := C.getenv(cs)
	if v == nil {
		return ""
	}
	return C.GoString(v)
}

// Message frees strerror's static buffer, inline.
func Message(errno int) string {
	m := C.strerror(C.int(errno))
	s := C.GoString(m)
	C.free(unsafe.Pointer(m)) // want `C.free is given the result of C.strerror \(line 36\)`
	return s
}

// MessageDup frees its own copy of strerror's string.
func MessageDup(errno int) string {
	m := C.strdup(C.strerror(C.int(errno)))
	s := C.GoString(m)
	C.free(unsafe.Pointer(m))
	return s
}

// Version frees what a preamble function returns: it is not known to be
// borrowed (nothing says so), so the check is silent.
func Version() string {
	v := C.version()
	return C.GoString(v)
}

// Pick frees one of two strings, only one of which is borrowed: the value
// reaching the free merges two paths, and the check stays silent.
func Pick(errno int, own bool) {
	var m *C.char
	if own {
		m = (*C.char)(C.malloc(8))
	} else {
		m = C.strerror(C.int(errno))
	}
	C.free(unsafe.Pointer(m))
}
