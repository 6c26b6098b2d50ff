// Package cblocking defines an Analyzer that reports blocking C calls made
// from Go where they cost threads or hold up other goroutines.
//
// # Analyzer cblocking
//
// cblocking: report blocking C calls: under locks, per item, sleeps, DNS
//
// A goroutine that calls C runs on its own OS thread until the call returns.
// While it is blocked in C (read, poll, sleep, getaddrinfo, a library's own
// wait), the runtime hands its P to another thread, so other goroutines keep
// running: the scheduler does not stall, and GODEBUG=asyncpreemptoff changes
// nothing. The costs are elsewhere. Each goroutine blocked in C holds an OS
// thread: when too many are blocked at once the program reaches
// debug.SetMaxThreads (10000 by default) and dies with a fatal error. A C
// call cannot be preempted, interrupted or cancelled from Go, so a mutex
// held across it makes every goroutine that needs the mutex wait for the C
// call (a lock convoy), however long the I/O or timeout takes.
//
// A C function blocks when the knowledge base says so: libc's sleeps, reads
// and writes on descriptors and streams, socket calls, poll/select/epoll_wait,
// name resolution, wait/waitpid/system, pthread_join, condition variables,
// semaphores, flock/lockf; the shipped library data's blocking calls (e.g.
// sqlite3_step, pcap_next_ex); every function declared `blocks: true` in the
// cgolint configuration file:
//
//	functions:
//	  - name: mylib_wait
//	    blocks: true
//
// and a function the package's own C code defines (a cgo preamble or a .c
// file of the package) that reaches one of these at most three calls down
// its C functions. Deeper paths through a bundled library's internals are
// not taken as evidence (the SQLite amalgamation reaches pthread_join from
// sqlite3_reset only through a sorter thread off by default). A call whose
// constant arguments ask it not to wait (poll or epoll_wait with a zero timeout;
// waitpid, wait4 or waitid with WNOHANG; recv, recvfrom, recvmsg, send,
// sendto, sendmsg, recvmmsg or sendmmsg with MSG_DONTWAIT among constant
// flags) does not block. A descriptor opened with O_NONBLOCK is not
// followed to its reads and writes: they still count as blocking.
//
// Go functions that may block in C, directly or through other Go functions,
// are summarised as facts, so a wrapper's callers in other packages are
// checked too. Fast C calls (strlen, memcpy, arithmetic) and unknown C
// functions are never reported.
//
// Category under-lock: a call that may block in C, made while a sync.Mutex or
// sync.RWMutex (Lock, or RLock: a held read lock stops every writer, and
// once a writer waits, every new reader too) or a lock reached through an
// interface value with sync.Locker's methods (a sync.Cond's L, as in
// `q.cond.L.Lock()`, or a sync.Locker parameter or field) is held on some
// path to it: a global, a local or a field path such as s.mu, taken in
// the same function, including
// `mu.Lock(); defer mu.Unlock()`, which holds the lock until the function
// returns, and lock helpers of the package (a function that returns with
// its receiver's, a parameter's or a global mutex locked, as `func (s *S)
// lock() { s.mu.Lock() }`). The call is a C call or a Go function that may
// block in C (the message names it and the C function). The finding's
// related position is the Lock call. A call that may release the caller's
// lock (a function of the package that unlocks a mutex it did not lock, an
// Unlock of a lock that is not the one taken, since a Locker may alias a
// mutex, or an Unlock through a method value) ends the tracking, and
// TryLock is not tracked.
//
// Bad:
//
//	d.mu.Lock()
//	defer d.mu.Unlock()
//	n := C.read(d.fd, buf, size)
//
// Good:
//
//	d.mu.Lock()
//	fd := d.fd
//	d.mu.Unlock()
//	n := C.read(fd, buf, size)
//
// Bad (a condition variable's lock held across a write):
//
//	q.cond.L.Lock()
//	C.write(q.fd, buf, size)
//	q.cond.L.Unlock()
//
// Good:
//
//	q.cond.L.Lock()
//	buf := q.take()
//	q.cond.L.Unlock()
//	C.write(q.fd, buf, size)
//
// Category c-sleep: C.sleep, C.usleep, C.nanosleep or C.clock_nanosleep
// called from Go. The goroutine holds an OS thread for the whole sleep, and
// the sleep can be neither preempted nor cancelled. time.Sleep parks only
// the goroutine; a time.Timer in a select with a context makes it
// cancellable.
//
// Bad:
//
//	C.usleep(1000)
//
// Good:
//
//	time.Sleep(time.Millisecond)
//
// Category libc-resolver: C.getaddrinfo, gethostbyname, gethostbyname2,
// gethostbyname_r, gethostbyname2_r, gethostbyaddr, gethostbyaddr_r,
// getnameinfo, res_query or res_search called from Go. Each lookup
// holds an OS thread for as long as DNS takes, with no timeout or
// cancellation from Go; a burst of lookups is a burst of threads. Package
// net's Resolver takes a context, and uses the cgo resolver itself only
// where the system configuration requires it, with its own limit on
// concurrent lookups.
//
// Bad:
//
//	C.getaddrinfo(host, nil, &hints, &res)
//
// Good:
//
//	addrs, err := net.DefaultResolver.LookupIPAddr(ctx, host)
//
// Category unbounded-goroutines: a goroutine that blocks in C, started for
// each item of a loop (a range over a slice, map, string or channel,
// a loop bounded by len(x), an endless loop that accepts a connection or
// receives a value each turn) or for each request of an http handler, with
// no visible bound on how many run at once. Each blocked goroutine holds an
// OS thread, so a large input or a burst of requests starts as many threads.
// The check stays silent when it sees a bound: a channel send or a bare
// receive (a semaphore) in the loop, or a call there of a method that
// waits for its turn, or a goroutine that itself waits on a channel, a lock
// or a semaphore (a fixed pool of workers ranging over a channel, or calls
// serialised by a mutex or a sync.Locker). What waits is decided by what
// the code does, not by method names: sync's Mutex.Lock, RWMutex.Lock and
// RLock, WaitGroup.Wait, Cond.Wait, golang.org/x/sync's
// semaphore.Weighted Acquire and TryAcquire, errgroup.Group SetLimit and
// Wait (one table); functions of the package whose bodies send, receive,
// select or lock (a `type limiter chan struct{}` with an enter method);
// and functions of other cgo packages with the fact "waits for its turn".
// A method of another package that is none of these (a pool's Acquire in a
// package without cgo, which this check does not analyze) is not a bound. Loops of any other shape, such as
// `for i := 0; i < workers; i++`, are taken to be fixed pools, and a
// long-lived goroutine per item of a collection (a function literal or
// function of the package that loops, as a reader per device) is taken to
// be a design: its threads grow with the resources, not with the load.
//
// Bad:
//
//	for _, d := range devices {
//		go func() { C.read(d.fd, buf, size) }()
//	}
//
// Good:
//
//	sem := make(chan struct{}, 16)
//	for _, d := range devices {
//		sem <- struct{}{}
//		go func() { defer func() { <-sem }(); C.read(d.fd, buf, size) }()
//	}
//
// Since: v0.1.0. Default: enabled.
package cblocking
