// Package cfree defines an Analyzer that reports C memory that is leaked,
// freed twice, used after free or freed by the wrong allocator.
//
// # Analyzer cfree
//
// cfree: check that C memory is released once, on every path, by its allocator
//
// C memory (C.CString, C.CBytes, C.malloc, C.calloc, C.realloc, library
// allocators from the knowledge base or the configuration, functions of the
// cgo preamble that return malloc'd memory, and Go functions that return such
// memory) is invisible to the garbage collector: the program must release it
// itself, exactly once, with the allocator's own deallocator. cfree follows
// each allocation through the function's control flow graph.
//
// Library objects handed back through an out-parameter count too
// (sqlite3_prepare_v2(db, q, -1, &stmt, nil) with sqlite3_finalize,
// git_commit_lookup(&c, repo, id) with git_commit_free: the knowledge base's
// out role, shipped for the common libraries). cfree follows them through
// the loads of a local variable whose address only that call takes. Such
// calls return a status and leave no object on failure, so the branch where
// the status compared with 0 is nonzero (or negative) owns nothing; when the
// status is used in any other way (handed to a Go function that makes it an
// error), which path failed is unknown and the object is not followed.
//
//	var stmt *C.sqlite3_stmt
//	if C.sqlite3_prepare_v2(db, q, -1, &stmt, nil) != C.SQLITE_OK {
//		return err // nothing to finalize: stmt is NULL
//	}
//	defer C.sqlite3_finalize(stmt) // without it: leak
//
// Precision comes first. When the memory leaves the function's hands it is
// no longer the function's business: returned, stored in a field, global,
// slice or map, sent on a channel, put in an interface, captured by a
// closure that is not a deferred free, passed to a Go function whose facts
// do not say it only borrows or frees, or to a C function that takes or
// keeps it. Paths that panic or end in a C function that never returns
// (C.exit, C.abort, one that the knowledge base or, with `learn:
// [headers]`, its header declares noreturn) are not leaks, and a branch
// taken when the pointer is nil owns nothing. A C function the knowledge base does not
// know is taken to release the pointer (for leaks only, never for double
// frees) when the call is deferred on it, or when the pairing of types says
// so: the pointer is the call's only pointer argument, it points to a C
// type T, and the function is named after T with a release verb
// (git_buf_dispose(git_buf *), virTypedParamsFree(virTypedParameterPtr,
// int)). A function named after another type, or given other pointers too,
// is not a destructor of the pointer, whatever its name: x_user_delete(db,
// name) deletes a record and borrows name. A C function takes ownership
// when it is given a deallocator as a destructor argument, in Go (C.free
// passed as a function pointer) or in a preamble function's body
// (sqlite3_result_text(ctx, s,
// n, free)). Declare such functions in the configuration file to be exact.
//
// Category leak: an allocation that is not released on some path to a
// return, or before a loop allocates again, or whose result is discarded.
// The finding's related position is the return that leaks. A pointer that
// is assigned with := directly in the function body and only ever borrowed
// gets a suggested fix that adds the deferred free on the next line, and
// `import "unsafe"` after `import "C"` when the file needs it (no fix when
// unsafe is imported under another name).
// A variable reassigned while it still owns memory is reported at its first
// allocation. Allocations stored in a local slice or array (a C argv built
// in a loop) whose elements are never released, returned or passed on are
// reported too.
//
// Bad:
//
//	cs := C.CString(name)
//	if C.lookup(cs) < 0 {
//		return errNotFound // cs leaks
//	}
//	C.free(unsafe.Pointer(cs))
//
// Good:
//
//	cs := C.CString(name)
//	defer C.free(unsafe.Pointer(cs))
//	if C.lookup(cs) < 0 {
//		return errNotFound
//	}
//
// Category inline-leak: an allocation passed straight to a C function that
// only borrows it, as in C.f(C.CString(s)) or C.g((*C.gchar)(C.CString(s))):
// nothing can ever free it.
//
// Bad:
//
//	C.setenv(C.CString(k), C.CString(v), 1)
//
// Good:
//
//	ck, cv := C.CString(k), C.CString(v)
//	defer C.free(unsafe.Pointer(ck))
//	defer C.free(unsafe.Pointer(cv))
//	C.setenv(ck, cv, 1)
//
// Category early-defer: a deferred free whose argument is evaluated when
// the defer statement runs, while the variable is still nil; the memory the
// variable gets later is never freed. The variable may get its memory from
// an assignment or from a C call that fills it through its address
// (C.git_object_lookup(&obj, ...), an out-parameter); the deferred call may
// be any deallocator, or an unknown C function deferred on the variable
// alone.
//
// Bad:
//
//	var p *C.char
//	defer C.free(unsafe.Pointer(p)) // frees nil
//	p = C.strdup(s)
//
//	var obj *C.thing
//	defer C.thing_free(obj) // frees nil
//	C.thing_lookup(&obj, id)
//
// Good:
//
//	var p *C.char
//	defer func() { C.free(unsafe.Pointer(p)) }()
//	p = C.strdup(s)
//
//	var obj *C.thing
//	if C.thing_lookup(&obj, id) != 0 {
//		return errLookup
//	}
//	defer C.thing_free(obj)
//
// Category double-free: the same memory released twice on one path: two
// explicit frees, an explicit free of memory that a deferred free releases
// again at return, or a free of memory already handed to a function that
// takes ownership.
//
// Bad:
//
//	cs := C.CString(s)
//	defer C.free(unsafe.Pointer(cs))
//	C.use(cs)
//	C.free(unsafe.Pointer(cs))
//
// Good:
//
//	cs := C.CString(s)
//	defer C.free(unsafe.Pointer(cs))
//	C.use(cs)
//
// Also a double free in waiting: a C object in a field of a parameter (a
// Close method's receiver) that the function releases, then sets again
// (to nil) on some paths but leaves pointing to the released object on a
// path that returns, typically the error return; the next Close or a
// finalizer releases it again. A release whose status the function checks
// counts only when the knowledge base says it releases even when it fails
// (frees-on-error: sqlite3_finalize, sqlite3_blob_close; not sqlite3_close,
// which keeps a busy connection open).
//
// Bad:
//
//	rv := C.sqlite3_finalize(s.stmt)
//	if rv != C.SQLITE_OK {
//		return s.error(rv) // s.stmt still points to the deleted statement
//	}
//	s.stmt = nil
//
// Good:
//
//	rv := C.sqlite3_finalize(s.stmt)
//	s.stmt = nil
//	if rv != C.SQLITE_OK {
//		return s.error(rv)
//	}
//
// Category use-after-free: a C call, C.GoString, a dereference or a field
// access of memory that was already released on the path to it.
//
// Bad:
//
//	C.free(unsafe.Pointer(cs))
//	return C.GoString(cs)
//
// Good:
//
//	out := C.GoString(cs)
//	C.free(unsafe.Pointer(cs))
//	return out
//
// Category free-go-memory: a C deallocator given memory that Go allocated
// (&x, &buf[0] of a Go slice, new(T)). C's allocator corrupts its heap, or
// aborts, when given memory it did not allocate.
//
// Bad:
//
//	buf := make([]byte, n)
//	C.free(unsafe.Pointer(&buf[0]))
//
// Good:
//
//	buf := C.malloc(C.size_t(n))
//	defer C.free(buf)
//
// Category free-borrowed: a C deallocator given the result of a C function
// known to return borrowed memory: static storage (getenv, strerror,
// localtime) or memory that its library or one of its arguments owns and
// releases itself (sqlite3_errmsg, git_reference_name). Freeing it
// corrupts the C heap or frees it twice. What is known to be borrowed: the
// built-in table, the shipped library data and a configuration's
// `borrowed: true`, and with `learn: [headers]` or `[gir]` a const pointer
// result or a transfer-none annotation. Only a result that reaches the
// deallocator directly (through conversions and local variables) is
// reported.
//
// Bad:
//
//	v := C.getenv(name)
//	defer C.free(unsafe.Pointer(v))
//	return C.GoString(v)
//
// Good:
//
//	return C.GoString(C.getenv(name))
//
// Category wrong-family: memory released by the deallocator of another
// allocator family, such as sqlite3_malloc'd memory given to free. Each
// library may use its own heap; release memory with the function its
// allocator names.
//
// Bad:
//
//	p := C.sqlite3_malloc(n)
//	C.free(p)
//
// Good:
//
//	p := C.sqlite3_malloc(n)
//	C.sqlite3_free(p)
//
// # Facts
//
// cfree summarises Go functions for their callers, in the same package and
// in importing packages: which results are owned C memory (and their
// deallocator), which pointer parameters are freed on every path, taken
// (passed on to a C function that takes ownership) or only borrowed. So
// `p := newCStr(s); defer freeCStr(p)` is silent and `p := newCStr(s)` alone
// is a leak. A result returned as (p, err) is marked nil-on-error when every
// return that may hand back memory returns a nil error, so that
// `p, err := wrap(); if err != nil { return err }` leaks nothing on the
// error path. A pointer passed to a method of an interface value follows
// the facts of every implementation when the interface is closed (it has a
// method with an unexported name, so only this package's types implement
// it): all borrow it, so an unreleased pointer leaks; all free it, so a
// second free is a double free. A pointer passed to a Go function with no
// such facts, or to an interface method whose implementations are not all
// known or disagree, is assumed to have moved, and is not followed.
//
// Since: v0.1.0. Default: enabled.
package cfree
