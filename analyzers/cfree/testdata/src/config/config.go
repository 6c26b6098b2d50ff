package config

// #include <stdlib.h>
// typedef struct buf { int n; } buf;
// typedef struct queue queue;
// buf *my_buf_new(void);
// void my_buf_free(buf *b);
// void my_buf_use(buf *b);
// void my_queue_push(queue *q, char *item);
// void my_set_name(char *name);
import "C"

import "unsafe"

// Leak never frees a library allocation.
func Leak() {
	b := C.my_buf_new() // want `C.my_buf_new result b is never freed, so its C memory leaks; defer C.my_buf_free\(b\) after the allocation`
	C.my_buf_use(b)
}

// Freed releases it with its deallocator.
func Freed() {
	b := C.my_buf_new()
	defer C.my_buf_free(b)
	C.my_buf_use(b)
}

// Pushed hands the string to a queue that takes ownership.
func Pushed(q *C.queue, s string) { // want Pushed:`cfree\(borrows \[0\]\)`
	C.my_queue_push(q, C.CString(s))
}

// PushedAndFreed frees what the queue now owns.
func PushedAndFreed(q *C.queue, s string) { // want PushedAndFreed:`cfree\(borrows \[0\]\)`
	cs := C.CString(s)
	C.my_queue_push(q, cs)
	C.free(unsafe.Pointer(cs)) // want `cs was already handed to C.my_queue_push, which takes ownership on this path: releasing it again is a double free`
}

// Kept is retained by C: not freeing it is deliberate.
func Kept(s string) {
	C.my_set_name(C.CString(s))
}
