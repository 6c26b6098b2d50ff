// Package outparam holds objects handed back through out-parameters, as the
// shipped library data describes them (sqlite3.yml), against the real
// <sqlite3.h>.
package outparam

// #cgo LDFLAGS: -lsqlite3
// #include <stdlib.h>
// #include <sqlite3.h>
import "C"

import "errors"

// Leak never finalizes the statement on the path that returns normally.
func Leak(db *C.sqlite3, q *C.char) int { // want Leak:`cfree\(borrows \[0 1\]\)`
	var stmt *C.sqlite3_stmt
	if C.sqlite3_prepare_v2(db, q, -1, &stmt, nil) != C.SQLITE_OK { // want `stmt, filled by C.sqlite3_prepare_v2, is never freed, so its C memory leaks; defer C.sqlite3_finalize\(stmt\) after the allocation`
		return -1
	}
	return int(C.sqlite3_step(stmt))
}

// Finalized finalizes it on every path where it exists: on failure
// sqlite3_prepare_v2 leaves stmt NULL.
func Finalized(db *C.sqlite3, q *C.char) int { // want Finalized:`cfree\(borrows \[0 1\]\)`
	var stmt *C.sqlite3_stmt
	if C.sqlite3_prepare_v2(db, q, -1, &stmt, nil) != C.SQLITE_OK {
		return -1
	}
	defer C.sqlite3_finalize(stmt)
	return int(C.sqlite3_step(stmt))
}

// FinalizedRC compares a saved status the other way round.
func FinalizedRC(db *C.sqlite3, q *C.char) int { // want FinalizedRC:`cfree\(borrows \[0 1\]\)`
	var stmt *C.sqlite3_stmt
	rc := C.sqlite3_prepare_v2(db, q, -1, &stmt, nil)
	if rc == C.SQLITE_OK {
		n := int(C.sqlite3_step(stmt))
		C.sqlite3_finalize(stmt)
		return n
	}
	return -1
}

// Twice finalizes explicitly and again in a defer.
func Twice(db *C.sqlite3, q *C.char) { // want Twice:`cfree\(borrows \[0 1\]\)`
	var stmt *C.sqlite3_stmt
	if C.sqlite3_prepare_v2(db, q, -1, &stmt, nil) != C.SQLITE_OK {
		return
	}
	defer C.sqlite3_finalize(stmt)
	C.sqlite3_step(stmt)
	C.sqlite3_finalize(stmt) // want `stmt is released here and again by the deferred C.sqlite3_finalize at return: double free`
}

// AfterFinalize steps a finalized statement.
func AfterFinalize(db *C.sqlite3, q *C.char) { // want AfterFinalize:`cfree\(borrows \[0 1\]\)`
	var stmt *C.sqlite3_stmt
	if C.sqlite3_prepare_v2(db, q, -1, &stmt, nil) != C.SQLITE_OK {
		return
	}
	C.sqlite3_finalize(stmt)
	C.sqlite3_step(stmt) // want `stmt was already freed by C.sqlite3_finalize on this path: using it here is a use after free`
}

// Checked turns the status into an error in a Go function: which path
// failed is not visible, so nothing is reported.
func Checked(db *C.sqlite3, q *C.char) error { // want Checked:`cfree\(borrows \[0 1\]\)`
	var stmt *C.sqlite3_stmt
	if err := check(C.sqlite3_prepare_v2(db, q, -1, &stmt, nil)); err != nil {
		return err
	}
	C.sqlite3_step(stmt)
	return nil
}

func check(rc C.int) error {
	if rc != C.SQLITE_OK {
		return errors.New("sqlite3")
	}
	return nil
}

// Stmt owns a statement: storing it in a field hands it over.
type Stmt struct{ s *C.sqlite3_stmt }

// Kept stores the statement in a struct the caller owns.
func Kept(db *C.sqlite3, q *C.char) *Stmt { // want Kept:`cfree\(borrows \[0 1\]\)`
	var stmt *C.sqlite3_stmt
	if C.sqlite3_prepare_v2(db, q, -1, &stmt, nil) != C.SQLITE_OK {
		return nil
	}
	return &Stmt{s: stmt}
}

// Field fills a field directly: not followed.
func Field(db *C.sqlite3, q *C.char) *Stmt { // want Field:`cfree\(borrows \[0 1\]\)`
	s := &Stmt{}
	C.sqlite3_prepare_v2(db, q, -1, &s.s, nil)
	return s
}
