package shapes

/*
#include <stdlib.h>
#include <string.h>

struct opts { char *name; void *data; int n; };
static struct opts *opts_new(void) { return calloc(1, sizeof(struct opts)); }
static int opts_use(struct opts *o) { return o->n; }
static void opts_register(struct opts *o) { (void)o; }
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// ---- C memory stored in a C struct that outlives the function, then freed by a defer ----

// newOpts returns a C struct whose name the deferred free releases: the
// caller reads freed memory.
func newOpts(name string) *C.struct_opts {
	o := C.opts_new()
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname)) // want `C.free frees the memory that o.name still points to, and o is returned: the caller reads freed memory \(use after free\); free it only when the caller is done with o`
	o.name = cname
	return o
}

// newOptsOrNil frees the name only on the path that drops the struct.
func newOptsOrNil(name string, fail bool) *C.struct_opts {
	o := C.opts_new()
	cname := C.CString(name)
	o.name = cname
	if fail {
		C.free(unsafe.Pointer(cname))
		C.free(unsafe.Pointer(o))
		return nil
	}
	return o
}

// newOptsSafe leaves the name to the caller, who frees it with the struct.
func newOptsSafe(name string) *C.struct_opts {
	o := C.opts_new()
	o.name = C.CString(name)
	return o
}

// optsValue returns the C struct by value.
func optsValue(name string) C.struct_opts {
	var o C.struct_opts
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname)) // want `C.free frees the memory that o.name still points to, and o is returned`
	o.name = cname
	return o
}

// useOpts only lends the struct to C for the call.
func useOpts(name string) int {
	o := C.opts_new()
	defer C.free(unsafe.Pointer(o))
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	o.name = cname
	return int(C.opts_use(o))
}

// registerOpts hands the struct to C, which keeps it (configured).
func registerOpts(name string) {
	o := C.opts_new()
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname)) // want `C.free frees the memory that o.name still points to, and C.opts_register keeps o: C reads freed memory \(use after free\)`
	o.name = cname
	C.opts_register(o)
}

// ---- setters that overwrite what Close or a finalizer releases ----

type handle struct {
	name *C.char
	tag  *C.char
}

func newHandle(name string) *handle {
	h := &handle{name: C.CString(name)}
	runtime.SetFinalizer(h, (*handle).finalize)
	return h
}

func (h *handle) finalize() {
	C.free(unsafe.Pointer(h.name))
	C.free(unsafe.Pointer(h.tag))
}

// SetName drops the old name, which the finalizer would have released.
func (h *handle) SetName(s string) {
	h.name = C.CString(s) // want `h.name is overwritten with new C memory without releasing the C memory it holds, which \(\*handle\).finalize releases: each call of \(\*handle\).SetName after the first leaks the old value; free the old value first with C.free\(unsafe.Pointer\(h.name\)\)`
}

// SetNameSafe releases the old name first.
func (h *handle) SetNameSafe(s string) {
	C.free(unsafe.Pointer(h.name))
	h.name = C.CString(s)
}

// SetTagOnce only sets a tag that is still unset.
func (h *handle) SetTagOnce(s string) {
	if h.tag == nil {
		h.tag = C.CString(s)
	}
}

// initTag is only called on fresh handles.
func (h *handle) initTag(s string) {
	h.tag = C.CString(s)
}

func newTagged(name, tag string) *handle {
	h := &handle{name: C.CString(name)}
	h.initTag(tag)
	runtime.SetFinalizer(h, (*handle).finalize)
	return h
}

var cached *C.char

// Remember replaces the cached string, which Forget releases.
func Remember(s string) {
	cached = C.CString(s) // want `cached is overwritten with new C memory without releasing the C memory it holds, which Forget releases: each call of Remember after the first leaks the old value`
}

// Forget releases the cache.
func Forget() {
	C.free(unsafe.Pointer(cached))
	cached = nil
}

var label *C.char

// SetLabel replaces a label that nothing ever releases: not an owner this
// check can name a release for.
func SetLabel(s string) {
	label = C.CString(s)
}

// ---- C memory in a C struct's field overwritten with a Go pointer ----

// goName replaces the C name with Go memory.
func goName(name string, buf []byte) {
	o := C.opts_new()
	defer C.free(unsafe.Pointer(o))
	o.name = C.CString(name)
	C.opts_use(o)
	o.name = (*C.char)(unsafe.Pointer(&buf[0])) // want `Go pointer &buf\[0\] is stored in C memory \(o.name\).*; the C memory o.name held \(the C.CString result stored on line \d+\) is never released and leaks`
	C.opts_use(o)
}

// goNameFreed releases the C name first.
func goNameFreed(name string, n int) {
	o := C.opts_new()
	defer C.free(unsafe.Pointer(o))
	o.name = C.CString(name)
	C.opts_use(o)
	C.free(unsafe.Pointer(o.name))
	o.data = C.malloc(C.size_t(n))
	C.free(o.data)
	o.data = nil
}

// ---- the C struct is the caller's: a parameter ----

// fillOpts fills the caller's struct with a name that it frees on return.
func fillOpts(o *C.struct_opts, name string) {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname)) // want `C.free frees the memory that o.name still points to, and o belongs to the caller of fillOpts: the caller reads freed memory \(use after free\); free it only when the caller is done with o, or clear o.name before the free`
	o.name = cname
}

// fillOptsSafe leaves the name to the caller, who frees it with the struct.
func fillOptsSafe(o *C.struct_opts, name string) {
	o.name = C.CString(name)
}

// fillOptsCleared clears the field before the deferred free runs.
func fillOptsCleared(o *C.struct_opts, name string) int {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	o.name = cname
	n := int(C.opts_use(o))
	o.name = nil
	return n
}

// useOptsIn lends the caller's struct to C for one call with a temporary
// name: the function uses what it filled itself, the caller may never read
// it.
func useOptsIn(o *C.struct_opts, name string) int {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	o.name = cname
	return int(C.opts_use(o))
}

// registerOptsIn hands the caller's struct to C, which keeps it.
func registerOptsIn(o *C.struct_opts, name string) {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname)) // want `C.free frees the memory that o.name still points to, and C.opts_register keeps o: C reads freed memory \(use after free\)`
	o.name = cname
	C.opts_register(o)
}
