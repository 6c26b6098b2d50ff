package hostile

// #include <pthread.h>
// #include <setjmp.h>
// #include <signal.h>
// #include <stdlib.h>
// #include <ucontext.h>
// #include <unistd.h>
//
// static jmp_buf env;
// static int spawn_daemon(void) { return fork(); }
import "C"

func Exit() {
	go func() {
		C.pthread_exit(nil) // want `C.pthread_exit called from Go ends the OS thread under the Go runtime.*runtime.Goexit`
	}()
}

func Cancel(t C.pthread_t) {
	C.pthread_cancel(t) // want `C.pthread_cancel called from Go may cancel a thread the Go runtime owns`
}

func Fork() int {
	if pid := C.fork(); pid == 0 { // want `C.fork called from Go copies the multithreaded Go process.*use os/exec or syscall.ForkExec`
		return 0
	}
	return int(C.vfork()) // want `C.vfork called from Go copies`
}

func Daemon() {
	C.spawn_daemon() // want `C.spawn_daemon \(its preamble definition calls fork\) called from Go copies`
}

func LongJump() {
	C.longjmp(&C.env[0], 1) // want `C.longjmp called from Go jumps across the cgo call boundary.*return an error code to Go`
}

func Jump() {
	var ctx C.ucontext_t
	C.getcontext(&ctx) // want `C.getcontext called from Go switches stacks`
	C.setcontext(&ctx) // want `C.setcontext called from Go switches stacks`
}
