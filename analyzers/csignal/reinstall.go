package csignal

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"

	"github.com/cgolint/cgolint/passes/cfuncs"
	"github.com/cgolint/cgolint/passes/cindex"
)

// This file recognises the "fix the flags" idiom of cgo preambles:
//
//	struct sigaction sa;
//	sigaction(sig, NULL, &sa);   // read the disposition in force
//	sa.sa_flags |= SA_ONSTACK;   // change only its flags
//	sigaction(sig, &sa, NULL);   // and put it back
//
// GUI bindings use it to add SA_ONSTACK to the handlers a C toolkit
// installed; it keeps whatever handler is in force (Go's included), so it
// gives no signal a new disposition and csignal does not count it as one.

// preambles caches the cgo preamble of each user file, by file name.
type preambles map[string]string

// preambleOf returns the cgo preamble of the user's file that call is in.
func (c *checker) preambleOf(call *cindex.Call) string {
	src, tf, ok := c.idx.UserSource(call.Pos())
	if !ok {
		return ""
	}
	if c.preambles == nil {
		c.preambles = make(preambles)
	}
	if p, ok := c.preambles[tf.Name()]; ok {
		return p
	}
	text := ""
	if f, err := parser.ParseFile(token.NewFileSet(), tf.Name(), src, parser.ImportsOnly|parser.ParseComments); err == nil {
		text = cPreamble(f)
	}
	c.preambles[tf.Name()] = stripC(text)
	return c.preambles[tf.Name()]
}

// cPreamble returns the doc comment of f's import "C".
func cPreamble(f *ast.File) string {
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
			if doc != nil {
				return doc.Text()
			}
		}
	}
	return ""
}

// stripC blanks out C comments and string and character literals, and
// preprocessor lines, keeping offsets.
func stripC(s string) string {
	b := []byte(s)
	lineStart := true
	for i := 0; i < len(b); i++ {
		switch {
		case lineStart && b[i] == '#':
			for ; i < len(b) && b[i] != '\n'; i++ {
				if b[i] == '\\' && i+1 < len(b) && b[i+1] == '\n' {
					b[i] = ' '
					i++
					continue
				}
				b[i] = ' '
			}
		case b[i] == '/' && i+1 < len(b) && b[i+1] == '/':
			for ; i < len(b) && b[i] != '\n'; i++ {
				b[i] = ' '
			}
		case b[i] == '/' && i+1 < len(b) && b[i+1] == '*':
			for ; i < len(b) && !(b[i] == '*' && i+1 < len(b) && b[i+1] == '/'); i++ {
				if b[i] != '\n' {
					b[i] = ' '
				}
			}
			if i+1 < len(b) {
				b[i], b[i+1] = ' ', ' '
				i++
			}
		case b[i] == '"' || b[i] == '\'':
			q := b[i]
			for i++; i < len(b) && b[i] != q && b[i] != '\n'; i++ {
				if b[i] == '\\' {
					b[i] = ' '
					i++
				}
				if i < len(b) {
					b[i] = ' '
				}
			}
		}
		if i < len(b) {
			lineStart = b[i] == '\n' || lineStart && (b[i] == ' ' || b[i] == '\t')
		}
	}
	return string(b)
}

func isIdentByte(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// closing returns the index of the bracket closing the one at s[i], or -1.
func closing(s string, i int) int {
	open, shut := s[i], byte(')')
	if open == '{' {
		shut = '}'
	}
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case open:
			depth++
		case shut:
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

// funcBody returns the body of the top-level C function name defined in
// src, or false.
func funcBody(src, name string) (string, bool) {
	depth := 0
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '{':
			depth++
			continue
		case '}':
			depth--
			continue
		}
		if depth != 0 || !strings.HasPrefix(src[i:], name) || i > 0 && isIdentByte(src[i-1]) {
			continue
		}
		j := i + len(name)
		if j < len(src) && isIdentByte(src[j]) {
			continue
		}
		for j < len(src) && strings.ContainsRune(" \t\n", rune(src[j])) {
			j++
		}
		if j >= len(src) || src[j] != '(' {
			continue
		}
		k := closing(src, j)
		if k < 0 {
			return "", false
		}
		k++
		for k < len(src) && strings.ContainsRune(" \t\n", rune(src[k])) {
			k++
		}
		if k < len(src) && src[k] == '{' {
			if end := closing(src, k); end > 0 {
				return src[k+1 : end], true
			}
		}
	}
	return "", false
}

// cCall is a call found in a C body.
type cCall struct {
	name string
	args []string
}

// callsIn returns the calls of body, in order.
func callsIn(body string) []cCall {
	var out []cCall
	for i := 0; i < len(body); i++ {
		if !isIdentByte(body[i]) || i > 0 && isIdentByte(body[i-1]) {
			continue
		}
		j := i
		for j < len(body) && isIdentByte(body[j]) {
			j++
		}
		name := body[i:j]
		k := j
		for k < len(body) && strings.ContainsRune(" \t\n", rune(body[k])) {
			k++
		}
		if k >= len(body) || body[k] != '(' || name[0] >= '0' && name[0] <= '9' {
			i = j - 1
			continue
		}
		end := closing(body, k)
		if end < 0 {
			break
		}
		out = append(out, cCall{name: name, args: splitArgs(body[k+1 : end])})
		i = j - 1 // nested calls are found next
	}
	return out
}

// splitArgs splits an argument list at its top-level commas, trimmed.
func splitArgs(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	return append(out, strings.TrimSpace(s[start:]))
}

func isNullC(a string) bool {
	a = strings.Trim(a, "() \t\n")
	return a == "NULL" || a == "0" || a == "nullptr" || strings.HasSuffix(a, ")NULL") || strings.HasSuffix(a, ")0")
}

// addrOf returns v for "&v" (or "& v"), or "".
func addrOf(a string) string {
	a = strings.TrimSpace(a)
	if !strings.HasPrefix(a, "&") {
		return ""
	}
	return strings.TrimSpace(a[1:])
}

// reinstallsOnly reports whether the preamble function name only puts back
// dispositions it first read (changing their flags), directly or through
// other preamble functions, and installs nothing else.
func (c *checker) reinstallsOnly(src, name string, depth int) bool {
	body, ok := funcBody(src, name)
	if !ok || depth > 8 {
		return false
	}
	read := make(map[string]bool)
	some := false
	for _, call := range callsIn(body) {
		switch call.name {
		case "sigaction":
			if len(call.args) < 3 {
				return false
			}
			if isNullC(call.args[1]) {
				if v := addrOf(call.args[2]); v != "" {
					read[v] = true
				}
				continue
			}
			if v := addrOf(call.args[1]); v == "" || !read[v] {
				return false
			}
			some = true
		case "signal", "sigset", "bsd_signal", "sysv_signal":
			return false
		default:
			f := c.idx.KB().Lookup(call.name)
			if f == nil || f.Origin != cfuncs.OriginPreamble || f.Signal != cfuncs.Installs {
				continue
			}
			if !c.reinstallsOnly(src, call.name, depth+1) {
				return false
			}
			some = true
		}
	}
	return some
}

// savesPrevious reports whether the preamble function name (or a preamble
// function it calls) installs a handler with sigaction while saving the
// previous action: sigaction(sig, &sa, &old). The os/signal docs ask C
// handlers to forward to the Go handler they replace; saving it is how
// that starts, so such a handler is assumed to forward.
func (c *checker) savesPrevious(src, name string, depth int) bool {
	body, ok := funcBody(src, name)
	if !ok || depth > 8 {
		return false
	}
	for _, call := range callsIn(body) {
		if call.name == "sigaction" {
			if len(call.args) >= 3 && !isNullC(call.args[1]) && !isNullC(call.args[2]) {
				return true
			}
			continue
		}
		f := c.idx.KB().Lookup(call.name)
		if f != nil && f.Origin == cfuncs.OriginPreamble && f.Signal == cfuncs.Installs && c.savesPrevious(src, call.name, depth+1) {
			return true
		}
	}
	return false
}
