// Package girlib uses a library whose ownership rules only its .gir file
// states; cfree learns them with `learn: [gir]`.
package girlib

// #cgo pkg-config: xlibgir-1.0
// #include "girlib.h"
import "C"

import "unsafe"

// DumpLeak never frees the string x_db_dump returns (transfer full).
func DumpLeak() string {
	db := C.x_db_new()
	defer C.g_object_unref(unsafe.Pointer(db))
	s := C.x_db_dump(db) // want `C.x_db_dump result s is never freed, so its C memory leaks; defer C.g_free\(unsafe.Pointer\(s\)\) after the allocation`
	return C.GoString(s)
}

// DumpFreed frees it; x_db_get_name's result is transfer none.
func DumpFreed() string {
	db := C.x_db_new()
	defer C.g_object_unref(unsafe.Pointer(db))
	s := C.x_db_dump(db)
	defer C.g_free(unsafe.Pointer(s))
	return C.GoString(s) + C.GoString(C.x_db_get_name(db))
}

// NewLeak never drops the reference x_db_new returns (transfer full).
func NewLeak() string {
	db := C.x_db_new() // want `C.x_db_new result db is never freed, so its C memory leaks; defer C.g_object_unref\(unsafe.Pointer\(db\)\) after the allocation`
	return C.GoString(C.x_db_get_name(db))
}

// CopyLeak never frees the copy x_row_copy makes of a const row.
func CopyLeak(r *C.XRow) bool { // want CopyLeak:`cfree\(borrows \[0\]\)`
	c := C.x_row_copy(r) // want `C.x_row_copy result c is never freed, so its C memory leaks; defer C.x_row_free\(c\) after the allocation`
	return c != nil
}

// Keep takes a reference to r for its caller: x_row_ref returns r itself,
// so its result is not a new object to free.
func Keep(r *C.XRow) { // want Keep:`cfree\(borrows \[0\]\)`
	C.x_row_ref(r)
}
