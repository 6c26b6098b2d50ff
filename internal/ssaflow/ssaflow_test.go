package ssaflow_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/ssa/ssautil"

	"github.com/cgolint/cgolint/internal/ssaflow"
)

// build returns the SSA package of one Go source file.
func build(t *testing.T, src string) *ssa.Package {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	pkg := types.NewPackage("p", "p")
	conf := &types.Config{Importer: importer.Default()}
	sp, _, err := ssautil.BuildPackage(conf, fset, pkg, []*ast.File{f}, ssa.SanityCheckFunctions)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

// calls returns the calls of fn to the named package function, in order.
func calls(fn *ssa.Function, name string) []*ssa.Call {
	var out []*ssa.Call
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if c, ok := instr.(*ssa.Call); ok {
				if callee := c.Call.StaticCallee(); callee != nil && callee.Name() == name {
					out = append(out, c)
				}
			}
		}
	}
	return out
}

func TestReach(t *testing.T) {
	p := build(t, `package p
func a() {}
func b() {}
func c() {}
func f(x bool) {
	a()
	if x {
		b()
		return
	}
	for i := 0; i < 3; i++ {
		c()
	}
}`)
	fn := p.Func("f")
	r := ssaflow.NewReach()
	a, b, c := calls(fn, "a")[0], calls(fn, "b")[0], calls(fn, "c")[0]
	for _, tc := range []struct {
		name string
		x, y ssa.Instruction
		want bool
	}{
		{"a then b", a, b, true},
		{"a then c", a, c, true},
		{"b then a", b, a, false},
		{"b then c", b, c, false},
		{"c then b", c, b, false},
		{"c round the loop", c, c, true},
		{"a not again", a, a, false},
	} {
		if got := r.Reaches(tc.x, tc.y); got != tc.want {
			t.Errorf("%s: Reaches = %v, want %v", tc.name, got, tc.want)
		}
	}
	instrs, _ := r.Between(a, b)
	for _, in := range instrs {
		if in == ssa.Instruction(c) {
			t.Errorf("Between(a, b) holds c, which is on no path from a to b")
		}
	}
}

func TestLocs(t *testing.T) {
	p := build(t, `package p
import "unsafe"
type T struct{ name *byte; inner struct{ q unsafe.Pointer } }
var g *byte
func f(t *T, v *byte) {
	t.name = v
	t.inner.q = unsafe.Pointer(v)
	g = v
}`)
	fn := p.Func("f")
	var locs []ssaflow.Loc
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if st, ok := instr.(*ssa.Store); ok {
				l, ok := ssaflow.LocOf(st.Addr)
				if !ok {
					t.Fatalf("no owner for the store %v", st)
				}
				locs = append(locs, l)
				if u := ssaflow.Unconvert(st.Val); u != fn.Params[1] {
					t.Errorf("Unconvert(%v) = %v, want the parameter v", st.Val, u)
				}
			}
		}
	}
	if len(locs) != 3 {
		t.Fatalf("got %d owners, want 3", len(locs))
	}
	if locs[0].Key().Name() != "name" || locs[0].RootValue() != fn.Params[0] {
		t.Errorf("t.name: key %v root %v", locs[0].Key(), locs[0].RootValue())
	}
	if locs[1].Key().Name() != "q" || locs[1].RootValue() != fn.Params[0] {
		t.Errorf("t.inner.q: key %v root %v", locs[1].Key(), locs[1].RootValue())
	}
	if locs[2].Global == nil || locs[2].Key().Name() != "g" {
		t.Errorf("g: %+v", locs[2])
	}
	if ssaflow.SameLoc(locs[0], locs[1]) || !ssaflow.SameLoc(locs[0], locs[0]) {
		t.Errorf("SameLoc disagrees with field identity")
	}
}

func TestTypeDestructor(t *testing.T) {
	p := build(t, `package p
import "unsafe"
type _Ctype_struct_git_repository struct{ n int }
type _Ctype_sqlite3_stmt struct{ n int }
type _Ctype_struct_sqlite3_backup struct{ n int }
type _Ctype_virTypedParameter struct{ n int }
type _Ctype_virTypedParameterPtr = *_Ctype_virTypedParameter
type _Ctype_struct__xmlDoc struct{ n int }
type _Ctype_xmlDocPtr *_Ctype_struct__xmlDoc
type _Ctype_x_db struct{ n int }
type _Ctype_char int8
type _Ctype_int int32
func repo(r *_Ctype_struct_git_repository) {}
func stmt(s *_Ctype_sqlite3_stmt) {}
func backup(b *_Ctype_struct_sqlite3_backup) {}
func params(p *_Ctype_virTypedParameter, n _Ctype_int) {}
func doc(d _Ctype_xmlDocPtr) {}
func user(db *_Ctype_x_db, name *_Ctype_char) {}
func byID(db *_Ctype_x_db, id _Ctype_int) {}
func str(s *_Ctype_char) {}
func void(p unsafe.Pointer) {}
`)
	args := func(fn string) []ssa.Value {
		var out []ssa.Value
		for _, prm := range p.Func(fn).Params {
			out = append(out, prm)
		}
		return out
	}
	for _, tc := range []struct {
		cname, fn string
		i         int
		want      bool
	}{
		{"git_repository_free", "repo", 0, true},
		{"git_repository_open", "repo", 0, false},
		{"git_object_free", "repo", 0, false},
		{"sqlite3_finalize", "stmt", 0, true},
		{"sqlite3_backup_finish", "backup", 0, true},
		{"sqlite3_backup_step", "backup", 0, false},
		{"virTypedParamsFree", "params", 0, true},
		{"xmlFreeDoc", "doc", 0, true},
		{"x_user_delete", "user", 1, false},
		{"x_user_delete", "user", 0, false},
		{"x_user_delete", "byID", 0, false},
		{"x_db_close", "byID", 0, true},
		{"my_string_free", "str", 0, false},
		{"handle_close", "void", 0, false},
	} {
		if got := ssaflow.TypeDestructor(tc.cname, args(tc.fn), tc.i); got != tc.want {
			t.Errorf("TypeDestructor(%s, %s, %d) = %v, want %v", tc.cname, tc.fn, tc.i, got, tc.want)
		}
	}
}

func TestImpls(t *testing.T) {
	p := build(t, `package p
type closed interface{ put(p *int) }
type open interface{ Put(p *int) }
type a struct{}
func (a) put(p *int) {}
func (a) Put(p *int) {}
type b struct{}
func (*b) put(p *int) {}
type gen[T any] struct{}
func (gen[T]) other() {}
func toClosed(c closed, x *int) { c.put(x) }
func toOpen(o open, x *int) { o.Put(x) }
`)
	var funcs []*ssa.Function
	for _, m := range p.Members {
		if fn, ok := m.(*ssa.Function); ok {
			funcs = append(funcs, fn)
		}
	}
	for _, T := range []string{"a", "b"} {
		typ := p.Type(T).Type()
		for _, t := range []types.Type{typ, types.NewPointer(typ)} {
			ms := p.Prog.MethodSets.MethodSet(t)
			for sel := range ms.Methods() {
				if fn := p.Prog.MethodValue(sel); fn != nil && fn.Synthetic == "" {
					funcs = append(funcs, fn)
				}
			}
		}
	}
	info := &types.Info{Defs: map[*ast.Ident]types.Object{}}
	for _, name := range p.Pkg.Scope().Names() {
		info.Defs[ast.NewIdent(name)] = p.Pkg.Scope().Lookup(name)
	}
	im := ssaflow.NewImpls(p.Pkg, info, p.Prog, funcs)
	invoke := func(fn string) *ssa.CallCommon {
		for _, b := range p.Func(fn).Blocks {
			for _, instr := range b.Instrs {
				if c, ok := instr.(*ssa.Call); ok && c.Call.IsInvoke() {
					return c.Common()
				}
			}
		}
		t.Fatalf("no interface call in %s", fn)
		return nil
	}
	fns, ok := im.Of(invoke("toClosed"))
	if !ok || len(fns) != 2 {
		t.Errorf("closed interface: got %v, %v; want the put methods of a and *b", fns, ok)
	}
	if fns, ok := im.Of(invoke("toOpen")); ok {
		t.Errorf("open interface: got %v, want unknown", fns)
	}
}

func TestAvoiding(t *testing.T) {
	p := build(t, `package p
func alloc() *int { return new(int) }
func use(*int) {}
func f(n int) {
	for i := 0; i < n; i++ {
		x := alloc()
		use(x)
	}
}`)
	fn := p.Func("f")
	a, u := calls(fn, "alloc")[0], calls(fn, "use")[0]
	r := ssaflow.NewReach()
	after := r.Avoiding(u, a.Block(), r.Index(a))
	if after(u) {
		t.Errorf("use runs again after itself only past a new allocation, which Avoiding must stop at")
	}
	if !r.Reaches(u, u) {
		t.Errorf("Reaches ignores the allocation: use runs again round the loop")
	}
}
