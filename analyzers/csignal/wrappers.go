package csignal

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/internal/ssaflow"
	"github.com/cgolint/cgolint/passes/cindex"
)

// Go wrappers: a function that hands one of its parameters to signal.Notify
// (a graceful-shutdown helper) or to a C installer is summarised by a
// wrapperFact, and its callers' constant arguments count as signals handled
// or given a C disposition at the caller's call.

// paramIndex returns the index of the parameter of fn that v is, through
// conversions and interface boxing.
func paramIndex(fn *ssa.Function, v ssa.Value) (int, bool) {
	i := ssaflow.ParamIndex(fn, unwrap(v))
	return i, i >= 0
}

// addUse records that fn hands a parameter on as a signal; it reports
// whether that is new.
func (c *checker) addUse(fn *ssa.Function, u ParamUse) bool {
	if u.Param < 0 || slices.ContainsFunc(c.wrappers[fn], func(v ParamUse) bool { return compareUse(u, v) == 0 }) {
		return false
	}
	c.wrappers[fn] = append(c.wrappers[fn], u)
	return true
}

// usesOf returns how the callee of ci hands its parameters on as signals:
// os/signal's functions, this package's wrappers and imported ones.
func (c *checker) usesOf(ci ssa.CallInstruction) (uses []ParamUse, through string) {
	callee := ci.Common().StaticCallee()
	if callee == nil {
		return nil, ""
	}
	if callee.Pkg != nil && callee.Pkg.Pkg.Path() == "os/signal" && callee.Signature.Recv() == nil {
		switch callee.Name() {
		case "Notify", "NotifyContext":
			return []ParamUse{{Param: 1, Variadic: true, Op: callee.Name()}}, ""
		case "Ignore", "Reset":
			return []ParamUse{{Param: 0, Variadic: true, Op: callee.Name()}}, ""
		}
		return nil, ""
	}
	name := callee.Name()
	if obj, ok := callee.Object().(*types.Func); ok && obj.Pkg() != nil {
		name = obj.Pkg().Name() + "." + name
		if recv := callee.Signature.Recv(); recv != nil {
			name = obj.Pkg().Name() + "." + typeName(recv.Type()) + "." + callee.Name()
		}
	}
	if callee.Pkg == c.ssaPkg() {
		return c.wrappers[callee], name
	}
	var f wrapperFact
	if obj := callee.Object(); obj != nil && obj.Pkg() != c.pass.Pkg && c.pass.ImportObjectFact(obj, &f) {
		return f.Uses, name
	}
	return nil, ""
}

func typeName(t types.Type) string {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := t.(*types.Named); ok {
		return n.Obj().Name()
	}
	return t.String()
}

func (c *checker) ssaPkg() *ssa.Package {
	s, err := c.idx.SSA()
	if err != nil {
		return nil
	}
	return s.Pkg
}

// findHandles finds the signals handled from Go, and the dispositions set
// through Go wrappers, at each call: first the package's own wrappers (to a
// fixpoint, since one may call another), then the signals at every call.
func (c *checker) findHandles(s *cindex.SSA) {
	calls := c.callExprs()
	for round := 0; round <= len(s.SrcFuncs); round++ {
		changed := false
		c.eachUse(s, func(fn *ssa.Function, ci ssa.CallInstruction, u ParamUse, through string, arg ssa.Value) {
			for _, p := range c.paramRefs(fn, arg, u.Variadic) {
				v := u
				v.Param, v.Variadic = p.index, p.variadic
				if c.addUse(fn, v) {
					changed = true
				}
			}
		})
		if !changed {
			break
		}
	}
	c.eachUse(s, func(fn *ssa.Function, ci ssa.CallInstruction, u ParamUse, through string, arg ssa.Value) {
		var sigs []string
		if u.Variadic {
			sigs, _ = c.signalList(arg)
		} else if u.Via != "" {
			if sig, ok := c.cSignal(arg); ok {
				sigs = []string{sig}
			}
		} else if sig, ok := goSignal(c.goos, arg); ok {
			sigs = []string{sig}
		}
		if len(sigs) == 0 {
			return
		}
		pos, end := ci.Pos(), token.NoPos
		if call := calls[pos]; call != nil {
			pos, end = call.Pos(), call.End()
		}
		for _, sig := range sigs {
			if u.Via != "" {
				if through == "" {
					continue // a C call: found by findInstalls
				}
				c.installs = append(c.installs, &install{
					Install: Install{Sig: sig, Pkg: c.pass.Pkg.Path(), Pos: c.position(pos), File: c.filename(pos), Via: u.Via, Disp: u.Disp, OnStack: u.OnStack, Through: through},
					pos:     pos,
					end:     end,
					what:    through + " (which calls C." + u.Via + ")",
				})
				continue
			}
			c.handles = append(c.handles, &handle{
				Handle: Handle{Sig: sig, Pkg: c.pass.Pkg.Path(), Pos: c.position(pos), File: c.filename(pos), Op: u.Op, Through: through},
				pos:    pos,
			})
		}
	})
}

// eachUse calls f for each argument that a call of the package hands to a
// parameter used as a signal.
func (c *checker) eachUse(s *cindex.SSA, f func(fn *ssa.Function, ci ssa.CallInstruction, u ParamUse, through string, arg ssa.Value)) {
	for _, fn := range s.SrcFuncs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				ci, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				uses, through := c.usesOf(ci)
				args := ci.Common().Args
				for _, u := range uses {
					if u.Param < len(args) {
						f(fn, ci, u, through, args[u.Param])
					}
				}
			}
		}
	}
}

type paramRef struct {
	index    int
	variadic bool
}

// paramRefs returns the parameters of fn that arg (a signal, or a signal
// list if variadic) is made of.
func (c *checker) paramRefs(fn *ssa.Function, arg ssa.Value, variadic bool) []paramRef {
	if !variadic {
		if p, ok := paramIndex(fn, arg); ok {
			return []paramRef{{p, false}}
		}
		return nil
	}
	if p, ok := paramIndex(fn, arg); ok {
		if fn.Signature.Variadic() && p == len(fn.Params)-1 {
			return []paramRef{{p, true}} // sigs... passed on
		}
		return nil
	}
	var out []paramRef
	for _, el := range listElems(arg) {
		if p, ok := paramIndex(fn, el); ok {
			out = append(out, paramRef{p, false})
		}
	}
	return out
}

// listElems returns the values stored in a variadic list built at a call.
func listElems(v ssa.Value) []ssa.Value {
	sl, ok := v.(*ssa.Slice)
	if !ok {
		return nil
	}
	alloc, ok := sl.X.(*ssa.Alloc)
	if !ok || alloc.Referrers() == nil {
		return nil
	}
	var out []ssa.Value
	for _, r := range *alloc.Referrers() {
		ia, ok := r.(*ssa.IndexAddr)
		if !ok || ia.Referrers() == nil {
			continue
		}
		for _, u := range *ia.Referrers() {
			if st, ok := u.(*ssa.Store); ok && st.Addr == ia {
				out = append(out, st.Val)
			}
		}
	}
	return out
}

// exportWrappers exports a wrapperFact for each function of the package
// that hands a parameter on as a signal, and reports whether there was one.
func (c *checker) exportWrappers() bool {
	some := false
	for fn, uses := range c.wrappers {
		obj, ok := fn.Object().(*types.Func)
		if !ok || fn.Parent() != nil || len(uses) == 0 {
			continue
		}
		uses = slices.Clone(uses)
		slices.SortFunc(uses, compareUse)
		c.pass.ExportObjectFact(obj, &wrapperFact{Uses: uses})
		some = true
	}
	return some
}
