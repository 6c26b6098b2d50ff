package finalizer

import (
	"fmt"
	"strings"
)

// finalizedFact is exported on a named type's TypeName when the package sets
// a finalizer (runtime.SetFinalizer) or a cleanup (runtime.AddCleanup) on
// pointers to it: importers then know which of its fields the finalizer
// releases. Fields are field paths ("ptr", "inner.handle"), sorted.
type finalizedFact struct {
	Fields    []string // fields the finalizer releases
	Via       []string // the C function releasing each field, parallel to Fields
	Guards    []string // fields the finalizer tests before releasing, sorted
	Finalizer string   // the finalizer, as written: "(*Conn).Close", "a func literal"
	Cleanup   bool     // set by runtime.AddCleanup (disarmed by Cleanup.Stop)
}

// AFact marks finalizedFact as an analysis fact.
func (*finalizedFact) AFact() {}

func (f *finalizedFact) String() string {
	kind := "finalizer"
	if f.Cleanup {
		kind = "cleanup"
	}
	return fmt.Sprintf("%s %s releases %s", kind, f.Finalizer, strings.Join(f.Fields, ","))
}

// releasesFact is exported on a function that releases a parameter, or a
// field of one, with a C function: a finalizer or a Close method that calls
// it releases what it passes. Releases is sorted.
type releasesFact struct {
	Releases []release
}

// A release is "parameter Param (its field Field, or the parameter itself
// when Field is empty) is released by C function Via".
type release struct {
	Param int
	Field string
	Via   string
}

// AFact marks releasesFact as an analysis fact.
func (*releasesFact) AFact() {}

func (f *releasesFact) String() string {
	var parts []string
	for _, r := range f.Releases {
		parts = append(parts, fmt.Sprintf("%d.%s by %s", r.Param, r.Field, r.Via))
	}
	return "releases " + strings.Join(parts, ", ")
}
