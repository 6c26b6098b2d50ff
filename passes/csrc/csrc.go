// Package csrc reads the C side of a cgo package with a real C front end
// (modernc.org/cc/v4) and infers knowledge-base roles for the C functions
// the package defines, as cgo compiles them: each cgo file's preamble and
// each of the package's .c files is one translation unit, translated with
// the package's #cgo CFLAGS/CPPFLAGS, its pkg-config flags and the build's
// CGO_CFLAGS/CGO_CPPFLAGS. Headers in the package directory come in
// through their #includes, and the static inline functions they define
// count as the package's: a unit is translated when a needed name appears
// in its text or in such a header, once per header.
//
// It never reports. Its result extends the knowledge base (package
// cfuncs) with entries of Origin cfuncs.OriginPreamble, and lists the
// functions that run at load time (__attribute__((constructor))) with what
// they do, for the checks to report at the package's import "C".
//
// # What it infers
//
// From each function body (the summary is built once from the AST, then
// inference runs on summaries, interprocedurally over every C function of
// the package, to a fixpoint):
//   - Allocates (with the callee's Dealloc and Family) when every return
//     yields an allocator's result, directly or through a local assigned
//     only from allocators, or NULL;
//   - AllocOut for *param = allocator(...);
//   - Frees for parameters passed to a deallocator;
//   - Takes for parameters passed to a function known to take them, or
//     passed to a call together with a deallocator as its destructor
//     argument (`lib_bind(s, p, n, free)`, `&free`, a function known to
//     free): the pointer argument nearest before the destructor is taken;
//   - Keeps for parameters stored into a global, a static local or memory
//     reached through another parameter (which outlives the call), or
//     passed to a function known to keep them;
//   - Signal, SignalArg, Signals from installs, masks and raises (a signal
//     number is named through the unit's own SIG* macros), with OnStack
//     from sa_flags evaluated as a constant expression (macros expanded by
//     the preprocessor, SA_ONSTACK's value read from the headers), handler
//     identity (SIG_IGN/SIG_DFL install no handler), SavesOld and
//     Reinstalls for the sigaction idioms csignal exempts;
//   - Blocks, ThreadAffine, Hostile from the calls it makes (fork then exec
//     in one body is not hostile); Blocks only when the blocking call is at
//     most three calls down the package's functions (maxBlockDepth: deeper
//     paths through a bundled library's internals are not evidence).
//
// An object-like macro of the package's own code that names a function
// (`#define last_error git_error_last`) gets that function's roles.
//
// # Robustness and cost
//
// The C side never fails the Go analysis. A unit the type checker rejects
// is read without types; one the parser rejects contributes nothing; a
// panic in the front end is an unreadable unit. Each unit has a budget
// (bytes of source read, macro expansion work) past which it is given up.
// Translations run in a worker process (the running executable started
// again, see worker.go), which gives a unit up past its CPU time or memory
// budget (Limits): cc/v4's parser can loop forever on C that does not
// compile, and only a process can be stopped. Each such event is a Note,
// printed with cgolint's -cdebug flag.
//
// A unit is translated only if its text names a C function the Go side
// refers to (or one a translated function calls, transitively), or
// declares a constructor. Results (roles, never ASTs) are cached on disk
// under os.UserCacheDir()/cgolint, keyed by the content of every file a
// translation read, the flags and cgolint's build; see Options.
package csrc

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/cgolint/cgolint/passes/cfuncs"
)

// A Unit is one translation unit: a cgo preamble or a .c file.
type Unit struct {
	// Name is the file name positions refer to: the Go file for a
	// preamble, the .c file otherwise.
	Name string
	// Src is the C text. A preamble is padded so that its lines and
	// columns are those of the Go file.
	Src []byte
	// Preamble marks a cgo preamble. With the declaration pass on
	// (Options.Headers), a preamble is translated whenever the Go side
	// refers to a C name the knowledge base does not know, so that the
	// pass sees the declarations of the headers it includes.
	Preamble bool
}

// Options configure a read.
type Options struct {
	// NoCache turns the on-disk cache off.
	NoCache bool
	// CacheDir overrides the cache directory (default
	// os.UserCacheDir()/cgolint/csrc).
	CacheDir string
	// Headers runs a second pass over every translated unit's AST that
	// infers roles from declarations (cfuncs.HeaderFuncs: header
	// attributes, type-based pairing), with the knowledge base Analyze is
	// given. Its entries rank below the knowledge base and the package's
	// own definitions.
	Headers bool

	noMemo bool // translate every unit afresh (fuzzing)
}

// A Site is where load-time code does something.
type Site struct {
	File      string
	Line, Col int
	Via       string // the function called there: "sigaction", "fork", "setup_helper"
	Sig       string // for installs: the signal
	Disp      uint8  // for installs: 1 handler, 2 SIG_IGN, 3 SIG_DFL, 0 unknown
	OnStack   int8   // for handler installs: 1 SA_ONSTACK, 0 without, -1 unknown
}

// Handler dispositions of Site.Disp.
const (
	DispUnknown = dispUnknown
	DispHandler = dispHandler
	DispIgnore  = dispIgnore
	DispDefault = dispDefault
)

// A Ctor is a function that runs when the program loads
// (__attribute__((constructor))), on behalf of the package.
type Ctor struct {
	Name      string
	File      string
	Line, Col int
	Func      *cfuncs.Func // its roles
	Installs  []Site       // the dispositions it sets, one per signal
	Hostile   *Site        // its first hostile call, if any
	// Exits says that the constructor itself calls _exit, exit, abort or
	// an exec function, so that after a fork one copy ends or is replaced.
	Exits bool
}

// Result is what the package's C code does.
type Result struct {
	// Funcs are the roles of the package's C functions (and of macros
	// naming them) that have any, sorted by name.
	Funcs []*cfuncs.Func
	// Ctors are the load-time functions, sorted by file and line.
	Ctors []Ctor
	// Notes say what could not be read, and why.
	Notes []string
	// Translated counts the units translated (not from a cache), and
	// Duration is the time their translations took. WorkerCPU and
	// WorkerMaxRSS are the CPU time and the peak resident memory (bytes,
	// 0 if unknown) of the worker processes that translated them.
	Translated   int
	Duration     time.Duration
	WorkerCPU    time.Duration
	WorkerMaxRSS int64
	// Cached reports that the result came from the disk cache.
	Cached bool

	transient bool // a unit's failure says nothing about it: do not cache
}

// Input is what Analyze reads.
type Input struct {
	Units []Unit
	// Flags are the compiler flags of every unit.
	Flags []string
	// Dir is the package directory: headers there are the package's own.
	Dir string
	// Needed are the C names the Go side refers to (C.f calls and values).
	// Units that name none of them, transitively, and declare no
	// constructor are not translated.
	Needed []string
	// NeedAll translates every unit whatever it names.
	NeedAll bool
	// GoFiles are the package's Go files, for the _cgo_export.h a .c
	// file may include (see export.go).
	GoFiles []GoFile

	extra map[string][]byte // set by Analyze: extraFiles
}

// memo keeps the units translated by this process, so that a unit met
// twice (a package and its test variant) is translated once.
var memo sync.Map // key -> *memoEntry

// Analyze reads the units of in, with kb as what the C functions outside
// them are known to do.
func Analyze(kb *cfuncs.KB, in Input, opt Options) (res *Result) {
	defer func() {
		if r := recover(); r != nil {
			res = &Result{Notes: []string{fmt.Sprintf("the C front end failed (%v); the package's C functions are unknown", r)}}
		}
	}()
	in.extra = extraFiles(in)
	key := ""
	if !opt.NoCache {
		key = cacheKey(kb, in, opt)
		if r := loadCache(opt, key); r != nil {
			r.Cached = true
			return r
		}
	}
	ws := &workers{}
	res, files := analyze(ws, kb, in, opt)
	ws.close()
	res.WorkerCPU, res.WorkerMaxRSS = ws.CPU, ws.MaxRSS
	if key != "" && !res.transient {
		storeCache(opt, key, res, files)
	}
	return res
}

// analyze reads in with the worker of ws.
func analyze(ws *workers, kb *cfuncs.KB, in Input, opt Options) (*Result, map[string]string) {
	res := &Result{}
	files := map[string]string{}
	needed := map[string]bool{}
	for _, n := range in.Needed {
		if kb.Lookup(n) == nil {
			needed[n] = true
		}
	}
	idents := make([]map[string]bool, len(in.Units))
	localHeaders := make([][]string, len(in.Units))
	headerIdents := map[string]map[string]bool{}
	for i, u := range in.Units {
		idents[i] = identSet(u.Src)
		localHeaders[i] = includedHeaders(u, in.Dir, headerIdents, files)
	}
	// A header of the package that a translated unit included has given
	// its definitions: other units need not be translated for them.
	covered := map[string]bool{}
	wantedUnit := func(i int) bool {
		if wanted(idents[i], needed) {
			return true
		}
		for _, h := range localHeaders[i] {
			if !covered[h] && wanted(headerIdents[h], needed) {
				return true
			}
		}
		return false
	}
	done := make([]bool, len(in.Units))
	defs := map[string]*summary{}
	aliases := map[string]string{}
	signals := map[int64]string{}
	var decls []*cfuncs.Func
	var declKB *cfuncs.KB // the declaration pass's knowledge base, if on
	if opt.Headers {
		declKB = kb
	}
	for {
		progress := false
		for i, u := range in.Units {
			if done[i] || !in.NeedAll && !wantedUnit(i) &&
				!(u.Preamble && opt.Headers && len(needed) > 0) {
				continue
			}
			done[i], progress = true, true
			for _, h := range localHeaders[i] {
				covered[h] = true
			}
			var (
				ur  *unitResult
				hit bool
			)
			if opt.noMemo {
				ur = translate(ws, u, in.Flags, in.Dir, in.extra, declKB)
			} else {
				ur, hit = translateMemo(ws, u, in.Flags, in.Dir, in.extra, declKB)
			}
			if !hit {
				res.Translated++
				res.Duration += ur.Duration
			}
			for f, h := range ur.Files {
				files[f] = h
			}
			if ur.Note != "" {
				res.Notes = append(res.Notes, ur.Note)
			}
			res.transient = res.transient || ur.Transient
			sigs := map[string]int64{}
			for name, v := range ur.Signals {
				sigs[name] = v
			}
			signalNames(signals, sigs)
			for a, t := range ur.Aliases {
				if _, ok := aliases[a]; !ok {
					aliases[a] = t
				}
			}
			decls = append(decls, ur.Decls...)
			for _, s := range ur.Defs {
				if _, ok := defs[s.Name]; ok {
					continue
				}
				defs[s.Name] = s
				if needed[s.Name] || s.Ctor {
					markNeeded(kb, s, defs, needed)
				}
			}
			// Needs found later reach definitions read earlier.
			for _, s := range defs {
				if needed[s.Name] {
					markNeeded(kb, s, defs, needed)
				}
			}
		}
		if !progress {
			break
		}
	}
	// Declarations rank below everything else that is known.
	var extra []*cfuncs.Func
	for _, f := range decls {
		if kb.Lookup(f.Name) == nil && defs[f.Name] == nil {
			extra = append(extra, f)
		}
	}
	kbx := kb
	if len(extra) > 0 {
		kbx = kb.Extend(extra...)
	}
	out := infer(kbx, defs, signals)
	// What a declaration says of a result's release function wins over the
	// allocator a definition's body calls (cfuncs.PreferDeclaredDealloc).
	cfuncs.PreferDeclaredDealloc(out, decls)
	res.Funcs = append(res.Funcs, extra...)
	for _, name := range sortedKeys(out) {
		if f := out[name]; hasRole(f) {
			res.Funcs = append(res.Funcs, f)
		}
	}
	// Macros naming a function inherit its roles.
	for _, a := range sortedKeys(aliases) {
		t := aliases[a]
		if defs[a] != nil || kb.Lookup(a) != nil {
			continue
		}
		var g *cfuncs.Func
		if f, ok := out[t]; ok {
			g = f
		} else {
			g = kbx.Lookup(t)
		}
		if g == nil || !hasRole(g) {
			continue
		}
		c := *g
		c.Name = a
		c.Origin = cfuncs.OriginPreamble
		res.Funcs = append(res.Funcs, &c)
	}
	sort.SliceStable(res.Funcs, func(i, j int) bool { return res.Funcs[i].Name < res.Funcs[j].Name })
	res.Funcs = slices.CompactFunc(res.Funcs, func(a, b *cfuncs.Func) bool { return a.Name == b.Name })
	res.Ctors = ctors(kbx, defs, out, signals)
	sort.Strings(res.Notes)
	return res, files
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// markNeeded marks what s calls, transitively, as needed, except what the
// knowledge base already knows: a unit defining free is no business of ours.
func markNeeded(kb *cfuncs.KB, s *summary, defs map[string]*summary, needed map[string]bool) {
	work := []*summary{s}
	needed[s.Name] = true
	for len(work) > 0 {
		s := work[len(work)-1]
		work = work[:len(work)-1]
		for _, c := range s.Calls {
			if !needed[c.Name] && kb.Lookup(c.Name) == nil {
				needed[c.Name] = true
				if d := defs[c.Name]; d != nil {
					work = append(work, d)
				}
			}
			for _, a := range c.Args {
				if a.Ident != "" && !needed[a.Ident] && kb.Lookup(a.Ident) == nil {
					needed[a.Ident] = true
					if d := defs[a.Ident]; d != nil {
						work = append(work, d)
					}
				}
			}
		}
	}
}

// wanted reports whether a unit with these identifiers must be translated.
func wanted(ids map[string]bool, needed map[string]bool) bool {
	if ids["constructor"] || ids["__constructor__"] {
		return true
	}
	if len(ids) < len(needed) {
		for id := range ids {
			if needed[id] {
				return true
			}
		}
		return false
	}
	for n := range needed {
		if ids[n] {
			return true
		}
	}
	return false
}

// identSet returns the identifiers of C text (comments and literals are
// not skipped: a false positive only costs a translation).
// includedHeaders returns the headers of the package directory dir that
// u includes with quotes, transitively, and records their identifiers in
// idents: the package's own C code (go-gtk's `static inline void
// freeCstr(char *s)` in gtk.go.h, included by every preamble) is defined
// there as often as in a preamble, and a unit is translated only when a
// needed name appears in it or in such a header. The headers read are
// recorded in files (name -> sha256), so that the cached result goes stale
// when one changes.
func includedHeaders(u Unit, dir string, idents map[string]map[string]bool, files map[string]string) []string {
	if dir == "" {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	var scan func(src []byte, from string)
	scan = func(src []byte, from string) {
		for _, m := range quoteInclude.FindAllSubmatch(src, -1) {
			name := filepath.Join(filepath.Dir(from), string(m[1]))
			if seen[name] || filepath.Dir(name) != dir {
				continue
			}
			seen[name] = true
			b, err := os.ReadFile(name)
			if err != nil {
				continue
			}
			out = append(out, name)
			if _, ok := idents[name]; !ok {
				sum := sha256.Sum256(b)
				files[name] = hex.EncodeToString(sum[:])
				idents[name] = identSet(b)
			}
			scan(b, name)
		}
	}
	scan(u.Src, u.Name)
	return out
}

// quoteInclude matches an #include "file" line.
var quoteInclude = regexp.MustCompile(`(?m)^[ \t]*#[ \t]*include[ \t]*"([^"\n]+)"`)

func identSet(src []byte) map[string]bool {
	ids := map[string]bool{}
	for i := 0; i < len(src); {
		c := src[i]
		if c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
			j := i + 1
			for j < len(src) && (src[j] == '_' || 'a' <= src[j] && src[j] <= 'z' || 'A' <= src[j] && src[j] <= 'Z' || '0' <= src[j] && src[j] <= '9') {
				j++
			}
			ids[string(src[i:j])] = true
			i = j
			continue
		}
		if '0' <= c && c <= '9' {
			for i < len(src) && (src[i] == '_' || 'a' <= src[i] && src[i] <= 'z' || 'A' <= src[i] && src[i] <= 'Z' || '0' <= src[i] && src[i] <= '9' || src[i] == '.') {
				i++
			}
			continue
		}
		i++
	}
	return ids
}

// translateMemo translates u once per process; hit reports that it was
// translated before. A unit asked for while another goroutine translates
// it (a package and its test variant, analysed in parallel) waits for
// that translation.
func translateMemo(ws *workers, u Unit, flags []string, dir string, extra map[string][]byte, decls *cfuncs.KB) (ur *unitResult, hit bool) {
	var k bytes.Buffer
	fmt.Fprintf(&k, "%s\x00%s\x00%s\x00%v\x00", u.Name, strings.Join(flags, "\x01"), dir, decls != nil)
	for _, name := range sortedKeys(extra) {
		fmt.Fprintf(&k, "%s\x00%d\x00%s", name, len(extra[name]), extra[name])
	}
	k.Write(u.Src)
	e := &memoEntry{done: make(chan struct{})}
	if v, loaded := memo.LoadOrStore(k.String(), e); loaded {
		e = v.(*memoEntry)
		<-e.done
		if e.ur == nil {
			return &unitResult{Note: u.Name + ": the C front end failed; its functions are unknown"}, true
		}
		return e.ur, true
	}
	defer close(e.done)
	e.ur = translate(ws, u, flags, dir, extra, decls)
	return e.ur, false
}

type memoEntry struct {
	done chan struct{}
	ur   *unitResult
}

// ctors lists the constructors of defs with what they do.
func ctors(kb *cfuncs.KB, defs map[string]*summary, out map[string]*cfuncs.Func, signals map[int64]string) []Ctor {
	var cs []Ctor
	callee := func(name string) *cfuncs.Func {
		if f, ok := out[name]; ok {
			return f
		}
		return kb.Lookup(name)
	}
	for _, name := range sortedKeys(defs) {
		s := defs[name]
		if !s.Ctor {
			continue
		}
		c := Ctor{Name: s.Name, File: s.File, Line: s.Line, Col: s.Col, Func: out[s.Name]}
		execsToo := false
		for _, k := range s.Calls {
			if execs[k.Name] {
				execsToo = true
			}
			switch k.Name {
			case "_exit", "_Exit", "exit", "abort":
				c.Exits = true
			}
		}
		c.Exits = c.Exits || execsToo
		for _, k := range s.Calls {
			g := callee(k.Name)
			if g == nil {
				continue
			}
			site := Site{File: s.File, Line: k.Line, Col: k.Col, Via: k.Name, OnStack: -1}
			if g.Hostile != cfuncs.NotHostile && c.Hostile == nil && !(g.Hostile == cfuncs.Fork && execsToo) {
				h := site
				c.Hostile = &h
			}
			if !isInstall(g, k) {
				continue
			}
			if g.Reinstalls {
				continue
			}
			var sigs []string
			sigs = append(sigs, g.Signals...)
			if g.SignalArg >= 0 && g.SignalArg < len(k.Args) {
				if a := k.Args[g.SignalArg]; a.Int != nil {
					if n, ok := signals[*a.Int]; ok {
						sigs = append(sigs, n)
					}
				}
			}
			switch {
			case plainInstallers[g.Name] && g.Origin == cfuncs.OriginBuiltin:
				if len(k.Args) >= 2 {
					site.Disp = handlerArg(k.Args[1])
				}
				if site.Disp == dispHandler {
					site.OnStack = 0
				}
			case g.Name == "sigaction" && g.Origin == cfuncs.OriginBuiltin:
				site.OnStack = c.Func.OnStack
				site.Disp = dispUnknown
				if !handlerRuns(s) {
					site.Disp = s.Handlers[0]
				} else if len(s.Handlers) > 0 {
					site.Disp = dispHandler
				}
			default:
				site.OnStack = g.OnStack
				if g.OnStack >= 0 {
					site.Disp = dispHandler
				}
			}
			slices.Sort(sigs)
			for _, sig := range slices.Compact(sigs) {
				st := site
				st.Sig = sig
				c.Installs = append(c.Installs, st)
			}
		}
		cs = append(cs, c)
	}
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].File != cs[j].File {
			return cs[i].File < cs[j].File
		}
		return cs[i].Line < cs[j].Line
	})
	return cs
}

var sourceWorkers struct {
	sync.Mutex
	ws workers
}

// InferSource infers the roles of the functions a single preamble (or C
// file) text defines, translated alone without flags, the disk cache or
// any filtering: for tests and tools. It never fails.
func InferSource(kb *cfuncs.KB, src string) *Result {
	// One worker serves every call, for the life of the process.
	sourceWorkers.Lock()
	defer sourceWorkers.Unlock()
	res, _ := analyze(&sourceWorkers.ws, kb, Input{Units: []Unit{{Name: "preamble.c", Src: []byte(src)}}, NeedAll: true}, Options{NoCache: true, noMemo: true})
	return res
}
