package shapes

// #include <stdlib.h>
// #include <string.h>
// typedef struct thing { int n; } thing;
// static int thing_lookup(thing **out, int id) { *out = malloc(sizeof(thing)); (*out)->n = id; return 0; }
// static void thing_free(thing *t) { free(t); }
// static int get_name(char **out) { *out = strdup("x"); return 0; }
// static int use(const char *s) { return s != NULL; }
// static const char *names[] = { "a", "b" };
// static int thing_name(const char **out, thing *t) { *out = names[t->n & 1]; return 0; }
import "C"

import (
	"errors"
	"unsafe"
)

var errBad = errors.New("bad")

// EarlyDeferOut defers the free while name is nil; C fills name later
// through its address.
func EarlyDeferOut() string {
	var name *C.char
	defer C.free(unsafe.Pointer(name)) // want `deferred C.free evaluates name now, while it is still nil, so the memory C.get_name stores in name later is never freed`
	C.get_name(&name)
	return C.GoString(name)
}

// EarlyDeferOutAfter defers the free once C has filled the variable.
func EarlyDeferOutAfter() string {
	var name *C.char
	C.get_name(&name)
	defer C.free(unsafe.Pointer(name))
	return C.GoString(name)
}

// EarlyDeferOutClosure defers a closure, which reads name at return.
func EarlyDeferOutClosure() string {
	var name *C.char
	defer func() { C.free(unsafe.Pointer(name)) }()
	C.get_name(&name)
	return C.GoString(name)
}

// EarlyDeferLookup defers a library free of a handle a lookup fills later.
func EarlyDeferLookup(id int) int {
	var t *C.thing
	defer C.thing_free(t) // want `deferred C.thing_free evaluates t now, while it is still nil, so the memory C.thing_lookup stores in t later is never freed`
	if C.thing_lookup(&t, C.int(id)) != 0 {
		return -1
	}
	return int(t.n)
}

// EarlyDeferLookupSafe defers the free after the lookup succeeded.
func EarlyDeferLookupSafe(id int) int {
	var t *C.thing
	if C.thing_lookup(&t, C.int(id)) != 0 {
		return -1
	}
	defer C.thing_free(t)
	return int(t.n)
}

// EarlyDeferConverted passes the address through unsafe conversions.
func EarlyDeferConverted() string {
	var name *C.char
	defer C.free(unsafe.Pointer(name)) // want `deferred C.free evaluates name now, while it is still nil, so the memory C.get_name stores in name later is never freed`
	C.get_name((**C.char)(unsafe.Pointer(&name)))
	return C.GoString(name)
}

// EarlyDeferBorrowedOut defers a free of nil, then lets C store a pointer
// the thing owns: the deferred free of nil is dead code, but freeing the
// name would be wrong, so nothing is reported (thing_name does not
// allocate through its parameter).
func EarlyDeferBorrowedOut(t *C.thing) string { // want EarlyDeferBorrowedOut:`cfree\(borrows \[0\]\)`
	var name *C.char
	defer C.free(unsafe.Pointer(name))
	C.thing_name(&name, t)
	return C.GoString(name)
}

// FilledThenDeferred fills the variable before the defer on every path.
func FilledThenDeferred(again bool) string {
	var name *C.char
	C.get_name(&name)
	if again {
		C.free(unsafe.Pointer(name))
		C.get_name(&name)
	}
	defer C.free(unsafe.Pointer(name))
	return C.GoString(name)
}

// wrap returns owned memory, or nil with an error.
func wrap(s string) (*C.char, error) { // want wrap:`cfree\(owned 0 by free nil-on-error\)`
	if s == "" {
		return nil, errBad
	}
	return C.CString(s), nil
}

// UseWrap returns on the error path, where wrap returned nil.
func UseWrap(s string) error {
	p, err := wrap(s)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(p))
	C.use(p)
	return nil
}

// wrapBoth returns the memory with an error on one path.
func wrapBoth(s string) (*C.char, error) { // want wrapBoth:`cfree\(owned 0 by free\)`
	p := C.CString(s)
	if C.use(p) == 0 {
		return p, errBad
	}
	return p, nil
}

// UseWrapBoth drops the memory wrapBoth returns with its error.
func UseWrapBoth(s string) error {
	p, err := wrapBoth(s) // want `wrapBoth result p is not freed on the path that returns at line \d+`
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(p))
	C.use(p)
	return nil
}

// UseWrapInverted tests err == nil.
func UseWrapInverted(s string) error {
	p, err := wrap(s)
	if err == nil {
		C.use(p)
		C.free(unsafe.Pointer(p))
	}
	return err
}

// lender is implemented in this package only, by types that borrow.
type lender interface{ lend(p *C.char) int }

type counter struct{ n int }

func (c *counter) lend(p *C.char) int { c.n += int(C.use(p)); return c.n } // want lend:`cfree\(borrows \[1\]\)`

type checker struct{}

func (checker) lend(p *C.char) int { return int(C.use(p)) } // want lend:`cfree\(borrows \[1\]\)`

// ToLender passes the memory to a method every implementation of which
// only borrows it.
func ToLender(l lender, s string) int {
	cs := C.CString(s) // want `C.CString result cs is never freed, so its C memory leaks`
	return l.lend(cs)
}

// ToLenderSafe frees what it lends.
func ToLenderSafe(l lender, s string) int {
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	return l.lend(cs)
}

// sink is implemented in this package only, by types that free.
type sink interface{ put(p *C.char) }

type dropper struct{}

func (dropper) put(p *C.char) { C.free(unsafe.Pointer(p)) } // want put:`cfree\(frees \[1\]\)`

type logger struct{}

func (*logger) put(p *C.char) { // want put:`cfree\(frees \[1\]; borrows \[0\]\)`
	C.use(p)
	C.free(unsafe.Pointer(p))
}

// ToSink hands the memory to a method every implementation of which frees
// it.
func ToSink(k sink, s string) {
	cs := C.CString(s)
	k.put(cs)
}

// ToSinkTwice frees it again.
func ToSinkTwice(k sink, s string) {
	cs := C.CString(s)
	k.put(cs)
	C.free(unsafe.Pointer(cs)) // want `cs was already freed by k.put on this path: releasing it again is a double free`
}

// mixed has one implementation that frees and one that borrows: which one
// runs is not known.
type mixed interface{ mix(p *C.char) }

type mixFree struct{}

func (mixFree) mix(p *C.char) { C.free(unsafe.Pointer(p)) } // want mix:`cfree\(frees \[1\]\)`

type mixBorrow struct{}

func (mixBorrow) mix(p *C.char) { C.use(p) } // want mix:`cfree\(borrows \[1\]\)`

// ToMixed stays silent.
func ToMixed(m mixed, s string) {
	cs := C.CString(s)
	m.mix(cs)
}

// Lender has only exported methods: other packages may implement it.
type Lender interface{ Lend(p *C.char) int }

type openLender struct{}

func (openLender) Lend(p *C.char) int { return int(C.use(p)) } // want Lend:`cfree\(borrows \[1\]\)`

// ToOpenLender stays silent: the implementation is not known.
func ToOpenLender(l Lender, s string) int {
	cs := C.CString(s)
	return l.Lend(cs)
}

// hidden has only exported methods too, though its name is unexported: a
// value of another package's type can be passed to an exported function
// that takes it.
type hidden interface{ Lend(p *C.char) int }

// ToHidden stays silent.
func ToHidden(h hidden, s string) int {
	cs := C.CString(s)
	return h.Lend(cs)
}

// asserted is closed: whatever value a type assertion finds in it has one
// of this package's types.
type asserted interface{ take(p *C.char) }

type assertedBorrow struct{}

func (assertedBorrow) take(p *C.char) { C.use(p) } // want take:`cfree\(borrows \[1\]\)`

// ToAsserted leaks: every implementation borrows.
func ToAsserted(x any, s string) {
	if a, ok := x.(asserted); ok {
		cs := C.CString(s) // want `C.CString result cs is never freed, so its C memory leaks`
		a.take(cs)
	}
}

// esink has an implementation that embeds it: its eput is the interface's,
// with no facts.
type esink interface{ eput(p *C.char) }

type eBorrow struct{}

func (eBorrow) eput(p *C.char) { C.use(p) } // want eput:`cfree\(borrows \[1\]\)`

type embedder struct{ esink }

// ToEmbedded stays silent.
func ToEmbedded(e esink, s string) {
	cs := C.CString(s)
	e.eput(cs)
}

// generic sinks make the implementations of gsink not enumerable.
type gsink interface{ gput(p *C.char) }

type genericSink[T any] struct{ v T }

func (genericSink[T]) gput(p *C.char) { C.use(p) } // want gput:`cfree\(borrows \[1\]\)`

// ToGeneric stays silent.
func ToGeneric(g gsink, s string) {
	cs := C.CString(s)
	g.gput(cs)
}
