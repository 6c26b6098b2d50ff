package pointers

/*
#include <stdlib.h>

struct req { char *name; void *data; int len; };

static struct req *new_req(void) { return calloc(1, sizeof(struct req)); }
static void send_req(struct req *r) { (void)r; }
*/
import "C"

import (
	"runtime"
	"unsafe"
)

func send(b []byte) {
	req := (*C.struct_req)(C.malloc(C.sizeof_struct_req))
	req.data = unsafe.Pointer(&b[0]) // want `Go pointer &b\[0\] is stored in C memory \(req.data\): the cgo pointer rules forbid it, the garbage collector may move or free what it points to, and only GOEXPERIMENT=cgocheck2 catches it at run time; copy the data into C.malloc'd memory, or pin it with a runtime.Pinner \(pinning makes it legal only until Unpin: clear req.data first\)`
	C.send_req(req)
	C.free(unsafe.Pointer(req))
}

func sendVar() {
	var n C.int
	req := C.new_req()
	req.data = unsafe.Pointer(&n) // want `Go pointer &n is stored in C memory \(req.data\)`
	C.send_req(req)
	C.free(unsafe.Pointer(req))
}

func sendString(s string) {
	req := C.new_req()
	req.name = (*C.char)(unsafe.Pointer(unsafe.StringData(s))) // want `Go pointer unsafe.StringData\(s\) is stored in C memory \(req.name\)`
	C.send_req(req)
	C.free(unsafe.Pointer(req))
}

func sendArray() {
	arr := (*[1 << 20]*C.char)(C.malloc(C.size_t(4 * unsafe.Sizeof(uintptr(0)))))
	s := make([]C.char, 8)
	arr[0] = &s[0] // want `Go pointer &s\[0\] is stored in C memory \(arr\[0\]\)`
	C.free(unsafe.Pointer(arr))
}

// C memory in C memory is fine.
func sendC(b []byte) {
	req := C.new_req()
	req.data = C.CBytes(b)
	C.send_req(req)
	C.free(req.data)
	C.free(unsafe.Pointer(req))
}

// A Go value of a C type is Go memory: cgo checks it at the call.
func sendGoStruct(b []byte) {
	var req C.struct_req
	req.data = unsafe.Pointer(&b[0])
	C.send_req(&req)
}

// Pinned for as long as C memory holds it.
func sendPinned(b []byte) {
	var pin runtime.Pinner
	pin.Pin(&b[0])
	req := C.new_req()
	req.data = unsafe.Pointer(&b[0])
	C.send_req(req)
	req.data = nil
	pin.Unpin()
	C.free(unsafe.Pointer(req))
}

// A field of ours that only ever holds C memory.
type handle struct{ req *C.struct_req }

func newHandle() *handle { return &handle{req: C.new_req()} }

func (h *handle) attach(b []byte) {
	h.req.data = unsafe.Pointer(&b[0]) // want `Go pointer &b\[0\] is stored in C memory \(h.req.data\)`
}

// Pointer arithmetic on C memory is still C memory.
func sendOffset(v *int) {
	mem := C.malloc(64)
	*(*unsafe.Pointer)(unsafe.Pointer(uintptr(mem) + 8)) = unsafe.Pointer(v)
	var local int
	*(*unsafe.Pointer)(unsafe.Pointer(uintptr(mem) + 16)) = unsafe.Pointer(&local) // want `Go pointer &local is stored in C memory`
	C.free(mem)
}

// A C array seen as a Go slice.
func fillArgv(args [][]byte) {
	argv := unsafe.Slice((**C.char)(C.malloc(C.size_t(len(args))*8)), len(args))
	for i, a := range args {
		argv[i] = (*C.char)(unsafe.Pointer(&a[0])) // want `Go pointer &a\[0\] is stored in C memory \(argv\[i\]\)`
	}
	for i, a := range args {
		argv[i] = (*C.char)(C.CBytes(a))
	}
	C.free(unsafe.Pointer(&argv[0]))
}
