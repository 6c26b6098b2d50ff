package csrc

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"modernc.org/cc/v4"

	"github.com/cgolint/cgolint/passes/cfuncs"
)

// Budgets of one translation unit. Past either, the unit is given up and
// its functions stay unknown (and a note says so). (Variables for tests.)
var (
	// maxBytes bounds the bytes of source a unit may read, headers
	// included (the SQLite amalgamation is 9.5 MB).
	maxBytes int64 = 48 << 20
	// maxExpansion bounds macro expansion work (cc.Config.ExpansionLimit),
	// so that a macro bomb cannot hang a CI job.
	maxExpansion = 1 << 27
)

var (
	baseOnce sync.Once
	baseCfg  *cc.Config
	baseErr  error
)

// baseConfig returns the host C compiler's configuration, computed once per
// process (cc.NewConfig runs the compiler).
func baseConfig() (*cc.Config, error) {
	baseOnce.Do(func() {
		defer func() {
			if r := recover(); r != nil {
				baseErr = fmt.Errorf("the C compiler configuration: %v", r)
			}
		}()
		baseCfg, baseErr = cc.NewConfig(runtime.GOOS, runtime.GOARCH)
	})
	return baseCfg, baseErr
}

// recordFS is the file system a translation reads through: it reads the
// host's files, remembers each file's content hash (for the disk cache's
// validation) and enforces the byte budget.
type recordFS struct {
	mu    sync.Mutex
	files map[string]string // name -> sha256 hex, "" for absent
	// extra are files the front end supplies where the disk has none
	// (recorded as absent: their content is in the cache key).
	extra map[string][]byte
	bytes int64
	over  bool
}

var errBudget = errors.New("over the size budget")

func (r *recordFS) Open(name string) (fs.File, error) {
	b, err := os.ReadFile(name)
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		if _, ok := r.files[name]; !ok {
			r.files[name] = ""
		}
		if x, ok := r.extra[name]; ok {
			r.bytes += int64(len(x))
			return &memFile{Reader: bytes.NewReader(x), info: extraInfo{filepath.Base(name), int64(len(x))}}, nil
		}
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	fi, err := os.Stat(name)
	if err != nil || fi.IsDir() {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	r.bytes += int64(len(b))
	if r.bytes > maxBytes {
		r.over = true
		return nil, &fs.PathError{Op: "open", Path: name, Err: errBudget}
	}
	sum := sha256.Sum256(b)
	r.files[name] = hex.EncodeToString(sum[:])
	return &memFile{Reader: bytes.NewReader(b), info: fi}, nil
}

// size returns the bytes of source read so far.
func (r *recordFS) size() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.bytes
}

func newRecordFS(extra map[string][]byte) *recordFS {
	return &recordFS{files: map[string]string{}, extra: extra}
}

// extraInfo describes a file of recordFS.extra.
type extraInfo struct {
	name string
	size int64
}

func (i extraInfo) Name() string       { return i.name }
func (i extraInfo) Size() int64        { return i.size }
func (i extraInfo) Mode() fs.FileMode  { return 0o444 }
func (i extraInfo) ModTime() time.Time { return time.Time{} }
func (i extraInfo) IsDir() bool        { return false }
func (i extraInfo) Sys() any           { return nil }

type memFile struct {
	*bytes.Reader
	info fs.FileInfo
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Close() error               { return nil }

var _ io.Reader = (*memFile)(nil)

// flagConfig applies compiler flags (-I, -isystem, -iquote, -D, -U) to a
// copy of base and returns it with the extra predefined text. The search
// orders are gcc's: #include "x.h" looks in the including file's directory,
// the -iquote and -I directories, the -isystem ones, then the system's;
// #include <x.h> in the -I, the -isystem, then the system directories.
// (cc/v4 searches only SysIncludePaths for <x.h>, so the -I directories go
// there too: pkg-config's -I/usr/include/glib-2.0 is how a binding's
// `#include <glib.h>` is found.)
func flagConfig(base *cc.Config, flags []string) (*cc.Config, string) {
	c := *base
	var quote, incl, sys []string
	var pre strings.Builder
	for i := 0; i < len(flags); i++ {
		f := flags[i]
		val := func(prefix string) (string, bool) {
			if f == prefix && i+1 < len(flags) {
				i++
				return flags[i], true
			}
			if strings.HasPrefix(f, prefix) && len(f) > len(prefix) {
				return f[len(prefix):], true
			}
			return "", false
		}
		if v, ok := val("-isystem"); ok {
			sys = append(sys, v)
			continue
		}
		if v, ok := val("-iquote"); ok {
			quote = append(quote, v)
			continue
		}
		if v, ok := val("-I"); ok {
			incl = append(incl, v)
			continue
		}
		if v, ok := val("-D"); ok {
			name, def, ok := strings.Cut(v, "=")
			if !ok {
				def = "1"
			}
			fmt.Fprintf(&pre, "#define %s %s\n", name, def)
			continue
		}
		if v, ok := val("-U"); ok {
			fmt.Fprintf(&pre, "#undef %s\n", v)
		}
	}
	c.IncludePaths = slices.Concat([]string{""}, quote, incl, sys, base.IncludePaths[1:])
	c.SysIncludePaths = slices.Concat(incl, sys, base.SysIncludePaths)
	return &c, pre.String()
}

// unitResult is what the front end keeps of one translation unit: the
// summaries of the functions it defines in the package's own files, never
// the AST.
type unitResult struct {
	Defs    []*summary
	Aliases map[string]string // object-like macros of the unit naming a function
	Signals map[string]int64  // signal macros
	Decls   []*cfuncs.Func    // from the declaration pass (Options.Headers)
	Files   map[string]string // files read -> content hash
	Note    string            // why the unit could not be (fully) read, if so
	// Transient marks a failure that says nothing about the unit (the
	// worker could not start): the package's result is not cached.
	Transient bool
	// PeakRSS is the worker's peak resident memory after the unit (bytes,
	// 0 if unknown).
	PeakRSS  int64
	Duration time.Duration
}

// translateHere reads one unit in this process: Translate, falling back
// to Parse (no types) when the type checker rejects it, and to nothing
// when that fails too. A panic in the front end is an unreadable unit, not
// a crash. With decls set, the declaration pass runs with it as the
// knowledge base. It runs in the worker process (see worker.go): a unit
// can make cc/v4 loop forever.
func translateHere(u Unit, flags []string, dir string, decls *cfuncs.KB, rfs *recordFS) (res *unitResult) {
	start := time.Now()
	res = &unitResult{Aliases: map[string]string{}, Signals: map[string]int64{}}
	defer func() {
		if r := recover(); r != nil {
			res = &unitResult{Note: fmt.Sprintf("%s: the C front end failed (%v); its functions are unknown", u.Name, r)}
		}
		res.Files = rfs.files
		res.Duration = time.Since(start)
	}()
	base, err := baseConfig()
	if err != nil {
		res.Note = fmt.Sprintf("%s: %v; its functions are unknown", u.Name, err)
		return res
	}
	cfg, pre := flagConfig(base, flags)
	cfg.FS = rfs
	cfg.FSOnly = true
	cfg.ExpansionLimit = maxExpansion
	sources := []cc.Source{
		{Name: "<predefined>", Value: cfg.Predefined + pre},
		{Name: "<builtin>", Value: cc.Builtin},
		{Name: u.Name, Value: string(u.Src)},
	}
	ast, err := cc.Translate(cfg, sources)
	if err != nil {
		if rfs.over {
			res.Note = fmt.Sprintf("%s: gave up: it reads more than %d KB of C source (the budget of a translation unit); its functions are unknown", u.Name, maxBytes>>10)
			return res
		}
		ast2, err2 := cc.Parse(cfg, sources)
		if err2 != nil || ast2 == nil {
			res.Note = fmt.Sprintf("%s: cannot read the C code: %s; its functions are unknown", u.Name, firstLine(err2, err))
			return res
		}
		res.Note = fmt.Sprintf("%s: type checking failed (%s); read without types", u.Name, firstLine(err, nil))
		ast = ast2
	}
	read(ast, u, dir, res)
	if decls != nil {
		for _, f := range cfuncs.HeaderFuncs(ast, decls) {
			if f != nil && f.Name != "" {
				res.Decls = append(res.Decls, f)
			}
		}
	}
	return res
}

func firstLine(err, fallback error) string {
	if err == nil {
		err = fallback
	}
	if err == nil {
		return "unknown error"
	}
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + " ..."
	}
	return s
}

// inPackage reports whether a file the unit read is the package's own (the
// unit itself, or a file in the package directory).
func inPackage(name string, u Unit, dir string) bool {
	if name == u.Name {
		return true
	}
	return dir != "" && filepath.Dir(name) == dir
}

// read summarises the definitions of the package's own files in ast.
func read(ast *cc.AST, u Unit, dir string, res *unitResult) {
	var onstack int64
	for name, m := range ast.Macros {
		if m == nil || m.IsFnLike {
			continue
		}
		l := m.ReplacementList()
		if v, ok := macroInt(l); ok {
			if name == "SA_ONSTACK" {
				onstack = v
			}
			if isSignalName(name) {
				res.Signals[name] = v
			}
			continue
		}
		if len(l) == 1 && l[0].Ch == rune(cc.IDENTIFIER) && inPackage(m.Position().Filename, u, dir) {
			res.Aliases[name] = l[0].SrcStr()
		}
	}
	seen := map[string]bool{}
	for l := ast.TranslationUnit; l != nil; l = l.TranslationUnit {
		ed := l.ExternalDeclaration
		if ed == nil || ed.Case != cc.ExternalDeclarationFuncDef || ed.FunctionDefinition == nil {
			continue
		}
		fd := ed.FunctionDefinition
		if fd.Declarator == nil || !inPackage(fd.Position().Filename, u, dir) {
			continue
		}
		name := fd.Declarator.Name()
		if seen[name] {
			continue
		}
		seen[name] = true
		res.Defs = append(res.Defs, summarize(fd, onstack))
	}
	// Declarations elsewhere in the unit can make a function a constructor:
	// static void init(void) __attribute__((constructor));
	ctors := map[string]bool{}
	for l := ast.TranslationUnit; l != nil; l = l.TranslationUnit {
		ed := l.ExternalDeclaration
		if ed == nil || ed.Case != cc.ExternalDeclarationDecl || ed.Declaration == nil {
			continue
		}
		d := ed.Declaration
		if !inPackage(d.Position().Filename, u, dir) {
			continue
		}
		spec := hasAttr(d.DeclarationSpecifiers, "constructor")
		for il := d.InitDeclaratorList; il != nil; il = il.InitDeclaratorList {
			if id := il.InitDeclarator; id != nil && id.Declarator != nil &&
				(spec || hasAttr(id.Declarator, "constructor") || hasAttr(id.AttributeSpecifierList, "constructor")) {
				ctors[id.Declarator.Name()] = true
			}
		}
	}
	for _, s := range res.Defs {
		if ctors[s.Name] {
			s.Ctor = true
		}
	}
}

// macroInt returns the value of a macro whose replacement is one integer
// literal (possibly parenthesised).
func macroInt(l []cc.Token) (int64, bool) {
	for len(l) >= 3 && l[0].Ch == '(' && l[len(l)-1].Ch == ')' {
		l = l[1 : len(l)-1]
	}
	if len(l) != 1 || l[0].Ch != rune(cc.PPNUMBER) && l[0].Ch != rune(cc.INTCONST) {
		return 0, false
	}
	s := strings.TrimRight(strings.ToLower(l[0].SrcStr()), "ul")
	if v, err := strconv.ParseInt(s, 0, 64); err == nil {
		return v, true
	}
	if v, err := strconv.ParseUint(s, 0, 64); err == nil {
		return int64(v), true
	}
	return 0, false
}
