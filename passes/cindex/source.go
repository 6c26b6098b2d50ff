package cindex

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/tools/go/analysis"

	"github.com/cgolint/cgolint/passes/cfuncs"
	"github.com/cgolint/cgolint/passes/config"
	"github.com/cgolint/cgolint/passes/csrc"
)

// This file reaches the user's raw source behind cgo's cooked files: the
// preambles (for knowledge-base inference) and the files cgo was not allowed
// to process.

// userFile returns the name of the user's file that a cooked file's //line
// comments name (x.go for x.cgo1.go), or the file's own name.
func userFile(fset *token.FileSet, f *ast.File) string {
	return fset.Position(f.Package).Filename
}

// cSource reads the package's C code (its preambles and .c files) with
// the C front end, kb (built-in and configured functions) being what the
// calls there are known to do. The preamble is read from the raw file that
// //line names; if that file cannot be read (a sandboxed build), the copy
// cgo leaves above the `import _ "unsafe"` that replaced `import "C"` is
// used instead (its positions are then approximate).
func cSource(pass *analysis.Pass, kb *cfuncs.KB, cfg *config.Config) (res *csrc.Result, pkgs []string) {
	var (
		in         csrc.Input
		directives []string
	)
	seen := make(map[string]bool)
	for _, f := range pass.Files {
		if isCgoGenerated(pass.Fset, f) {
			continue
		}
		name := userFile(pass.Fset, f)
		if seen[name] {
			continue
		}
		seen[name] = true
		if in.Dir == "" {
			in.Dir = filepath.Dir(name)
		}
		var (
			u    csrc.Unit
			dirs []string
			ok   bool
		)
		if raw, err := os.ReadFile(name); err == nil {
			u, dirs, ok = csrc.Preamble(name, raw)
			in.GoFiles = append(in.GoFiles, csrc.GoFile{Name: name, Src: raw})
		}
		if !ok {
			if pre, found := preambleOf(f, `"unsafe"`); found { // cgo's copy in the cooked file
				u, dirs, ok = csrc.Preamble(name, []byte("package p\n\n/*\n"+strings.ReplaceAll(pre, "*/", "* /")+"*/\nimport \"C\"\n"))
			}
		}
		if ok {
			u.Preamble = true
			in.Units = append(in.Units, u)
			directives = append(directives, dirs...)
		}
	}
	for _, name := range cFiles(pass, in.Dir) {
		if src, err := os.ReadFile(name); err == nil {
			in.Units = append(in.Units, csrc.Unit{Name: name, Src: src})
		}
	}
	flags, notes := csrc.Flags(in.Dir, directives)
	in.Flags = flags
	in.Needed = goSideCNames(pass)
	opt := csrc.Options{NoCache: cfg.CacheOff()}
	if cfg.Learns("headers") {
		opt.Headers = true
	}
	res = csrc.Analyze(kb, in, opt)
	res.Notes = append(notes, res.Notes...)
	if cfg != nil && cfg.CDebug {
		how := fmt.Sprintf("%d of %d C translation units translated in %v", res.Translated, len(in.Units), res.Duration.Round(time.Millisecond))
		if res.Translated > 0 {
			how += fmt.Sprintf(" (worker: %v CPU, %d MB peak RSS)", res.WorkerCPU.Round(time.Millisecond), res.WorkerMaxRSS>>20)
		}
		if res.Cached {
			how = "C roles from the cache"
		}
		fmt.Fprintf(os.Stderr, "cgolint: %s: %s; %d C functions with roles, %d constructors\n", pass.Pkg.Path(), how, len(res.Funcs), len(res.Ctors))
		for _, n := range res.Notes {
			fmt.Fprintf(os.Stderr, "cgolint: %s: %s\n", pass.Pkg.Path(), n)
		}
	}
	return res, csrc.PkgConfigNames(directives)
}

// cFiles returns the .c files cgo compiles with the package: those of
// pass.OtherFiles, and those of the package directory that the build did
// not ignore. (go vet leaves a cgo package's .c files out of OtherFiles,
// since cgo compiles them; its IgnoredFiles still lists those the build
// constraints exclude.)
func cFiles(pass *analysis.Pass, dir string) []string {
	seen := map[string]bool{}
	var out []string
	for _, name := range pass.IgnoredFiles {
		seen[name] = true
	}
	add := func(name string) {
		if strings.HasSuffix(name, ".c") && !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	for _, name := range pass.OtherFiles {
		add(name)
	}
	if dir != "" {
		if names, err := filepath.Glob(filepath.Join(dir, "*.c")); err == nil {
			for _, name := range names {
				add(name)
			}
		}
	}
	slices.Sort(out)
	return out
}

// goSideCNames returns the C names the package's Go code refers to: the
// functions it calls (_Cfunc_f, _C2func_f), the C functions and macros it
// uses as values (_Cfpvar_fp_f, _Cmacro_m), as cgo declared them.
func goSideCNames(pass *analysis.Pass) []string {
	var names []string
	for _, n := range pass.Pkg.Scope().Names() {
		for _, p := range []string{"_Cfunc_", "_C2func_", "_Cfpvar_fp_", "_Cmacro_"} {
			if strings.HasPrefix(n, p) {
				names = append(names, n[len(p):])
			}
		}
	}
	if len(names) > 0 {
		return names
	}
	// The raw shape (gopls): C.f selectors.
	seen := map[string]bool{}
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "C" && !seen[sel.Sel.Name] {
					seen[sel.Sel.Name] = true
					names = append(names, sel.Sel.Name)
				}
			}
			return true
		})
	}
	return names
}

// preambleOf returns the doc comment of the import of path in f.
func preambleOf(f *ast.File, path string) (string, bool) {
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		for _, s := range gd.Specs {
			spec := s.(*ast.ImportSpec)
			if spec.Path.Value != path {
				continue
			}
			doc := spec.Doc
			if doc == nil && len(gd.Specs) == 1 {
				doc = gd.Doc
			}
			if doc != nil {
				return doc.Text(), true
			}
		}
	}
	return "", false
}

// checkNotSkipped returns an error if the package has a file that uses cgo
// but was left out of the build only because cgo is disabled (CGO_ENABLED=0,
// no C compiler, or a cross-compiling GOOS/GOARCH): the analysis would see
// none of that file and report a clean run that is a lie. A file left out by
// its own build constraints (tags, GOOS, GOARCH) is no such file: the
// constraints are evaluated in the build context of the load: with the tags
// of go/build's default context, where golangci-lint puts those of its
// run.build-tags and cgolint's drivers those of -tags and GOFLAGS; if it has
// none, with those of GOFLAGS.
func checkNotSkipped(pass *analysis.Pass) error {
	if len(pass.IgnoredFiles) == 0 || usesCgo(pass) {
		return nil // cgo processed this package: it is enabled
	}
	ctxt := build.Default
	if cgoEnabled(ctxt) {
		return nil // nothing is dropped for want of cgo
	}
	if len(ctxt.BuildTags) == 0 {
		ctxt.BuildTags = BuildTags(os.Getenv("GOFLAGS"))
	}
	if name := DroppedCgoFile(ctxt, pass.IgnoredFiles); name != "" {
		return SkippedError(name, ctxt.GOOS, ctxt.GOARCH)
	}
	return nil
}

// DroppedCgoFile returns the first of a package's ignored files that uses
// cgo and whose build constraints hold in ctxt with cgo enabled: a file the
// go command left out only because cgo is disabled. It returns "" if there
// is none. Files of the standard library are never reported (net and
// os/user build without cgo by design).
func DroppedCgoFile(ctxt build.Context, ignored []string) string {
	ctxt.CgoEnabled = true
	goroot := filepath.Join(ctxt.GOROOT, "src") + string(filepath.Separator)
	for _, name := range ignored {
		if !strings.HasSuffix(name, ".go") || strings.HasPrefix(name, goroot) {
			continue
		}
		if ok, err := ctxt.MatchFile(filepath.Dir(name), filepath.Base(name)); err != nil || !ok {
			continue // excluded by its own build constraints
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			continue
		}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == "C" {
				return name
			}
		}
	}
	return ""
}

// SkippedError is the error for a file that uses cgo but was left out of
// the build of goos/goarch because cgo is disabled. It says how to enable
// cgo for that target.
func SkippedError(name, goos, goarch string) error {
	if goos != runtime.GOOS || goarch != runtime.GOARCH {
		example := ""
		if goos == "windows" && goarch == "amd64" {
			example = " (for example CC=x86_64-w64-mingw32-gcc)"
		}
		return fmt.Errorf("%s uses cgo but was skipped because cgo is disabled when cross-compiling for %s/%s: cgolint cannot check it; enable cgo for that target with CGO_ENABLED=1 and a C cross compiler for it in CC%s", name, goos, goarch, example)
	}
	return fmt.Errorf("%s uses cgo but was skipped because cgo is disabled (CGO_ENABLED=0 or no C compiler): cgolint cannot check it; enable cgo with CGO_ENABLED=1 and install a C compiler (or name one in CC)", name)
}

// cgoEnabled reports whether the go command builds with cgo in ctxt, as it
// decides: CGO_ENABLED if set; otherwise on when building for the host (as
// go/build has it) and a C compiler is found.
func cgoEnabled(ctxt build.Context) bool {
	switch os.Getenv("CGO_ENABLED") {
	case "1":
		return true
	case "0":
		return false
	}
	if !ctxt.CgoEnabled {
		return false
	}
	cc := strings.Fields(os.Getenv("CC"))
	if len(cc) == 0 {
		cc = []string{"gcc"}
		if runtime.GOOS == "darwin" || runtime.GOOS == "freebsd" || runtime.GOOS == "openbsd" {
			cc = []string{"clang"}
		}
	}
	found, ok := compilerFound.Load(cc[0])
	if !ok {
		found, _ = compilerFound.LoadOrStore(cc[0], sync.OnceValue(func() bool {
			_, err := exec.LookPath(cc[0])
			return err == nil
		}))
	}
	return found.(func() bool)()
}

// compilerFound holds, for each C compiler name, whether the PATH has it:
// asked once per process, not for every package with ignored files.
var compilerFound sync.Map // string -> func() bool

// BuildTags returns the build tags that a GOFLAGS value sets with -tags
// (the last -tags wins, as with the go command).
func BuildTags(goflags string) []string {
	var tags []string
	fields := strings.Fields(goflags)
	for i := 0; i < len(fields); i++ {
		f := strings.TrimPrefix(fields[i], "-")
		f = strings.TrimPrefix(f, "-")
		var v string
		switch {
		case strings.HasPrefix(f, "tags="):
			v = strings.TrimPrefix(f, "tags=")
		case f == "tags" && i+1 < len(fields):
			i++
			v = fields[i]
		default:
			continue
		}
		tags = strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' })
	}
	return tags
}

// A rawFile is a user's file behind cgo's //line comments, added to the
// pass's FileSet so that positions in it are ordinary token.Pos values:
// diagnostics and suggested fixes positioned there name the user's file in
// every driver, and text edits apply to the file the user wrote.
type rawFile struct {
	tf      *token.File
	content []byte
}

// rawFileNamed returns the user's file of that name, reading and adding it
// to the FileSet once, or nil if it cannot be read.
func (x *Index) rawFileNamed(name string) *rawFile {
	x.rawMu.Lock()
	defer x.rawMu.Unlock()
	if rf, ok := x.raw[name]; ok {
		return rf
	}
	if x.raw == nil {
		x.raw = make(map[string]*rawFile)
	}
	var rf *rawFile
	if content, err := os.ReadFile(name); err == nil {
		tf := x.pass.Fset.AddFile(name, -1, len(content))
		tf.SetLinesForContent(content)
		rf = &rawFile{tf: tf, content: content}
	}
	x.raw[name] = rf
	return rf
}

// UserPos returns pos, a position in one of cgo's cooked files, as a
// position in the user's file that //line names, so that a text edit built
// from it applies to the file the user wrote. Positions in files cgo did not
// cook are returned unchanged, as is pos when the user's file cannot be read.
func (x *Index) UserPos(pos token.Pos) token.Pos {
	tf := x.pass.Fset.File(pos)
	if tf == nil || !x.usesCgo {
		return pos
	}
	p := x.pass.Fset.Position(pos)
	if p.Filename == tf.Name() {
		return pos // not cooked
	}
	rf := x.rawFileNamed(p.Filename)
	if rf == nil {
		return pos
	}
	if up, ok := rf.pos(p.Line, p.Column); ok {
		return up
	}
	return pos
}

// UserSource returns the text of the user's file that pos (cooked or not)
// is in, with the position of pos in that text's FileSet entry.
func (x *Index) UserSource(pos token.Pos) (content []byte, tf *token.File, ok bool) {
	up := x.UserPos(pos)
	f := x.pass.Fset.File(up)
	if f == nil {
		return nil, nil, false
	}
	x.rawMu.Lock()
	rf := x.raw[f.Name()]
	x.rawMu.Unlock()
	if rf != nil && rf.tf == f {
		return rf.content, f, true
	}
	if content, err := x.pass.ReadFile(f.Name()); err == nil && len(content) == f.Size() {
		return content, f, true
	}
	return nil, nil, false
}

// pos returns the position of line:col (1-based) in the file.
func (rf *rawFile) pos(line, col int) (token.Pos, bool) {
	if line < 1 || line > rf.tf.LineCount() || col < 1 {
		return token.NoPos, false
	}
	start := rf.tf.LineStart(line)
	off := rf.tf.Offset(start) + col - 1
	if off > len(rf.content) {
		return token.NoPos, false
	}
	return rf.tf.Pos(off), true
}

// userSpan returns the span of the user's call `C.name(...)` that syntax
// stands for, in the user's file.
//
// cgo's //line comments place a direct call's function exactly, but put a
// wrapped call's _Cfunc_f identifier at the end of the user's call (one past
// its closing parenthesis); the wrapper's own tokens are positioned only
// relative to whatever rewrite came earlier on the line. So for a wrapped
// call the start is found in the user's text: the nearest `C.name(` before
// the end whose parentheses close exactly there.
func (x *Index) userSpan(syntax *ast.CallExpr, name string) (pos, end token.Pos) {
	fun := ast.Unparen(syntax.Fun)
	if !x.unwrapped[syntax] {
		if sel, ok := fun.(*ast.SelectorExpr); ok {
			return x.UserPos(sel.X.Pos()), token.NoPos // raw shape: C.f
		}
		// cgo usually puts a //line comment right before _Cfunc_f, but not
		// when the call is an argument inside a wrapper (`var _cgo1 T =
		// _Cfunc_CString /*line :10:12*/(s)`): then the parenthesis is
		// placed exactly and the name is found just before it.
		pos = x.UserPos(fun.Pos())
		if !x.textAt(pos, "C."+name) {
			lp := x.UserPos(syntax.Lparen)
			if start := lp - token.Pos(len("C."+name)); x.textAt(start, "C."+name+"(") {
				pos = start
			}
		}
		return pos, token.NoPos
	}
	p := x.pass.Fset.Position(fun.Pos())
	if rf := x.rawFileNamed(p.Filename); rf != nil {
		if e, ok := rf.pos(p.Line, p.Column); ok {
			off := rf.tf.Offset(e)
			if start, ok := callStart(rf.content, off, name); ok {
				return rf.tf.Pos(start), e
			}
		}
	}
	return syntax.Pos(), token.NoPos // the wrapper's first token: right unless an earlier rewrite shares the line
}

// textAt reports whether the user's file has text at pos, a position in a
// raw file this index added to the FileSet.
func (x *Index) textAt(pos token.Pos, text string) bool {
	tf := x.pass.Fset.File(pos)
	if tf == nil {
		return false
	}
	x.rawMu.Lock()
	rf := x.raw[tf.Name()]
	x.rawMu.Unlock()
	if rf == nil || rf.tf != tf {
		return false
	}
	off := tf.Offset(pos)
	return off+len(text) <= len(rf.content) && string(rf.content[off:off+len(text)]) == text
}

// callStart returns the offset of `C.name(` in src whose parenthesis
// closes just before end.
func callStart(src []byte, end int, name string) (int, bool) {
	if end > len(src) || end < 1 {
		return 0, false
	}
	prefix := []byte("C." + name + "(")
	for lim := end; ; {
		i := bytes.LastIndex(src[:lim], prefix)
		if i < 0 {
			return 0, false
		}
		if CloseParen(src, i+len(prefix)-1) == end-1 {
			return i, true
		}
		lim = i
	}
}

// CloseParen returns the offset in src (Go source) of the parenthesis that
// closes the one at open, skipping string, rune and comment text, or -1.
func CloseParen(src []byte, open int) int {
	depth := 0
	for i := open; i < len(src); i++ {
		switch c := src[i]; c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i
			}
		case '"', '\'', '`':
			for i++; i < len(src) && src[i] != c; i++ {
				if src[i] == '\\' && c != '`' {
					i++
				}
			}
		case '/':
			if i+1 < len(src) && src[i+1] == '/' {
				for i < len(src) && src[i] != '\n' {
					i++
				}
			} else if i+1 < len(src) && src[i+1] == '*' {
				if j := bytes.Index(src[i+2:], []byte("*/")); j >= 0 {
					i += j + 3
				} else {
					return -1
				}
			}
		}
	}
	return -1
}

// ---- knowledge learned from headers and .gir files --------------------
//
// Both sources are off unless the configuration's learn: key turns them on,
// because their precision on real modules is not measured yet. Headers are
// read by the C front end's declaration pass (cfuncs.HeaderFuncs over each
// translated preamble, see cSource); .gir files are found through the
// preamble's #cgo pkg-config packages. What cannot be read (a missing
// header or .gir file) teaches nothing.

// learnGIRs caches what each .gir file teaches, once per process.
var learnGIRs sync.Map // key: .gir path -> []*cfuncs.Func

// girFuncs returns what the GObject-Introspection data of the packages'
// pkg-config names says, when cfg turns that source on.
func girFuncs(cfg *config.Config, pkgs []string, kb *cfuncs.KB) []*cfuncs.Func {
	if !cfg.Learns("gir") || len(pkgs) == 0 {
		return nil
	}
	var out []*cfuncs.Func
	for _, gir := range cfuncs.GIRFiles(girDirs(), pkgs) {
		out = append(out, learnGIR(gir, kb)...)
	}
	return out
}

// girDirs returns where .gir files are looked for: $GI_GIR_PATH (as
// g-ir-compiler reads it), then each $XDG_DATA_DIRS/gir-1.0, then
// /usr/share/gir-1.0.
func girDirs() []string {
	var dirs []string
	dirs = append(dirs, filepath.SplitList(os.Getenv("GI_GIR_PATH"))...)
	for _, d := range filepath.SplitList(os.Getenv("XDG_DATA_DIRS")) {
		dirs = append(dirs, filepath.Join(d, "gir-1.0"))
	}
	return append(dirs, "/usr/share/gir-1.0")
}

// learnGIR reads one .gir file, once per process.
func learnGIR(path string, kb *cfuncs.KB) []*cfuncs.Func {
	if v, ok := learnGIRs.Load(path); ok {
		return v.([]*cfuncs.Func)
	}
	var fs []*cfuncs.Func
	if f, err := os.Open(path); err == nil {
		fs, _ = cfuncs.GIRFuncs(f, filepath.Base(path), kb)
		f.Close()
	}
	v, _ := learnGIRs.LoadOrStore(path, fs)
	return v.([]*cfuncs.Func)
}
