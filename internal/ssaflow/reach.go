// Package ssaflow holds the value-tracking concepts that cgolint's checks
// share: where a value comes from (its root through conversions, field and
// element selections and loads), which owner an address names (a global or
// a field of what a pointer points to), which instructions can run after
// which, and which functions a call can reach (its static callee, or every
// implementation of an interface method the package can see).
//
// Everything here is a pure function of go/ssa values, or a small cache
// keyed by them (Reach); nothing reports, and nothing depends on cgo.
package ssaflow

import "golang.org/x/tools/go/ssa"

// Reach answers which instructions can run after which, within one
// function. Build one per pass with NewReach; it caches per function.
type Reach struct {
	blocks map[*ssa.Function][][]bool // per block index: blocks reachable in >= 1 step
	index  map[ssa.Instruction]int
}

// NewReach returns an empty reachability cache.
func NewReach() *Reach {
	return &Reach{blocks: make(map[*ssa.Function][][]bool), index: make(map[ssa.Instruction]int)}
}

// Blocks returns, for each block index of fn, the block indices reachable
// from it in one or more steps.
func (r *Reach) Blocks(fn *ssa.Function) [][]bool {
	if m, ok := r.blocks[fn]; ok {
		return m
	}
	m := make([][]bool, len(fn.Blocks))
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
		m[b.Index] = seen
		for i, instr := range b.Instrs {
			r.index[instr] = i
		}
	}
	r.blocks[fn] = m
	return m
}

// Index returns the index of instr in its block.
func (r *Reach) Index(instr ssa.Instruction) int {
	if i, ok := r.index[instr]; ok {
		return i
	}
	if b := instr.Block(); b != nil {
		r.Blocks(b.Parent())
		if i, ok := r.index[instr]; ok {
			return i
		}
	}
	return -1
}

// Reaches reports whether b can execute after a in the same function (a
// itself again, if a is in a loop).
func (r *Reach) Reaches(a, b ssa.Instruction) bool {
	ab, bb := a.Block(), b.Block()
	if ab == nil || bb == nil || ab.Parent() != bb.Parent() {
		return false
	}
	if ab == bb && a != b && r.Index(a) < r.Index(b) {
		return true
	}
	return r.Blocks(ab.Parent())[ab.Index][bb.Index]
}

// BlockReaches reports whether block b can be entered after block a
// finishes (b == a only round a loop).
func (r *Reach) BlockReaches(a, b *ssa.BasicBlock) bool {
	if a.Parent() != b.Parent() {
		return false
	}
	return r.Blocks(a.Parent())[a.Index][b.Index]
}

// Between returns the instructions that may execute after a and before b on
// some path from a to b, and the blocks that lie wholly on such paths.
func (r *Reach) Between(a, b ssa.Instruction) (instrs []ssa.Instruction, blocks []*ssa.BasicBlock) {
	ab, bb := a.Block(), b.Block()
	ia, ib := r.Index(a), r.Index(b)
	if ab == bb && a != b && ia < ib {
		return ab.Instrs[ia+1 : ib], nil
	}
	reach := r.Blocks(ab.Parent())
	instrs = append(instrs, ab.Instrs[ia+1:]...)
	instrs = append(instrs, bb.Instrs[:ib]...)
	for _, m := range ab.Parent().Blocks {
		if reach[ab.Index][m.Index] && reach[m.Index][bb.Index] {
			blocks = append(blocks, m)
			if m != ab && m != bb {
				instrs = append(instrs, m.Instrs...)
			}
		}
	}
	return instrs, blocks
}

// Avoiding returns a predicate reporting whether an instruction can run
// after from without the instruction at index si of block sb running again
// (an allocation: past it, the same value is a new pointer). With si = -1,
// sb is the function's entry block, which never runs again.
func (r *Reach) Avoiding(from ssa.Instruction, sb *ssa.BasicBlock, si int) func(ssa.Instruction) bool {
	fb, fi := from.Block(), r.Index(from)
	limit := make(map[*ssa.BasicBlock]int) // block -> instructions [0, limit) reachable
	var stack []*ssa.BasicBlock
	push := func(bs []*ssa.BasicBlock) {
		for _, b := range bs {
			if _, ok := limit[b]; ok {
				continue
			}
			if b == sb {
				limit[b] = si
				continue // the allocation runs again: a new pointer
			}
			limit[b] = len(b.Instrs)
			stack = append(stack, b)
		}
	}
	if !(fb == sb && fi < si) {
		push(fb.Succs)
	}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		push(b.Succs)
	}
	return func(x ssa.Instruction) bool {
		xb, xi := x.Block(), r.Index(x)
		if xb == fb && xi > fi {
			return !(fb == sb && fi < si && xi > si)
		}
		if l, ok := limit[xb]; ok {
			return xi < l
		}
		return false
	}
}

// FindAvoiding reports whether a block for which target holds can be
// reached from start (start included) without entering a block of avoid.
func FindAvoiding(start *ssa.BasicBlock, avoid map[*ssa.BasicBlock]bool, target func(*ssa.BasicBlock) bool) bool {
	seen := make(map[*ssa.BasicBlock]bool)
	stack := []*ssa.BasicBlock{start}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[b] || avoid[b] {
			continue
		}
		if target(b) {
			return true
		}
		seen[b] = true
		stack = append(stack, b.Succs...)
	}
	return false
}

// Returns reports whether block b ends with a return.
func Returns(b *ssa.BasicBlock) bool {
	if len(b.Instrs) == 0 {
		return false
	}
	_, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
	return ok
}

// Uses reports whether instr has an operand in the set.
func Uses(instr ssa.Instruction, set map[ssa.Value]bool) bool {
	for _, op := range instr.Operands(nil) {
		if *op != nil && set[*op] {
			return true
		}
	}
	return false
}

// UsedAfter reports whether an instruction that may run after instr (in
// the same function) uses a value of the set.
func UsedAfter(instr ssa.Instruction, set map[ssa.Value]bool) bool {
	b := instr.Block()
	after := false
	for _, in := range b.Instrs {
		if after && Uses(in, set) {
			return true
		}
		if in == instr {
			after = true
		}
	}
	seen := make(map[*ssa.BasicBlock]bool)
	stack := append([]*ssa.BasicBlock(nil), b.Succs...)
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[x] {
			continue
		}
		seen[x] = true
		for _, in := range x.Instrs {
			if Uses(in, set) {
				return true
			}
		}
		stack = append(stack, x.Succs...)
	}
	return false
}
