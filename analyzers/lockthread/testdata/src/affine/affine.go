package affine

// #cgo LDFLAGS: -ldl
// #include <dlfcn.h>
// #include <pthread.h>
// #include <stdlib.h>
//
// static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
// static pthread_key_t key;
// static int lib_open(void) { return 0; }
// static int lib_do(int x) { return x; }
// static const char *lib_last_error(void) { return "none"; }
import "C"

import (
	"errors"
	"runtime"
	"unsafe"
)

// Open reads dlerror without locking the goroutine to its thread.
func Open(name string) (unsafe.Pointer, error) {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	h := C.dlopen(cs, C.RTLD_NOW)
	if h == nil {
		return nil, errors.New(C.GoString(C.dlerror())) // want `C.dlerror reads the thread-local error state left by C.dlopen \(line 25\), but Open does not keep the goroutine locked`
	}
	return h, nil
}

// OpenLocked is its safe twin.
func OpenLocked(name string) (unsafe.Pointer, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	h := C.dlopen(cs, C.RTLD_NOW)
	if h == nil {
		return nil, errors.New(C.GoString(C.dlerror()))
	}
	return h, nil
}

// makeError reads the C error state of its caller's last call: callers
// must hold the lock (a requires-locked fact).
func makeError(code C.int) error { // want makeError:"lockthread:requires-locked\\(error-state\\)"
	if code >= 0 {
		return nil
	}
	return errors.New(C.GoString(C.dlerror()))
}

// Do calls the library the git2go way: locked around the call and the
// error getter.
func Do(x int) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	ret := C.lib_do(C.int(x))
	return makeError(ret)
}

// DoUnlocked does not lock.
func DoUnlocked(x int) error {
	ret := C.lib_do(C.int(x))
	return makeError(ret) // want `makeError \(which reads C error state\) reads the thread-local error state left by C.lib_do \(line 65\), but DoUnlocked does not keep`
}

// DoUnlockedEarly unlocks before reading the error.
func DoUnlockedEarly(x int) error {
	runtime.LockOSThread()
	ret := C.lib_do(C.int(x))
	runtime.UnlockOSThread()
	return makeError(ret) // want `makeError \(which reads C error state\) reads the thread-local error state left by C.lib_do`
}

// Mutex locks a pthread mutex in one cgo call and unlocks it in another.
func Mutex() {
	C.pthread_mutex_lock(&C.mu)
	C.lib_do(1)
	C.pthread_mutex_unlock(&C.mu) // want `C.pthread_mutex_unlock uses per-thread state set by C.pthread_mutex_lock \(line 79\), but Mutex does not keep`
}

// MutexLocked is its safe twin.
func MutexLocked() {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	C.pthread_mutex_lock(&C.mu)
	defer C.pthread_mutex_unlock(&C.mu)
	C.lib_do(1)
}

// MutexDeferred unlocks in a defer, still unlocked.
func MutexDeferred() {
	C.pthread_mutex_lock(&C.mu)
	defer C.pthread_mutex_unlock(&C.mu) // want `C.pthread_mutex_unlock uses per-thread state set by C.pthread_mutex_lock`
	C.lib_do(1)
}

// Specific sets and reads a thread-specific value.
func Specific(p unsafe.Pointer) unsafe.Pointer {
	C.pthread_setspecific(C.key, p)
	return C.pthread_getspecific(C.key) // want `C.pthread_getspecific uses per-thread state set by C.pthread_setspecific`
}

// withLock calls makeError only with the thread locked by its caller.
func withLock(ret C.int) error {
	C.lib_do(2)
	return makeError(ret)
}

// Locked calls withLock under the lock.
func Locked() error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return withLock(C.lib_do(1))
}

// One C call without a getter is no sequence.
func One() int {
	return int(C.lib_do(3))
}

//export goCallback
func goCallback(x C.int) C.int {
	// C called us on its thread; cgo keeps the goroutine on it.
	ret := C.lib_do(x)
	if err := makeError(ret); err != nil {
		return -1
	}
	return 0
}

// Lib is an open library.
type Lib struct{ h unsafe.Pointer }

// Close clears the error state, closes and reads it, unlocked.
func (l *Lib) Close() error {
	C.dlerror()
	C.dlclose(l.h)
	if e := C.dlerror(); e != nil { // want `C.dlerror reads the thread-local error state left by C.dlclose`
		return errors.New(C.GoString(e))
	}
	return nil
}

func useLib(l *Lib) {
	defer l.Close()
}

// OpenEither makes one of two failing calls, by path, and reads the error
// once: one finding, naming both.
func OpenEither(name string, lazy bool) (unsafe.Pointer, error) {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	var h unsafe.Pointer
	if lazy {
		h = C.dlopen(cs, C.RTLD_LAZY)
	} else {
		h = C.dlopen(cs, C.RTLD_NOW)
	}
	if h == nil {
		return nil, errors.New(C.GoString(C.dlerror())) // want `C.dlerror reads the thread-local error state left by C.dlopen \(line \d+\) or C.dlopen \(line \d+\), but OpenEither does not keep the goroutine locked to its OS thread between them: .* before the first of them`
	}
	return h, nil
}

// OpenEitherLocked is its safe twin.
func OpenEitherLocked(name string, lazy bool) (unsafe.Pointer, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	var h unsafe.Pointer
	if lazy {
		h = C.dlopen(cs, C.RTLD_LAZY)
	} else {
		h = C.dlopen(cs, C.RTLD_NOW)
	}
	if h == nil {
		return nil, errors.New(C.GoString(C.dlerror()))
	}
	return h, nil
}
