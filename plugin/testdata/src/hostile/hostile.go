package hostile

// #include <unistd.h>
//
// static int my_fork(void) { return fork(); }
import "C"

// Fork forks from Go.
func Fork() int {
	return int(C.fork()) // want `C.fork called from Go copies the multithreaded Go process`
}

// MyFork forks through a preamble function.
func MyFork() int {
	return int(C.my_fork()) // want `C.my_fork \(its preamble definition calls fork\) called from Go`
}

// Getpid is harmless.
func Getpid() int {
	return int(C.getpid())
}
