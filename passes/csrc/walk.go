package csrc

import (
	"reflect"
	"sync"

	"modernc.org/cc/v4"
)

// walk calls f for n and, when f returns true, for every AST node below it,
// in source order. cc/v4 has no walker of its own: the exported fields of
// its node structs are the production's components, so they are followed
// by reflection (with the field list of each struct type computed once).
// Unexported fields (scopes, resolutions) are never followed, so there are
// no cycles.
func walk(n cc.Node, f func(cc.Node) bool) {
	if n == nil {
		return
	}
	v := reflect.ValueOf(n)
	if v.Kind() == reflect.Pointer && v.IsNil() {
		return
	}
	if !f(n) {
		return
	}
	walkChildren(v, f)
}

var (
	nodeType  = reflect.TypeFor[cc.Node]()
	fieldsMu  sync.Mutex
	fieldsMap = map[reflect.Type][]int{}
)

// nodeFields returns the indices of t's exported fields that can hold nodes.
func nodeFields(t reflect.Type) []int {
	fieldsMu.Lock()
	defer fieldsMu.Unlock()
	if fs, ok := fieldsMap[t]; ok {
		return fs
	}
	var fs []int
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() || sf.Anonymous {
			continue
		}
		ft := sf.Type
		switch {
		case ft.Kind() == reflect.Interface && ft.Implements(nodeType):
			fs = append(fs, i)
		case ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Struct && ft.Implements(nodeType):
			fs = append(fs, i)
		}
	}
	fieldsMap[t] = fs
	return fs
}

func walkChildren(v reflect.Value, f func(cc.Node) bool) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return
	}
	for _, i := range nodeFields(v.Type()) {
		fv := v.Field(i)
		if fv.IsNil() {
			continue
		}
		n, ok := fv.Interface().(cc.Node)
		if !ok {
			continue
		}
		walk(n, f)
	}
}
