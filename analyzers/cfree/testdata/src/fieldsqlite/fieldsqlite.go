// Package fieldsqlite closes SQLite objects held in fields, through the
// real sqlite3.h: sqlite3_finalize deletes the statement even when it
// returns an error (frees-on-error in the shipped data), sqlite3_close
// keeps the connection open when it returns SQLITE_BUSY.
package fieldsqlite

// #cgo pkg-config: sqlite3
// #include <sqlite3.h>
import "C"

import "errors"

type Stmt struct {
	s *C.sqlite3_stmt
}

// finalize leaves s.s set on the error return: the next finalize deletes
// the statement again.
func (st *Stmt) finalize() error {
	rv := C.sqlite3_finalize(st.s) // want `st.s is released by C.sqlite3_finalize and set again on some paths, but the path that returns at line 22`
	if rv != C.SQLITE_OK {
		return errors.New("finalize failed")
	}
	st.s = nil
	return nil
}

// finalizeFixed clears it first.
func (st *Stmt) finalizeFixed() error {
	rv := C.sqlite3_finalize(st.s)
	st.s = nil
	if rv != C.SQLITE_OK {
		return errors.New("finalize failed")
	}
	return nil
}

type Conn struct {
	db *C.sqlite3
}

// Close keeps c.db when sqlite3_close fails: on SQLITE_BUSY the connection
// stays open, so a later Close must close it.
func (c *Conn) Close() error {
	if c.db == nil {
		return nil
	}
	if rv := C.sqlite3_close(c.db); rv != C.SQLITE_OK {
		return errors.New("close failed")
	}
	c.db = nil
	return nil
}

var _ = (*Stmt).finalize
var _ = (*Stmt).finalizeFixed
