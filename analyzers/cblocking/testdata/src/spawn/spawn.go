package spawn

// #include <unistd.h>
// #include <poll.h>
//
// static int fetch(int fd) {
//     char buf[64];
//     return (int)read(fd, buf, sizeof buf);
// }
import "C"

import (
	"context"
	"net"
	"net/http"
	"runtime"
	"sync"

	"golang.org/x/sync/errgroup"
)

// fetchOne blocks in C.
func fetchOne(fd int) int {
	return int(C.fetch(C.int(fd)))
}

// One goroutine per item, each blocked in C.
func FetchAll(fds []int) { // want FetchAll:"waits for its turn"
	var wg sync.WaitGroup
	for _, fd := range fds {
		wg.Add(1)
		go func() { // want `goroutine started for each item of the loop blocks in C.fetch with no bound on how many run at once: each blocked goroutine holds an OS thread, so a burst of work starts as many threads \(the program dies at debug.SetMaxThreads, 10000 threads by default\); bound the concurrency with a semaphore channel, errgroup.SetLimit or a fixed pool of workers`
			defer wg.Done()
			C.fetch(C.int(fd))
		}()
	}
	wg.Wait()
}

// A named function per item, counted loop over len.
func FetchIndexed(fds []int) {
	for i := 0; i < len(fds); i++ {
		go fetchOne(fds[i]) // want `goroutine started for each item of the loop blocks in C.fetch \(in fetchOne\)`
	}
}

// A C call started directly per map entry.
func PollAll(fds map[int]C.int) {
	for _, fd := range fds {
		go C.fetch(fd) // want `goroutine started for each item of the loop blocks in C.fetch`
	}
}

// Per value received from a channel.
func Serve(fds <-chan int) { // want Serve:"waits for its turn"
	for fd := range fds {
		go fetchOne(fd) // want `goroutine started for each value received by the loop blocks in C.fetch`
	}
}

// Per accepted connection.
func Accept(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() { // want `goroutine started for each request received by the loop blocks in C.fetch`
			defer c.Close()
			C.fetch(3)
		}()
	}
}

// Per request of an http handler.
func Handler(w http.ResponseWriter, r *http.Request) {
	go fetchOne(4) // want `goroutine started for each request to the http handler Handler blocks in C.fetch`
	w.WriteHeader(http.StatusAccepted)
}

// errgroup without a limit.
func Group(ctx context.Context, fds []int) error { // want Group:"waits for its turn"
	g, _ := errgroup.WithContext(ctx)
	for _, fd := range fds {
		g.Go(func() error { // want `goroutine started for each item of the loop blocks in C.fetch`
			C.fetch(C.int(fd))
			return nil
		})
	}
	return g.Wait()
}

// Safe twins.

// A semaphore channel bounds the goroutines.
func FetchSem(fds []int) { // want FetchSem:"waits for its turn"
	sem := make(chan struct{}, 8)
	for _, fd := range fds {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			C.fetch(C.int(fd))
		}()
	}
}

// errgroup with a limit.
func GroupLimited(ctx context.Context, fds []int) error { // want GroupLimited:"waits for its turn"
	g, _ := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for _, fd := range fds {
		g.Go(func() error {
			C.fetch(C.int(fd))
			return nil
		})
	}
	return g.Wait()
}

// A fixed pool of workers ranging over a channel.
func Pool(fds []int) { // want Pool:"waits for its turn"
	jobs := make(chan int)
	for i := 0; i < runtime.NumCPU(); i++ {
		go func() {
			for fd := range jobs {
				C.fetch(C.int(fd))
			}
		}()
	}
	for _, fd := range fds {
		jobs <- fd
	}
	close(jobs)
}

// The same per-item pool shape, but each worker ranges over the channel.
func PoolPerItem(fds []int) {
	jobs := make(chan int)
	for range fds {
		go func() {
			for fd := range jobs {
				C.fetch(C.int(fd))
			}
		}()
	}
}

// Goroutines serialised by a mutex hold no thread while they wait.
func Serialised(fds []int) {
	var mu sync.Mutex
	for _, fd := range fds {
		go func() {
			mu.Lock()
			defer mu.Unlock()
			C.fetch(C.int(fd)) // want `C.fetch may block while mu is held`
		}()
	}
}

// Per item, but the goroutine does not block in C.
func NonBlocking(xs []int) {
	for _, x := range xs {
		go func() { _ = x * 2 }()
	}
}

// A loop with an unclear bound: maybe a fixed pool.
func Fixed(n int) {
	for i := 0; i < n; i++ {
		go fetchOne(i)
	}
}

// A blocking goroutine started once, not per item.
func Once() {
	go fetchOne(0)
}

// A fixed list, and a fixed-size array.
func FixedList(fds [4]int) {
	for _, fd := range []int{0, 1, 2} {
		go fetchOne(fd)
	}
	for _, fd := range fds {
		go fetchOne(fd)
	}
}

// sync.WaitGroup.Go per item.
func WaitGroupGo(fds []int) { // want WaitGroupGo:"waits for its turn"
	var wg sync.WaitGroup
	for _, fd := range fds {
		wg.Go(func() { fetchOne(fd) }) // want `goroutine started for each item of the loop blocks in C.fetch`
	}
	wg.Wait()
}

// Workers that range over a channel in a helper.
func drain(jobs <-chan int) {
	for fd := range jobs {
		fetchOne(fd)
	}
}

func PoolHelper(shards [][]int, jobs chan int) {
	for range shards {
		go func() { drain(jobs) }()
	}
}

// One long-lived reader per device: a design, not a burst.
func ReaderPerDevice(fds []int) {
	for _, fd := range fds {
		go func() {
			for fetchOne(fd) > 0 {
			}
		}()
	}
}

// One long-lived reader per accepted connection: threads grow with clients.
func ReaderPerConn(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() { // want `goroutine started for each request received by the loop blocks in C.fetch \(through fetchOne\)`
			defer c.Close()
			for fetchOne(3) > 0 {
			}
		}()
	}
}

// counter counts; its Acquire does not wait for anything.
type counter struct{ n int }

func (c *counter) Acquire() { c.n++ }

// FetchCounted calls a method named Acquire that does not wait: the
// goroutines are not bounded, whatever the method's name.
func FetchCounted(fds []int, c *counter) {
	for _, fd := range fds {
		c.Acquire()
		go fetchOne(fd) // want `goroutine started for each item of the loop blocks in C.fetch \(in fetchOne\)`
	}
}

// limiter is a semaphore channel with methods of no telling name.
type limiter chan struct{}

func (l limiter) enter() { l <- struct{}{} }
func (l limiter) leave() { <-l }

// FetchLimited is its safe twin: enter waits for a free slot.
func FetchLimited(fds []int) { // want FetchLimited:"waits for its turn"
	l := make(limiter, 4)
	for _, fd := range fds {
		l.enter()
		go func() {
			defer l.leave()
			C.fetch(C.int(fd))
		}()
	}
}

// FetchLocker serialises through a sync.Locker parameter: not a crowd of
// threads, but a lock held across the C call.
func FetchLocker(fds []int, mu sync.Locker) {
	for _, fd := range fds {
		go func() {
			mu.Lock()
			defer mu.Unlock()
			C.fetch(C.int(fd)) // want `C.fetch may block while mu is held \(locked on line 273\)`
		}()
	}
}
