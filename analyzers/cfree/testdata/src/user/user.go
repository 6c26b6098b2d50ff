// Package user calls lib's wrappers without cgo.
package user

import "lib"

// Leak never frees the string New returns.
func Leak(s string) int {
	p := lib.New(s) // want `lib.New result p is never freed, so its C memory leaks; defer C.free \(or the Go function that wraps it\) after the allocation`
	return lib.Len(p)
}

// Freed frees it with the wrapper.
func Freed(s string) int {
	p := lib.New(s)
	defer lib.Free(p)
	return lib.Len(p)
}

// Twice frees it twice.
func Twice(s string) {
	p := lib.New(s)
	lib.Free(p)
	lib.Free(p) // want `p was already freed by lib.Free on this path`
}

// Kept hands it to a function without facts.
func Kept(s string, keep func(lib.CStr)) {
	keep(lib.New(s))
}
