package underlock

// #include <string.h>
// #include <unistd.h>
// #include <poll.h>
//
// static int compute(int x) { return x * 2; }
// static int wait_ready(int fd) {
//     struct pollfd p = { fd, POLLIN, 0 };
//     return poll(&p, 1, -1);
// }
import "C"

import (
	"sync"
	"unsafe"
)

type conn struct {
	mu   sync.Mutex
	rw   sync.RWMutex
	fd   C.int
	buf  [64]byte
	name *C.char
}

// Field mutex, explicit unlock after the call.
func (c *conn) Read() int { // want Read:"blocks in C.read"
	c.mu.Lock()
	n := C.read(c.fd, unsafe.Pointer(&c.buf[0]), 64) // want `C.read may block while c.mu is held \(locked on line 29\): every goroutine that needs c.mu waits behind a C call that cannot be preempted or cancelled; release c.mu before the call`
	c.mu.Unlock()
	return int(n)
}

// Deferred unlock: held until return.
func (c *conn) Write(p []byte) int { // want Write:"blocks in C.write"
	c.mu.Lock()
	defer c.mu.Unlock()
	return int(C.write(c.fd, unsafe.Pointer(&p[0]), C.size_t(len(p)))) // want `C.write may block while c.mu is held \(locked on line 37\)`
}

// Read lock of an RWMutex.
func (c *conn) Peek() int { // want Peek:"blocks in C.wait_ready"
	c.rw.RLock()
	defer c.rw.RUnlock()
	return int(C.wait_ready(c.fd)) // want `C.wait_ready may block while c.rw is held \(read-locked on line 44\)`
}

var (
	global sync.Mutex
	shared C.int
)

// Global mutex.
func SleepLocked() { // want SleepLocked:"blocks in C.usleep"
	global.Lock()
	C.usleep(10) // want `C.usleep may block while global is held` `C.usleep holds an OS thread`
	global.Unlock()
}

// Local mutex, held on one path only.
func Maybe(fd C.int, locked bool) { // want Maybe:"blocks in C.pause"
	var mu sync.Mutex
	if locked {
		mu.Lock()
	}
	C.fsync(fd)
	C.pause() // want `C.pause may block while mu is held \(locked on line 65\)`
	if locked {
		mu.Unlock()
	}
}

// wait is a Go wrapper that blocks in C.
func (c *conn) wait() {
	C.wait_ready(c.fd)
}

// A wrapper called under the lock.
func (c *conn) WaitLocked() { // want WaitLocked:"blocks in C.wait_ready"
	c.mu.Lock()
	c.wait() // want `conn.wait may block in C.wait_ready while c.mu is held \(locked on line 81\)`
	c.mu.Unlock()
}

// A function literal called under the lock.
func (c *conn) Inline() { // want Inline:"blocks in C.read"
	c.mu.Lock()
	defer c.mu.Unlock()
	func() { // want `a function literal may block in C.read while c.mu is held`
		C.read(c.fd, nil, 0)
	}()
}

// Safe twins.

// Fast C calls under the mutex are fine.
func (c *conn) Len() int { // want Len:"waits for its turn"
	c.mu.Lock()
	defer c.mu.Unlock()
	n := C.strlen(c.name)
	C.memcpy(unsafe.Pointer(&c.buf[0]), unsafe.Pointer(c.name), n)
	return int(C.compute(C.int(n)))
}

// Unlocked before the blocking call.
func (c *conn) ReadUnlocked() int { // want ReadUnlocked:"blocks in C.read"
	c.mu.Lock()
	fd := c.fd
	c.mu.Unlock()
	return int(C.read(fd, unsafe.Pointer(&c.buf[0]), 64))
}

// Blocking call with no lock at all.
func (c *conn) ReadNoLock() int { // want ReadNoLock:"blocks in C.read"
	return int(C.read(c.fd, unsafe.Pointer(&c.buf[0]), 64))
}

// Unlocked on every path before the call.
func (c *conn) Branches(ok bool) { // want Branches:"blocks in C.wait_ready"
	c.mu.Lock()
	if ok {
		c.mu.Unlock()
		return
	}
	c.mu.Unlock()
	C.wait_ready(c.fd)
}

// A helper releases the lock the caller took: stay silent.
func (c *conn) unlock() { c.mu.Unlock() }

func (c *conn) ViaHelper() { // want ViaHelper:"blocks in C.wait_ready"
	c.mu.Lock()
	c.unlock()
	C.wait_ready(c.fd)
}

// TryLock is not tracked.
func (c *conn) Try() { // want Try:"blocks in C.wait_ready"
	if c.mu.TryLock() {
		c.mu.Unlock()
	}
	C.wait_ready(c.fd)
}

// A different mutex is locked and unlocked; the blocking call comes after.
func (c *conn) Other() { // want Other:"blocks in C.wait_ready"
	global.Lock()
	shared++
	global.Unlock()
	C.wait_ready(c.fd)
}

// A goroutine started under the lock does not block the holder.
func (c *conn) Spawn() { // want Spawn:"waits for its turn"
	c.mu.Lock()
	defer c.mu.Unlock()
	go c.wait()
}

// Released through a method value, or through sync.Locker: stay silent.
func (c *conn) MethodValue(l sync.Locker) { // want MethodValue:"blocks in C.wait_ready"
	c.mu.Lock()
	unlock := c.mu.Unlock
	unlock()
	C.wait_ready(c.fd)

	c.mu.Lock()
	l.Unlock()
	C.wait_ready(c.fd)
}

// Lock helpers of the package.
func (c *conn) lock()    { c.mu.Lock() }
func (c *conn) rlock()   { c.rw.RLock() }
func lockGlobal()        { global.Lock() }
func (c *conn) lockAll() { c.lock(); lockGlobal() }

func (c *conn) ViaLockHelper() { // want ViaLockHelper:"blocks in C.wait_ready"
	c.lock()
	C.wait_ready(c.fd) // want `C.wait_ready may block while c.mu is held \(locked on line 181\)`
	c.unlock()
}

func ViaGlobalHelper(c *conn) { // want ViaGlobalHelper:"blocks in C.wait_ready"
	c.rlock()
	C.wait_ready(c.fd) // want `C.wait_ready may block while c.rw is held \(read-locked on line 187\)`
	c.rw.RUnlock()
	c.lockAll()
	C.wait_ready(c.fd) // want `C.wait_ready may block while c.mu is held \(locked on line 190\)`
}

// A function that locks and unlocks with defer is not a lock helper.
func (c *conn) balanced() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return int(c.fd)
}

func (c *conn) AfterBalanced() { // want AfterBalanced:"blocks in C.wait_ready"
	c.balanced()
	C.wait_ready(c.fd)
}

// An embedded mutex.
type embedded struct {
	sync.Mutex
	fd C.int
}

func (e *embedded) Read() { // want Read:"blocks in C.wait_ready"
	e.Lock()
	defer e.Unlock()
	C.wait_ready(e.fd) // want `C.wait_ready may block while e.Mutex is held`
}

// Mutexes in slices are matched by index; an unlock that matches nothing
// known ends the tracking.
type shard struct {
	mu sync.Mutex
	fd C.int
}

func Shards(shards []shard, i int) { // want Shards:"blocks in C.wait_ready"
	shards[i].mu.Lock()
	fd := shards[i].fd
	shards[i].mu.Unlock()
	C.wait_ready(fd)

	shards[0].mu.Lock()
	C.wait_ready(fd) // want `C.wait_ready may block while shards\[0\].mu is held`
	shards[0].mu.Unlock()
}

func (c *conn) get() *sync.Mutex { return &c.mu }

func (c *conn) Getter() { // want Getter:"blocks in C.wait_ready"
	c.get().Lock()
	c.get().Unlock()
	C.wait_ready(c.fd)
}
