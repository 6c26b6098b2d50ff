package csignal

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Disposition kinds of an install.
const (
	dispUnknown uint8 = iota // not visible
	dispHandler              // a handler function
	dispIgnore               // SIG_IGN
	dispDefault              // SIG_DFL
)

// What a program links that makes SIGPIPE and SIGCHLD the runtime's.
const (
	linksNet  uint8 = 1 << iota // package net: writes to closed sockets
	linksExec                   // package os/exec: children, pipes, Wait
)

// An Install is one C disposition for one signal, set by a C call from Go.
type Install struct {
	Sig      string // "SIGUSR1"
	Pkg      string // import path of the package with the call
	Pos      string // "file.go:line:col" in that package
	File     string // the absolute name of that file, for a Related position
	Via      string // the C function called from Go: "signal", "install_handlers"
	Disp     uint8  // dispHandler, dispIgnore, dispDefault or dispUnknown
	OnStack  int8   // 1 with SA_ONSTACK, 0 without, -1 unknown
	Reported bool   // a runtime-signal finding was already reported at the call
	Through  string // the Go function called at Pos that calls Via: "binding.Catch", or ""
	// Load says that Via is a C constructor of the package, which sets the
	// disposition when the program loads, before the Go runtime starts;
	// Pos is then "file.c:line:col" (or the preamble's Go file).
	Load bool
}

// A Handle is one signal handled from Go with os/signal.
type Handle struct {
	Sig  string // "SIGINT", or "*" for every signal (Notify with no signals)
	Pkg  string
	Pos  string
	File string // as Install.File
	Op   string // "Notify", "NotifyContext", "Ignore", "Reset"
	// Through is the Go function called at Pos that calls signal.Op with
	// its argument: "shutdown.Watch", or "".
	Through string
}

// programFact is the package fact: what the package and everything it
// imports do to signal dispositions, and whether they link net or os/exec.
// Its lists are sorted and free of duplicates.
type programFact struct {
	Installs []Install
	Handles  []Handle
	Links    uint8
	// Wrappers says that the package itself (not its imports) has
	// functions with a wrapperFact, so that importers build SSA to see
	// their calls.
	Wrappers bool
}

func (*programFact) AFact() {}

func (f *programFact) String() string {
	var parts []string
	for _, in := range f.Installs {
		parts = append(parts, fmt.Sprintf("C.%s %s %s", in.Via, in.Sig, dispName(in.Disp)))
	}
	for _, h := range f.Handles {
		parts = append(parts, fmt.Sprintf("signal.%s %s", h.Op, h.Sig))
	}
	if f.Links&linksNet != 0 {
		parts = append(parts, "links net")
	}
	if f.Links&linksExec != 0 {
		parts = append(parts, "links os/exec")
	}
	return "csignal(" + strings.Join(parts, "; ") + ")"
}

func (f *programFact) empty() bool {
	return len(f.Installs) == 0 && len(f.Handles) == 0 && f.Links == 0 && !f.Wrappers
}

// normalize sorts the lists and removes duplicates, so that the fact is the
// same whatever order the imports were read in.
func (f *programFact) normalize() {
	slices.SortFunc(f.Installs, compareInstall)
	f.Installs = slices.CompactFunc(f.Installs, func(a, b Install) bool { return compareInstall(a, b) == 0 })
	slices.SortFunc(f.Handles, compareHandle)
	f.Handles = slices.Compact(f.Handles)
}

func compareInstall(a, b Install) int {
	return cmp.Or(cmp.Compare(a.Pkg, b.Pkg), comparePos(a.Pos, b.Pos), cmp.Compare(a.Sig, b.Sig),
		cmp.Compare(a.Via, b.Via), cmp.Compare(a.Disp, b.Disp), cmp.Compare(a.OnStack, b.OnStack),
		cmpBool(a.Reported, b.Reported), cmp.Compare(a.Through, b.Through), cmpBool(a.Load, b.Load))
}

func compareHandle(a, b Handle) int {
	return cmp.Or(cmp.Compare(a.Pkg, b.Pkg), comparePos(a.Pos, b.Pos), cmp.Compare(a.Sig, b.Sig), cmp.Compare(a.Op, b.Op),
		cmp.Compare(a.Through, b.Through))
}

// comparePos orders "file.go:line:col" by file, then line and column as numbers.
func comparePos(a, b string) int {
	fa, la, ca := splitPos(a)
	fb, lb, cb := splitPos(b)
	return cmp.Or(cmp.Compare(fa, fb), cmp.Compare(la, lb), cmp.Compare(ca, cb))
}

func splitPos(s string) (file string, line, col int) {
	file = s
	if i := strings.LastIndexByte(file, ':'); i >= 0 {
		fmt.Sscan(file[i+1:], &col)
		file = file[:i]
	}
	if i := strings.LastIndexByte(file, ':'); i >= 0 {
		fmt.Sscan(file[i+1:], &line)
		file = file[:i]
	}
	return file, line, col
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// who names what sets an install's disposition, for messages.
func (in Install) who() string {
	if in.Load {
		return "the C constructor " + in.Via + " (run when the program loads)"
	}
	if in.Through != "" {
		return in.Through + " (which calls C." + in.Via + ")"
	}
	return "C." + in.Via
}

// A wrapperFact says that a Go function passes one of its parameters to a
// C function that installs a disposition for that signal, or to an
// os/signal function, so that its callers' constant arguments count.
type wrapperFact struct {
	Uses []ParamUse
}

func (*wrapperFact) AFact() {}

func (f *wrapperFact) String() string {
	var parts []string
	for _, u := range f.Uses {
		parts = append(parts, u.String())
	}
	return "csignal-wrapper(" + strings.Join(parts, "; ") + ")"
}

// A ParamUse is one parameter a function hands on as a signal.
type ParamUse struct {
	Param    int    // index in the SSA parameters (a method's receiver is 0)
	Variadic bool   // the parameter is a ...os.Signal list
	Op       string // os/signal function, for a handle
	Via      string // C function, for an install
	Disp     uint8
	OnStack  int8
}

func (u ParamUse) String() string {
	if u.Via != "" {
		return fmt.Sprintf("param %d to C.%s", u.Param, u.Via)
	}
	return fmt.Sprintf("param %d to signal.%s", u.Param, u.Op)
}

func compareUse(a, b ParamUse) int {
	return cmp.Or(cmp.Compare(a.Param, b.Param), cmpBool(a.Variadic, b.Variadic), cmp.Compare(a.Op, b.Op),
		cmp.Compare(a.Via, b.Via), cmp.Compare(a.Disp, b.Disp), cmp.Compare(a.OnStack, b.OnStack))
}

// site returns where an install or handle is, for messages:
// "example.com/lib/lib.go:12:3".
// site names a position recorded in a fact, in a message: the file's base
// name, line and column, and the package's import path
// ("binding.go:29:5 in example.com/binding"). The finding's Related gives the
// same place as a file path editors open.
func site(pkg, pos string) string { return pos + " in " + pkg }

func dispName(d uint8) string {
	switch d {
	case dispHandler:
		return "handler"
	case dispIgnore:
		return "SIG_IGN"
	case dispDefault:
		return "SIG_DFL"
	}
	return "disposition"
}

// dispWords describes a disposition in a message: "gives SIGUSR1 <words>".
func dispWords(d uint8) string {
	switch d {
	case dispHandler:
		return "a C handler"
	case dispIgnore:
		return "SIG_IGN"
	case dispDefault:
		return "SIG_DFL"
	}
	return "a C disposition"
}
