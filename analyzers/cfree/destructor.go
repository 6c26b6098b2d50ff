package cfree

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"regexp"
	"strconv"
	"strings"

	"github.com/cgolint/cgolint/passes/cindex"
)

// A C function that passes a deallocator as a function pointer (the
// destructor argument of sqlite3_result_text, sqlite3_bind_blob,
// g_object_set_data_full...) hands the memory it is given to the library,
// which frees it later. cfree treats such calls as taking ownership of
// their pointer arguments: both a preamble function whose body does it and
// a Go call that passes C.free itself.

var (
	cDefRE    = regexp.MustCompile(`\b([A-Za-z_]\w*)\s*\([^;{}()]*\)\s*\{`)
	identRE   = regexp.MustCompile(`[A-Za-z_]\w*`)
	goFnPtrRE = regexp.MustCompile(`_Cfpvar_fp_(\w+)|\bC\.(\w+)\b`)
)

// destructorTakers returns the preamble functions of the package that pass
// a known deallocator as a function pointer.
func (r *runner) destructorTakers() map[string]bool {
	out := make(map[string]bool)
	seen := make(map[string]bool)
	for _, f := range r.pass.Files {
		content, tf, ok := r.idx.UserSource(f.Package)
		if !ok || seen[tf.Name()] {
			continue
		}
		seen[tf.Name()] = true
		pf, err := parser.ParseFile(token.NewFileSet(), tf.Name(), content, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			continue
		}
		for _, d := range pf.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.IMPORT {
				continue
			}
			for _, spec := range gd.Specs {
				is := spec.(*ast.ImportSpec)
				if p, _ := strconv.Unquote(is.Path.Value); p != "C" {
					continue
				}
				doc := is.Doc
				if doc == nil {
					doc = gd.Doc
				}
				if doc != nil {
					r.scanPreamble(doc.Text(), out)
				}
			}
		}
	}
	return out
}

// scanPreamble records the functions defined in src whose body passes a
// deallocator as an argument without calling it.
func (r *runner) scanPreamble(src string, out map[string]bool) {
	for _, m := range cDefRE.FindAllStringSubmatchIndex(src, -1) {
		name := src[m[2]:m[3]]
		open := m[1] - 1
		depth, end := 0, -1
		for i := open; i < len(src) && end < 0; i++ {
			switch src[i] {
			case '{':
				depth++
			case '}':
				depth--
				if depth == 0 {
					end = i
				}
			}
		}
		if end < 0 {
			continue
		}
		if r.passesDeallocator(src[open:end]) {
			out[name] = true
		}
	}
}

// passesDeallocator reports whether a C function body names a deallocator
// without calling it.
func (r *runner) passesDeallocator(body string) bool {
	for _, m := range identRE.FindAllStringIndex(body, -1) {
		if !r.idx.KB().Lookup(body[m[0]:m[1]]).IsDeallocator() {
			continue
		}
		rest := strings.TrimLeft(body[m[1]:], " \t\r\n")
		if !strings.HasPrefix(rest, "(") {
			return true
		}
	}
	return false
}

// passesDeallocatorArg reports whether a Go call of a C function passes a
// deallocator such as C.free as one of its arguments.
func (r *runner) passesDeallocatorArg(c *cindex.Call) bool {
	if c.Syntax == nil {
		return false
	}
	for _, a := range c.Syntax.Args {
		for _, m := range goFnPtrRE.FindAllStringSubmatch(types.ExprString(a), -1) {
			name := m[1] + m[2]
			if f := r.idx.KB().Lookup(name); f.IsDeallocator() && !strings.Contains(types.ExprString(a), name+"(") {
				return true
			}
		}
	}
	return false
}
