// Package finalizer wraps a C checksum state that a finalizer releases.
//
// The hazard (finalizer, category keepalive): Sum's last use of h is
// passing h.state to C. If the caller drops h after calling Sum, the
// garbage collector may run the finalizer during the C call, which then
// reads freed memory. Add runtime.KeepAlive(h) after the call.
package finalizer

// #include <stdlib.h>
// #include <stdint.h>
// typedef struct adler { uint32_t a, b; } adler;
// static adler* adler_new(void) {
//     adler* s = malloc(sizeof(adler));
//     if (s) { s->a = 1; s->b = 0; }
//     return s;
// }
// static void adler_free(adler* s) { free(s); }
// static void adler_update(adler* s, const unsigned char* p, size_t n) {
//     for (size_t i = 0; i < n; i++) {
//         s->a = (s->a + p[i]) % 65521;
//         s->b = (s->b + s->a) % 65521;
//     }
// }
// static uint32_t adler_sum(const adler* s) { return (s->b << 16) | s->a; }
import "C"

import (
	"runtime"
	"unsafe"
)

// Hash is an Adler-32 checksum computed in C.
type Hash struct {
	state *C.adler
}

// New returns a Hash; its C state is released when the Hash is collected.
func New() *Hash {
	h := &Hash{state: C.adler_new()}
	runtime.SetFinalizer(h, func(h *Hash) { C.adler_free(h.state) })
	return h
}

// Write adds p to the checksum.
func (h *Hash) Write(p []byte) (int, error) {
	if len(p) > 0 {
		C.adler_update(h.state, (*C.uchar)(unsafe.Pointer(&p[0])), C.size_t(len(p)))
		runtime.KeepAlive(h)
	}
	return len(p), nil
}

// Sum32 returns the checksum.
func (h *Hash) Sum32() uint32 {
	return uint32(C.adler_sum(h.state))
}
