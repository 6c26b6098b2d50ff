package keep

// #include <stdlib.h>
// #include <stdint.h>
// typedef struct obj { int n; } obj;
// static obj* obj_new(void) { return (obj*)calloc(1, sizeof(obj)); }
// static void obj_destroy(obj* o) { free(o); }
// static int obj_get(obj* o) { return o->n; }
// static void obj_delete_entry(obj* o, int k) { o->n -= k; }
// static int obj_get_handle(uintptr_t h) { return ((obj*)h)->n; }
import "C"

import (
	"runtime"
	"sync"
	"unsafe"
)

// Obj's finalizer releases ptr with obj_destroy, the destructor of obj by
// the pairing of types (and the call its finalizer ends with).
type Obj struct { // want Obj:"finalizer \\(\\*Obj\\).Destroy releases ptr"
	ptr *C.obj
	mu  sync.Mutex
}

func New() *Obj {
	o := &Obj{ptr: C.obj_new()}
	runtime.SetFinalizer(o, (*Obj).Destroy)
	return o
}

// Destroy is the finalizer and disarms itself when called directly.
func (o *Obj) Destroy() { // want Destroy:"releases 0.ptr by C.obj_destroy"
	runtime.SetFinalizer(o, nil)
	C.obj_destroy(o.ptr)
	o.ptr = nil
}

// obj_delete_entry has a destructor's word in its name, but it deletes an
// entry: it is not named after obj with a release verb, and no finalizer
// ends with it. No release, only a use that needs KeepAlive.
func (o *Obj) DeleteEntry(k int) {
	C.obj_delete_entry(o.ptr, C.int(k)) // want `o.ptr passed to C.obj_delete_entry is the last use of o`
}

var registry []*Obj

// Good: o is stored in a global before the call.
func (o *Obj) Register() int {
	registry = append(registry, o)
	return int(C.obj_get(o.ptr))
}

// Good: o is captured by a closure.
func (o *Obj) Later() func() *Obj {
	n := C.obj_get(o.ptr)
	_ = n
	return func() *Obj { return o }
}

// get's only caller uses o after the call.
func (o *Obj) get() int {
	return int(C.obj_get(o.ptr))
}

// Good: o is used after get.
func (o *Obj) Twice() int {
	n := o.get()
	o.mu.Lock()
	defer o.mu.Unlock()
	return n
}

// peek has a caller whose last use of o is the call.
func (o *Obj) peek() int {
	return int(C.obj_get(o.ptr)) // want `o.ptr passed to C.obj_get is the last use of o`
}

// Peek's last use of o is peek(o).
func (o *Obj) Peek() int {
	return o.peek()
}

// Bad: a value loaded once, passed to C twice after the last use of o.
func (o *Obj) Sum() int {
	p := o.ptr
	a := C.obj_get(p) // want `o.ptr passed to C.obj_get is the last use of o`
	b := C.obj_get(p) // want `o.ptr passed to C.obj_get is the last use of o`
	return int(a + b)
}

// Good: o is used after the call on one path.
func (o *Obj) Maybe(check bool) int {
	n := C.obj_get(o.ptr)
	if check && o.ptr == nil {
		return -1
	}
	return int(n)
}

// Bad: a fresh object whose last use is the C call.
func Fresh() int {
	o := New()
	return int(C.obj_get(o.ptr)) // want `o.ptr passed to C.obj_get is the last use of o, whose finalizer \(\*Obj\).Destroy releases o.ptr`
}

func (o *Obj) self() *Obj { return o }

// Good: o may point into x, which is kept alive.
func Derived(x *Obj) int {
	o := x.self()
	n := C.obj_get(o.ptr)
	runtime.KeepAlive(x)
	return int(n)
}

func (o *Obj) inner() int { return int(C.obj_get(o.ptr)) }

func (o *Obj) middle() int { return o.inner() }

// Good: Outer uses o after the call chain that reaches C.
func (o *Obj) Outer() int {
	n := o.middle()
	o.mu.Lock()
	o.mu.Unlock()
	return n
}

// Dict's finalizer takes an interface, as sync.Pool-style code does.
type Dict struct { // want Dict:"finalizer freeDict releases p"
	p *C.obj
}

func NewDict() *Dict {
	d := &Dict{p: C.obj_new()}
	runtime.SetFinalizer(d, freeDict)
	return d
}

func freeDict(v any) { v.(*Dict).release() }

func (d *Dict) release() {
	if d.p != nil {
		C.obj_destroy(d.p)
		d.p = nil
	}
}

// Bad: the handle is passed as an integer, and d dies before the call.
func (d *Dict) Get() int {
	return int(C.obj_get_handle(C.uintptr_t(uintptr(unsafe.Pointer(d.p))))) // want `d.p passed to C.obj_get_handle is the last use of d, whose finalizer freeDict releases d.p`
}
