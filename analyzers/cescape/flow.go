package cescape

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/passes/cindex"
)

// A loc is an owner of memory: a package-level variable, or a field of the
// struct that base points to.
type loc struct {
	global *ssa.Global
	field  *types.Var
	base   ssa.Value
}

// locOf returns the owner that addr is the address of.
func locOf(addr ssa.Value) (loc, bool) {
	switch a := addr.(type) {
	case *ssa.Global:
		return loc{global: a}, true
	case *ssa.FieldAddr:
		if f := fieldOf(a); f != nil {
			return loc{field: f, base: a.X}, true
		}
	}
	return loc{}, false
}

// rootValue returns the global, or the root of the field's base.
func (l loc) rootValue() ssa.Value {
	if l.global != nil {
		return l.global
	}
	return root(l.base)
}

// key returns the object that identifies the owner across functions.
func (l loc) key() types.Object {
	if l.global != nil {
		return l.global.Object()
	}
	return l.field
}

// sameLoc reports whether a and b are certainly the same owner.
func sameLoc(a, b loc) bool {
	if a.global != nil || b.global != nil {
		return a.global == b.global
	}
	return a.field == b.field && sameValue(a.base, b.base)
}

// sameValue reports whether a and b are the same pointer: the same SSA
// value, or the same path of field selections and loads from one.
func sameValue(a, b ssa.Value) bool {
	if a == b {
		return true
	}
	switch a := a.(type) {
	case *ssa.FieldAddr:
		if b, ok := b.(*ssa.FieldAddr); ok {
			return a.Field == b.Field && sameValue(a.X, b.X)
		}
	case *ssa.UnOp:
		if b, ok := b.(*ssa.UnOp); ok && a.Op == token.MUL && b.Op == token.MUL {
			return sameValue(a.X, b.X)
		}
	}
	return false
}

// root returns the value that the pointer v was derived from by selecting
// fields, elements and loads.
func root(v ssa.Value) ssa.Value {
	for range 32 {
		switch x := v.(type) {
		case *ssa.FieldAddr:
			v = x.X
		case *ssa.IndexAddr:
			v = x.X
		case *ssa.Slice:
			v = x.X
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return v
			}
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		case *ssa.Convert:
			if !isPointerLike(x.X.Type()) {
				return v
			}
			v = x.X
		default:
			return v
		}
	}
	return v
}

// blockReach returns, for each block of fn, the blocks reachable from it
// in one or more steps.
func (r *runner) blockReach(fn *ssa.Function) map[*ssa.BasicBlock][]bool {
	if m, ok := r.reach[fn]; ok {
		return m
	}
	m := make(map[*ssa.BasicBlock][]bool, len(fn.Blocks))
	for _, b := range fn.Blocks {
		seen := make([]bool, len(fn.Blocks))
		stack := append([]*ssa.BasicBlock(nil), b.Succs...)
		for len(stack) > 0 {
			s := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[s.Index] {
				continue
			}
			seen[s.Index] = true
			stack = append(stack, s.Succs...)
		}
		m[b] = seen
	}
	r.reach[fn] = m
	return m
}

// indexIn returns the index of instr in its block.
func indexIn(instr ssa.Instruction) int {
	for i, x := range instr.Block().Instrs {
		if x == instr {
			return i
		}
	}
	return -1
}

// reaches reports whether b can execute after a (a itself again, if a is in
// a loop).
func (r *runner) reaches(a, b ssa.Instruction) bool {
	ab, bb := a.Block(), b.Block()
	if ab == nil || bb == nil || ab.Parent() != bb.Parent() {
		return false
	}
	if ab == bb && a != b && indexIn(a) < indexIn(b) {
		return true
	}
	return r.blockReach(ab.Parent())[ab][bb.Index]
}

// between returns the instructions that may execute after a and before b on
// some path from a to b, and the blocks that lie wholly on such paths.
func (r *runner) between(a, b ssa.Instruction) (instrs []ssa.Instruction, blocks []*ssa.BasicBlock) {
	ab, bb := a.Block(), b.Block()
	ia, ib := indexIn(a), indexIn(b)
	if ab == bb && a != b && ia < ib {
		return ab.Instrs[ia+1 : ib], nil
	}
	reach := r.blockReach(ab.Parent())
	instrs = append(instrs, ab.Instrs[ia+1:]...)
	instrs = append(instrs, bb.Instrs[:ib]...)
	for _, m := range ab.Parent().Blocks {
		if reach[ab][m.Index] && reach[m][bb.Index] {
			blocks = append(blocks, m)
			if m != ab && m != bb {
				instrs = append(instrs, m.Instrs...)
			}
		}
	}
	return instrs, blocks
}

// borrowOnly reports whether every use of v (through pointer conversions)
// only lends it: to a C function that neither frees, takes nor keeps it, or
// as the value of the store skip. Anything else (a Go call, a comparison, a
// return, another store) means the analysis lost track of v.
func (r *runner) borrowOnly(v ssa.Value, skip ssa.Instruction) bool {
	return r.borrowOnlyDepth(v, skip, 0)
}

func (r *runner) borrowOnlyDepth(v ssa.Value, skip ssa.Instruction, depth int) bool {
	if depth > 8 {
		return false
	}
	refs := v.Referrers()
	if refs == nil {
		return true
	}
	for _, ref := range *refs {
		if ref == skip {
			continue
		}
		switch u := ref.(type) {
		case *ssa.DebugRef:
			continue
		case *ssa.ChangeType:
			if !r.borrowOnlyDepth(u, skip, depth+1) {
				return false
			}
			continue
		case *ssa.Convert:
			if !r.borrowOnlyDepth(u, skip, depth+1) {
				return false
			}
			continue
		case ssa.CallInstruction:
			c := r.idx.CallOf(u)
			if c == nil {
				return false
			}
			for i, a := range c.Args {
				if a == v && c.Info != nil && (c.Info.FreesArg(i) || c.Info.TakesArg(i) || c.Info.KeepsArg(i)) {
					return false
				}
			}
			continue
		}
		return false
	}
	return true
}

// isStdCall reports whether ci statically calls a standard-library function
// (which cannot reach the user's fields on its own).
func isStdCall(ci ssa.CallInstruction) bool {
	callee := ci.Common().StaticCallee()
	if callee == nil || callee.Object() == nil || callee.Object().Pkg() == nil {
		return false
	}
	return isStdPath(callee.Object().Pkg().Path())
}

// isStdPath reports whether path looks like a standard-library import path.
func isStdPath(path string) bool {
	for i := 0; i < len(path); i++ {
		switch path[i] {
		case '.':
			return false
		case '/':
			return true
		}
	}
	return true
}

// callTouches reports whether the Go call ci may reach the memory rooted at
// rt: it passes a value derived from rt, or rt is shared (a global or a
// captured variable) and the callee is not a standard-library function.
func (r *runner) callTouches(ci ssa.CallInstruction, rt ssa.Value) bool {
	if r.idx.CallOf(ci) != nil {
		return false
	}
	if _, ok := ci.Common().Value.(*ssa.Builtin); ok {
		return false
	}
	if isStdCall(ci) {
		// Library code cannot reach the user's fields, except through
		// what it is passed (sync.Once.Do(f) with a closure, for example).
		for _, a := range ci.Common().Args {
			if _, ok := a.(*ssa.MakeClosure); ok {
				return true
			}
		}
		return false
	}
	switch rt.(type) {
	case *ssa.Global, *ssa.FreeVar:
		return true
	}
	vals := append([]ssa.Value{ci.Common().Value}, ci.Common().Args...)
	for _, a := range vals {
		if mc, ok := a.(*ssa.MakeClosure); ok {
			for _, b := range mc.Bindings {
				if root(b) == rt {
					return true
				}
			}
			continue
		}
		if root(cindex.Unconvert(a)) == rt {
			return true
		}
	}
	return ci.Common().StaticCallee() == nil && !ci.Common().IsInvoke()
}

// isBuiltin reports whether ci calls the named builtin (or unsafe) function.
func isBuiltin(ci ssa.CallInstruction, name string) bool {
	b, ok := ci.Common().Value.(*ssa.Builtin)
	return ok && b.Name() == name
}

// isFunc reports whether ci statically calls pkg.name (or a method
// (*pkg.T).name when recv is "T").
func isFunc(ci ssa.CallInstruction, pkg, recv, name string) bool {
	callee := ci.Common().StaticCallee()
	if callee == nil {
		return false
	}
	obj, ok := callee.Object().(*types.Func)
	if !ok || obj.Pkg() == nil || obj.Pkg().Path() != pkg || obj.Name() != name {
		return false
	}
	sig := obj.Signature()
	if recv == "" {
		return sig.Recv() == nil
	}
	if sig.Recv() == nil {
		return false
	}
	t := sig.Recv().Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Name() == recv
}
