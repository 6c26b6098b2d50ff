package ssaflow_test

import (
	"testing"

	"github.com/cgolint/cgolint/internal/ssaflow"
	"github.com/cgolint/cgolint/passes/cfuncs"
	"github.com/cgolint/cgolint/passes/cindex"
)

func TestArgUseOf(t *testing.T) {
	p := build(t, `package p
func f(v, w *int) {}`)
	fn := p.Func("f")
	v, w := fn.Params[0], fn.Params[1]
	for _, tc := range []struct {
		name string
		info *cfuncs.Func
		args []string // "v" or "w"
		want ssaflow.ArgUse
	}{
		{"unknown callee", nil, []string{"v"}, ssaflow.Borrows},
		{"frees another argument", &cfuncs.Func{Frees: []int{1}}, []string{"v", "w"}, ssaflow.Borrows},
		{"frees it", &cfuncs.Func{Frees: []int{0}}, []string{"v"}, ssaflow.Frees},
		{"takes it", &cfuncs.Func{Takes: []int{0}}, []string{"v"}, ssaflow.Takes},
		{"keeps it", &cfuncs.Func{Keeps: []int{0}}, []string{"v"}, ssaflow.Keeps},
		{"frees beats takes at one position", &cfuncs.Func{Frees: []int{0}, Takes: []int{0}}, []string{"v"}, ssaflow.Frees},
		{"a later take wins over a free", &cfuncs.Func{Frees: []int{0}, Takes: []int{1}}, []string{"v", "v"}, ssaflow.Takes},
		{"keeping does not undo a free", &cfuncs.Func{Frees: []int{0}, Keeps: []int{1}}, []string{"v", "v"}, ssaflow.Frees},
	} {
		c := &cindex.Call{Name: "f", Info: tc.info}
		for _, a := range tc.args {
			if a == "v" {
				c.Args = append(c.Args, v)
			} else {
				c.Args = append(c.Args, w)
			}
		}
		if got := ssaflow.ArgUseOf(c, v); got != tc.want {
			t.Errorf("%s: ArgUseOf = %d, want %d", tc.name, got, tc.want)
		}
	}
}
