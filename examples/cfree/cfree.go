// Package cfree looks up user accounts through getpwnam_r, the way many
// small bindings do, and leaks the C copy of the name when the user does
// not exist: the early return skips the free.
package cfree

// #include <pwd.h>
// #include <stdlib.h>
// #include <unistd.h>
//
// static long pw_bufsize(void) {
//	long n = sysconf(_SC_GETPW_R_SIZE_MAX);
//	return n > 0 ? n : 16384;
// }
import "C"

import (
	"fmt"
	"unsafe"
)

// HomeDir returns the home directory of the named user.
func HomeDir(name string) (string, error) {
	cname := C.CString(name)
	size := C.size_t(C.pw_bufsize())
	buf := C.malloc(size)
	defer C.free(buf)

	var pwd C.struct_passwd
	var result *C.struct_passwd
	if rc := C.getpwnam_r(cname, &pwd, (*C.char)(buf), size, &result); rc != 0 || result == nil {
		return "", fmt.Errorf("user %q not found", name) // cname leaks here
	}
	C.free(unsafe.Pointer(cname))
	return C.GoString(pwd.pw_dir), nil
}
