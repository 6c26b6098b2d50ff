package finalizer

import (
	"fmt"
	"go/types"
	"slices"
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

func (r *runner) exportFacts() {
	tns := make([]*types.TypeName, 0, len(r.types))
	for tn := range r.types {
		tns = append(tns, tn)
	}
	slices.SortFunc(tns, func(a, b *types.TypeName) int { return strings.Compare(a.Name(), b.Name()) })
	for _, tn := range tns {
		ft := r.types[tn]
		if len(ft.fields) == 0 {
			continue
		}
		f := &finalizedFact{Finalizer: ft.finalizer, Cleanup: ft.cleanup}
		for _, k := range sortedKeys(ft.fields) {
			f.Fields = append(f.Fields, k)
			f.Via = append(f.Via, ft.fields[k])
		}
		f.Guards = sortedKeys(ft.guards)
		r.pass.ExportObjectFact(tn, f)
	}
	for _, fn := range r.ssa.SrcFuncs {
		obj, ok := fn.Object().(*types.Func)
		if !ok || fn.Parent() != nil || !obj.Exported() || len(r.raw[fn]) == 0 {
			continue
		}
		r.pass.ExportObjectFact(obj, &releasesFact{Releases: r.raw[fn]})
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// finTypeOf returns what is known about the finalizer of *T for a
// parameter type *T, or nil.
func (r *runner) finTypeOf(t types.Type) *finType {
	tn := namedElem(t)
	if tn == nil {
		return nil
	}
	if ft, ok := r.types[tn]; ok {
		if len(ft.fields) == 0 {
			return nil
		}
		return ft
	}
	if tn.Pkg() == r.pass.Pkg {
		return nil
	}
	if ft, ok := r.imported[tn]; ok {
		return ft
	}
	var f finalizedFact
	var ft *finType
	if r.pass.ImportObjectFact(tn, &f) && len(f.Fields) == len(f.Via) {
		ft = &finType{fields: make(map[string]string), vias: make(map[string]bool), guards: make(map[string]bool), finalizer: f.Finalizer, cleanup: f.Cleanup}
		for i, k := range f.Fields {
			ft.fields[k] = f.Via[i]
			ft.vias[f.Via[i]] = true
		}
		for _, k := range f.Guards {
			ft.guards[k] = true
		}
	}
	r.imported[tn] = ft
	return ft
}
