package configured

// static int mylib_wait(int h) { return h; }
// static int mylib_version(void) { return 1; }
import "C"

import "sync"

var mu sync.Mutex

func Wait(h C.int) { // want Wait:"blocks in C.mylib_wait"
	mu.Lock()
	defer mu.Unlock()
	C.mylib_version()
	C.mylib_wait(h) // want `C.mylib_wait may block while mu is held`
}
