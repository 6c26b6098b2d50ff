package places

// #include <stdlib.h>
// #include <unistd.h>
import "C"
import "unsafe"

var pid = C.getpid() // want `C.getpid in init args=0`

var buf = C.malloc(8) // want `C.malloc in init args=1`

func init() {
	C.free(buf) // want `C.free in init#1 args=1`
}

type T struct{ p unsafe.Pointer }

func (t *T) Close() {
	C.free(t.p) // want `C.free in \(\*T\).Close args=1`
}

func Closures(q unsafe.Pointer) {
	f := func() {
		C.free(q) // want `C.free in Closures\$1 args=1`
	}
	f()
	defer func() {
		_ = C.getpid() // want `C.getpid in Closures\$2 args=0`
	}()
	func() {
		defer C.free(q) // want `C.free in Closures\$3 deferred args=1`
	}()
}

// UserClosures are closures the user wrote around C calls, shaped like
// cgo's wrappers: they stay closures.
func UserClosures() {
	go func() {
		C.free(nil) // want `C.free in UserClosures\$1 args=1`
	}()
	func() { C.free(nil) }() // want `C.free in UserClosures\$2 args=1`
}
