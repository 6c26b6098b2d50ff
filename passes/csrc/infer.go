package csrc

import (
	"slices"
	"strings"

	"github.com/cgolint/cgolint/passes/cfuncs"
)

// This file infers knowledge-base roles from function summaries,
// interprocedurally: calls to other functions of the package count like
// calls to known ones, and inference runs to a fixpoint, so roles pass
// through any number of wrappers, across the preamble and the package's
// .c files.

// execs replace a forked child's image: with one of them in the same body,
// a fork is the fork-exec idiom and no Go code runs in the child. _exit is
// not one: a daemonizing helper calls it in the parent, and the child goes
// on running Go code.
var execs = map[string]bool{
	"execl": true, "execlp": true, "execle": true, "execv": true, "execvp": true,
	"execvpe": true, "execve": true, "fexecve": true, "execveat": true,
}

// installers that never set SA_ONSTACK (unlike sigaction).
var plainInstallers = map[string]bool{"signal": true, "sigset": true, "bsd_signal": true, "sysv_signal": true}

// maxBlockDepth bounds how deep in the package's own C functions the
// witness of Blocks may be: a function blocks if it calls a function
// known to block (a blocking libc call, a library function the knowledge
// base says blocks), or calls a function of the package that does so,
// within maxBlockDepth calls (1: it calls read itself; 3: a preamble
// wrapper, its .c helper and the helper's helper, the deepest chain of
// wrappers seen in real bindings).
//
// Why a bound: the claim "this call may block" is about what the
// function does, and each call level below it is a condition the summary
// does not see. In a bundled library the call graph reaches nearly
// everything: in the SQLite amalgamation (go-sqlite3) the only direct
// blocking calls are pthread_join (joining the sorter's worker threads,
// which exist only when multi-threaded sorting is configured; SQLite's
// default is none), and the mutex and sleep methods that SQLite calls
// through function pointers. sqlite3_reset reached pthread_join 11 calls
// down, sqlite3_step 8, sqlite3_prepare_v2 15: 11 findings of cblocking on
// go-sqlite3 rested on that path alone. What a library function does is
// said by the library's documentation, which the knowledge base carries
// (sqlite3_sleep blocks), not by a deep path through its internals.
const maxBlockDepth = 3

// inferrer holds the state of one inference over a package's functions.
type inferrer struct {
	kb      *cfuncs.KB
	defs    map[string]*summary
	order   []string // names of defs, sorted
	out     map[string]*cfuncs.Func
	signals map[int64]string // signal numbers to names
	// blockDepth is, per function of the package, the fewest calls from
	// it down to a call of a function known to block (1: it makes that
	// call itself); absent if there is none.
	blockDepth map[string]int
}

// infer returns the roles of every function in defs, given kb (what the
// rest of the program's C functions are known to do) and the names of the
// signal numbers.
func infer(kb *cfuncs.KB, defs map[string]*summary, signals map[int64]string) map[string]*cfuncs.Func {
	inf := &inferrer{kb: kb, defs: defs, out: make(map[string]*cfuncs.Func, len(defs)), signals: signals, blockDepth: map[string]int{}}
	for name := range defs {
		inf.order = append(inf.order, name)
		inf.out[name] = newFunc(name)
	}
	slices.Sort(inf.order)
	// Each round can only add roles and shorten block depths, so this
	// terminates; the bound is a safety net.
	for range len(defs) + 2 {
		changed := false
		for _, name := range inf.order {
			f, depth := inf.inferOne(defs[name])
			if !equalFunc(f, inf.out[name]) {
				inf.out[name] = f
				changed = true
			}
			if old, ok := inf.blockDepth[name]; depth > 0 && (!ok || depth < old) {
				inf.blockDepth[name] = depth
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	return inf.out
}

func newFunc(name string) *cfuncs.Func {
	return &cfuncs.Func{Name: name, SignalArg: -1, OnStack: -1, Origin: cfuncs.OriginPreamble}
}

// callee returns what is known about the function name: the package's own
// definition first, then the knowledge base.
func (inf *inferrer) callee(name string) *cfuncs.Func {
	if f, ok := inf.out[name]; ok {
		return f
	}
	return inf.kb.Lookup(name)
}

// hasRole reports whether f says anything.
func hasRole(f *cfuncs.Func) bool {
	return f.Allocates || len(f.AllocOut) > 0 || len(f.Frees) > 0 || len(f.Takes) > 0 || len(f.Keeps) > 0 ||
		f.Blocks || f.ThreadAffine || f.Signal != cfuncs.None || f.Hostile != cfuncs.NotHostile
}

func equalFunc(a, b *cfuncs.Func) bool {
	return a.Allocates == b.Allocates && a.Dealloc == b.Dealloc && a.Family == b.Family &&
		slices.Equal(a.AllocOut, b.AllocOut) && slices.Equal(a.Frees, b.Frees) &&
		slices.Equal(a.Takes, b.Takes) && slices.Equal(a.Keeps, b.Keeps) &&
		a.Blocks == b.Blocks && a.ThreadAffine == b.ThreadAffine &&
		a.Signal == b.Signal && a.SignalArg == b.SignalArg &&
		slices.Equal(a.Signals, b.Signals) && a.OnStack == b.OnStack && a.Hostile == b.Hostile &&
		a.SavesOld == b.SavesOld && a.Reinstalls == b.Reinstalls
}

// signalAcc accumulates the effect of one signal role.
type signalAcc struct {
	seen    bool
	arg     int
	signals []string
}

func addIdx(s *[]int, i int) {
	if !slices.Contains(*s, i) {
		*s = append(*s, i)
	}
}

// isInstall reports whether call c of installer g sets a disposition:
// sigaction(sig, NULL, &old) only reads one.
func isInstall(g *cfuncs.Func, c call) bool {
	if g.Signal != cfuncs.Installs {
		return false
	}
	if g.Name == "sigaction" && g.Origin != cfuncs.OriginPreamble && len(c.Args) >= 2 && c.Args[1].Null {
		return false
	}
	return true
}

// handlerArg classifies the handler argument of signal() and friends.
func handlerArg(a arg) uint8 {
	switch {
	case a.Null:
		return dispDefault
	case a.Int != nil && *a.Int == 1:
		return dispIgnore
	case a.Int != nil:
		return dispDefault // SIG_ERR, SIG_HOLD: no handler runs
	case a.Ident != "":
		return dispHandler
	}
	return dispUnknown
}

// inferOne infers d's roles from what its callees are known to do now, and
// returns them with d's block depth (0: none).
func (inf *inferrer) inferOne(d *summary) (*cfuncs.Func, int) {
	f := newFunc(d.Name)
	depth := 0
	var (
		roles          [4]signalAcc // indexed by SignalRole
		onWith, onWout bool
		execsToo       bool
		sigaction      bool // installs with sigaction itself
		savesOld       bool
		reinstalls     = true
		installs       bool
		read           = map[string]bool{} // locals filled by sigaction(sig, NULL, &v)
	)
	for r := range roles {
		roles[r].arg = -1
	}
	for _, c := range d.Calls {
		if execs[c.Name] {
			execsToo = true
		}
		inf.destructorArg(d, f, c)
		g := inf.callee(c.Name)
		if g == nil {
			continue // unknown: borrows
		}
		if dd := inf.callDepth(c.Name); dd > 0 && (depth == 0 || dd < depth) {
			depth = dd
		}
		if g.ThreadAffine {
			f.ThreadAffine = true
		}
		if f.Hostile == cfuncs.NotHostile {
			f.Hostile = g.Hostile
		}
		if g.IsDeallocator() {
			for _, i := range g.Frees {
				if i < len(c.Args) && c.Args[i].Param >= 0 {
					addIdx(&f.Frees, c.Args[i].Param)
					if f.Family == "" {
						f.Family = g.Family
					}
				}
			}
		}
		for _, i := range g.Takes {
			if i < len(c.Args) && c.Args[i].Param >= 0 {
				addIdx(&f.Takes, c.Args[i].Param)
			}
		}
		for _, i := range g.Keeps {
			if i < len(c.Args) && c.Args[i].Param >= 0 {
				addIdx(&f.Keeps, c.Args[i].Param)
			}
		}
		if g.Signal == cfuncs.None {
			continue
		}
		// What the install does to the dispositions in force.
		if g.Signal == cfuncs.Installs {
			switch {
			case g.Origin == cfuncs.OriginPreamble:
				installs = true
				savesOld = savesOld || g.SavesOld
				reinstalls = reinstalls && g.Reinstalls
			case g.Name == "sigaction" && len(c.Args) >= 3:
				if c.Args[1].Null {
					if c.Args[2].Addr && c.Args[2].Local != "" {
						read[c.Args[2].Local] = true
					}
					break
				}
				installs = true
				if !c.Args[2].Null {
					savesOld = true
				}
				if !(c.Args[1].Addr && read[c.Args[1].Local]) {
					reinstalls = false
				}
			default:
				installs = true
				reinstalls = false
			}
		}
		if isInstall(g, c) {
			switch {
			case g.Origin == cfuncs.OriginPreamble:
				switch g.OnStack {
				case 0:
					onWout = true
				case 1:
					onWith = true
				}
			case g.Name == "sigaction":
				sigaction = true // decided from the sa_flags stores below
			default:
				// signal() and friends never set SA_ONSTACK; it only
				// matters when a handler runs.
				if len(c.Args) < 2 || handlerArg(c.Args[1]) == dispHandler || handlerArg(c.Args[1]) == dispUnknown {
					onWout = true
				}
			}
		} else if g.Signal == cfuncs.Installs {
			continue
		}
		acc := &roles[g.Signal]
		acc.seen = true
		acc.signals = append(acc.signals, g.Signals...)
		if g.SignalArg >= 0 && g.SignalArg < len(c.Args) {
			a := c.Args[g.SignalArg]
			switch {
			case a.Param >= 0:
				acc.arg = a.Param
			case a.Int != nil:
				if s, ok := inf.signals[*a.Int]; ok {
					acc.signals = append(acc.signals, s)
				}
			}
		}
	}
	if f.Hostile == cfuncs.Fork && execsToo {
		// fork then exec in the child, as posix_spawn does: no Go code
		// runs in the child, which is what os/exec does too.
		f.Hostile = cfuncs.NotHostile
	}
	for _, r := range []cfuncs.SignalRole{cfuncs.Installs, cfuncs.Masks, cfuncs.Raises} {
		if acc := roles[r]; acc.seen {
			f.Signal, f.SignalArg = r, acc.arg
			slices.Sort(acc.signals)
			f.Signals = slices.Compact(acc.signals)
			break
		}
	}
	if f.Signal == cfuncs.Installs {
		switch {
		case onWout:
			f.OnStack = 0
		case onWith:
			f.OnStack = 1
		}
		if f.OnStack != 0 && sigaction && handlerRuns(d) {
			switch st := flagsState(d.Flags); {
			case st >= 0:
				f.OnStack = st
			case st == -1 && d.ZeroInit:
				f.OnStack = 0
			}
		}
		f.SavesOld = savesOld
		f.Reinstalls = installs && reinstalls
	}
	slices.Sort(f.Frees)
	slices.Sort(f.Takes)
	slices.Sort(f.Keeps)
	for _, k := range d.Keeps {
		addIdx(&f.Keeps, k)
	}
	slices.Sort(f.Keeps)
	inf.inferAlloc(d, f)
	f.Blocks = depth > 0 && depth <= maxBlockDepth
	return f, depth
}

// callDepth returns the block depth a call of name gives the caller: 1 for
// a function the knowledge base says blocks (even where the package
// defines it: a bundled library's function the shipped data describes),
// one more than the callee's own for a function of the package, 0 for
// none.
func (inf *inferrer) callDepth(name string) int {
	if k := inf.kb.Lookup(name); k != nil && k.Blocks {
		return 1
	}
	if _, own := inf.out[name]; !own {
		return 0
	}
	if d, ok := inf.blockDepth[name]; ok {
		return d + 1
	}
	return 0
}

// handlerRuns reports whether the handlers a body stores into its struct
// sigaction may run: false when every one it stores is SIG_IGN or SIG_DFL.
func handlerRuns(d *summary) bool {
	if len(d.Handlers) == 0 {
		return true
	}
	for _, h := range d.Handlers {
		if h == dispHandler || h == dispUnknown {
			return true
		}
	}
	return false
}

// flagsState returns what the sa_flags stores of a body say: 1 SA_ONSTACK
// set, 0 not set, -1 no store, -2 a store of an unknown value.
func flagsState(ops []flagOp) int8 {
	st := int8(-1)
	for _, op := range ops {
		switch op.Op {
		case '=':
			st = op.OnStack
			if st < 0 {
				st = -2
			}
		case '|':
			switch {
			case op.OnStack == 1:
				st = 1
			case op.OnStack == 0 && st == -1:
				st = 0
			case op.OnStack < 0 && st != 1:
				st = -2
			}
		case '&':
			switch {
			case op.OnStack == 0:
				if st == 1 {
					st = 0
				}
			case op.OnStack < 0:
				st = -2
			}
		}
	}
	return st
}

// destructorArg records, for a call passing a deallocator as a function
// pointer (`lib_bind(s, p, n, free)`, `&free`, or a function of the
// package that frees), that the pointer argument nearest before it, if it
// is a parameter, is taken: the library frees it later.
func (inf *inferrer) destructorArg(d *summary, f *cfuncs.Func, c call) {
	for k, a := range c.Args {
		if a.Ident == "" || a.Ident == c.Name {
			continue
		}
		g := inf.callee(a.Ident)
		if !g.IsDeallocator() {
			continue
		}
		for j := k - 1; j >= 0; j-- {
			b := c.Args[j]
			if b.Null || b.Int != nil {
				continue
			}
			ptr := b.Ptr
			if b.Param >= 0 && ptr < 0 && b.Param < len(d.ParamPtr) {
				ptr = d.ParamPtr[b.Param]
			}
			if ptr == 0 {
				continue
			}
			if b.Param >= 0 {
				addIdx(&f.Takes, b.Param)
			}
			break
		}
	}
}

// allocCall returns the allocator called by name, if it is one.
func (inf *inferrer) allocator(name string) *cfuncs.Func {
	if name == "" {
		return nil
	}
	if g := inf.callee(name); g != nil && g.Allocates {
		return g
	}
	return nil
}

// inferAlloc sets Allocates, Dealloc, Family and AllocOut on f from the
// returns and stores of d.
func (inf *inferrer) inferAlloc(d *summary, f *cfuncs.Func) {
	for _, o := range d.Outs {
		if g := inf.allocator(o.Call); g != nil {
			addIdx(&f.AllocOut, o.Param)
			f.Dealloc, f.Family = g.Dealloc, g.Family
		}
	}
	slices.Sort(f.AllocOut)
	// A local holds owned memory when every assignment to it is an
	// allocator of one family or NULL.
	localAlloc := func(name string) *cfuncs.Func {
		l := d.Locals[name]
		if l == nil || l.Other {
			return nil
		}
		var a *cfuncs.Func
		for _, c := range l.Calls {
			g := inf.allocator(c)
			if g == nil || a != nil && a.Family != g.Family {
				return nil
			}
			a = g
		}
		return a
	}
	var (
		alloc *cfuncs.Func
		mixed bool
	)
	for _, r := range d.Returns {
		var g *cfuncs.Func
		switch {
		case r.Call != "":
			g = inf.allocator(r.Call)
		case r.Local != "":
			g = localAlloc(r.Local)
		case r.Null || r.Empty:
			continue
		}
		if g != nil && (alloc == nil || alloc.Family == g.Family) {
			alloc = g
			continue
		}
		mixed = true
	}
	if alloc != nil && !mixed {
		f.Allocates = true
		f.Dealloc, f.Family = alloc.Dealloc, alloc.Family
	}
}

// canonicalSignals prefers one name for signal numbers with several.
var preferred = map[string]bool{"SIGIO": true, "SIGABRT": true, "SIGCHLD": true, "SIGSYS": true}

// signalNames adds to m the signal numbers that macros name ("SIGINT" 2).
func signalNames(m map[int64]string, macros map[string]int64) {
	for name, v := range macros {
		if !isSignalName(name) {
			continue
		}
		if old, ok := m[v]; ok && (preferred[old] || !preferred[name] && old < name) {
			continue
		}
		m[v] = name
	}
}

func isSignalName(s string) bool {
	if len(s) < 4 || !strings.HasPrefix(s, "SIG") || s[3] == '_' {
		return false
	}
	switch s {
	case "SIGRTMIN", "SIGRTMAX", "SIGSTKSZ", "SIGSTKFLT", "SIGUNUSED", "SIGEV_NONE", "SIGEV_SIGNAL", "SIGEV_THREAD":
		return false
	}
	for i := 3; i < len(s); i++ {
		if !('A' <= s[i] && s[i] <= 'Z' || '0' <= s[i] && s[i] <= '9') {
			return false
		}
	}
	return true
}
