// Package wrapuser is pure Go: it blocks in C only through cwrap.
package wrapuser

import (
	"sync"

	"cwrap"
)

type reader struct {
	mu sync.Mutex
	h  *cwrap.Handle
}

func (r *reader) Next() int { // want Next:"blocks in C.read"
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.h.Read(nil) // want `cwrap.Handle.Read may block in C.read while r.mu is held \(locked on line 16\)`
}

func (r *reader) Drain() { // want Drain:"blocks in C.read"
	r.mu.Lock()
	cwrap.Wait(r.h) // want `cwrap.Wait may block in C.read while r.mu is held`
	r.mu.Unlock()
}

func All(hs []*cwrap.Handle) {
	for _, h := range hs {
		go cwrap.Wait(h) // want `goroutine started for each item of the loop blocks in C.read \(in cwrap.Wait\)`
	}
}

// Safe twins.

func (r *reader) Fd() int { // want Fd:"waits for its turn"
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.h.Fd()
}

func (r *reader) NextUnlocked() int { // want NextUnlocked:"blocks in C.read"
	r.mu.Lock()
	h := r.h
	r.mu.Unlock()
	return h.Read(nil)
}
