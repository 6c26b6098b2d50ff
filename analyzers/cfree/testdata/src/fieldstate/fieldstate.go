// Package fieldstate holds C objects in fields and releases them in Close
// methods that may be called again.
package fieldstate

// #include <stdlib.h>
// typedef struct obj { int n; } obj;
// static obj *obj_open(void) { return calloc(1, sizeof(obj)); }
// static void obj_free(obj *o) { free(o); }
// static int obj_close(obj *o) { int bad = o->n; if (bad) return bad; free(o); return 0; }
// static int obj_flush(obj *o) { return o->n; }
import "C"

import "errors"

type Handle struct {
	o *C.obj
}

func Open() *Handle { return &Handle{o: C.obj_open()} }

// Close clears the field only when a later step succeeds: a second Close
// after a failed one releases the object again.
func (h *Handle) Close() error {
	if h.o == nil {
		return nil
	}
	flushed := C.obj_flush(h.o)
	C.obj_free(h.o) // want `h.o is released by C.obj_free and set again on some paths, but the path that returns at line 30 leaves it pointing to the released object`
	if flushed != 0 {
		return errors.New("flush failed")
	}
	h.o = nil
	return nil
}

// CloseFixed clears the field right after the release.
func (h *Handle) CloseFixed() error {
	if h.o == nil {
		return nil
	}
	flushed := C.obj_flush(h.o)
	C.obj_free(h.o)
	h.o = nil
	if flushed != 0 {
		return errors.New("flush failed")
	}
	return nil
}

// CloseBoth clears it on both paths.
func (h *Handle) CloseBoth() error {
	flushed := C.obj_flush(h.o)
	C.obj_free(h.o)
	if flushed != 0 {
		h.o = nil
		return errors.New("flush failed")
	}
	h.o = nil
	return nil
}

// CloseUntracked never clears the field: nothing says its state is kept
// there (the type may be closed only once), so nothing is reported here.
func (h *Handle) CloseUntracked() error { // want CloseUntracked:`cfree\(borrows \[0\]\)`
	flushed := C.obj_flush(h.o)
	C.obj_free(h.o)
	if flushed != 0 {
		return errors.New("flush failed")
	}
	return nil
}

// CloseStatus keeps the field when the release reports failure: obj_close
// is not known to release on failure (it does not, here), so keeping the
// object for another try is right.
func (h *Handle) CloseStatus() error {
	if C.obj_close(h.o) != 0 {
		return errors.New("close failed")
	}
	h.o = nil
	return nil
}

// closeIn releases the field of a parameter: the same bug.
func closeIn(h *Handle) error {
	flushed := C.obj_flush(h.o)
	C.obj_free(h.o) // want `h.o is released by C.obj_free and set again on some paths, but the path that returns at line 89`
	if flushed != 0 {
		return errors.New("flush failed")
	}
	h.o = nil
	return nil
}

// closeLocal releases the field of a handle that does not outlive the
// call.
func closeLocal() error {
	h := Open()
	flushed := C.obj_flush(h.o)
	C.obj_free(h.o)
	if flushed != 0 {
		return errors.New("flush failed")
	}
	h.o = nil
	return nil
}

// Reopen replaces the object on the error path: the field is set again on
// every path.
func (h *Handle) Reopen() error {
	flushed := C.obj_flush(h.o)
	C.obj_free(h.o)
	if flushed != 0 {
		h.o = C.obj_open()
		return errors.New("flush failed")
	}
	h.o = nil
	return nil
}

var _ = closeIn
var _ = closeLocal

// Renew stores the field before the release and clears it right after, in
// the same block: cleared on every path.
func (h *Handle) Renew(fail bool) error {
	h.o = C.obj_open()
	C.obj_free(h.o)
	h.o = nil
	if fail {
		return errors.New("renew failed")
	}
	h.o = C.obj_open()
	return nil
}
