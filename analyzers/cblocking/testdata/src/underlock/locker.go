package underlock

// #include <sys/socket.h>
// #include <unistd.h>
import "C"

import (
	"sync"
	"unsafe"
)

// queue guards its writes with a sync.Cond's lock.
type queue struct {
	cond  *sync.Cond
	ready sync.Cond
	fd    C.int
	buf   [64]byte
}

// Push holds the Cond's L across a blocking write.
func (q *queue) Push() { // want Push:"blocks in C.write"
	q.cond.L.Lock()
	C.write(q.fd, unsafe.Pointer(&q.buf[0]), 64) // want `C.write may block while q.cond.L is held \(locked on line 22\)`
	q.cond.L.Unlock()
}

// PushFixed is its safe twin: the write is made after the unlock.
func (q *queue) PushFixed() { // want PushFixed:"blocks in C.write"
	q.cond.L.Lock()
	q.buf[0] = 1
	q.cond.L.Unlock()
	C.write(q.fd, unsafe.Pointer(&q.buf[0]), 64)
}

// Signal holds the L of a Cond value field, deferred.
func (q *queue) Signal() { // want Signal:"blocks in C.read"
	q.ready.L.Lock()
	defer q.ready.L.Unlock()
	C.read(q.fd, unsafe.Pointer(&q.buf[0]), 64) // want `C.read may block while q.ready.L is held \(locked on line 37\)`
}

// WithLocker holds a sync.Locker parameter across a blocking read.
func WithLocker(l sync.Locker, fd C.int, p []byte) { // want WithLocker:"blocks in C.read"
	l.Lock()
	defer l.Unlock()
	C.read(fd, unsafe.Pointer(&p[0]), C.size_t(len(p))) // want `C.read may block while l is held \(locked on line 44\)`
}

// WithLockerFixed is its safe twin.
func WithLockerFixed(l sync.Locker, fd C.int, p []byte) { // want WithLockerFixed:"blocks in C.read"
	l.Lock()
	n := len(p)
	l.Unlock()
	C.read(fd, unsafe.Pointer(&p[0]), C.size_t(n))
}

// Aliased locks the Cond's L and unlocks the mutex it may alias: we
// cannot tell, so stay silent.
func (c *conn) Aliased(q *queue) { // want Aliased:"blocks in C.read"
	q.cond.L.Lock()
	c.mu.Unlock()
	C.read(c.fd, unsafe.Pointer(&c.buf[0]), 64)
}

// ReadLocked holds a read lock across a blocking read.
func (c *conn) ReadLocked() int { // want ReadLocked:"blocks in C.read"
	c.rw.RLock()
	n := C.read(c.fd, unsafe.Pointer(&c.buf[0]), 64) // want `C.read may block while c.rw is held \(read-locked on line 67\)`
	c.rw.RUnlock()
	return int(n)
}

// ReadLockedFixed is its safe twin.
func (c *conn) ReadLockedFixed() int { // want ReadLockedFixed:"blocks in C.read"
	c.rw.RLock()
	fd := c.fd
	c.rw.RUnlock()
	return int(C.read(fd, unsafe.Pointer(&c.buf[0]), 64))
}

// RecvLocked waits in recv with the mutex held.
func (c *conn) RecvLocked() int { // want RecvLocked:"blocks in C.recv"
	c.mu.Lock()
	defer c.mu.Unlock()
	return int(C.recv(c.fd, unsafe.Pointer(&c.buf[0]), 64, 0)) // want `C.recv may block while c.mu is held`
}

// RecvNonblocking asks recv not to wait: silent.
func (c *conn) RecvNonblocking() int { // want RecvNonblocking:"waits for its turn"
	c.mu.Lock()
	defer c.mu.Unlock()
	return int(C.recv(c.fd, unsafe.Pointer(&c.buf[0]), 64, C.MSG_DONTWAIT))
}

// SendNonblocking asks sendmsg not to wait, among other flags: silent.
func (c *conn) SendNonblocking(m *C.struct_msghdr) int { // want SendNonblocking:"waits for its turn"
	c.mu.Lock()
	defer c.mu.Unlock()
	return int(C.sendmsg(c.fd, m, C.MSG_DONTWAIT|C.MSG_NOSIGNAL))
}
