package wrapped

// #include <stdlib.h>
// #include <string.h>
// static int use(void *a, void *b) { return 0; }
import "C"
import "unsafe"

type T struct {
	f int
	p *C.char
}

func Wrapped(b []byte, t *T, q unsafe.Pointer) {
	C.free(q)                                            // want `C.free in Wrapped args=1`
	C.use(unsafe.Pointer(&b[0]), unsafe.Pointer(&t.f))   // want `C.use in Wrapped args=2`
	n := C.use(unsafe.Pointer(t.p), nil) + C.use(nil, q) // want `C.use in Wrapped args=2` `C.use in Wrapped args=2`
	_ = n
	_ = C.strlen((*C.char)(unsafe.Pointer(&b[1]))) // want `C.strlen in Wrapped args=1`
	C.free(unsafe.Pointer(C.strdup(t.p)))          // want `C.free in Wrapped args=1` `C.strdup in Wrapped args=1`
	/* want `C.use in Wrapped args=2` */ C.use(q,
		unsafe.Pointer(C.CString("x"))) // want `C.CString in Wrapped args=1 allocates`
}
