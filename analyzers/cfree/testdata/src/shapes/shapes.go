package shapes

// #include <stdlib.h>
// #include <string.h>
// typedef struct thing { int n; } thing;
// static int thing_lookup(thing **out, int id) { *out = malloc(sizeof(thing)); (*out)->n = id; return 0; }
// static void thing_free(thing *t) { free(t); }
// static int get_name(char **out) { *out = strdup("x"); return 0; }
// static int use(const char *s) { return s != NULL; }
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
