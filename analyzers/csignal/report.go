package csignal

import (
	"fmt"
	"go/constant"
	"go/token"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/passes/cfuncs"
	"github.com/cgolint/cgolint/passes/cindex"
)

// callee names a C call for messages, saying when the function is one of
// the cgo preamble's.
func callee(call *cindex.Call) string {
	what := "C." + call.Name
	if call.Info != nil && call.Info.Origin == cfuncs.OriginPreamble {
		what += " (defined in the cgo preamble)"
	}
	return what
}

func (c *checker) reportNoOnStack(call *cindex.Call, sigs []string) {
	for _, in := range c.installs {
		if in.pos == call.Pos() && in.Reported {
			return // reported as runtime-signal, which is worse
		}
	}
	what := "a signal handler"
	if len(sigs) > 0 {
		what = "a handler for " + strings.Join(sigs, ", ")
	}
	fix := "install it with sigaction and SA_ONSTACK in sa_flags"
	if call.Name == "sigaction" && call.Info.Origin == cfuncs.OriginBuiltin {
		fix = "add SA_ONSTACK to sa_flags"
	}
	c.pass.Report(analysis.Diagnostic{
		Pos:      call.Pos(),
		End:      call.End(),
		Category: catOnStack,
		Message: fmt.Sprintf("%s installs %s without SA_ONSTACK: when the signal arrives on a Go thread the handler runs on the goroutine's small stack and can crash the program, and if it forwards to Go's handler the runtime aborts with \"non-Go code set up signal handler without SA_ONSTACK flag\"; %s",
			callee(call), what, fix),
	})
}

// pipeChildReason says what goes wrong when C gives SIGPIPE or SIGCHLD the
// disposition d in a program that links what links says, or "" when
// nothing is known to.
func pipeChildReason(sig string, d uint8, links uint8) (reason, fix string) {
	switch sig {
	case "SIGPIPE":
		exec := links&linksExec != 0
		net := links&linksNet != 0
		switch {
		case d == dispIgnore && exec, d == dispUnknown && exec:
			return "children started by os/exec inherit an ignored SIGPIPE (they no longer stop on a closed pipe), and a handler or SIG_DFL makes a write to a closed pipe run C code or kill the process instead of returning EPIPE",
				"avoid SIGPIPE in C (MSG_NOSIGNAL, SO_NOSIGPIPE) and leave SIGPIPE to the Go runtime"
		case (d == dispHandler || d == dispDefault) && (exec || net):
			return "the Go runtime turns writes to closed sockets and pipes into EPIPE errors; with this disposition a write to a closed connection kills the process (SIG_DFL) or runs the C handler on a Go thread",
				"leave SIGPIPE to the Go runtime (avoid it in C with MSG_NOSIGNAL or SO_NOSIGPIPE)"
		}
	case "SIGCHLD":
		if links&linksExec == 0 {
			return "", ""
		}
		switch d {
		case dispIgnore:
			return "an ignored SIGCHLD makes the kernel reap children itself, so os/exec's Wait fails with \"no child processes\"",
				"leave SIGCHLD alone and wait for C's children by pid"
		case dispHandler:
			return "a C SIGCHLD handler that reaps children steals the exit status os/exec's Wait needs",
				"leave SIGCHLD alone and wait for C's children by pid"
		}
	}
	return "", ""
}

func linkWords(links uint8) string {
	switch {
	case links&linksExec != 0 && links&linksNet != 0:
		return "net and os/exec"
	case links&linksExec != 0:
		return "os/exec"
	}
	return "net"
}

// reportRuntime reports C dispositions for the signals the runtime owns:
// at the C call for this package's installs, and in a main package for
// the SIGPIPE and SIGCHLD installs of its imports that only the whole
// program makes wrong.
func (c *checker) reportRuntime() {
	var calls []token.Pos
	byCall := make(map[token.Pos][]*install)
	for _, in := range c.installs {
		if in.Load {
			continue // the runtime installs its own handlers after load
		}
		if byCall[in.pos] == nil {
			calls = append(calls, in.pos)
		}
		byCall[in.pos] = append(byCall[in.pos], in)
	}
	for _, call := range calls {
		var sigs, reasons, fixes []string
		disp := dispUnknown
		first := byCall[call][0]
		for _, in := range byCall[call] {
			var reason, fix string
			if r := owned[in.Sig]; r != "" {
				reason, fix = r, "leave "+in.Sig+" to the Go runtime"
			} else {
				reason, fix = pipeChildReason(in.Sig, in.Disp, c.links)
				if reason != "" {
					reason = "this package links " + linkWords(c.links) + ": " + reason
				}
			}
			if reason == "" {
				continue
			}
			in.Reported = true
			sigs = append(sigs, in.Sig)
			disp = in.Disp
			if !slices.Contains(reasons, reason) {
				reasons = append(reasons, reason)
			}
			if !slices.Contains(fixes, fix) {
				fixes = append(fixes, fix)
			}
		}
		if len(sigs) == 0 {
			continue
		}
		c.pass.Report(analysis.Diagnostic{
			Pos:      first.pos,
			End:      first.end,
			Category: catRuntime,
			Message: fmt.Sprintf("%s gives %s %s, but %s; %s", first.what,
				strings.Join(sigs, ", "), dispWords(disp), strings.Join(reasons, "; "), strings.Join(fixes, ", ")),
		})
	}
	if c.pass.Pkg.Name() != "main" {
		return
	}
	for _, in := range c.imported.Installs {
		if in.Reported || in.Load || owned[in.Sig] != "" {
			continue
		}
		reason, fix := pipeChildReason(in.Sig, in.Disp, c.links)
		if reason == "" {
			continue
		}
		pos := c.importSpec(c.via[installKey(in)])
		if !pos.IsValid() {
			continue
		}
		c.pass.Report(analysis.Diagnostic{
			Pos:      pos,
			Category: catRuntime,
			Message: fmt.Sprintf("%s gives %s %s at %s, and this program links %s: %s; %s",
				in.who(), in.Sig, dispWords(in.Disp), site(in.Pkg, in.Pos), linkWords(c.links), reason, fix),
			Related: c.installedHere(in, nil),
		})
	}
}

// installedHere returns related, with first the place (in another
// package) where in sets its disposition, when its file can be read.
func (c *checker) installedHere(in Install, related []analysis.RelatedInformation) []analysis.RelatedInformation {
	if p := c.factPos(in.File, in.Pos); p.IsValid() {
		r := analysis.RelatedInformation{Pos: p, Message: in.who() + " gives " + in.Sig + " " + dispWords(in.Disp) + " here"}
		return append([]analysis.RelatedInformation{r}, related...)
	}
	return related
}

// handledHere is installedHere for a Go handling of a signal.
func (c *checker) handledHere(h Handle, related []analysis.RelatedInformation) []analysis.RelatedInformation {
	if p := c.factPos(h.File, h.Pos); p.IsValid() {
		r := analysis.RelatedInformation{Pos: p, Message: handleWords(h) + " here"}
		return append([]analysis.RelatedInformation{r}, related...)
	}
	return related
}

// linkedThrough returns the Related entry for the import of this package
// that links what the fact key names, or nil.
func (c *checker) linkedThrough(key, what string) []analysis.RelatedInformation {
	if p := c.importSpec(c.via[key]); p.IsValid() {
		return []analysis.RelatedInformation{{Pos: p, Message: what + " is linked through this import"}}
	}
	return nil
}

// importSpec returns the position of the import of path in this package.
func (c *checker) importSpec(path string) token.Pos {
	q := strconv.Quote(path)
	for _, f := range c.pass.Files {
		for _, spec := range f.Imports {
			if spec.Path.Value == q {
				return spec.Pos()
			}
		}
	}
	return token.NoPos
}

const (
	conflictWhy = "a process has one disposition per signal, so one side silently loses it (a C disposition set from Go keeps the signal from the Go runtime, and a Notify channel never receives it, whether C ran before or after Notify)"
	loadWhy     = "a process has one disposition per signal: the Go runtime starts after the constructor and passes the signal on to the C disposition only while Go does not handle it, so once os/signal handles the signal the C code's disposition silently stops working"
)

// why explains a conflict with in.
func why(in Install) string {
	if in.Load {
		return loadWhy
	}
	return conflictWhy
}

func handleWords(h Handle) string {
	verb := "handles"
	switch h.Op {
	case "Ignore":
		verb = "ignores"
	case "Reset":
		verb = "resets"
	}
	who := "signal." + h.Op
	if h.Through != "" {
		who = h.Through + " (which calls signal." + h.Op + ")"
	}
	if h.Sig == "*" {
		all := map[string]string{"handles": "catches", "ignores": "ignores", "resets": "resets"}[verb]
		return fmt.Sprintf("%s with no signals %s all", who, all)
	}
	return fmt.Sprintf("%s %s %s", who, verb, h.Sig)
}

// reportConflicts reports signals both given a C disposition and handled
// from Go: in the package that does both, and in a main package for the
// whole program.
func (c *checker) reportConflicts() {
	isMain := c.pass.Pkg.Name() == "main"
	type inRec struct {
		Install
		local *install
	}
	type hRec struct {
		Handle
		local *handle
	}
	var ins []inRec
	for _, in := range c.installs {
		ins = append(ins, inRec{in.Install, in})
	}
	for _, in := range c.imported.Installs {
		ins = append(ins, inRec{in, nil})
	}
	var hs []hRec
	for _, h := range c.handles {
		hs = append(hs, hRec{h.Handle, h})
	}
	for _, h := range c.imported.Handles {
		hs = append(hs, hRec{h, nil})
	}
	reported := make(map[string]bool)
	for _, h := range hs {
		var all []inRec // for a local Notify with no signals: one finding
		for _, in := range ins {
			if h.Sig != in.Sig && (h.Sig != "*" || owned[in.Sig] != "") {
				continue
			}
			if h.Op == "Ignore" && in.Disp == dispIgnore {
				continue // both sides ignore it
			}
			switch {
			case h.local != nil && in.local != nil:
			case !isMain:
				continue
			case h.local == nil && in.local == nil && h.Pkg == in.Pkg:
				continue // reported in the package that does both
			}
			key := handleKey(h.Handle) + installKey(in.Install)
			if reported[key] {
				continue
			}
			reported[key] = true
			if h.Sig == "*" && h.local != nil {
				all = append(all, in)
				continue
			}
			fix := "handle " + in.Sig + " on one side only"
			var d analysis.Diagnostic
			switch {
			case h.local != nil:
				format := "%s, but %s gives it %s at %s: %s; %s"
				if h.Sig == "*" {
					format = "%s, including " + in.Sig + ", which %s gives %s at %s: %s; %s"
				}
				d = analysis.Diagnostic{
					Pos:     h.local.pos,
					Message: fmt.Sprintf(format, handleWords(h.Handle), in.who(), dispWords(in.Disp), site(in.Pkg, in.Pos), why(in.Install), fix),
				}
				if in.local != nil {
					p, e := in.local.relPos()
					d.Related = []analysis.RelatedInformation{{Pos: p, End: e, Message: in.who() + " gives " + in.Sig + " " + dispWords(in.Disp) + " here"}}
				} else {
					d.Related = c.installedHere(in.Install, c.linkedThrough(installKey(in.Install), "the package that gives "+in.Sig+" "+dispWords(in.Disp)))
				}
			case in.local != nil:
				d = analysis.Diagnostic{
					Pos:     in.local.pos,
					End:     in.local.end,
					Message: fmt.Sprintf("%s gives %s %s, but %s at %s: %s; %s", in.who(), in.Sig, dispWords(in.Disp), handleWords(h.Handle), site(h.Pkg, h.Pos), why(in.Install), fix),
				}
				d.Related = c.handledHere(h.Handle, c.linkedThrough(handleKey(h.Handle), "the package that calls signal."+h.Op))
				if in.local.cpos.IsValid() {
					// Load-time C code: the C line that installs it.
					d.Related = append([]analysis.RelatedInformation{{Pos: in.local.cpos, Message: in.who() + " gives " + in.Sig + " " + dispWords(in.Disp) + " here"}}, d.Related...)
				}
			default:
				pos := c.importSpec(c.via[installKey(in.Install)])
				if !pos.IsValid() {
					continue
				}
				d = analysis.Diagnostic{
					Pos:     pos,
					Message: fmt.Sprintf("this program gives %s two dispositions: %s gives it %s at %s, and %s at %s: %s; %s", in.Sig, in.who(), dispWords(in.Disp), site(in.Pkg, in.Pos), handleWords(h.Handle), site(h.Pkg, h.Pos), why(in.Install), fix),
				}
				d.Related = c.installedHere(in.Install, nil)
				d.Related = c.handledHere(h.Handle, d.Related)
				if p := c.importSpec(c.via[handleKey(h.Handle)]); p.IsValid() && p != pos {
					d.Related = append(d.Related, analysis.RelatedInformation{Pos: p, Message: "the package that calls signal." + h.Op + " is linked through this import"})
				}
			}
			d.Category = catConflict
			c.pass.Report(d)
		}
		if len(all) == 0 {
			continue
		}
		var parts, names []string
		d := analysis.Diagnostic{Pos: h.local.pos, Category: catConflict}
		for _, in := range all {
			parts = append(parts, fmt.Sprintf("%s (%s gives it %s at %s)", in.Sig, in.who(), dispWords(in.Disp), site(in.Pkg, in.Pos)))
			if !slices.Contains(names, in.Sig) {
				names = append(names, in.Sig)
			}
			if in.local != nil {
				p, e := in.local.relPos()
				d.Related = append(d.Related, analysis.RelatedInformation{Pos: p, End: e, Message: in.who() + " gives " + in.Sig + " " + dispWords(in.Disp) + " here"})
			} else {
				d.Related = c.installedHere(in.Install, d.Related)
				if p := c.importSpec(c.via[installKey(in.Install)]); p.IsValid() && !slices.ContainsFunc(d.Related, func(r analysis.RelatedInformation) bool { return r.Pos == p }) {
					d.Related = append(d.Related, analysis.RelatedInformation{Pos: p, Message: "a package that gives C dispositions is linked through this import"})
				}
			}
		}
		d.Message = fmt.Sprintf("%s, including %s: %s; handle %s on one side only (or list the signals Notify should catch)",
			handleWords(h.Handle), strings.Join(parts, ", "), conflictWhy, strings.Join(names, ", "))
		c.pass.Report(d)
	}
}

// findMasks reports signal-mask changes from goroutines that are not
// locked to their OS thread.
func (c *checker) findMasks() {
	for _, call := range c.idx.Calls() {
		f := call.Info
		if f == nil || f.Signal != cfuncs.Masks {
			continue
		}
		if f.Origin == cfuncs.OriginBuiltin && len(call.Args) >= 2 && isNil(call.Args[1]) {
			continue // sigprocmask(how, NULL, &old) only reads the mask
		}
		if f.Origin == cfuncs.OriginBuiltin && len(call.Args) >= 1 && c.isUnblock(call.Args[0]) {
			continue // Go's threads run with signals unblocked already
		}
		if c.lockedAt(call.Func, call.Instr, 2) {
			continue
		}
		c.pass.Report(analysis.Diagnostic{
			Pos:      call.Pos(),
			End:      call.End(),
			Category: catMask,
			Message: fmt.Sprintf("%s changes the signal mask of the current OS thread, but the goroutine is not locked to it: the goroutine can move to another thread while the changed mask stays behind on this one, which then runs other goroutines; call runtime.LockOSThread first and keep the thread locked while the mask matters",
				callee(call)),
		})
	}
}

// lockedAt reports whether the goroutine running instr in fn is locked to
// its thread: fn is an init function (the runtime locks the main goroutine
// during initialisation), a call of runtime.LockOSThread in fn precedes
// instr on every path, or (depth permitting) fn is an unexported function
// of this package whose every call is locked.
func (c *checker) lockedAt(fn *ssa.Function, instr ssa.Instruction, depth int) bool {
	if fn.Parent() == nil && fn.Signature.Recv() == nil && (fn.Name() == "init" || strings.HasPrefix(fn.Name(), "init#")) {
		return true
	}
	for _, b := range fn.Blocks {
		for _, ins := range b.Instrs {
			call, ok := ins.(*ssa.Call)
			if !ok {
				continue
			}
			callee := call.Call.StaticCallee()
			if callee == nil || callee.Pkg == nil || callee.Pkg.Pkg.Path() != "runtime" || callee.Name() != "LockOSThread" {
				continue
			}
			if b == instr.Block() {
				if index(b, ins) < index(b, instr) {
					return true
				}
			} else if b.Dominates(instr.Block()) {
				return true
			}
		}
	}
	if depth == 0 {
		return false
	}
	if obj := fn.Object(); obj != nil && obj.Exported() {
		return false // callable from anywhere
	}
	if fn.Parent() == nil && fn.Object() == nil {
		return false
	}
	s, err := c.idx.SSA()
	if err != nil {
		return false
	}
	calls := 0
	for _, g := range s.SrcFuncs {
		for _, b := range g.Blocks {
			for _, ins := range b.Instrs {
				switch ins := ins.(type) {
				case *ssa.Call:
					if ins.Call.StaticCallee() == fn || isClosureOf(ins.Call.Value, fn) {
						calls++
						if !c.lockedAt(g, ins, depth-1) {
							return false
						}
					}
				case *ssa.Go, *ssa.Defer:
					ci := ins.(ssa.CallInstruction)
					if ci.Common().StaticCallee() == fn || isClosureOf(ci.Common().Value, fn) {
						return false
					}
				}
				// A function value that escapes (stored, passed) may be
				// called from anywhere: stay with what the calls show.
				if mc, ok := ins.(*ssa.MakeClosure); ok && mc.Fn == fn {
					continue
				}
				for _, op := range ins.Operands(nil) {
					if op != nil && (*op == fn || isClosureOf(*op, fn)) {
						if ci, ok := ins.(ssa.CallInstruction); ok && ci.Common().Value == *op {
							continue
						}
						return false
					}
				}
			}
		}
	}
	return calls > 0
}

// isUnblock reports whether v is the constant SIG_UNBLOCK.
func (c *checker) isUnblock(v ssa.Value) bool {
	k, ok := unwrap(v).(*ssa.Const)
	if !ok || k.Value == nil || k.Value.Kind() != constant.Int {
		return false
	}
	n, _ := constant.Int64Val(k.Value)
	switch c.goos {
	case "darwin", "ios", "freebsd", "netbsd", "openbsd", "dragonfly":
		return n == 2
	}
	return n == 1
}

func isClosureOf(v ssa.Value, fn *ssa.Function) bool {
	mc, ok := v.(*ssa.MakeClosure)
	return ok && mc.Fn == fn
}

func index(b *ssa.BasicBlock, instr ssa.Instruction) int {
	for i, ins := range b.Instrs {
		if ins == instr {
			return i
		}
	}
	return -1
}
