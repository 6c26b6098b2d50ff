package fiximport

// #include <stdlib.h>
// static int use(const char *s) { return s != NULL; }
import "C"

import "fmt"

// Lone allocates and only borrows; the file does not import "unsafe" yet:
// the fix adds the import with the deferred free.
func Lone(s string) int {
	cs := C.CString(s) // want `C.CString result cs is never freed`
	fmt.Println(s)
	return int(C.use(cs))
}

// Inline hoists an inline C.CString into a variable with its deferred free.
func Inline(s string) int {
	return int(C.use(C.CString(s))) // want `C.CString`
}
