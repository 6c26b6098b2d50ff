// Package cfuncs is cgolint's knowledge base of C functions: for each
// function it records the roles that matter when Go calls it (allocates,
// frees, takes or keeps a parameter, blocks, is thread-affine, installs,
// masks or raises signals, is hostile to the Go runtime).
//
// It is data plus a small API, not an analysis pass, and it never reports.
// The built-in table covers libc/POSIX. The library data shipped with
// cgolint (Libraries: sqlite3, libgit2, GLib, OpenSSL, ..., one file per
// library in the configuration schema, read by package config, OriginLibrary)
// extends it; the user configuration (package config, OriginConfig)
// overrides both; inference from the package's C code, its preambles and
// .c files read with a C front end (package csrc, OriginPreamble), only
// fills in functions that nothing declares (KB.Fill). Library
// constructor/destructor pairs such as foo_new/foo_free are never guessed
// from names alone.
//
// A C function that is not in the knowledge base "borrows": it neither keeps
// nor frees its arguments and its result is borrowed memory. Lookup returns
// nil for it.
//
// The cgo helpers C.CString and C.CBytes are in the table under the names
// "CString" and "CBytes" (cgo reserves those names, so no C function can
// clash with them): they allocate with malloc, released by free.
package cfuncs

import (
	"slices"
	"sort"
)

// SignalRole is what a function does to signal dispositions or delivery.
type SignalRole uint8

const (
	// None means the function does not touch signals.
	None SignalRole = iota
	// Installs sets a signal disposition (signal, sigaction, sigset, bsd_signal, sysv_signal).
	Installs
	// Masks changes a signal mask (sigprocmask, pthread_sigmask).
	Masks
	// Raises sends a signal or arms a timer that will (raise, kill, alarm, setitimer, ...).
	Raises
)

func (r SignalRole) String() string {
	switch r {
	case None:
		return "none"
	case Installs:
		return "installs"
	case Masks:
		return "masks"
	case Raises:
		return "raises"
	}
	return "SignalRole(?)"
}

// Hostile says why a function is one the Go runtime cannot survive or that
// defeats it. pthread_kill is not hostile here: it Raises a signal, and
// whether its target is a Go thread is for the analyzer to decide.
type Hostile uint8

const (
	// NotHostile is the zero value.
	NotHostile Hostile = iota
	// ThreadExit terminates the calling thread under the runtime (pthread_exit).
	ThreadExit
	// ThreadCancel cancels a thread the runtime may own (pthread_cancel).
	ThreadCancel
	// Fork duplicates a multithreaded process without exec (fork, vfork, daemon).
	Fork
	// NonlocalJump jumps across Go frames (setjmp/longjmp family).
	NonlocalJump
	// ContextSwitch swaps stacks behind the runtime's back (setcontext family).
	ContextSwitch
)

func (h Hostile) String() string {
	switch h {
	case NotHostile:
		return "not hostile"
	case ThreadExit:
		return "thread exit"
	case ThreadCancel:
		return "thread cancel"
	case Fork:
		return "fork"
	case NonlocalJump:
		return "nonlocal jump"
	case ContextSwitch:
		return "context switch"
	}
	return "Hostile(?)"
}

// Origin says where an entry of the knowledge base comes from.
type Origin uint8

const (
	// OriginBuiltin entries come from this package's table. (The names
	// carry a prefix because Builtin is the function returning the table.)
	OriginBuiltin Origin = iota
	// OriginConfig entries come from the user's configuration file or settings.
	OriginConfig
	// OriginPreamble entries are inferred from the package's C code: its
	// cgo preambles and its .c files (package csrc).
	OriginPreamble
	// OriginLibrary entries come from the library data shipped with
	// cgolint (Libraries); Func.Source names the file.
	OriginLibrary
)

func (o Origin) String() string {
	switch o {
	case OriginBuiltin:
		return "builtin"
	case OriginConfig:
		return "config"
	case OriginPreamble:
		return "preamble"
	case OriginLibrary:
		return "library"
	case OriginHeader:
		return "header"
	}
	return "Origin(?)"
}

// Func is the knowledge about one C function. Parameter indices are 0-based.
// Values reachable from a KB are shared: do not modify them.
type Func struct {
	Name string

	// Allocates reports whether the result is owned memory, released by Dealloc.
	Allocates bool
	// AllocOut lists pointer-to-pointer parameters through which the call
	// hands back owned memory, released by Dealloc: asprintf, vasprintf and
	// posix_memalign store it in *arg0, getline and getdelim in *arg0.
	// Such functions have Allocates == false (their result is a status).
	AllocOut []int
	// Dealloc names the function that releases memory from this allocator
	// ("free", "sqlite3_free", "g_free", "xmlFree").
	Dealloc string
	// Family is the allocator family shared by allocators and their
	// deallocators: "libc", "sqlite3", "glib", "libxml2", a user-declared
	// family, or "" if none.
	Family string

	// Frees lists parameters released by the call. realloc frees [0] and
	// also Allocates.
	Frees []int
	// Takes lists parameters whose ownership moves to C.
	Takes []int
	// Keeps lists parameters retained after the call returns (borrowed but
	// held): freeing them while C still holds them is a use after free.
	Keeps []int

	// Blocks reports whether the call may wait for I/O, time, locks or other threads.
	Blocks bool
	// ThreadAffine reports whether the call's effect or state belongs to the
	// calling OS thread.
	ThreadAffine bool

	// Signal is the function's effect on signals, SignalArg the index of the
	// signal-number parameter (-1 if none or unknown).
	Signal    SignalRole
	SignalArg int
	// Signals lists the literal signal names ("SIGINT") the function applies
	// its Signal role to in its own body, including installs of SIG_IGN and
	// SIG_DFL. Only preamble inference fills it; it is sorted and unique.
	Signals []string
	// OnStack says whether the handlers the function installs run on the
	// alternate signal stack: 1 if sa_flags visibly includes SA_ONSTACK,
	// 0 if a handler is visibly installed without it (a sigaction whose
	// flags are visible or zeroed, or signal() and friends with a handler
	// other than SIG_IGN/SIG_DFL, which never set SA_ONSTACK), -1 unknown
	// or not applicable. Only preamble inference sets it to 0 or 1.
	OnStack int8

	// SavesOld says that the function installs a handler with sigaction
	// while saving the action it replaces (sigaction(sig, &sa, &old)),
	// itself or through the functions it calls: such a handler is assumed
	// to forward to the one it replaced. Only C source inference sets it.
	SavesOld bool
	// Reinstalls says that every disposition the function sets is one it
	// first read with sigaction(sig, NULL, &sa) and puts back with other
	// flags: it gives no signal a new handler. Only C source inference
	// sets it.
	Reinstalls bool

	// Hostile is why the runtime cannot survive the call, if it cannot.
	Hostile Hostile

	// Borrowed reports that the result is known to be borrowed: memory
	// owned by the library or by an argument, never released by the
	// caller (sqlite3_column_text, git_reference_name). Unknown functions
	// borrow too; the flag records that this one is known to.
	Borrowed bool
	// ErrorNeutral reports that the call neither sets nor clears the
	// thread-local error state that the library's thread-affine error
	// getters read (an error-code-to-string lookup, the getter itself).
	ErrorNeutral bool
	// FreesOnError reports that the call releases the arguments of Frees
	// even when it returns an error status (sqlite3_finalize,
	// sqlite3_blob_close), unlike sqlite3_close, which keeps the
	// connection open when it returns SQLITE_BUSY. A function without a
	// status result releases unconditionally anyway.
	FreesOnError bool
	// NoReturn reports that the call never returns to its caller (exit,
	// abort, a library's fatal-error function declared noreturn): code
	// after it is unreachable, as after os.Exit or panic in Go.
	NoReturn bool

	Origin Origin
	// Source names where the entry comes from, when Origin alone does not
	// say: the library data file ("sqlite3.yml") for OriginLibrary.
	Source string
}

// IsAllocator reports whether f hands back owned memory, as its result or
// through an out-parameter.
func (f *Func) IsAllocator() bool {
	return f != nil && (f.Allocates || len(f.AllocOut) > 0)
}

// FreesArg reports whether f releases its parameter i.
func (f *Func) FreesArg(i int) bool { return f != nil && slices.Contains(f.Frees, i) }

// TakesArg reports whether f takes ownership of its parameter i.
func (f *Func) TakesArg(i int) bool { return f != nil && slices.Contains(f.Takes, i) }

// KeepsArg reports whether f retains its parameter i after returning.
func (f *Func) KeepsArg(i int) bool { return f != nil && slices.Contains(f.Keeps, i) }

// IsDeallocator reports whether f releases some parameter without also
// allocating (free, but not realloc).
func (f *Func) IsDeallocator() bool {
	return f != nil && len(f.Frees) > 0 && !f.Allocates
}

// clone returns a deep copy of f.
func (f *Func) clone() *Func {
	c := *f
	c.AllocOut = slices.Clone(f.AllocOut)
	c.Frees = slices.Clone(f.Frees)
	c.Takes = slices.Clone(f.Takes)
	c.Keeps = slices.Clone(f.Keeps)
	c.Signals = slices.Clone(f.Signals)
	return &c
}

// KB is a knowledge base of C functions, keyed by name. A KB is immutable
// once built and safe for concurrent use.
type KB struct {
	funcs map[string]*Func
}

var builtinKB = func() *KB {
	kb := &KB{funcs: make(map[string]*Func, len(builtinTable))}
	for i := range builtinTable {
		f := &builtinTable[i]
		if f.Signal == None {
			f.SignalArg = -1
		}
		f.OnStack = -1
		f.Origin = OriginBuiltin
		if _, dup := kb.funcs[f.Name]; dup {
			panic("cfuncs: duplicate builtin entry " + f.Name)
		}
		kb.funcs[f.Name] = f
	}
	return kb
}()

// Builtin returns the built-in knowledge base. It is shared: use Extend to
// add to it.
func Builtin() *KB { return builtinKB }

// Lookup returns what kb knows about the C function name, or nil when it is
// unknown (an unknown function borrows). A nil *KB knows nothing.
func (kb *KB) Lookup(name string) *Func {
	if kb == nil {
		return nil
	}
	return kb.funcs[name]
}

// Extend returns a new KB holding kb's entries and fs; an entry of fs
// replaces the one of the same Name in kb, and later entries of fs replace
// earlier ones. Entries are copied, nil entries and empty names ignored;
// kb is unchanged.
func (kb *KB) Extend(fs ...*Func) *KB {
	n := len(fs)
	if kb != nil {
		n += len(kb.funcs)
	}
	out := &KB{funcs: make(map[string]*Func, n)}
	if kb != nil {
		for name, f := range kb.funcs {
			out.funcs[name] = f
		}
	}
	for _, f := range fs {
		if f == nil || f.Name == "" {
			continue
		}
		out.funcs[f.Name] = f.clone()
	}
	return out
}

// Fill returns a new KB holding kb's entries and those of fs whose names
// kb does not know: what is inferred never overrides what is declared.
// Entries are copied, nil entries and empty names ignored; kb is unchanged.
func (kb *KB) Fill(fs ...*Func) *KB {
	var add []*Func
	for _, f := range fs {
		if f != nil && f.Name != "" && kb.Lookup(f.Name) == nil {
			add = append(add, f)
		}
	}
	return kb.Extend(add...)
}

// Funcs returns kb's entries sorted by Name.
func (kb *KB) Funcs() []*Func {
	if kb == nil {
		return nil
	}
	fs := make([]*Func, 0, len(kb.funcs))
	for _, f := range kb.funcs {
		fs = append(fs, f)
	}
	sort.Slice(fs, func(i, j int) bool { return fs[i].Name < fs[j].Name })
	return fs
}

// SameFamily reports whether dealloc is known to be a right way to release
// memory obtained from alloc: alloc is an allocator and dealloc is its
// Dealloc, or a function that frees memory of the same non-empty Family.
func (kb *KB) SameFamily(alloc, dealloc string) bool {
	a := kb.Lookup(alloc)
	if !a.IsAllocator() {
		return false
	}
	if a.Dealloc != "" && a.Dealloc == dealloc {
		return true
	}
	d := kb.Lookup(dealloc)
	return d != nil && len(d.Frees) > 0 && a.Family != "" && a.Family == d.Family
}

// WrongFamily reports whether releasing memory from alloc with dealloc is
// known to be wrong: both are known, each has a Family, and the families
// differ (sqlite3_malloc'd memory passed to free). It is false whenever
// anything is unknown, which is what a precise "wrong free" check wants.
func (kb *KB) WrongFamily(alloc, dealloc string) bool {
	a, d := kb.Lookup(alloc), kb.Lookup(dealloc)
	if !a.IsAllocator() || d == nil || len(d.Frees) == 0 {
		return false
	}
	if a.Dealloc == dealloc {
		return false
	}
	return a.Family != "" && d.Family != "" && a.Family != d.Family
}

// SameRoles reports whether f and g give a function the same roles: every
// field but Origin and Source is equal.
func (f *Func) SameRoles(g *Func) bool {
	if f == nil || g == nil {
		return f == g
	}
	a, b := *f, *g
	a.Origin, a.Source, b.Origin, b.Source = 0, "", 0, ""
	return a.Name == b.Name && a.Allocates == b.Allocates && slices.Equal(a.AllocOut, b.AllocOut) &&
		a.Dealloc == b.Dealloc && a.Family == b.Family && slices.Equal(a.Frees, b.Frees) &&
		slices.Equal(a.Takes, b.Takes) && slices.Equal(a.Keeps, b.Keeps) && a.Blocks == b.Blocks &&
		a.ThreadAffine == b.ThreadAffine && a.Signal == b.Signal && a.SignalArg == b.SignalArg &&
		slices.Equal(a.Signals, b.Signals) && a.OnStack == b.OnStack && a.Hostile == b.Hostile &&
		a.Borrowed == b.Borrowed && a.ErrorNeutral == b.ErrorNeutral && a.NoReturn == b.NoReturn &&
		a.FreesOnError == b.FreesOnError
}

// PreferDeclaredDealloc gives each allocator of defs (roles inferred from a
// C definition, by name) the deallocator that decls (roles learned from
// declarations: header attributes, type pairing, GObject-Introspection)
// declare for the same function. A body says which allocator it calls
// (malloc); a declaration that names the library's own release function
// (a malloc(x_free, 1) attribute, x_new paired with x_free by type, a .gir
// transfer-ownership with g_object_unref) says how callers must release
// the result: freeing it with the allocator underneath would bypass
// whatever the release function does besides. Entries are replaced, never
// modified.
func PreferDeclaredDealloc(defs map[string]*Func, decls []*Func) {
	for _, d := range decls {
		f := defs[d.Name]
		if f == nil || d.Dealloc == "" || !f.IsAllocator() || !d.IsAllocator() {
			continue
		}
		g := f.clone()
		g.Dealloc, g.Family = d.Dealloc, d.Family
		defs[d.Name] = g
	}
}
