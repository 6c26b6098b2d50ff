package fix

// #include <stdlib.h>
// static int use(const char *s) { return s != NULL; }
// static int use2(const char *a, const char *b) { return a != b; }
import "C"

import "unsafe"

// Lone allocates and only borrows: the fix adds the deferred free.
func Lone(s string) int {
	cs := C.CString(s) // want `C.CString result cs is never freed`
	return int(C.use(cs))
}

// Raw is C.malloc'd memory, already an unsafe.Pointer.
func Raw(n int) {
	p := C.malloc(C.size_t(n)) // want `C.malloc result p is never freed`
	C.use((*C.char)(p))
}

// InLoop gets no fix: a defer in a loop holds the memory until return.
func InLoop(xs []string) {
	for _, s := range xs {
		cs := C.CString(s) // want `C.CString result cs is never freed`
		C.use(cs)
	}
}

// Safe frees it.
func Safe(s string) {
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	C.use(cs)
}

// Inline passes a fresh string straight to C: the fix hoists it.
func Inline(name string) int {
	C.use(C.CString(name))                       // want `C.CString result passed straight to C.use is never freed`
	return int(C.use((*C.char)(C.CString("x")))) // want `C.CString result passed straight to C.use is never freed`
}

// InlineTwo has two on one line: no fix.
func InlineTwo(a, b string) {
	C.use2(C.CString(a), C.CString(b)) // want `passed straight to C.use2` `passed straight to C.use2`
}

// InlineCall allocates from a call's result: no fix (order of evaluation).
func InlineCall(f func() string) {
	C.use(C.CString(f())) // want `passed straight to C.use`
}
