package fix

// #include <stdlib.h>
// static int use(const char *s) { return s != NULL; }
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
