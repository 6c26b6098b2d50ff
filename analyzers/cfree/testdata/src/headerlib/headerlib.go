// Package headerlib uses a library that only its header describes, and
// glibc's attributed fopen; cfree learns them with `learn: [headers]`.
package headerlib

// #include <stdio.h>
// #include <stdlib.h>
// #include "xlib.h"
import "C"

import "unsafe"

// Leak never frees the object x_new returns.
func Leak() string {
	db := C.x_new() // want `C.x_new result db is never freed, so its C memory leaks; defer C.x_free\(db\) after the allocation`
	return C.GoString(C.x_name(db))
}

// Freed frees it; x_name's result is borrowed and needs nothing.
func Freed() string {
	db := C.x_new()
	defer C.x_free(db)
	return C.GoString(C.x_name(db))
}

// OpenLeak never frees the object x_open hands back.
func OpenLeak(p *C.char) int { // want OpenLeak:`cfree\(borrows \[0\]\)`
	var db *C.x
	if C.x_open(&db, p) != 0 { // want `db, filled by C.x_open, is never freed, so its C memory leaks; defer C.x_free\(db\) after the allocation`
		return -1
	}
	return len(C.GoString(C.x_name(db)))
}

// OpenFreed frees it where it exists; deleting a record is not freeing db.
func OpenFreed(p *C.char) int { // want OpenFreed:`cfree\(borrows \[0\]\)`
	var db *C.x
	if C.x_open(&db, p) != 0 {
		return -1
	}
	defer C.x_free(db)
	C.x_user_delete(db, p)
	return int(C.x_user_delete(db, p))
}

// DumpLeak never releases the string x_dump allocates.
func DumpLeak(db *C.x) string { // want DumpLeak:`cfree\(borrows \[0\]\)`
	s := C.x_dump(db) // want `C.x_dump result s is never freed, so its C memory leaks; defer C.x_free_string\(s\) after the allocation`
	return C.GoString(s)
}

// DumpFreed releases it with the library's deallocator.
func DumpFreed(db *C.x) string { // want DumpFreed:`cfree\(borrows \[0\]\)`
	s := C.x_dump(db)
	defer C.x_free_string(s)
	return C.GoString(s)
}

// Twice frees explicitly and again in a defer.
func Twice() {
	db := C.x_new()
	defer C.x_free(db)
	C.x_free(db) // want `db is released here and again by the deferred C.x_free at return: double free`
}

// FileLeak never closes the file: glibc declares fopen with
// __attribute__((malloc(fclose, 1))).
func FileLeak(path, mode *C.char) { // want FileLeak:`cfree\(borrows \[0 1\]\)`
	f := C.fopen(path, mode) // want `C.fopen result f is never freed, so its C memory leaks; defer C.fclose\(f\) after the allocation`
	C.fflush(f)
}

// FileClosed closes it.
func FileClosed(path, mode *C.char) { // want FileClosed:`cfree\(borrows \[0 1\]\)`
	f := C.fopen(path, mode)
	if f == nil {
		return
	}
	defer C.fclose(f)
	C.fflush(f)
}

// Message keeps the struct in Go memory: x_msg_close releases only what
// it holds.
func Message() int {
	var m C.x_msg
	C.x_msg_init(&m)
	defer C.x_msg_close(&m)
	return int(m.size)
}

// Load learns of failure through errptr, when db is NULL.
func Load(p *C.char) int { // want Load:`cfree\(borrows \[0\]\)`
	var db *C.x
	var errmsg *C.char
	C.x_load(&db, p, &errmsg)
	if errmsg != nil {
		C.free(unsafe.Pointer(errmsg))
		return -1
	}
	defer C.x_free(db)
	return len(C.GoString(C.x_name(db)))
}
