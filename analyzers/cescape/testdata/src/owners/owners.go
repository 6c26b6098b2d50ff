package owners

/*
#include <stdlib.h>
#include <string.h>

struct req { char *name; void *data; };
*/
import "C"

import (
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

type conn struct {
	name *C.char
}

var lastErr *C.char

func cstr(s string) *C.char { return C.CString(s) } // want cstr:`ownedResult\(free\)`

func freeStr(p *C.char) { C.free(unsafe.Pointer(p)) } // want freeStr:`freesParams\[0\]`

// Category overwrite.

func (c *conn) rename(a, b string) {
	c.name = C.CString(a)
	C.strlen(c.name)
	c.name = C.CString(b) // want `c.name is overwritten with new C memory while it still holds the C.CString result stored on line 31, which leaks; free the old value first with C.free\(unsafe.Pointer\(c.name\)\)`
}

func (c *conn) renameSafe(a, b string) {
	c.name = C.CString(a)
	C.strlen(c.name)
	C.free(unsafe.Pointer(c.name))
	c.name = C.CString(b)
}

func (c *conn) renameWrapped(a, b string) {
	c.name = cstr(a)
	c.name = cstr(b) // want `c.name is overwritten with new C memory while it still holds the cstr result stored on line 44`
}

func setErrors(msgs []string) {
	for _, m := range msgs {
		lastErr = C.CString(m) // want `lastErr is overwritten with new C memory while it still holds the C.CString result stored on line 50`
	}
}

func setErrorsSafe(msgs []string) {
	for _, m := range msgs {
		if lastErr != nil {
			C.free(unsafe.Pointer(lastErr))
		}
		lastErr = C.CString(m)
	}
}

// Each trip round the loop names a different object.
func nameAll(cs []*conn, n string) {
	for _, c := range cs {
		c.name = C.CString(n)
	}
}

// The first value is handed back to the caller.
func (c *conn) swap(a, b string) *C.char {
	c.name = C.CString(a)
	old := c.name
	c.name = C.CString(b)
	return old
}

// C memory stored in C memory is C's to manage.
func fill(req *C.struct_req, a, b string) {
	req.name = C.CString(a)
	req.name = C.CString(b)
}

// Category freed-while-stored.

func (c *conn) setTemp(s string) {
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs)) // want `C.free frees the memory that c.name still points to: c.name dangles after \(\*conn\).setTemp returns \(use after free, double free\); clear c.name before freeing, or free the memory only when c is released`
	c.name = cs
}

func setGlobal(s string) {
	lastErr = C.CString(s)
	C.strlen(lastErr)
	C.free(unsafe.Pointer(lastErr)) // want `C.free frees the memory that lastErr still points to`
}

func setGlobalSafe(s string) {
	lastErr = C.CString(s)
	C.strlen(lastErr)
	C.free(unsafe.Pointer(lastErr))
	lastErr = nil
}

// The owner dies with the function.
func localOwner(s string) int {
	c := &conn{}
	c.name = C.CString(s)
	n := int(C.strlen(c.name))
	C.free(unsafe.Pointer(c.name))
	return n
}

func newConn(s string) *conn {
	c := &conn{}
	cs := C.CString(s)
	c.name = cs
	C.free(unsafe.Pointer(cs)) // want `C.free frees the memory that c.name still points to`
	return c
}

// Category dangling.

type stmt struct{ sql *C.char }

func newStmt(q string) *stmt {
	s := &stmt{sql: C.CString(q)}
	runtime.SetFinalizer(s, func(s *stmt) { C.free(unsafe.Pointer(s.sql)) })
	return s
}

// Close is also released by the armed finalizer: that is the finalizer
// check's double-release, so cescape reports only the second Close.
func (s *stmt) Close() {
	C.free(unsafe.Pointer(s.sql)) // want `C.free frees s.sql without clearing it, so a second call of \(\*stmt\).Close frees it again \(double free\); set s.sql = nil after the free`
}

// Cleared: the finalizer then frees nil.
type stmt2 struct{ sql *C.char }

func newStmt2(q string) *stmt2 {
	s := &stmt2{sql: C.CString(q)}
	runtime.SetFinalizer(s, func(s *stmt2) { C.free(unsafe.Pointer(s.sql)) })
	return s
}

func (s *stmt2) Close() {
	C.free(unsafe.Pointer(s.sql))
	s.sql = nil
}

// Disarmed: the finalizer never runs after close.
type stmt3 struct{ sql *C.char }

func newStmt3(q string) *stmt3 {
	s := &stmt3{sql: C.CString(q)}
	runtime.SetFinalizer(s, (*stmt3).finalize)
	return s
}

func (s *stmt3) finalize() { C.free(unsafe.Pointer(s.sql)) }

func (s *stmt3) close() {
	runtime.SetFinalizer(s, nil)
	C.free(unsafe.Pointer(s.sql))
}

type buffer struct{ data unsafe.Pointer }

func (b *buffer) Free() {
	C.free(b.data) // want `C.free frees b.data without clearing it, so a second call of \(\*buffer\).Free frees it again \(double free\); set b.data = nil after the free`
}

// A nil check guards nothing when the field is never cleared.
type buffer2 struct{ data unsafe.Pointer }

func (b *buffer2) Release() {
	if b.data != nil {
		C.free(b.data) // want `a second call of \(\*buffer2\).Release frees it again`
	}
}

// A closed flag guards the free.
type guarded struct {
	data   unsafe.Pointer
	closed bool
}

func (g *guarded) Free() {
	if g.closed {
		return
	}
	g.closed = true
	C.free(g.data)
}

// Cleared before the free.
type swapped struct{ data unsafe.Pointer }

func (s *swapped) Free() {
	p := s.data
	s.data = nil
	C.free(p)
}

type pool struct{ mem unsafe.Pointer }

func (p *pool) reset() {
	C.free(p.mem) // want `C.free frees p.mem without clearing it, and \(\*pool\).destroy frees it too`
}

func (p *pool) destroy() {
	C.free(p.mem)
	p.mem = nil
}

// Through a Go wrapper that frees its parameter: no fix offered.
type named struct{ name *C.char }

func (n *named) Close() {
	freeStr(n.name) // want `freeStr frees n.name without clearing it, so a second call of \(\*named\).Close frees it again`
}

var scratch unsafe.Pointer

func Shutdown() {
	C.free(scratch) // want `C.free frees scratch without clearing it, so a second call of Shutdown frees it again`
}

var (
	scratch2 unsafe.Pointer
	shutdown bool
)

// A flag the function sets guards the free.
func Shutdown2() {
	if shutdown {
		return
	}
	shutdown = true
	C.free(scratch2)
}

// A sync.Once runs the free once.
type onceOnly struct {
	once sync.Once
	p    unsafe.Pointer
}

func (o *onceOnly) Close() {
	o.once.Do(func() { C.free(o.p) })
}

// An atomic swap guards the free.
type atomicGuard struct {
	closed atomic.Bool
	p      unsafe.Pointer
}

func (a *atomicGuard) Close() {
	if !a.closed.CompareAndSwap(false, true) {
		return
	}
	C.free(a.p)
}

// A loop before the free guards nothing.
type multi struct {
	parts []unsafe.Pointer
	all   unsafe.Pointer
}

func (m *multi) Close() {
	for _, p := range m.parts {
		C.free(p)
	}
	C.free(m.all) // want `C.free frees m.all without clearing it, so a second call of \(\*multi\).Close frees it again`
}

// Stored as well as returned: the caller does not own it alone, so no fact.
func stash(c *conn, s string) *C.char {
	cs := C.CString(s)
	c.name = cs
	return cs
}
