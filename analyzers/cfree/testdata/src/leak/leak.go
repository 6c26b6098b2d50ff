package leak

// #include <stdlib.h>
// #include <stdio.h>
// #include <string.h>
// static int use(const char *s) { return s != NULL; }
// static int use2(const char *a, const char *b) { return a != NULL && b != NULL; }
// static char *dup(const char *s) { return strdup(s); }
// typedef char gchar;
// static int guse(const gchar *s) { return s != NULL; }
// static void keep_forever(char *s) { (void)s; }
// static void argv(char **v) { (void)v; }
// static void consume(char *s, void (*destroy)(void *)) { destroy(s); }
// static void hand_over(char *s) { consume(s, &free); }
// static void my_string_free(char *s) { void (*f)(void *) = free; f(s); }
// static void cleanup_later(char *s) { (void)s; }
// static void *variant_new_take_string(char *s) { return s; }
// typedef struct x_db { int n; } x_db;
// static int x_user_delete(x_db *db, const char *name) { return db->n + (name != NULL); }
// static int release_names(const char *s) { return s != NULL; }
// static x_db *x_db_open(void) { return calloc(1, sizeof(x_db)); }
// static void x_db_close(x_db *db) { (void)db; }
// static int x_db_count(x_db *db) { return db->n; }
import "C"

import (
	"errors"
	"unsafe"
)

var errBad = errors.New("bad")

// EarlyReturn leaks on the error path.
func EarlyReturn(s string) error {
	cs := C.CString(s) // want `C.CString result cs is not freed on the path that returns at line \d+, so its C memory leaks there`
	if C.use(cs) == 0 {
		return errBad
	}
	C.free(unsafe.Pointer(cs))
	return nil
}

// EarlyReturnSafe defers the free.
func EarlyReturnSafe(s string) error {
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	if C.use(cs) == 0 {
		return errBad
	}
	return nil
}

// EarlyReturnSafe2 frees on both paths.
func EarlyReturnSafe2(s string) error {
	cs := C.CString(s)
	if C.use(cs) == 0 {
		C.free(unsafe.Pointer(cs))
		return errBad
	}
	C.free(unsafe.Pointer(cs))
	return nil
}

// Never never frees.
func Never(s string) {
	cs := C.CString(s) // want `C.CString result cs is never freed, so its C memory leaks; defer C.free\(unsafe.Pointer\(cs\)\) after the allocation`
	C.use(cs)
}

// Inline passes fresh C strings straight to a borrowing C function.
func Inline(a, b string) {
	C.use(C.CString(a))                  // want `C.CString result passed straight to C.use is never freed`
	C.use2(C.CString(a), C.CString(b))   // want `C.CString result passed straight to C.use2` `C.CString result passed straight to C.use2`
	C.guse((*C.gchar)(C.CString(a)))     // want `C.CString result passed straight to C.guse`
	C.keep_forever(C.CString("forever")) // want `C.CString result passed straight to C.keep_forever`
}

// HandedOver gives the string to C, which frees it with the destructor it
// is given.
func HandedOver(s string) {
	C.hand_over(C.CString(s))
	C.consume(C.CString(s), (*[0]byte)(C.free))
}

// Conventional frees a string through a preamble function that frees it,
// and defers an unknown C function on another: a deferred call on the
// pointer itself is taken as its release.
func Conventional(a, b string) {
	ca := C.CString(a)
	C.use(ca)
	C.my_string_free(ca)
	cb := C.CString(b)
	defer C.cleanup_later(cb)
	C.use(cb)
}

// TakeByName hands a string to a function whose name follows GLib's
// convention for a transfer of ownership, but whose body returns it: the
// result is dropped, and the memory with it. A name is no proof of a
// transfer (declare real ones in the configuration file).
func TakeByName(a string) {
	C.variant_new_take_string(C.CString(a)) // want `C.CString result passed straight to C.variant_new_take_string is never freed`
}

// DeleteByName passes a string to a function that deletes a record, named
// like a destructor: it borrows the name, which leaks.
func DeleteByName(db *C.x_db, name string) { // want DeleteByName:`cfree\(borrows \[0\]\)`
	cname := C.CString(name) // want `C.CString result cname is never freed, so its C memory leaks`
	C.x_user_delete(db, cname)
}

// DeleteByNameSafe frees the name.
func DeleteByNameSafe(db *C.x_db, name string) { // want DeleteByNameSafe:`cfree\(borrows \[0\]\)`
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	C.x_user_delete(db, cname)
}

// CloseByName passes a string to a function named like a destructor of
// nothing in particular: release_names(char *) borrows its argument.
func CloseByName(s string) {
	cs := C.CString(s) // want `C.CString result cs is never freed, so its C memory leaks`
	C.release_names(cs)
}

// OpenClose releases a handle with the destructor of its type (whose body
// says nothing: the pairing of types does).
func OpenClose() {
	db := C.x_db_open()
	C.x_db_close(db)
}

// OpenNoClose never releases it.
func OpenNoClose() {
	db := C.x_db_open() // want `C.x_db_open result db is never freed`
	C.x_db_count(db)
}

// InlineLines spreads a wrapped call over lines.
func InlineLines(h *holder, a, b string) { // want InlineLines:`cfree\(borrows \[0\]\)`
	C.use2(
		C.CString(a), // want `C.CString result passed straight to C.use2`
		C.CString(b)) // want `C.CString result passed straight to C.use2`
	_ = C.use2(h.p,
		C.CString(a)) // want `C.CString result passed straight to C.use2`
}

// Discarded drops the result of malloc.
func Discarded() {
	C.malloc(16) // want `C.malloc result is discarded, so its C memory leaks`
}

// Returned hands the memory to the caller: not a leak here.
func Returned(s string) *C.char { // want Returned:`cfree\(owned 0 by free\)`
	return C.CString(s)
}

// ReturnedAfterCheck returns it or frees it.
func ReturnedAfterCheck(s string) (*C.char, error) { // want ReturnedAfterCheck:`cfree\(owned 0 by free nil-on-error\)`
	cs := C.CString(s)
	if C.use(cs) == 0 {
		C.free(unsafe.Pointer(cs))
		return nil, errBad
	}
	return cs, nil
}

type holder struct{ p *C.char }

var global *C.char

// Stored keeps the memory in a field, a global, a channel, an interface.
func Stored(h *holder, s string, ch chan *C.char) any {
	h.p = C.CString(s)
	global = C.CString(s)
	ch <- C.CString(s)
	return C.CString(s)
}

func consume(p *C.char) { keep = append(keep, p) }

var keep []*C.char

// PassedToGo hands the memory to a Go function that keeps it.
func PassedToGo(s string) {
	consume(C.CString(s))
}

// Loop leaks on continue.
func Loop(xs []string) {
	for _, s := range xs {
		cs := C.CString(s) // want `C.CString result cs is not freed on a path that goes round the loop`
		if s == "" {
			continue
		}
		C.use(cs)
		C.free(unsafe.Pointer(cs))
	}
}

// LoopSafe frees on every iteration.
func LoopSafe(xs []string) {
	for _, s := range xs {
		cs := C.CString(s)
		C.use(cs)
		C.free(unsafe.Pointer(cs))
	}
}

// Reassigned loses the first allocation.
func Reassigned(a, b string) {
	p := C.CString(a) // want `C.CString result p is never freed`
	C.use(p)
	p = C.CString(b)
	defer C.free(unsafe.Pointer(p))
	C.use(p)
}

// NilCheck returns early when malloc failed: nothing to free then.
func NilCheck(n int) error {
	p := C.malloc(C.size_t(n))
	if p == nil {
		return errBad
	}
	defer C.free(p)
	return nil
}

// Preamble allocates through a preamble function that returns strdup's result.
func Preamble(s string) {
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	d := C.dup(cs) // want `C.dup result d is never freed`
	C.use(d)
}

// DeferredClosure frees in a deferred closure.
func DeferredClosure(s string) {
	cs := C.CString(s)
	defer func() { C.free(unsafe.Pointer(cs)) }()
	C.use(cs)
}

// Panics excepted: the panic path is not a leak.
func Panics(s string) {
	cs := C.CString(s)
	if C.use(cs) == 0 {
		panic("bad")
	}
	C.free(unsafe.Pointer(cs))
}

// Conditional allocates only on one branch and frees through the phi.
func Conditional(s string) {
	var cs *C.char
	if s != "" {
		cs = C.CString(s)
	}
	C.use(cs)
	C.free(unsafe.Pointer(cs))
}

// EarlyDefer defers the free of a variable that is still nil.
func EarlyDefer(s string) {
	var p *C.char
	defer C.free(unsafe.Pointer(p)) // want `deferred C.free evaluates p now, while it is still nil, so the memory from C.CString assigned to p later is never freed`
	p = C.CString(s)
	C.use(p)
}

// EarlyDeferSafe defers a closure.
func EarlyDeferSafe(s string) {
	var p *C.char
	defer func() { C.free(unsafe.Pointer(p)) }()
	p = C.CString(s)
	C.use(p)
}

// Args builds a C argv that is never freed.
func Args(args []string) {
	cargs := make([]*C.char, len(args))
	for i, a := range args {
		cargs[i] = C.CString(a) // want `C.CString result stored in local slice cargs is never freed, so its C memory leaks; free each element with C.free\(unsafe.Pointer\(elem\)\) when done`
	}
	C.use(cargs[0])
	C.use2(cargs[0], *(&cargs[0]))
	C.argv(&cargs[0])
}

// ArgsFreed frees each element.
func ArgsFreed(args []string) {
	cargs := make([]*C.char, len(args))
	for i, a := range args {
		cargs[i] = C.CString(a)
	}
	C.use(cargs[0])
	for _, p := range cargs {
		C.free(unsafe.Pointer(p))
	}
}

// ArgsReturned returns the slice.
func ArgsReturned(args []string) []*C.char {
	cargs := make([]*C.char, len(args))
	for i, a := range args {
		cargs[i] = C.CString(a)
	}
	return cargs
}

// ArgsHelper frees through a Go helper without facts.
func ArgsHelper(args []string, release func([]*C.char)) {
	cargs := make([]*C.char, len(args))
	for i, a := range args {
		cargs[i] = C.CString(a)
	}
	defer release(cargs)
	C.use(cargs[0])
}
