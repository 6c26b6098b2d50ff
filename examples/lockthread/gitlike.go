// Package gitlike wraps a C library that reports errors through per-thread
// state, the way libgit2 (git_error_last) and libdl (dlerror) do.
//
// The hazard (lockthread): Resolve calls the library and then reads its
// last error without locking the goroutine to its OS thread, so the
// goroutine may have moved to another thread in between and read another
// call's error, or none. Lock with runtime.LockOSThread and defer
// runtime.UnlockOSThread before the first call, as git2go does in every
// method.
package gitlike

// #cgo LDFLAGS: -ldl
// #include <dlfcn.h>
// #include <stdlib.h>
import "C"

import (
	"errors"
	"unsafe"
)

// Symbol is a resolved symbol of the process.
type Symbol unsafe.Pointer

// lastError turns the thread's last dl error into a Go error.
func lastError() error {
	if msg := C.dlerror(); msg != nil {
		return errors.New(C.GoString(msg))
	}
	return errors.New("gitlike: unknown error")
}

// Resolve looks a symbol up in the running process.
func Resolve(name string) (Symbol, error) {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	p := C.dlsym(C.RTLD_DEFAULT, cname)
	if p == nil {
		return nil, lastError()
	}
	return Symbol(p), nil
}
