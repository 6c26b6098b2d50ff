// Package cescape is an example for the cescape check: a binding whose
// Close frees a C buffer without clearing the field, while the finalizer
// it registered frees the same buffer again.
//
// cgolint reports the free in Close (category dangling) and suggests
// clearing the field right after it.
package cescape

/*
#include <stdlib.h>
#include <string.h>
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// Buffer is a scratch buffer in C memory, handed to C functions.
type Buffer struct {
	data unsafe.Pointer
	size int
}

// NewBuffer allocates a zeroed buffer of n bytes in C memory.
func NewBuffer(n int) *Buffer {
	b := &Buffer{data: C.calloc(C.size_t(n), 1), size: n}
	runtime.SetFinalizer(b, func(b *Buffer) { C.free(b.data) })
	return b
}

// Fill sets every byte of the buffer to c.
func (b *Buffer) Fill(c byte) {
	C.memset(b.data, C.int(c), C.size_t(b.size))
}

// Close releases the buffer. The finalizer still runs later and frees
// b.data a second time.
func (b *Buffer) Close() {
	C.free(b.data)
}
