package cfree

import (
	"fmt"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/internal/ssaflow"
)

// funcFact summarises how a Go function treats C memory, for its callers
// in this package and in importing packages. Parameter indices count the
// receiver first, as ssa.Function.Params does.
type funcFact struct {
	Owned   []OwnedResult // results that are C memory the caller must release
	Frees   []int         // parameters released on every path
	Takes   []int         // parameters whose ownership moves elsewhere (C or a field)
	Borrows []int         // pointer parameters only borrowed
}

// OwnedResult is a result of a Go function that hands owned C memory to
// its caller.
type OwnedResult struct {
	Index   int    // result index
	Dealloc string // the C deallocator that releases it ("free", "sqlite3_free")
	// NilOnError reports that the function's last result is an error and
	// every return that may hand back memory returns a nil error: where
	// the error is not nil, the result is nil and owns nothing.
	NilOnError bool
}

// AFact marks funcFact as an analysis fact.
func (*funcFact) AFact() {}

func (f *funcFact) String() string {
	var parts []string
	for _, o := range f.Owned {
		p := fmt.Sprintf("owned %d by %s", o.Index, o.Dealloc)
		if o.NilOnError {
			p += " nil-on-error"
		}
		parts = append(parts, p)
	}
	for _, x := range []struct {
		name string
		list []int
	}{{"frees", f.Frees}, {"takes", f.Takes}, {"borrows", f.Borrows}} {
		if len(x.list) > 0 {
			parts = append(parts, fmt.Sprintf("%s %v", x.name, x.list))
		}
	}
	return "cfree(" + strings.Join(parts, "; ") + ")"
}

func (f *funcFact) empty() bool {
	return len(f.Owned) == 0 && len(f.Frees) == 0 && len(f.Takes) == 0 && len(f.Borrows) == 0
}

func (f *funcFact) equal(g *funcFact) bool {
	if f == nil || g == nil {
		return f == g
	}
	return slices.Equal(f.Owned, g.Owned) && slices.Equal(f.Frees, g.Frees) &&
		slices.Equal(f.Takes, g.Takes) && slices.Equal(f.Borrows, g.Borrows)
}

// ownedIndex returns the deallocator of result i, if it is owned.
func (f *funcFact) ownedIndex(i int) (string, bool) {
	if o := f.owned(i); o != nil {
		return o.Dealloc, true
	}
	return "", false
}

// owned returns what f says of result i, if it is owned, or nil.
func (f *funcFact) owned(i int) *OwnedResult {
	if f == nil {
		return nil
	}
	for k := range f.Owned {
		if f.Owned[k].Index == i {
			return &f.Owned[k]
		}
	}
	return nil
}

// summaryOf returns what is known about a Go function: its summary when it
// is in this package, its fact when it is imported, or nil.
func (r *runner) summaryOf(fn *ssa.Function) *funcFact {
	if fn.Pkg == r.ssa.Pkg {
		return r.local[fn]
	}
	if o := fn.Origin(); o != nil {
		fn = o
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok || obj == nil {
		return nil
	}
	if f, ok := r.imported[obj]; ok {
		return f
	}
	var f funcFact
	var res *funcFact
	if r.pass.ImportObjectFact(obj, &f) {
		res = &f
	}
	r.imported[obj] = res
	return res
}

// summarize computes the summaries of the package's functions, iterating
// until they no longer change (wrappers of wrappers), at most a few rounds.
func (r *runner) summarize() {
	for round := 0; round < 4; round++ {
		changed := false
		for _, fn := range r.ssa.SrcFuncs {
			f := r.summarizeFunc(fn)
			if !f.equal(r.local[fn]) {
				r.local[fn] = f
				changed = true
			}
		}
		if !changed {
			break
		}
	}
}

func (r *runner) summarizeFunc(fn *ssa.Function) *funcFact {
	if fn.Blocks == nil {
		return nil
	}
	f := &funcFact{}
	for i, p := range fn.Params {
		if !ssaflow.IsPointerLike(p.Type()) {
			continue
		}
		fl := r.track(p)
		if fl.lost {
			continue
		}
		var release, take, other bool
		for _, e := range fl.events {
			switch e.kind {
			case evRelease, evDeferRelease:
				release = true
			case evTake:
				take = true
			case evEscape, evMaybeRelease:
				other = true
			}
		}
		switch {
		case release:
			if _, _, leaks := r.leakPath(fl, nil); !leaks {
				f.Frees = append(f.Frees, i)
			}
		case take:
			f.Takes = append(f.Takes, i)
		case !other:
			f.Borrows = append(f.Borrows, i)
		}
	}
	f.Owned = r.ownedResults(fn)
	if f.empty() {
		return nil
	}
	return f
}

// ownedResults returns the results of fn that are, on every return, either
// nil or fresh C memory from one deallocator family.
func (r *runner) ownedResults(fn *ssa.Function) []OwnedResult {
	n := fn.Signature.Results().Len()
	var out []OwnedResult
	for i := 0; i < n; i++ {
		if !ssaflow.IsPointerLike(fn.Signature.Results().At(i).Type()) {
			continue
		}
		dealloc, ok := "", true
		nilOnErr := n >= 2 && i < n-1 && isErrorType(fn.Signature.Results().At(n-1).Type())
		for _, b := range fn.Blocks {
			if len(b.Instrs) == 0 {
				continue
			}
			ret, isRet := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
			if !isRet || !ok {
				continue
			}
			d, good := r.allocSource(ret.Results[i], make(map[ssa.Value]bool))
			if !ssaflow.IsNil(ret.Results[i]) && !ssaflow.IsNil(ret.Results[n-1]) {
				nilOnErr = false
			}
			switch {
			case !good:
				ok = false
			case d == "":
			case dealloc == "":
				dealloc = d
			case dealloc != d:
				ok = false
			}
		}
		if ok && dealloc != "" {
			out = append(out, OwnedResult{Index: i, Dealloc: dealloc, NilOnError: nilOnErr})
		}
	}
	return out
}

// allocSource reports whether v is nil or fresh C memory, and its
// deallocator ("" for nil).
func (r *runner) allocSource(v ssa.Value, seen map[ssa.Value]bool) (string, bool) {
	if seen[v] {
		return "", true
	}
	seen[v] = true
	v = ssaflow.Unconvert(v)
	if ssaflow.IsNil(v) {
		return "", true
	}
	switch v := v.(type) {
	case *ssa.Phi:
		dealloc := ""
		for _, e := range v.Edges {
			d, ok := r.allocSource(e, seen)
			if !ok || (d != "" && dealloc != "" && d != dealloc) {
				return "", false
			}
			if d != "" {
				dealloc = d
			}
		}
		return dealloc, true
	case *ssa.Call, *ssa.Extract:
		if a := r.allocOf(v); a != nil && r.onlyReturned(a.value) {
			return a.dealloc, true
		}
	}
	return "", false
}

// onlyReturned reports whether the allocation v is kept nowhere but in the
// function's results: memory also stored in a map or handed to C is not
// the caller's to free.
func (r *runner) onlyReturned(v ssa.Value) bool {
	fl := r.track(v)
	if fl.lost {
		return false
	}
	for _, e := range fl.events {
		switch e.kind {
		case evUse, evRelease: // a release on an error path is fine
		case evEscape:
			if _, ok := e.instr.(*ssa.Return); !ok {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// isErrorType reports whether t is the predeclared error type.
func isErrorType(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// errorNilEdges records, for an owned result v of a Go call whose fact
// says it is nil when the call's error is not, the branches on that error
// where v is nil: `p, err := wrap(); if err != nil { return err }` leaks
// nothing on the error path.
func (r *runner) errorNilEdges(fl *flow, v ssa.Value) {
	ex, ok := v.(*ssa.Extract)
	if !ok {
		return
	}
	call, ok := ex.Tuple.(*ssa.Call)
	if !ok || call.Call.IsInvoke() {
		return
	}
	callee := call.Call.StaticCallee()
	if callee == nil {
		return
	}
	o := r.summaryOf(callee).owned(ex.Index)
	if o == nil || !o.NilOnError {
		return
	}
	last := call.Call.Signature().Results().Len() - 1
	for _, ref := range *call.Referrers() {
		e, ok := ref.(*ssa.Extract)
		if !ok || e.Index != last || e.Referrers() == nil {
			continue
		}
		for _, u := range *e.Referrers() {
			cmp, ok := u.(*ssa.BinOp)
			if !ok || (cmp.Op != token.EQL && cmp.Op != token.NEQ) || !(ssaflow.IsNil(cmp.X) || ssaflow.IsNil(cmp.Y)) {
				continue
			}
			for _, ref := range *cmp.Referrers() {
				if iff, ok := ref.(*ssa.If); ok && iff.Cond == cmp {
					if cmp.Op == token.NEQ {
						fl.nilEdge[iff.Block()] = 0 // err != nil: v is nil on the true branch
					} else {
						fl.nilEdge[iff.Block()] = 1
					}
				}
			}
		}
	}
}
