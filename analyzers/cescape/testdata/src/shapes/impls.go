package shapes

/*
#include <stdio.h>
#include <stdlib.h>
*/
import "C"

import "unsafe"

// ---- releases through a closed interface (ssaflow.Impls) ----

// releaser is closed (its method is unexported): only this package's types
// implement it, and each implementation frees its argument.
type releaser interface{ release(p *C.char) }

type cReleaser struct{}

func (cReleaser) release(p *C.char) { C.free(unsafe.Pointer(p)) } // want release:`freesParams\[1\]`

type countingReleaser struct{ n int }

func (r *countingReleaser) release(p *C.char) { // want release:`freesParams\[1\]`
	r.n++
	C.free(unsafe.Pointer(p))
}

// Every implementation frees n.name: a second Free frees it again.
type named struct {
	name *C.char
	r    releaser
}

func (n *named) Free() {
	n.r.release(n.name) // want `n.r.release frees n.name without clearing it, so a second call of \(\*named\).Free frees it again \(double free\); set n.name = nil after the free`
}

// Cleared: a second Free releases nil.
type namedCleared struct {
	name *C.char
	r    releaser
}

func (n *namedCleared) Free() {
	n.r.release(n.name)
	n.name = nil
}

// Releaser is open: a type of another package may implement it and keep
// the memory, so the call frees nothing that the check can know of.
type Releaser interface{ Release(p *C.char) }

type cFreer struct{}

func (cFreer) Release(p *C.char) { C.free(unsafe.Pointer(p)) } // want Release:`freesParams\[1\]`

type namedOpen struct {
	name *C.char
	r    Releaser
}

func (n *namedOpen) Free() {
	n.r.Release(n.name)
}

// logger's implementations disagree: one frees, one only prints.
type logger interface{ log(p *C.char) }

type freeingLogger struct{}

func (freeingLogger) log(p *C.char) { C.free(unsafe.Pointer(p)) } // want log:`freesParams\[1\]`

type printingLogger struct{}

func (printingLogger) log(p *C.char) { C.puts(p) }

type namedLogged struct {
	name *C.char
	l    logger
}

func (n *namedLogged) Free() {
	n.l.log(n.name)
}

var _ = []releaser{cReleaser{}, &countingReleaser{}}
var _ = []Releaser{cFreer{}}
var _ = []logger{freeingLogger{}, printingLogger{}}
