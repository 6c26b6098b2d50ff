package finalizer

import (
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/internal/ssaflow"
	"github.com/cgolint/cgolint/passes/cindex"
)

// This file computes what each function releases (a parameter, or a field
// of one, with which C function), for finalizers and for facts.

// releasesArg reports whether the C call c releases its argument i: the
// knowledge base says it frees or takes it; or, the argument being the
// call's only pointer, the pairing of types says it is its destructor
// (ssaflow.TypeDestructor: git_repository_free(git_repository *)), or a
// finalizer of the package ends with that function on a field of its
// object (learnDestructors). A name alone proves nothing:
// x_user_delete(db, name) deletes a record.
func (r *runner) releasesArg(c *cindex.Call, i int) bool {
	if c.Kind != cindex.CFunc {
		return false
	}
	if c.Info.FreesArg(i) || c.Info.TakesArg(i) {
		return true
	}
	if ssaflow.TypeDestructor(c.Name, c.Args, i) {
		return true
	}
	return r.learned[c.Name] && onlyPointer(c, i)
}

// onlyPointer reports whether argument i is the only pointer argument of c.
func onlyPointer(c *cindex.Call, i int) bool {
	if i >= len(c.Args) || !ssaflow.IsAddressLike(ssaflow.UnconvertHandle(c.Args[i]).Type()) {
		return false
	}
	for j, a := range c.Args {
		if j != i && ssaflow.IsAddressLike(ssaflow.UnconvertHandle(a).Type()) {
			return false
		}
	}
	return true
}

// learnDestructors records the C functions that a finalizer or cleanup of
// the package calls last on a field of its object (or on the cleanup's
// argument), with that as their only pointer argument: whatever their
// names, that is how the package releases the field.
func (r *runner) learnDestructors() {
	r.learned = make(map[string]bool)
	reach := ssaflow.NewReach()
	for _, fn := range r.ssa.SrcFuncs {
		ssaflow.ForCalls(fn, func(ci ssa.CallInstruction) {
			args := ci.Common().Args
			var f ssa.Value
			switch runtimeFunc(ci.Common()) {
			case "SetFinalizer":
				if len(args) == 2 {
					f = args[1]
				}
			case "AddCleanup":
				if len(args) == 3 {
					f = args[1]
				}
			}
			if mi, ok := f.(*ssa.MakeInterface); ok {
				f = mi.X
			}
			if f == nil {
				return
			}
			fin, _ := resolve(f)
			if fin == nil || len(fin.Params) == 0 {
				return
			}
			p := fin.Params[0]
			byPath := make(map[string][]*cindex.Call)
			for _, c := range r.calls[fin] {
				for j, a := range c.Args {
					base, path := ssaflow.LoadPath(a)
					if c.Kind != cindex.CFunc || !onlyPointer(c, j) || base != p && ssaflow.UnconvertHandle(a) != p {
						continue
					}
					byPath[path] = append(byPath[path], c)
				}
			}
			for _, cs := range byPath {
				for _, c := range cs {
					last := true
					for _, d := range cs {
						if d != c && reach.Reaches(c.Instr, d.Instr) {
							last = false
						}
					}
					if last {
						r.learned[c.Name] = true
					}
				}
			}
		})
	}
}

// paramIndex returns the index of v among fn's parameters, or -1; a
// parameter asserted to its type counts (func free(v any) { v.(*T).Close() }).
func paramIndex(fn *ssa.Function, v ssa.Value) int {
	if ta, ok := v.(*ssa.TypeAssert); ok && !ta.CommaOk {
		v = ta.X
	}
	return ssaflow.ParamIndex(fn, v)
}

func joinPath(a, b string) (string, bool) {
	switch {
	case a == "":
		return b, true
	case b == "":
		return a, true
	}
	return "", false // two levels: not followed
}

// calleeReleases returns what the static callee of a Go call releases, from
// this package's summaries or from facts.
func (r *runner) calleeReleases(callee *ssa.Function, summary map[*ssa.Function][]release) []release {
	if callee == nil {
		return nil
	}
	if callee.Pkg == r.ssa.Pkg {
		return summary[callee]
	}
	if callee.Synthetic != "" && summary != nil {
		return r.wrapperReleases(callee, summary, 0)
	}
	if obj, ok := callee.Object().(*types.Func); ok && obj.Pkg() != nil && obj.Pkg() != r.pass.Pkg {
		var f releasesFact
		if r.pass.ImportObjectFact(obj, &f) {
			return f.Releases
		}
	}
	return nil
}

// wrapperReleases returns what a synthetic function (a wrapper for a
// promoted method, a method-expression thunk) releases, from what it calls.
func (r *runner) wrapperReleases(fn *ssa.Function, summary map[*ssa.Function][]release, depth int) []release {
	if depth > 3 {
		return nil
	}
	seen := make(map[release]bool)
	ssaflow.ForCalls(fn, func(ci ssa.CallInstruction) {
		common := ci.Common()
		callee := common.StaticCallee()
		if callee == nil {
			return
		}
		var rels []release
		switch {
		case callee.Pkg == r.ssa.Pkg:
			rels = summary[callee]
		case callee.Synthetic != "":
			rels = r.wrapperReleases(callee, summary, depth+1)
		}
		for _, rel := range rels {
			if rel.Param >= len(common.Args) {
				continue
			}
			base, path := ssaflow.LoadPath(common.Args[rel.Param])
			if path == "" {
				base, path = ssaflow.AddrPath(ssaflow.UnconvertHandle(common.Args[rel.Param]))
			}
			i := paramIndex(fn, base)
			if i < 0 {
				continue
			}
			if full, ok := joinPath(path, rel.Field); ok {
				seen[release{Param: i, Field: full, Via: rel.Via}] = true
			}
		}
	})
	return sortedReleases(seen)
}

// computeRaw computes, for every function, the parameters (or fields of
// parameters) it releases on some path, through C calls and Go calls.
func (r *runner) computeRaw() {
	for round := 0; round < 8; round++ {
		changed := false
		for _, fn := range r.ssa.SrcFuncs {
			rels := r.releasesOf(fn, r.raw)
			if !slices.Equal(rels, r.raw[fn]) {
				r.raw[fn] = rels
				changed = true
			}
		}
		if !changed {
			break
		}
	}
}

// releasesOf returns what fn releases, given its callees' summaries.
func (r *runner) releasesOf(fn *ssa.Function, summary map[*ssa.Function][]release) []release {
	seen := make(map[release]bool)
	add := func(v ssa.Value, field, via string) {
		base, path := ssaflow.LoadPath(v)
		i := paramIndex(fn, base)
		if i < 0 {
			return
		}
		if p, ok := joinPath(path, field); ok {
			seen[release{Param: i, Field: p, Via: via}] = true
		}
	}
	ssaflow.ForCalls(fn, func(ci ssa.CallInstruction) {
		if c := r.idx.CallOf(ci); c != nil {
			for i, a := range c.Args {
				if r.releasesArg(c, i) {
					add(a, "", "C."+c.Name)
				}
			}
			return
		}
		common := ci.Common()
		for _, rel := range r.calleeReleases(common.StaticCallee(), summary) {
			if rel.Param < len(common.Args) {
				add(common.Args[rel.Param], rel.Field, rel.Via)
			}
		}
	})
	return sortedReleases(seen)
}

func sortedReleases(m map[release]bool) []release {
	out := make([]release, 0, len(m))
	for rel := range m {
		out = append(out, rel)
	}
	slices.SortFunc(out, func(a, b release) int {
		if a.Param != b.Param {
			return a.Param - b.Param
		}
		if a.Field != b.Field {
			return strings.Compare(a.Field, b.Field)
		}
		return strings.Compare(a.Via, b.Via)
	})
	// Keep one releasing function per field: the summary answers "what", not "how".
	return slices.CompactFunc(out, func(a, b release) bool { return a.Param == b.Param && a.Field == b.Field })
}
