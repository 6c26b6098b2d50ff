package frees

// #include <stdlib.h>
// static int use(const char *s) { return s != NULL; }
// static void consume(void *p, void (*done)(void *)) { (void)p; (void)done; }
// static void take(char *s) { consume(s, free); }
import "C"

import "unsafe"

// Twice frees the same string twice on one path.
func Twice(s string) {
	cs := C.CString(s)
	C.use(cs)
	C.free(unsafe.Pointer(cs))
	C.free(unsafe.Pointer(cs)) // want `cs was already freed by C.free on this path: releasing it again is a double free`
}

// DeferAndExplicit frees explicitly and again at return.
func DeferAndExplicit(s string) {
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	C.use(cs)
	C.free(unsafe.Pointer(cs)) // want `cs is released here and again by the deferred C.free at return: double free`
}

// BranchTwice frees on a branch and then again after it.
func BranchTwice(s string, fail bool) {
	cs := C.CString(s)
	if fail {
		C.free(unsafe.Pointer(cs))
	}
	C.free(unsafe.Pointer(cs)) // want `cs was already freed by C.free on this path`
}

// BranchOnce frees on each branch once.
func BranchOnce(s string, fail bool) {
	cs := C.CString(s)
	if fail {
		C.free(unsafe.Pointer(cs))
		return
	}
	C.use(cs)
	C.free(unsafe.Pointer(cs))
}

// UseAfter reads the string after freeing it.
func UseAfter(s string) string {
	cs := C.CString(s)
	C.free(unsafe.Pointer(cs))
	return C.GoString(cs) // want `cs was already freed by C.free on this path: using it here is a use after free`
}

// UseBefore reads it before freeing it.
func UseBefore(s string) string {
	cs := C.CString(s)
	out := C.GoString(cs)
	C.free(unsafe.Pointer(cs))
	return out
}

// Deref reads C memory after freeing it.
func Deref() C.int {
	p := (*C.int)(C.malloc(C.size_t(unsafe.Sizeof(C.int(0)))))
	*p = 1
	C.free(unsafe.Pointer(p))
	return *p // want `p was already freed by C.free on this path: using it here is a use after free`
}

// Reset frees and starts again: a new allocation each time.
func Reset(xs []string) {
	for _, s := range xs {
		cs := C.CString(s)
		C.use(cs)
		C.free(unsafe.Pointer(cs))
	}
}

// FreedParam frees its parameter and then uses it.
func FreedParam(p *C.char) { // want FreedParam:`cfree\(frees \[0\]\)`
	C.free(unsafe.Pointer(p))
	C.use(p) // want `p was already freed by C.free on this path: using it here is a use after free`
}

// ClosureAndExplicit frees in a deferred closure and explicitly.
func ClosureAndExplicit(s string) {
	cs := C.CString(s)
	defer func() { C.free(unsafe.Pointer(cs)) }()
	C.free(unsafe.Pointer(cs)) // want `cs is released here and again by a deferred closure at return: double free`
}

// TakenThenUsed hands the string to C and reads it: C may still own it.
func TakenThenUsed(s string) {
	cs := C.CString(s)
	C.take(cs)
	C.use(cs)
}

// TakenThenFreed frees what C owns now.
func TakenThenFreed(s string) {
	cs := C.CString(s)
	C.take(cs)
	C.free(unsafe.Pointer(cs)) // want `cs was already handed to C.take, which takes ownership on this path: releasing it again is a double free`
}
