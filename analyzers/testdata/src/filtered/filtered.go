package filtered

// #include <unistd.h>
// #include <pthread.h>
import "C"

// fork is a disabled category: no finding.
func Fork() int {
	return int(C.fork())
}

// thread-exit is still on.
func Exit() {
	C.pthread_exit(nil) // want `C.pthread_exit`
}
