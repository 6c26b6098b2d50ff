// Package finalizer defines an Analyzer that reports finalizers and cleanups
// that crash, never run, run twice or run too early.
//
// # Analyzer finalizer
//
// finalizer: check runtime.SetFinalizer and AddCleanup around C memory
//
// Bindings release C memory from finalizers (runtime.SetFinalizer) and
// cleanups (runtime.AddCleanup), because the garbage collector does not see
// it. The runtime is strict about what it accepts, a finalizer that can
// still reach its object never runs, and one that does run can race with
// the object's own methods. finalizer reports these mistakes. It learns
// which types have a finalizer, and which fields the finalizer releases,
// from the SetFinalizer and AddCleanup calls of the package, and exports
// them as facts for importers.
//
// A field is released when it is passed to a C function that the knowledge
// base says frees or takes it, or, as its only pointer argument, to a C
// function that the pairing of types makes its destructor (named after the
// field's C type with a release verb: git_repository_free(git_repository *),
// sqlite3_finalize(sqlite3_stmt *)), or to the C function a finalizer of the
// package calls last on a field of its object; directly or through Go
// functions. Words in a name prove nothing: obj_delete_entry(o, k) and
// x_user_delete(db, name) are not destructors of o or db.
//
// Category bad-object: runtime.SetFinalizer on a non-pointer, on an interior
// pointer (&x.f past the first field, &s[i]), or on a fresh allocation that
// nothing keeps. The first two are fatal errors in the runtime ("first
// argument is T, not pointer", "pointer not at beginning of allocated
// block"); the third runs the finalizer at the next garbage collection,
// releasing memory the program believes it still has. For the third, a
// finalizer that sets itself again (the "notify me at each GC" idiom) and
// code in _test.go files are not reported.
//
// Bad:
//
//	runtime.SetFinalizer(&w.handle, freeHandle)
//
// Good:
//
//	runtime.SetFinalizer(w, (*Wrapper).free)
//
// Category bad-func: a finalizer that is not a function, is variadic, does
// not take exactly one parameter, or whose parameter cannot receive the
// object. runtime.SetFinalizer throws a fatal error at the call.
//
// Bad:
//
//	runtime.SetFinalizer(db, func(db *DB, err error) { db.Close() })
//
// Good:
//
//	runtime.SetFinalizer(db, func(db *DB) { db.Close() })
//
// Category never-runs: a finalizer closure, or a cleanup function or
// argument of runtime.AddCleanup, that refers to the object itself. The
// object stays reachable from its own finalizer, the finalizer never runs
// and the C memory leaks. runtime.AddCleanup with arg equal to ptr panics.
//
// Bad:
//
//	runtime.SetFinalizer(c, func(*Conn) { C.conn_free(c.ptr) })
//	runtime.AddCleanup(c, func(c *Conn) { C.conn_free(c.ptr) }, c)
//
// Good:
//
//	runtime.SetFinalizer(c, func(c *Conn) { C.conn_free(c.ptr) })
//	runtime.AddCleanup(c, func(p *C.conn) { C.conn_free(p) }, c.ptr)
//
// Category double-release: an exported method or function releases a field
// that the type's finalizer also releases, and on some path neither disarms
// the finalizer (runtime.SetFinalizer(x, nil)) nor clears or changes the
// field (x.ptr = nil) or a field the finalizer tests. When the object
// becomes unreachable the finalizer releases the field again: a double
// free. For a cleanup, only the Stop method of the runtime.Cleanup disarms
// it (the cleanup holds its own copy of the field). The suggested fix
// inserts runtime.SetFinalizer(x, nil) after a direct release.
//
// Bad:
//
//	func (c *Conn) Close() { C.conn_free(c.ptr) }
//
// Good:
//
//	func (c *Conn) Close() {
//		C.conn_free(c.ptr)
//		runtime.SetFinalizer(c, nil)
//	}
//
// Category keepalive: a function passes x.ptr, a field that x's finalizer
// releases, to a C function, and x (a parameter or receiver, or an object
// a Go call returned) is not used after the call. The garbage
// collector may then find x unreachable during the C call and run its
// finalizer, which releases x.ptr while C uses it. Functions that disarm or
// release x themselves, calls that also pass a pointer into x, objects the
// analysis loses track of (stored, captured, put in an interface, passed to
// a dynamic call), and unexported functions whose every caller uses x after
// the call are not reported. The suggested
// fix inserts runtime.KeepAlive(x) after the call.
//
// Bad:
//
//	func (s *Stmt) Step() int { return int(C.stmt_step(s.ptr)) }
//
// Good:
//
//	func (s *Stmt) Step() int {
//		rc := C.stmt_step(s.ptr)
//		runtime.KeepAlive(s)
//		return int(rc)
//	}
//
// Since: v0.1.0. Default: enabled.
package finalizer
