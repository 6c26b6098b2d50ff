// Package sqlitestep calls SQLite through its real header: sqlite3_step is
// known to block from the shipped library data (it does disk I/O and sleeps
// in the busy handler), whatever the C front end infers from the library.
package sqlitestep

// #cgo pkg-config: sqlite3
// #include <sqlite3.h>
import "C"

import "sync"

type stmt struct {
	mu sync.Mutex
	s  *C.sqlite3_stmt
}

// Next steps the statement under st.mu: every other user of st waits for
// the disk.
func (st *stmt) Next() C.int { // want Next:"blocks in C.sqlite3_step"
	st.mu.Lock()
	defer st.mu.Unlock()
	return C.sqlite3_step(st.s) // want `C.sqlite3_step may block while st.mu is held`
}

// NextUnlocked steps with no lock held: silent.
func (st *stmt) NextUnlocked() C.int { // want NextUnlocked:"blocks in C.sqlite3_step"
	return C.sqlite3_step(st.s)
}

// Column reads a column under st.mu: sqlite3_column_int reads the current
// row in memory, silent.
func (st *stmt) Column(i C.int) C.int { // want Column:"waits for its turn"
	st.mu.Lock()
	defer st.mu.Unlock()
	return C.sqlite3_column_int(st.s, i)
}
