package objects

// #include <stdlib.h>
// typedef struct conn { int fd; } conn;
// static conn* conn_new(void) { return (conn*)malloc(sizeof(conn)); }
// static void conn_free(conn* c) { free(c); }
import "C"

import "runtime"

type Conn struct { // want Conn:"finalizer freeConn releases ptr"
	name string
	ptr  *C.conn
}

func freeConn(c *Conn) { C.conn_free(c.ptr) }

type Pair struct {
	a, b Conn
}

// Bad: a struct value, not a pointer.
func NonPointer() {
	var c Conn
	runtime.SetFinalizer(c, freeConn) // want `runtime.SetFinalizer on c, a Conn and not a pointer: the runtime throws a fatal error`
}

// Bad: a pointer to the second field of a Pair.
func Interior(p *Pair) {
	runtime.SetFinalizer(&p.b, freeConn) // want `runtime.SetFinalizer on &p.b, a pointer to field b at offset \d+ inside its allocation: the runtime throws a fatal error \(pointer not at beginning of allocated block\)`
}

// Bad: an element of a slice.
func Elements(cs []Conn) {
	for i := range cs {
		runtime.SetFinalizer(&cs[i], freeConn) // want `runtime.SetFinalizer on &cs\[i\], a pointer to an element inside its allocation`
	}
}

// Bad: nothing keeps the object.
func Temporary() {
	runtime.SetFinalizer(&Conn{ptr: C.conn_new()}, freeConn) // want `runtime.SetFinalizer on &Conn\{…\}, which nothing keeps: it is unreachable at once`
}

// Good: a fresh allocation that is returned.
func New() *Conn {
	c := &Conn{ptr: C.conn_new()}
	runtime.SetFinalizer(c, freeConn)
	return c
}

// Good: the first field is the allocation's start.
func First(p *Pair) {
	runtime.SetFinalizer(&p.a, freeConn)
}

// sentinel's finalizer sets itself again: the "tell me about each GC" idiom.
type sentinel struct{ ch chan struct{} }

func onGC(s *sentinel) {
	select {
	case s.ch <- struct{}{}:
	default:
	}
	runtime.SetFinalizer(s, onGC)
}

// Good: a deliberate temporary.
func NotifyGC(ch chan struct{}) {
	runtime.SetFinalizer(&sentinel{ch}, onGC)
}

// Bad: two parameters.
func TwoParams() *Conn {
	c := New()
	runtime.SetFinalizer(c, func(c *Conn, err error) { freeConn(c) }) // want `finalizer func literal for c \(func\(c \*Conn, err error\)\) takes 2 parameters, not 1: the runtime throws a fatal error at runtime.SetFinalizer`
	return c
}

// Bad: the wrong parameter type.
func WrongType(p *Pair) {
	runtime.SetFinalizer(p, freeConn) // want `finalizer freeConn for p takes a \*Conn, which a \*Pair cannot be passed as`
}

// Bad: not a function.
func NotFunc(c *Conn) {
	runtime.SetFinalizer(c, 42) // want `finalizer 42 for c is a int, not a function`
}

// Bad: a method value has no parameter.
func MethodValue(c *Conn) {
	runtime.SetFinalizer(c, c.Close) // want `finalizer c.Close for c \(func\(\)\) takes 0 parameters, not 1`
}

func (c *Conn) Close() { // want Close:"releases 0.ptr by C.conn_free"
	if c.ptr != nil {
		C.conn_free(c.ptr)
		c.ptr = nil
	}
	runtime.SetFinalizer(c, nil)
}

type Closer interface{ Close() }

// Good: an interface parameter the object implements, and a method expression.
func Good(c *Conn) {
	runtime.SetFinalizer(c, func(x Closer) { x.Close() })
	runtime.SetFinalizer(c, (*Conn).Close)
	runtime.SetFinalizer(c, nil)
}

// Bad: the closure captures the object.
func Captures() *Conn {
	c := New()
	runtime.SetFinalizer(c, func(*Conn) { C.conn_free(c.ptr) }) // want `the finalizer of c refers to c itself, which keeps it reachable: the finalizer never runs`
	return c
}

// Good: the closure uses its parameter.
func UsesParam() *Conn {
	c := New()
	runtime.SetFinalizer(c, func(x *Conn) { C.conn_free(x.ptr) })
	return c
}

// Good: the closure captures only the C pointer.
func CapturesPtr() *Conn {
	c := New()
	p := c.ptr
	runtime.SetFinalizer(c, func(*Conn) { C.conn_free(p) })
	return c
}

// Bad: arg is ptr.
func CleanupSelf() *Conn {
	c := &Conn{ptr: C.conn_new()}
	runtime.AddCleanup(c, func(c *Conn) { C.conn_free(c.ptr) }, c) // want `runtime.AddCleanup with arg c equal to ptr c: it panics`
	return c
}

// Bad: arg points into ptr.
func CleanupInterior() *Conn {
	c := &Conn{ptr: C.conn_new()}
	runtime.AddCleanup(c, func(pp **C.conn) { C.conn_free(*pp) }, &c.ptr) // want `the cleanup argument &c.ptr points into c and keeps it reachable: the cleanup never runs`
	return c
}

// Bad: the cleanup function captures ptr.
func CleanupCaptures() *Conn {
	c := &Conn{ptr: C.conn_new()}
	runtime.AddCleanup(c, func(int) { C.conn_free(c.ptr) }, 0) // want `the cleanup function for c refers to c itself, which keeps it reachable: the cleanup never runs`
	return c
}

// Good: the cleanup gets the C pointer.
func CleanupGood() *Conn {
	c := &Conn{ptr: C.conn_new()}
	runtime.AddCleanup(c, func(p *C.conn) { C.conn_free(p) }, c.ptr)
	return c
}
