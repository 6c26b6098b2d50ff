package cexport

// typedef struct msg { char *text; } msg_t;
import "C"

//export goHandle
func goHandle(m *C.msg_t, n C.int) C.int { // want goHandle:`cfree\(borrows \[0\]\)`
	return n
}
