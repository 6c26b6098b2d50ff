package chostile

import (
	_ "embed"
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/cgolint/cgolint/internal/docutil"
	"github.com/cgolint/cgolint/passes/cfuncs"
	"github.com/cgolint/cgolint/passes/cindex"
)

//go:embed doc.go
var doc string

// Analyzer reports hostile C calls, using the default C-call index.
var Analyzer = New(cindex.Analyzer)

// New returns a chostile analyzer that reads the given C-call index (an
// analyzer built by cindex.New).
func New(index *analysis.Analyzer) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:     "chostile",
		Doc:      docutil.MustExtract(doc, "chostile"),
		URL:      "https://pkg.go.dev/github.com/cgolint/cgolint/analyzers/chostile",
		Requires: []*analysis.Analyzer{index},
		Run: func(pass *analysis.Pass) (any, error) {
			return cindex.Check(pass, index, func(idx *cindex.Index) error {
				run(pass, idx)
				return nil
			})
		},
	}
}

// hazard is what chostile says about one kind of hostile call.
type hazard struct {
	category string
	effect   string // what happens, after "C.f called from Go"
	fix      string
}

var hazards = map[cfuncs.Hostile]hazard{
	cfuncs.ThreadExit: {"thread-exit",
		"ends the OS thread under the Go runtime: the goroutine never returns and its defers never run",
		"return from the goroutine, or call runtime.Goexit"},
	cfuncs.ThreadCancel: {"thread-cancel",
		"may cancel a thread the Go runtime owns, which dies with runtime state on it",
		"stop Go work with a context or channel, and C work with the library's own cancellation"},
	cfuncs.Fork: {"fork",
		"copies the multithreaded Go process with only the calling thread, so the child's runtime (other threads, their locks, the GC) is broken",
		"use os/exec or syscall.ForkExec, which exec at once in the child"},
	cfuncs.NonlocalJump: {"nonlocal-jump",
		"jumps across the cgo call boundary, skipping the runtime's bookkeeping and Go defers, and crashes",
		"keep setjmp and longjmp inside one C function and return an error code to Go"},
	cfuncs.ContextSwitch: {"context-switch",
		"switches stacks behind the Go runtime's back, so its stack bookkeeping no longer matches",
		"use goroutines, or keep context switching entirely inside C"},
}

// loadHazards are the hostile calls that still hurt when a C constructor
// makes them, at load time, before the Go runtime starts (no Go thread or
// frame exists yet, so cancelling threads and nonlocal jumps cannot reach
// Go). Verified with a cgo program: after a constructor's fork, parent and
// child both run the whole Go program.
var loadHazards = map[cfuncs.Hostile]hazard{
	cfuncs.ThreadExit: {"thread-exit",
		"ends the main thread before the Go runtime starts, so the program exits without ever running main",
		"return from the constructor instead"},
	cfuncs.Fork: {"fork",
		"duplicates the process before the Go runtime starts, so parent and child each go on to run the whole Go program (runtime, init functions, main)",
		"exec or _exit in one of the processes, or start processes from Go with os/exec"},
}

func run(pass *analysis.Pass, idx *cindex.Index) {
	for _, ct := range idx.CSource().Ctors {
		s := ct.Hostile
		if s == nil {
			continue
		}
		g := idx.KB().Lookup(s.Via)
		if g == nil {
			continue
		}
		h, ok := loadHazards[g.Hostile]
		if !ok || g.Hostile == cfuncs.Fork && ct.Exits {
			continue
		}
		pos := idx.ImportC(ct.File)
		if !pos.IsValid() {
			continue
		}
		what := s.Via
		if g.Origin == cfuncs.OriginPreamble {
			what += fmt.Sprintf(", which calls %s", hostileCallee(g.Hostile))
		}
		d := analysis.Diagnostic{
			Pos:      pos,
			Category: h.category,
			Message: fmt.Sprintf("the C constructor %s of this package calls %s when the program loads: it %s; %s",
				ct.Name, what, h.effect, h.fix),
		}
		if cp := idx.CPos(s.File, s.Line, s.Col); cp.IsValid() {
			d.Related = []analysis.RelatedInformation{{Pos: cp, Message: "the constructor " + ct.Name + " calls " + s.Via + " here"}}
		}
		pass.Report(d)
	}
	for _, c := range idx.Calls() {
		if c.Info == nil || c.Info.Hostile == cfuncs.NotHostile {
			continue
		}
		h, ok := hazards[c.Info.Hostile]
		if !ok {
			continue
		}
		what := "C." + c.Name
		if c.Info.Origin == cfuncs.OriginPreamble {
			what += fmt.Sprintf(" (its preamble definition calls %s)", hostileCallee(c.Info.Hostile))
		}
		pass.Report(analysis.Diagnostic{
			Pos:      c.Pos(),
			Category: h.category,
			Message:  fmt.Sprintf("%s called from Go %s; %s", what, h.effect, h.fix),
		})
	}
}

// hostileCallee names the family of libc calls behind a preamble function's role.
func hostileCallee(h cfuncs.Hostile) string {
	switch h {
	case cfuncs.ThreadExit:
		return "pthread_exit"
	case cfuncs.ThreadCancel:
		return "pthread_cancel"
	case cfuncs.Fork:
		return "fork"
	case cfuncs.NonlocalJump:
		return "longjmp or setjmp"
	case cfuncs.ContextSwitch:
		return "setcontext or swapcontext"
	}
	return "a hostile function"
}
