package cgoignore

/*
#include <stdlib.h>
#include <unistd.h>
*/
import "C"

import "unsafe"

func Fork() int {
	return int(C.fork()) // want `C.fork called from Go`
}

func ForkIgnoredAbove() int {
	//cgolint:ignore chostile the child execs at once, in C
	return int(C.fork())
}

func ForkIgnoredTrailing() int {
	return int(C.fork()) //cgolint:ignore chostile the child execs at once, in C
}

func ForkWrapped(p unsafe.Pointer) int {
	C.free(p) // a wrapped call: cgo rewrites this line
	//cgolint:ignore chostile a directive after cgo's rewrites on the line above
	return int(C.fork())
}

func ForkOtherCheck() int {
	//cgolint:ignore cfree not this check
	return int(C.fork()) // want `C.fork called from Go`
}
