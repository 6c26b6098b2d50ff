package finalizer

import (
	"fmt"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/internal/ssaflow"
)

// This file finds the double-release category: functions that release a
// field its finalizer also releases, on a path that does not disarm it.

// isDisarm reports whether instr keeps the finalizer of p (a *T with
// finalizer ft) from releasing again: runtime.SetFinalizer(p, ...), a store
// to a field the finalizer releases or tests, Cleanup.Stop on a handle kept
// in p, or a call of a function that always does one of these to p.
func (r *runner) isDisarm(instr ssa.Instruction, p ssa.Value, ft *finType) bool {
	switch instr := instr.(type) {
	case *ssa.Store:
		if ft.cleanup {
			return false // the cleanup holds its own copy of the field
		}
		base, path := ssaflow.AddrPath(instr.Addr)
		if base != p || path == "" {
			return false
		}
		if ft.guards[path] {
			return true
		}
		for f := range ft.fields {
			if f == path || strings.HasPrefix(f, path+".") {
				return true
			}
		}
	case ssa.CallInstruction:
		common := instr.Common()
		switch runtimeFunc(common) {
		case "SetFinalizer":
			if len(common.Args) == 2 {
				if mi, ok := common.Args[0].(*ssa.MakeInterface); ok && ssaflow.UnconvertHandle(mi.X) == p {
					return true
				}
			}
			return false
		case "Cleanup.Stop":
			if len(common.Args) == 1 {
				base, _ := ssaflow.LoadPath(common.Args[0])
				return base == p
			}
			return false
		}
		callee := common.StaticCallee()
		if callee == nil || callee.Pkg != r.ssa.Pkg {
			return false
		}
		for j, a := range common.Args {
			if ssaflow.UnconvertHandle(a) == p && r.disarms[callee][j] {
				return true
			}
		}
	}
	return false
}

// disarmBlocks returns the blocks of fn with a disarm of p.
func (r *runner) disarmBlocks(fn *ssa.Function, p ssa.Value, ft *finType) map[*ssa.BasicBlock]bool {
	d := make(map[*ssa.BasicBlock]bool)
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if r.isDisarm(instr, p, ft) {
				d[b] = true
				break
			}
		}
	}
	return d
}

// computeDisarms finds, for every function, the finalized parameters it
// disarms on every path to a return.
func (r *runner) computeDisarms() {
	for round := 0; round < 8; round++ {
		changed := false
		for _, fn := range r.ssa.SrcFuncs {
			if len(fn.Blocks) == 0 {
				continue
			}
			for i, p := range fn.Params {
				ft := r.finTypeOf(p.Type())
				if ft == nil || r.disarms[fn][i] {
					continue
				}
				d := r.disarmBlocks(fn, p, ft)
				if len(d) == 0 || ssaflow.FindAvoiding(fn.Blocks[0], d, ssaflow.Returns) {
					continue
				}
				if r.disarms[fn] == nil {
					r.disarms[fn] = make(map[int]bool)
				}
				r.disarms[fn][i] = true
				changed = true
			}
		}
		if !changed {
			break
		}
	}
}

// releaseEvents returns the releases in fn of fields of p (parameter i) that
// ft's finalizer also releases, by field.
func (r *runner) releaseEvents(fn *ssa.Function, i int, ft *finType) map[string][]*event {
	p := fn.Params[i]
	out := make(map[string][]*event)
	ssaflow.ForCalls(fn, func(ci ssa.CallInstruction) {
		if c := r.idx.CallOf(ci); c != nil {
			for j, a := range c.Args {
				if !r.releasesArg(c, j) {
					continue
				}
				if base, path := ssaflow.LoadPath(a); base == p && r.sameRelease(ft, "C."+c.Name) {
					if _, ok := ft.fields[path]; ok {
						out[path] = append(out[path], &event{instr: ci, via: "C." + c.Name, call: c})
					}
				}
			}
			return
		}
		common := ci.Common()
		callee := common.StaticCallee()
		var rels []release
		if callee != nil && callee.Pkg == r.ssa.Pkg {
			for k, ev := range r.unsafe[callee] {
				rels = append(rels, release{Param: k.param, Field: k.field, Via: ev.via})
			}
		} else {
			rels = r.calleeReleases(callee, nil)
		}
		for _, rel := range rels {
			if rel.Param >= len(common.Args) {
				continue
			}
			base, path := ssaflow.LoadPath(common.Args[rel.Param])
			if base != p {
				continue
			}
			full, ok := joinPath(path, rel.Field)
			if _, fin := ft.fields[full]; ok && fin && r.sameRelease(ft, rel.Via) {
				out[full] = append(out[full], &event{instr: ci, via: rel.Via, through: callee})
			}
		}
	})
	return out
}

// sameRelease reports whether a release with the C function via counts
// against ft's finalizer: the finalizer releases with the same function, or
// the knowledge base says via frees or takes its argument. (A name that
// merely sounds like a destructor, git_reference_delete or
// git_rebase_finish, does not count unless the finalizer uses it too.)
func (r *runner) sameRelease(ft *finType, via string) bool {
	if ft.vias[via] {
		return true
	}
	f := r.idx.KB().Lookup(strings.TrimPrefix(via, "C."))
	return f != nil && (len(f.Frees) > 0 || len(f.Takes) > 0)
}

// computeUnsafe finds, for every function, the releases of a parameter (or
// its fields) that happen on some path that does not disarm the finalizer.
func (r *runner) computeUnsafe() {
	for round := 0; round < 8; round++ {
		changed := false
		for _, fn := range r.ssa.SrcFuncs {
			if len(fn.Blocks) == 0 {
				continue
			}
			m := make(map[relKey]*event)
			for i, p := range fn.Params {
				ft := r.finTypeOf(p.Type())
				if ft == nil {
					// Nothing to disarm: every release counts.
					for _, rel := range r.raw[fn] {
						if rel.Param == i {
							m[relKey{i, rel.Field}] = &event{via: rel.Via}
						}
					}
					continue
				}
				d := r.disarmBlocks(fn, p, ft)
				evs := r.releaseEvents(fn, i, ft)
				for _, field := range sortedKeys(evs) {
					for _, ev := range evs[field] {
						b := ev.instr.Block()
						if d[b] || !ssaflow.FindAvoiding(fn.Blocks[0], d, func(x *ssa.BasicBlock) bool { return x == b }) || !ssaflow.FindAvoiding(b, d, ssaflow.Returns) {
							continue
						}
						m[relKey{i, field}] = ev
						break
					}
				}
			}
			if !sameKeys(m, r.unsafe[fn]) {
				r.unsafe[fn] = m
				changed = true
			}
		}
		if !changed {
			break
		}
	}
}

func sameKeys(a, b map[relKey]*event) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			return false
		}
	}
	return true
}

// isEntry reports whether fn is a function or method that code outside the
// package can call: its releases are reported there, not in its callers.
func isEntry(fn *ssa.Function) bool {
	if fn.Parent() != nil || fn.Synthetic != "" {
		return false
	}
	obj, ok := fn.Object().(*types.Func)
	return ok && obj.Exported()
}

func (r *runner) reportDoubleRelease() {
	for _, fn := range r.ssa.SrcFuncs {
		if !isEntry(fn) {
			continue
		}
		for i, p := range fn.Params {
			ft := r.finTypeOf(p.Type())
			if ft == nil {
				continue
			}
			for _, field := range sortedKeys(ft.fields) {
				ev := r.unsafe[fn][relKey{i, field}]
				if ev == nil || ev.instr == nil {
					continue
				}
				r.reportDouble(fn, p, field, ft, ev)
			}
		}
	}
}

func (r *runner) reportDouble(fn *ssa.Function, p *ssa.Parameter, field string, ft *finType, ev *event) {
	name := p.Name()
	obj := name + "." + field
	how := ev.via
	pos := token.NoPos
	if ev.call != nil {
		pos = ev.call.Pos()
	} else {
		how = fmt.Sprintf("%s (through %s)", ev.via, describe(ev.through, ev.through.Name()))
		if syn := r.syntaxOf(fn, ev.instr.Common().Pos()); syn != nil {
			pos = r.idx.UserPos(syn.Pos())
		} else {
			pos = r.idx.UserPos(ev.instr.Pos())
		}
	}
	kind, fix := "finalizer", fmt.Sprintf("call runtime.SetFinalizer(%s, nil) after the release, or set %s = nil and have the finalizer skip nil", name, obj)
	if ft.cleanup {
		kind, fix = "cleanup", "keep the runtime.Cleanup that runtime.AddCleanup returned and call its Stop method after the release"
	}
	d := analysis.Diagnostic{
		Pos:      pos,
		Category: catDoubleRelease,
		Message: fmt.Sprintf("%s releases %s with %s but leaves the %s %s armed on some path: when %s becomes unreachable the %s releases %s again (double free); %s",
			describe(fn, fn.Name()), obj, how, kind, ft.finalizer, name, kind, obj, fix),
	}
	if ft.at.IsValid() {
		d.Related = []analysis.RelatedInformation{{Pos: ft.at, Message: "the " + kind + " is set here"}}
	}
	if !ft.cleanup && ev.call != nil && !ev.call.Deferred && name != "_" {
		if fixPos, indent, ok := r.stmtEnd(ev.call.Pos()); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{{
				Message: fmt.Sprintf("Add runtime.SetFinalizer(%s, nil) after the release", name),
				TextEdits: []analysis.TextEdit{{Pos: fixPos, End: fixPos,
					NewText: []byte(fmt.Sprintf("\n%sruntime.SetFinalizer(%s, nil)", indent, name))}},
			}}
		}
	}
	r.pass.Report(d)
}
