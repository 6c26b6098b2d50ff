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
	"modernc.org/cc/v4"

	"github.com/cgolint/cgolint/passes/cfuncs"
	"github.com/cgolint/cgolint/passes/config"
)

// This file reaches the user's raw source behind cgo's cooked files: the
// preambles (for knowledge-base inference) and the files cgo was not allowed
// to process.

// userFile returns the name of the user's file that a cooked file's //line
// comments name (x.go for x.cgo1.go), or the file's own name.
func userFile(fset *token.FileSet, f *ast.File) string {
	return fset.Position(f.Package).Filename
}

// preambleFuncs returns what the package's cgo preambles define, inferred
// by the knowledge base's scanner with kb (built-in and configured
// functions) as what their calls do. The preamble is read from the raw file
// that //line names; if that file cannot be read (a sandboxed build), the
// copy cgo leaves above the `import _ "unsafe"` that replaced `import "C"`
// is used instead.
func preambleFuncs(pass *analysis.Pass, kb *cfuncs.KB) []*cfuncs.Func {
	var out []*cfuncs.Func
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
		pre, ok := preambleOf(f, `"C"`) // raw shape (gopls)
		if !ok {
			if raw, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly|parser.ParseComments); err == nil {
				pre, ok = preambleOf(raw, `"C"`)
			}
		}
		if !ok {
			pre, ok = preambleOf(f, `"unsafe"`) // cgo's copy in the cooked file
		}
		if ok {
			out = append(out, kb.InferPreamble(pre)...)
		}
	}
	return out
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
// but was left out of the build although its build constraints hold with
// cgo enabled: cgo is disabled (CGO_ENABLED=0, or no C compiler), so the
// analysis would see none of that file and report a clean run that is a lie.
func checkNotSkipped(pass *analysis.Pass) error {
	ctxt := build.Default
	ctxt.CgoEnabled = true
	goroot := filepath.Join(ctxt.GOROOT, "src") + string(filepath.Separator)
	for _, name := range pass.IgnoredFiles {
		if !strings.HasSuffix(name, ".go") || strings.HasPrefix(name, goroot) {
			continue // the standard library builds without cgo by design
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
				return fmt.Errorf("%s uses cgo but was skipped because cgo is disabled (CGO_ENABLED=0 or no C compiler): cgolint cannot check it; enable cgo and install a C compiler", name)
			}
		}
	}
	return nil
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

// ---- libdata: knowledge learned from headers and .gir files -------------
//
// learnedFuncs is the smallest wiring of cfuncs.HeaderFuncs and
// cfuncs.GIRFuncs: it is off unless the configuration's learn: key turns a
// source on, because their precision on real modules is not measured yet.
// It translates each preamble's #include and #define lines with
// modernc.org/cc/v4 on its own; the C front end (branch cfront) replaces
// that translation at merge, and then only the two calls remain. What cannot
// be read (a missing header, pkg-config failing, a translation over its time
// budget) teaches nothing.
func learnedFuncs(pass *analysis.Pass, cfg *config.Config, kb *cfuncs.KB) []*cfuncs.Func {
	if !cfg.Learns("headers") && !cfg.Learns("gir") {
		return nil
	}
	var out []*cfuncs.Func
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
		pre, ok := preambleOf(f, `"C"`)
		if !ok {
			if raw, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly|parser.ParseComments); err == nil {
				pre, ok = preambleOf(raw, `"C"`)
			}
		}
		if !ok {
			continue
		}
		src, flags, pkgs := cgoDirectives(pre, filepath.Dir(name))
		if cfg.Learns("headers") {
			if ast := learnTranslate(src, flags, pkgs); ast != nil {
				out = append(out, cfuncs.HeaderFuncs(ast, kb)...)
			}
		}
		if cfg.Learns("gir") && len(pkgs) > 0 {
			for _, gir := range cfuncs.GIRFiles(girDirs(), pkgs) {
				out = append(out, learnGIR(gir, kb)...)
			}
		}
	}
	return out
}

// cgoDirectives returns a preamble's #include and one-line #define lines, the
// -I and -D flags of its #cgo CFLAGS (relative -I resolved against dir, as
// cgo does with ${SRCDIR}), and its #cgo pkg-config packages.
func cgoDirectives(pre, dir string) (src string, flags, pkgs []string) {
	var b strings.Builder
	flags = []string{"-I" + dir}
	for _, line := range strings.Split(pre, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(t, "#cgo "):
			directive, args, ok := strings.Cut(strings.TrimPrefix(t, "#cgo "), ":")
			if !ok {
				continue
			}
			fields := strings.Fields(directive)
			switch {
			case len(fields) > 0 && fields[len(fields)-1] == "pkg-config":
				pkgs = append(pkgs, strings.Fields(args)...)
			case len(fields) > 0 && fields[len(fields)-1] == "CFLAGS":
				for _, a := range strings.Fields(strings.ReplaceAll(args, "${SRCDIR}", dir)) {
					if strings.HasPrefix(a, "-I") || strings.HasPrefix(a, "-D") {
						if p, ok := strings.CutPrefix(a, "-I"); ok && !filepath.IsAbs(p) {
							a = "-I" + filepath.Join(dir, p)
						}
						flags = append(flags, a)
					}
				}
			}
		case strings.HasPrefix(t, "#include"), strings.HasPrefix(t, "#define") && !strings.HasSuffix(t, `\`):
			b.WriteString(t)
			b.WriteByte('\n')
		}
	}
	return b.String(), flags, pkgs
}

// learnBudget bounds one translation: a pathological header must not hang
// the analysis.
const learnBudget = 30 * time.Second

var (
	learnASTs   sync.Map // key: flags + source -> *cc.AST (nil if unreadable)
	learnCfgs   sync.Map // key: flags -> *cc.Config
	learnGIRs   sync.Map // key: .gir path -> []*cfuncs.Func
	learnPkgCfg sync.Map // key: pkg-config names -> []string flags
)

// learnTranslate translates src with flags and pkg-config's for pkgs,
// once per process for each distinct input, or returns nil.
func learnTranslate(src string, flags, pkgs []string) *cc.AST {
	if strings.TrimSpace(src) == "" {
		return nil
	}
	if len(pkgs) > 0 {
		key := strings.Join(pkgs, " ")
		v, ok := learnPkgCfg.Load(key)
		if !ok {
			out, err := exec.Command("pkg-config", append([]string{"--cflags"}, pkgs...)...).Output()
			var fs []string
			if err == nil {
				fs = strings.Fields(string(out))
			}
			v, _ = learnPkgCfg.LoadOrStore(key, fs)
		}
		flags = append(slices.Clone(flags), v.([]string)...)
	}
	fkey := strings.Join(flags, "\x00")
	key := fkey + "\x01" + src
	if v, ok := learnASTs.Load(key); ok {
		return v.(*cc.AST)
	}
	var ast *cc.AST
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() { _ = recover() }() // the front end's panics teach nothing
		v, ok := learnCfgs.Load(fkey)
		if !ok {
			c, err := cc.NewConfig(runtime.GOOS, runtime.GOARCH, flags...)
			if err != nil {
				return
			}
			v, _ = learnCfgs.LoadOrStore(fkey, c)
		}
		c := v.(*cc.Config)
		a, err := cc.Translate(c, []cc.Source{
			{Name: "<predefined>", Value: c.Predefined},
			{Name: "<builtin>", Value: cc.Builtin},
			{Name: "preamble.h", Value: src},
		})
		if err == nil {
			ast = a
		}
	}()
	select {
	case <-done:
	case <-time.After(learnBudget):
		return nil // given up; the goroutine finishes on its own
	}
	learnASTs.Store(key, ast)
	return ast
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
