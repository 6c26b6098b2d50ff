package direct

// #include <stdlib.h>
// static int add(int a, int b) { return a + b; }
import "C"

func Direct() int {
	n := C.add(1, 2)     // want `C.add in Direct args=2`
	return int(C.abs(n)) // want `C.abs in Direct args=1`
}
