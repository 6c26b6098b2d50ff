package wrong

// #cgo LDFLAGS: -lsqlite3
// #include <stdlib.h>
// #include <sqlite3.h>
import "C"

import "unsafe"

// GoVariable frees the address of a Go variable.
func GoVariable() {
	var x C.int
	C.free(unsafe.Pointer(&x)) // want `C.free is given the address of Go variable x, which Go allocated: C must never free Go memory`
}

// GoSlice frees a Go slice's backing array.
func GoSlice() {
	buf := make([]byte, 16)
	C.free(unsafe.Pointer(&buf[0])) // want `C.free is given an element of a Go slice, which Go allocated`
}

// CSlice frees C memory seen through a slice: fine.
func CSlice(n int) {
	p := C.malloc(C.size_t(n))
	buf := unsafe.Slice((*byte)(p), n)
	buf[0] = 1
	C.free(unsafe.Pointer(&buf[0]))
}

// Family frees sqlite3 memory with libc's free.
func Family() {
	p := C.sqlite3_malloc(16)
	C.free(p) // want `memory from C.sqlite3_malloc is released with C.free, which belongs to another allocator; release it with C.sqlite3_free`
}

// FamilyRight uses sqlite3_free.
func FamilyRight() {
	p := C.sqlite3_malloc(16)
	C.sqlite3_free(p)
}

// Leak leaks sqlite3 memory.
func Leak() {
	s := (*C.char)(C.sqlite3_malloc(16)) // want `C.sqlite3_malloc result s is never freed, so its C memory leaks; defer C.sqlite3_free\(unsafe.Pointer\(s\)\)`
	C.sqlite3_complete(s)
}
