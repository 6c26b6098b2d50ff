package sleepres

// #include <unistd.h>
// #include <time.h>
// #include <netdb.h>
// #include <sys/socket.h>
// #include <stdlib.h>
import "C"

import (
	"context"
	"net"
	"time"
	"unsafe"
)

func Backoff(n int) { // want Backoff:"blocks in C.sleep"
	C.sleep(C.uint(n)) // want `C.sleep holds an OS thread for the whole sleep, which can be neither preempted nor cancelled; use time.Sleep, which parks only the goroutine`
	C.usleep(1000)     // want `C.usleep holds an OS thread`
	var ts C.struct_timespec
	ts.tv_nsec = 1000
	C.nanosleep(&ts, nil) // want `C.nanosleep holds an OS thread`
}

func Lookup(host string) bool { // want Lookup:"blocks in C.getaddrinfo"
	h := C.CString(host)
	defer C.free(unsafe.Pointer(h))
	var res *C.struct_addrinfo
	if C.getaddrinfo(h, nil, nil, &res) != 0 { // want `C.getaddrinfo resolves names from Go in libc, holding an OS thread per lookup for as long as DNS takes, with no timeout or context cancellation; use a net.Resolver lookup with a context \(LookupIPAddr, LookupHost\)`
		return false
	}
	C.freeaddrinfo(res)
	return C.gethostbyname(h) != nil // want `C.gethostbyname resolves names`
}

func Reverse(addr unsafe.Pointer, n C.socklen_t) { // want Reverse:"blocks in C.getnameinfo"
	var host [256]C.char
	C.getnameinfo((*C.struct_sockaddr)(addr), n, &host[0], 256, nil, 0, 0) // want `C.getnameinfo resolves names from Go in libc.*use net.Resolver.LookupAddr with a context`
}

// Safe twins: the Go equivalents.

func BackoffGo(n int) {
	time.Sleep(time.Duration(n) * time.Second)
}

func LookupGo(ctx context.Context, host string) ([]string, error) {
	return net.DefaultResolver.LookupHost(ctx, host)
}

func Second(h *C.char) { // want Second:"blocks in C.gethostbyname2"
	C.gethostbyname2(h, C.AF_INET6) // want `C.gethostbyname2 resolves names from Go in libc`
}
