package release

// #include <stdlib.h>
// #include <string.h>
// typedef struct db { int n; } db;
// static db* db_open(void) { return (db*)malloc(sizeof(db)); }
// static int db_close(db* d) { free(d); return 0; }
// static int db_exec(db* d, const char* q) { return d->n + (q != 0); }
// static void* handle_new(void) { return malloc(8); }
// static void handle_close(void* h) { (void)h; }
// static int handle_read(void* h) { return h != 0; }
// typedef struct store { int n; } store;
// static store* store_open(void) { return (store*)calloc(1, sizeof(store)); }
// static void store_shutdown(store* s) { (void)s; }
// static int store_user_delete(store* s, int id) { return s->n - id; }
import "C"

import (
	"errors"
	"runtime"
	"sync"
	"unsafe"
)

type DB struct { // want DB:"finalizer \\(\\*DB\\).close releases ptr"
	mu   sync.Mutex
	ptr  *C.db
	last int
}

func Open() *DB {
	d := &DB{ptr: C.db_open()}
	runtime.SetFinalizer(d, (*DB).close)
	return d
}

// close is the finalizer: it is not reported.
func (d *DB) close() { C.db_close(d.ptr) }

// Bad: Close releases d.ptr and leaves the finalizer armed.
func (d *DB) Close() { // want Close:"releases 0.ptr by C.db_close"
	C.db_close(d.ptr) // want `\(\*DB\).Close releases d.ptr with C.db_close but leaves the finalizer \(\*DB\).close armed on some path: when d becomes unreachable the finalizer releases d.ptr again \(double free\); call runtime.SetFinalizer\(d, nil\) after the release, or set d.ptr = nil and have the finalizer skip nil`
}

// Good: Shutdown disarms the finalizer.
func (d *DB) Shutdown() { // want Shutdown:"releases 0.ptr by C.db_close"
	runtime.SetFinalizer(d, nil)
	C.db_close(d.ptr)
}

// Good: Release clears the field.
func (d *DB) Release() { // want Release:"releases 0.ptr by C.db_close"
	if d.ptr != nil {
		C.db_close(d.ptr)
		d.ptr = nil
	}
}

// Bad: Reset leaves the finalizer armed on its error path.
func (d *DB) Reset(fail bool) error { // want Reset:"releases 0.ptr by C.db_close"
	C.db_close(d.ptr) // want `\(\*DB\).Reset releases d.ptr with C.db_close but leaves the finalizer`
	if fail {
		return errors.New("reset failed")
	}
	runtime.SetFinalizer(d, nil)
	d.ptr = C.db_open()
	return nil
}

func (d *DB) free() { C.db_close(d.ptr) }

func (d *DB) disarmAndFree() {
	runtime.SetFinalizer(d, nil)
	d.free()
}

// Bad: Destroy releases through free.
func (d *DB) Destroy() { // want Destroy:"releases 0.ptr by C.db_close"
	d.free() // want `\(\*DB\).Destroy releases d.ptr with C.db_close \(through \(\*DB\).free\) but leaves the finalizer`
}

// Good: Dispose disarms after free.
func (d *DB) Dispose() { // want Dispose:"releases 0.ptr by C.db_close"
	d.free()
	runtime.SetFinalizer(d, nil)
}

// Good: Finish calls a helper that always disarms.
func (d *DB) Finish() { // want Finish:"releases 0.ptr by C.db_close"
	d.disarmAndFree()
}

// Bad: the finalizer may run during the call.
func (d *DB) Exec(q string) int {
	cq := C.CString(q)
	defer C.free(unsafe.Pointer(cq))
	rc := C.db_exec(d.ptr, cq) // want `d.ptr passed to C.db_exec is the last use of d, whose finalizer \(\*DB\).close releases d.ptr: the finalizer may run and release it during the call \(use after free\); add runtime.KeepAlive\(d\) after the call`
	return int(rc)
}

// Bad, with no automatic fix: the call is in a return statement.
func (d *DB) Count() int {
	return int(C.db_exec(d.ptr, nil)) // want `d.ptr passed to C.db_exec is the last use of d`
}

// Bad: a parameter, not a receiver.
func Exec(d *DB) {
	C.db_exec(d.ptr, nil) // want `d.ptr passed to C.db_exec is the last use of d`
}

// Good: KeepAlive after the call.
func (d *DB) ExecKept() int {
	rc := C.db_exec(d.ptr, nil)
	runtime.KeepAlive(d)
	return int(rc)
}

// Good: d is used after the call.
func (d *DB) ExecRecord() int {
	rc := C.db_exec(d.ptr, nil)
	d.last = int(rc)
	return d.last
}

// Good: the deferred unlock keeps d alive.
func (d *DB) ExecLocked() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return int(C.db_exec(d.ptr, nil))
}

// Good: only the last call is the last use.
func (d *DB) ExecTwice() int {
	a := C.db_exec(d.ptr, nil)
	b := C.db_exec(d.ptr, nil)
	runtime.KeepAlive(d)
	return int(a + b)
}

// Stmt's finalizer tests closed before it releases.
type Stmt struct { // want Stmt:"finalizer \\(\\*Stmt\\).finalize releases h"
	h      unsafe.Pointer
	closed bool
}

func NewStmt() *Stmt {
	s := &Stmt{h: C.handle_new()}
	runtime.SetFinalizer(s, (*Stmt).finalize)
	return s
}

func (s *Stmt) finalize() {
	if s.closed {
		return
	}
	C.handle_close(s.h)
}

// Good: Close sets the flag the finalizer tests.
func (s *Stmt) Close() { // want Close:"releases 0.h by C.handle_close"
	s.closed = true
	C.handle_close(s.h)
}

// Buf has a cleanup; only Stop disarms it.
type Buf struct { // want Buf:"cleanup a func literal releases p"
	p       *C.char
	cleanup runtime.Cleanup
}

func NewBuf() *Buf {
	b := &Buf{p: (*C.char)(C.malloc(64))}
	b.cleanup = runtime.AddCleanup(b, func(p *C.char) { C.free(unsafe.Pointer(p)) }, b.p)
	return b
}

// Bad: clearing the field does not stop the cleanup.
func (b *Buf) Free() { // want Free:"releases 0.p by C.free"
	C.free(unsafe.Pointer(b.p)) // want `\(\*Buf\).Free releases b.p with C.free but leaves the cleanup a func literal armed on some path: when b becomes unreachable the cleanup releases b.p again \(double free\); keep the runtime.Cleanup`
	b.p = nil
}

// Good: Release stops the cleanup.
func (b *Buf) Release() { // want Release:"releases 0.p by C.free"
	b.cleanup.Stop()
	C.free(unsafe.Pointer(b.p))
}

// Bad: the cleanup may run during the call.
func (b *Buf) Len() int {
	n := C.strlen(b.p) // want `b.p passed to C.strlen is the last use of b, whose cleanup a func literal releases b.p`
	return int(n)
}

// Store's finalizer ends with store_shutdown, whose body says nothing: the
// finalizer's last call on the field is how the package releases it.
type Store struct { // want Store:"finalizer \\(\\*Store\\).shutdown releases db"
	db *C.store
}

func OpenStore() *Store {
	s := &Store{db: C.store_open()}
	runtime.SetFinalizer(s, (*Store).shutdown)
	return s
}

func (s *Store) shutdown() { C.store_shutdown(s.db) }

// DeleteUser deletes a record: store_user_delete is named like a
// destructor but is not the one the finalizer uses, so nothing is released
// twice.
func (s *Store) DeleteUser(id int) int {
	n := int(C.store_user_delete(s.db, C.int(id)))
	runtime.KeepAlive(s)
	return n
}

// Shutdown releases s.db as the finalizer does, and leaves it armed.
func (s *Store) Shutdown() { // want Shutdown:"releases 0.db by C.store_shutdown"
	C.store_shutdown(s.db) // want `\(\*Store\).Shutdown releases s.db with C.store_shutdown but leaves the finalizer \(\*Store\).shutdown armed`
}
