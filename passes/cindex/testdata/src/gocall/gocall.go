package gocall

// #include <stdlib.h>
// #include <unistd.h>
import "C"
import "unsafe"

func Go(q unsafe.Pointer) {
	go C.free(q)  // want `C.free in Go go args=1`
	go C.sleep(1) // want `C.sleep in Go go args=1`
}
