// Package deepc calls C functions that reach a blocking call through
// functions of its .c file: three calls down (reported under a lock),
// four calls down inside a bundled library's internals (not).
package deepc

// int lib_reset(void);
// int lib_fill(int fd, char *b);
import "C"

import "sync"

type store struct {
	mu sync.Mutex
	fd C.int
}

// Fill reads under s.mu: lib_fill reaches read through two helpers.
func (s *store) Fill(b *C.char) { // want Fill:"blocks in C.lib_fill"
	s.mu.Lock()
	C.lib_fill(s.fd, b) // want `C.lib_fill may block while s.mu is held \(locked on line 19\)`
	s.mu.Unlock()
}

// Reset resets under s.mu: lib_reset's only blocking call is four calls
// down, in the library's internals.
func (s *store) Reset() { // want Reset:"waits for its turn"
	s.mu.Lock()
	C.lib_reset()
	s.mu.Unlock()
}
