package underlock

// #include <poll.h>
// #include <sys/wait.h>
import "C"

// Calls that the arguments make non-blocking.

func (c *conn) Reap(pid C.int) { // want Reap:"blocks in C.waitpid"
	c.mu.Lock()
	defer c.mu.Unlock()
	var st C.int
	C.waitpid(pid, &st, C.WNOHANG)
	C.waitpid(pid, &st, C.WNOHANG|C.WUNTRACED)
	C.waitpid(pid, &st, 0) // want `C.waitpid may block while c.mu is held`
}

func (c *conn) PollNow(fds *C.struct_pollfd) { // want PollNow:"blocks in C.poll"
	c.mu.Lock()
	defer c.mu.Unlock()
	C.poll(fds, 1, 0)
	C.poll(fds, 1, 100) // want `C.poll may block while c.mu is held`
}
