package tworesult

// #include <stdlib.h>
// #include <errno.h>
// static int fail(void *p) { errno = EINVAL; return -1; }
import "C"
import "unsafe"

func Two(q unsafe.Pointer) error {
	if _, err := C.fail(q); err != nil { // want `C.fail in Two args=1 two-result`
		return err
	}
	r, err := C.fail(nil) // want `C.fail in Two args=1 two-result`
	_ = r
	return err
}
