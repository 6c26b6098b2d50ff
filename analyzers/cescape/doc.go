// Package cescape defines an Analyzer that reports C memory kept in Go
// owners beyond its life, and Go pointers kept in C memory.
//
// # Analyzer cescape
//
// cescape: report C memory held past its life and Go pointers in C memory
//
// The garbage collector sees neither C memory nor the pointers that C keeps.
// Once a C pointer is stored in a package variable or a struct field (its
// "owner"), every later assignment, free and finalizer of that owner has to
// agree on who releases it and when; and once a Go pointer is stored in C
// memory, the collector may move or free what it points to. cescape reports
// the shapes of these bugs that real bindings shipped. It follows C memory
// through the knowledge base (C.CString, C.malloc, sqlite3_mprintf, ... and
// the functions of the user configuration and the cgo preamble) and through
// Go wrappers, summarised as facts: a function that returns owned C memory,
// a function that frees its parameter. A call through an interface whose
// method set is closed (it has an unexported method, so only the package's
// types implement it) frees an argument when every implementation does.
// When it loses track of a value (it
// is passed to a Go function it knows nothing about, compared, returned),
// it assumes the value was handled and stays silent.
//
// Category overwrite: an owner is assigned new C memory while it still holds
// the memory of an earlier assignment in the same function, with nothing
// releasing or taking over the first allocation in between. The first
// allocation leaks. Across functions: a method that assigns fresh C memory
// to a field of its receiver (or a function that assigns it to a package
// variable) without reading the old value first, when another function of
// the package (a Close, a finalizer) releases that owner, so that it holds
// C memory: each call after the first leaks the old value. A nil check on
// the owner, a Go call that may release it first, or a function called only
// on fresh objects (or only from init) is an initialisation, not reported.
//
// Bad:
//
//	c.name = C.CString(first)
//	...
//	c.name = C.CString(second) // the first string leaks
//
//	func (h *Handle) SetName(s string) { h.name = C.CString(s) } // Close frees h.name
//
// Good:
//
//	C.free(unsafe.Pointer(c.name))
//	c.name = C.CString(second)
//
//	func (h *Handle) SetName(s string) {
//		C.free(unsafe.Pointer(h.name))
//		h.name = C.CString(s)
//	}
//
// Category dangling: memory freed through its owner, C.free(unsafe.Pointer(x.p)),
// without clearing the owner, when something else can free it again:
// another function or method frees the same field (or the type's finalizer
// does, and is not disarmed), or the freeing function is an exported method
// (or, for a package variable, an exported function) with no guard against
// a second call (a closed flag it sets, a sync.Once). A later Close,
// Destroy or finalizer then frees the memory twice. The suggested fix sets
// the owner to nil right after the free.
//
// Bad:
//
//	func (s *Stmt) Close() { C.free(unsafe.Pointer(s.sql)) }
//	func (s *Stmt) finalize() { C.free(unsafe.Pointer(s.sql)) }
//
// Good:
//
//	func (s *Stmt) Close() { C.free(unsafe.Pointer(s.sql)); s.sql = nil }
//
// Category freed-while-stored: memory stored in an owner that outlives the
// function (a field of the receiver or of a pointer parameter, a package
// variable, a field of a returned object) and then freed in the same
// function, directly or by a defer, while the owner still points to it. The
// owner dangles: a later use reads freed memory, a later free frees it twice.
// A field of a C struct counts when the struct leaves the function: it is
// returned (as a pointer or by value), handed after the store to a C
// function that keeps or takes it, or it is the caller's (a parameter, or
// reached through one) and the function does not lend it to C itself after
// the store; the caller, or C, then reads freed memory.
//
// Bad:
//
//	cs := C.CString(name)
//	defer C.free(unsafe.Pointer(cs))
//	o.name = cs // o.name dangles after the function returns
//
//	opts := C.opts_new()
//	cname := C.CString(name)
//	defer C.free(unsafe.Pointer(cname))
//	opts.name = cname
//	return opts // the caller reads freed memory through opts.name
//
//	func fillOpts(opts *C.struct_opts, name string) {
//		cname := C.CString(name)
//		defer C.free(unsafe.Pointer(cname))
//		opts.name = cname // the caller's opts.name dangles
//	}
//
// Good:
//
//	o.name = C.CString(name) // freed by o's Close
//
//	opts.name = cname
//	n := C.opts_use(opts) // lent to C for the call only
//	opts.name = nil
//
// Category go-pointer-in-c: a Go pointer (the address of a Go variable, an
// element of a Go slice, the data of a Go string) stored into C memory (a
// struct or array reached through a pointer that C returned, such as a
// C.malloc result). The cgo pointer rules forbid C memory to hold Go
// pointers: the collector does not see the reference, may move or free the
// memory, and only a GOEXPERIMENT=cgocheck2 build catches it at run time.
// Copy the data into C memory instead, or pin the Go memory with a
// runtime.Pinner; pinning makes the stored pointer legal only until Unpin,
// so clear it from C memory before unpinning. When the field held C memory
// that the same function stored there and nothing released, the finding
// says that memory leaks too.
//
// Bad:
//
//	req := (*C.struct_req)(C.malloc(C.sizeof_struct_req))
//	req.data = unsafe.Pointer(&buf[0])
//
// Good:
//
//	req.data = C.CBytes(buf) // and C.free it with req
//
// Category callback-retains: a Go function exported to C (//export) keeps a
// pointer parameter C lent it (an unsafe.Pointer or a pointer to a C type)
// after it returns: in a package variable, a field reachable from one, a
// map, or a Go object with a finalizer. C owns that memory and may free or
// reuse it as soon as the callback returns.
//
// Bad:
//
//	//export onRow
//	func onRow(row *C.struct_row) { lastRow = row }
//
// Good:
//
//	//export onRow
//	func onRow(row *C.struct_row) { lastName = C.GoString(row.name) }
//
// Facts: OwnedResult marks a Go function that returns C memory its caller
// owns (only when the function neither frees, stores nor hands it on);
// FreesParams lists the parameters a Go function frees. Both are exported
// for every function of a cgo package, so wrappers in one package are
// understood in the packages that import it. cescape reads the knowledge
// base, so library allocators and destructors declared in the cgolint
// configuration (allocates, frees, takes, keeps) count as C.malloc and
// C.free do; it has no options of its own.
//
// Not reported: owners released by a path that clears them; C memory stored
// in C memory that stays in the function or its caller's hands (what a C
// struct holds is C's to manage); a field assigned and then returned to the
// caller; a Go pointer stored in Go memory of a C type
// (cgo checks that one at the call).
//
// Since: v0.1.0. Default: enabled.
package cescape
