package ssaflow_test

import (
	"go/types"
	"testing"

	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/internal/ssaflow"
)

// argOf returns argument i of the only call of fn to the named function.
func argOf(t *testing.T, fn *ssa.Function, name string, i int) ssa.Value {
	t.Helper()
	cs := calls(fn, name)
	if len(cs) != 1 {
		t.Fatalf("%d calls of %s, want 1", len(cs), name)
	}
	return cs[0].Call.Args[i]
}

func TestPaths(t *testing.T) {
	p := build(t, `package p
import "unsafe"
type In struct{ h uintptr; a [2]int }
type T struct{ name *byte; inner In }
func use(v any) {}
func useInt(v uint64) {}
func f(t *T, i int) {
	useInt(uint64(uintptr(unsafe.Pointer(t.name))))
	use(t.inner.h)
	use(&t.inner.a[i])
	use(&t.inner)
	use(t)
	x := t
	use(x)
}`)
	fn := p.Func("f")
	tp := fn.Params[0]

	// useInt(uint64(uintptr(unsafe.Pointer(t.name)))): a handle of t.name.
	h := argOf(t, fn, "useInt", 0)
	if base, path := ssaflow.LoadPath(h); base != tp || path != "name" {
		t.Errorf("LoadPath(handle of t.name) = %v, %q; want t, \"name\"", base, path)
	}
	if _, ok := ssaflow.Unconvert(h).(*ssa.Convert); !ok {
		t.Errorf("Unconvert went through an integer conversion: %v", ssaflow.Unconvert(h))
	}

	var addrs []*ssa.FieldAddr
	var idx *ssa.IndexAddr
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.FieldAddr:
				addrs = append(addrs, x)
			case *ssa.IndexAddr:
				idx = x
			}
		}
	}
	for _, fa := range addrs {
		base, path := ssaflow.AddrPath(fa)
		if base != tp || path == "" {
			t.Errorf("AddrPath(%v) = %v, %q", fa, base, path)
		}
		if name, ok := ssaflow.FieldName(fa); !ok || name == "" {
			t.Errorf("FieldName(%v) = %q, %v", fa, name, ok)
		}
	}
	if idx == nil {
		t.Fatal("no IndexAddr")
	}
	if base, path := ssaflow.AddrPath(idx); base != idx || path != "" {
		t.Errorf("AddrPath(&t.inner.a[i]) = %v, %q; want itself and \"\"", base, path)
	}
	if !ssaflow.PointsInto(idx, tp) {
		t.Error("PointsInto(&t.inner.a[i], t) = false")
	}
	if ssaflow.PointsInto(tp, tp) {
		t.Error("PointsInto(t, t) = true: t is not a pointer into itself")
	}
	d := ssaflow.Derived(tp)
	if !d[tp] || !d[idx] {
		t.Errorf("Derived(t) misses t or &t.inner.a[i]: %v", d)
	}
	for v := range d {
		if l, ok := v.(*ssa.UnOp); ok {
			t.Errorf("Derived(t) went through a load: %v", l)
		}
	}
	if ssaflow.ParamIndex(fn, tp) != 0 || ssaflow.ParamIndex(fn, fn.Params[1]) != 1 || ssaflow.ParamIndex(fn, idx) != -1 {
		t.Error("ParamIndex disagrees with the parameter list")
	}
	if !ssaflow.IsAddressLike(types.Typ[types.Uintptr]) || !ssaflow.IsAddressLike(tp.Type()) || ssaflow.IsAddressLike(types.Typ[types.Int]) {
		t.Error("IsAddressLike: want uintptr and *T, not int")
	}
}

func TestSameObject(t *testing.T) {
	p := build(t, `package p
type T struct{ n int }
func use(v any) {}
func once() {
	x := new(T)
	use(&x)
	use(x)
	use(x)
}
func twice() {
	x := new(T)
	use(&x)
	use(x)
	x = new(T)
	use(x)
}`)
	loads := func(fn *ssa.Function) []ssa.Value {
		var out []ssa.Value
		for _, c := range calls(fn, "use") {
			mi, ok := c.Call.Args[0].(*ssa.MakeInterface)
			if !ok {
				t.Fatalf("%v: no interface", c)
			}
			if l, ok := mi.X.(*ssa.UnOp); ok {
				out = append(out, l)
			}
		}
		if len(out) != 2 {
			t.Fatalf("%s: %d loads, want 2", fn.Name(), len(out))
		}
		return out
	}
	if l := loads(p.Func("once")); !ssaflow.SameObject(l[0], l[1]) {
		t.Error("once: two loads of a variable assigned once are not the same object")
	}
	if l := loads(p.Func("twice")); ssaflow.SameObject(l[0], l[1]) {
		t.Error("twice: loads around a second assignment are the same object")
	}
}

func TestCallee(t *testing.T) {
	p := build(t, `package p
import "sync"
type M struct{ mu sync.Mutex }
func id[T any](v T) T { return v }
func (m *M) f() {
	m.mu.Lock()
	_ = id(1)
	func() { m.mu.Unlock() }()
}`)
	fn := p.Prog.FuncValue(p.Pkg.Scope().Lookup("M").Type().(*types.Named).Method(0)) // (*M).f
	var keys []string
	var generic *ssa.Function
	ssaflow.ForCalls(fn, func(ci ssa.CallInstruction) {
		keys = append(keys, ssaflow.CalleeKey(ci.Common()))
		if c := ssaflow.Callee(ci.Common()); c != nil && c.Name() == "id" {
			generic = c
		}
	})
	want := []string{"sync.Mutex.Lock", "p.id", ""} // the closure has no object
	if len(keys) != len(want) {
		t.Fatalf("keys %q, want %q", keys, want)
	}
	for i := range want {
		if keys[i] != want[i] {
			t.Errorf("key %d = %q, want %q", i, keys[i], want[i])
		}
	}
	if generic == nil || generic.Origin() != nil {
		t.Errorf("Callee of id(1) = %v, want the generic origin", generic)
	}
	if k := ssaflow.MethodKey(fn); k != "p.M.f" {
		t.Errorf("MethodKey((*M).f) = %q, want p.M.f", k)
	}
	if k := ssaflow.MethodKey(generic); k != "" {
		t.Errorf("MethodKey(id) = %q, want \"\" for a function", k)
	}
	lit := fn.AnonFuncs[0]
	if ssaflow.MethodKey(lit) != "" || ssaflow.MethodKey(nil) != "" {
		t.Error("MethodKey of a literal or nil is not empty")
	}
	if ssaflow.Outermost(lit) != fn || ssaflow.Outermost(fn) != fn {
		t.Error("Outermost of the literal is not f")
	}
	if n := ssaflow.NamedOf(fn.Signature.Recv().Type()); n == nil || n.Name() != "M" {
		t.Errorf("NamedOf(*M) = %v", n)
	}
	mu := p.Pkg.Scope().Lookup("M").Type().Underlying().(*types.Struct).Field(0).Type()
	if !ssaflow.IsNamed(mu, "sync", "Mutex") || ssaflow.IsNamed(types.NewPointer(mu), "sync", "Mutex") {
		t.Error("IsNamed: want sync.Mutex, not *sync.Mutex")
	}
}

func TestUsedAfter(t *testing.T) {
	p := build(t, `package p
func a() {}
func b() {}
func use(v *int) {}
func f(c bool) {
	x := new(int)
	a()
	if c {
		use(x)
		return
	}
	b()
}`)
	fn := p.Func("f")
	set := ssaflow.Derived(fn.Blocks[0].Instrs[0].(ssa.Value))
	a, b, u := calls(fn, "a")[0], calls(fn, "b")[0], calls(fn, "use")[0]
	if !ssaflow.UsedAfter(a, set) {
		t.Error("x is used after a()")
	}
	if ssaflow.UsedAfter(b, set) || ssaflow.UsedAfter(u, set) {
		t.Error("x is not used after b() or use(x)")
	}
	if !ssaflow.Uses(u, set) || ssaflow.Uses(a, set) {
		t.Error("Uses: use(x) uses x, a() does not")
	}
	// The block of use(x) avoided: a return is still reachable through b().
	avoid := map[*ssa.BasicBlock]bool{u.Block(): true}
	if !ssaflow.FindAvoiding(fn.Blocks[0], avoid, ssaflow.Returns) {
		t.Error("no return reachable avoiding use(x)'s block")
	}
	avoid[b.Block()] = true
	if ssaflow.FindAvoiding(fn.Blocks[0], avoid, ssaflow.Returns) {
		t.Error("a return reachable avoiding both branches")
	}
	if ssaflow.FindAvoiding(fn.Blocks[0], avoid, func(x *ssa.BasicBlock) bool { return x == b.Block() }) {
		t.Error("FindAvoiding entered an avoided block")
	}
}
