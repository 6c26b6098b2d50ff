// Package cwrap is a cgo binding whose Go functions block in C.
package cwrap

// #include <unistd.h>
import "C"

// Handle is a C descriptor.
type Handle struct{ fd C.int }

// Read blocks in C.read.
func (h *Handle) Read(p []byte) int { // want Read:"blocks in C.read"
	return int(C.read(h.fd, nil, C.size_t(len(p))))
}

// Wait blocks through Read.
func Wait(h *Handle) { // want Wait:"blocks in C.read"
	h.Read(nil)
}

// Fd does not block.
func (h *Handle) Fd() int { return int(h.fd) }
