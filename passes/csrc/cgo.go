package csrc

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"strings"
	"sync"
	"unicode"
)

// This file builds translation units the way cgo does: the preamble of a
// Go file (its #cgo lines taken out) and the flags of the package.

// Preamble returns the preamble of the Go file name, whose text is src, as a
// unit whose lines and columns are those of the Go file (comment markers
// and everything outside the preamble are blanked), and the #cgo directive
// lines it holds. ok is false if the file has no import "C" with a doc
// comment, or does not parse.
func Preamble(name string, src []byte) (u Unit, directives []string, ok bool) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ImportsOnly|parser.ParseComments)
	if err != nil {
		return Unit{}, nil, false
	}
	cg := preambleDoc(f)
	if cg == nil {
		return Unit{}, nil, false
	}
	tf := fset.File(f.Pos())
	start, end := tf.Offset(cg.Pos()), tf.Offset(cg.End())
	// Keep the lines before the preamble as empty lines.
	lineStart := bytes.LastIndexByte(src[:start], '\n') + 1
	out := make([]byte, 0, end-lineStart+start/40)
	out = append(out, bytes.Repeat([]byte{'\n'}, bytes.Count(src[:lineStart], []byte{'\n'}))...)
	text := bytes.Clone(src[lineStart:end])
	for i := range start - lineStart {
		if text[i] != '\t' {
			text[i] = ' '
		}
	}
	for _, c := range cg.List {
		o := tf.Offset(c.Pos()) - lineStart
		e := tf.Offset(c.End()) - lineStart
		text[o], text[o+1] = ' ', ' '
		if strings.HasPrefix(c.Text, "/*") && e >= 2 {
			text[e-2], text[e-1] = ' ', ' '
		}
	}
	// Take out #cgo lines, as cgo does, keeping the line count.
	lines := bytes.Split(text, []byte{'\n'})
	for i, l := range lines {
		t := bytes.TrimLeft(l, " \t")
		if bytes.HasPrefix(t, []byte("#cgo")) && len(t) > 4 && (t[4] == ' ' || t[4] == '\t') {
			directives = append(directives, string(bytes.TrimSpace(t[4:])))
			lines[i] = nil
		}
	}
	out = append(out, bytes.Join(lines, []byte{'\n'})...)
	out = append(out, '\n')
	return Unit{Name: name, Src: out}, directives, true
}

func preambleDoc(f *ast.File) *ast.CommentGroup {
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		for _, s := range gd.Specs {
			spec := s.(*ast.ImportSpec)
			if spec.Path.Value != `"C"` {
				continue
			}
			doc := spec.Doc
			if doc == nil && len(gd.Specs) == 1 {
				doc = gd.Doc
			}
			return doc
		}
	}
	return nil
}

// Flags returns the C compiler flags of a package from its #cgo directive
// lines (CPPFLAGS, CFLAGS and pkg-config, those whose build constraints hold
// for this build) and the environment's CGO_CPPFLAGS and CGO_CFLAGS, with
// ${SRCDIR} expanded to dir. It returns notes for what it could not do
// (pkg-config failing).
func Flags(dir string, directives []string) (flags, notes []string) {
	flags = append(flags, strings.Fields(os.Getenv("CGO_CPPFLAGS"))...)
	flags = append(flags, strings.Fields(os.Getenv("CGO_CFLAGS"))...)
	var pkgs []string
	eachDirective(directives, func(verb, args string) {
		args = strings.ReplaceAll(args, "${SRCDIR}", dir)
		switch verb {
		case "CFLAGS", "CPPFLAGS":
			flags = append(flags, splitQuoted(args)...)
		case "pkg-config":
			pkgs = append(pkgs, splitQuoted(args)...)
		}
	})
	if len(pkgs) > 0 {
		pf, err := pkgConfig(pkgs)
		if err != nil {
			notes = append(notes, fmt.Sprintf("pkg-config %s: %v; translated without its flags", strings.Join(pkgs, " "), err))
		}
		flags = append(flags, pf...)
	}
	return flags, notes
}

// matchCond reports whether a #cgo line's build constraints hold: space
// separated alternatives of comma separated terms, each possibly negated.
func matchCond(alts []string) bool {
	if len(alts) == 0 {
		return true
	}
	ctxt := build.Default
	term := func(t string) bool {
		neg := strings.HasPrefix(t, "!")
		t = strings.TrimPrefix(t, "!")
		v := t == ctxt.GOOS || t == ctxt.GOARCH || t == "cgo" || t == "gc" ||
			t == "unix" && unixOS[ctxt.GOOS] || t == "linux" && ctxt.GOOS == "android"
		for _, tag := range ctxt.BuildTags {
			v = v || t == tag
		}
		return v != neg
	}
	for _, alt := range alts {
		all := true
		for _, t := range strings.Split(alt, ",") {
			all = all && term(t)
		}
		if all {
			return true
		}
	}
	return false
}

var unixOS = map[string]bool{
	"aix": true, "android": true, "darwin": true, "dragonfly": true, "freebsd": true, "hurd": true,
	"illumos": true, "ios": true, "linux": true, "netbsd": true, "openbsd": true, "solaris": true,
}

// splitQuoted splits s at spaces, honouring single and double quotes and
// backslashes as cgo does.
func splitQuoted(s string) []string {
	var (
		out   []string
		cur   []rune
		quote rune
		esc   bool
		any   bool
	)
	for _, r := range s {
		switch {
		case esc:
			cur = append(cur, r)
			esc = false
		case r == '\\':
			esc = true
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur = append(cur, r)
			}
		case r == '"' || r == '\'':
			quote, any = r, true
		case unicode.IsSpace(r):
			if len(cur) > 0 || any {
				out = append(out, string(cur))
			}
			cur, any = cur[:0], false
		default:
			cur = append(cur, r)
		}
	}
	if len(cur) > 0 || any {
		out = append(out, string(cur))
	}
	return out
}

var pkgConfigMemo sync.Map // "pkgs" -> pkgConfigResult

type pkgConfigResult struct {
	flags []string
	err   error
}

// pkgConfig runs pkg-config --cflags (or $PKG_CONFIG) once per process for
// each list of packages.
func pkgConfig(pkgs []string) ([]string, error) {
	key := strings.Join(pkgs, "\x00")
	if v, ok := pkgConfigMemo.Load(key); ok {
		r := v.(pkgConfigResult)
		return r.flags, r.err
	}
	tool := os.Getenv("PKG_CONFIG")
	if tool == "" {
		tool = "pkg-config"
	}
	out, err := exec.Command(tool, append([]string{"--cflags", "--"}, pkgs...)...).Output()
	var r pkgConfigResult
	if err != nil {
		msg := err.Error()
		if ee, ok := err.(*exec.ExitError); ok && len(ee.Stderr) > 0 {
			msg = strings.TrimSpace(string(ee.Stderr))
		}
		r.err = fmt.Errorf("%s", firstLineString(msg))
	} else {
		r.flags = splitQuoted(string(out))
	}
	pkgConfigMemo.Store(key, r)
	return r.flags, r.err
}

func firstLineString(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " ..."
	}
	return s
}

// PkgConfigNames returns the packages that the #cgo pkg-config directives
// (as Preamble returns them) name for this build, in order.
func PkgConfigNames(directives []string) []string {
	var pkgs []string
	eachDirective(directives, func(verb, args string) {
		if verb == "pkg-config" {
			pkgs = append(pkgs, splitQuoted(args)...)
		}
	})
	return pkgs
}

// eachDirective calls f with the verb (CFLAGS, pkg-config, ...) and the
// arguments of every #cgo directive line whose build constraints hold.
func eachDirective(directives []string, f func(verb, args string)) {
	for _, d := range directives {
		head, args, ok := strings.Cut(d, ":")
		if !ok {
			continue
		}
		fields := strings.Fields(head)
		if len(fields) == 0 || !matchCond(fields[:len(fields)-1]) {
			continue
		}
		f(fields[len(fields)-1], args)
	}
}
