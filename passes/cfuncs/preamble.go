package cfuncs

import (
	"slices"
	"strings"
)

// InferPreamble infers knowledge-base entries for the C functions defined
// in a cgo preamble (the comment above `import "C"`). It returns only the
// functions with at least one inferred role, with Origin OriginPreamble,
// sorted by name. It never fails: what it cannot read, it ignores.
//
// The scanner is deliberately small and tolerant, not a C parser. It strips
// comments, string and character literals and preprocessor lines, then finds
// top-level definitions `<type> name(params) { body }`. A function-like
// macro `#define NAME(params) body` is read as a function whose body is also
// its return value; macros are used for inference inside the preamble but
// are not returned, since Go cannot call them. When a name is defined twice
// (say in #if and #else branches), the first definition is used.
//
// From a body it infers:
//   - Allocates (with the callee's Dealloc and Family) when some return
//     yields the result of an allocator, directly (`return (char*)malloc(n);`)
//     or through a local assigned only from allocators, and every other
//     return yields NULL or 0;
//   - AllocOut when the body stores an allocator's result through a
//     parameter (`*out = malloc(n);`);
//   - Frees (and Family) for each parameter passed, possibly cast, to a
//     deallocator (free, sqlite3_free, g_free, xmlFree, ...);
//   - Signal, SignalArg, Signals and OnStack from calls that install, mask
//     or raise signals (Installs wins over Masks, Masks over Raises);
//     sigaction(sig, NULL, &old) only queries and is not an install;
//   - Blocks, ThreadAffine and Hostile from the calls it makes.
//
// Calls to other preamble functions count like calls to built-in ones:
// inference runs to a fixpoint, so roles pass through any number of
// wrappers. Member calls (`ops->free(p)`) are never resolved.
func InferPreamble(preamble string) []*Func {
	return Builtin().InferPreamble(preamble)
}

// InferPreamble is the package-level InferPreamble with kb, not the
// built-in table, as what the preamble's calls are known to do: a preamble
// wrapper of a library function declared in the user's configuration
// (`blocks: true`, `frees: [0]`) inherits its roles.
func (kb *KB) InferPreamble(preamble string) []*Func {
	src, macros := clean(preamble)
	var defs []*cdef
	seen := make(map[string]bool)
	for _, m := range macros {
		if !seen[m.name] {
			seen[m.name] = true
			defs = append(defs, m)
		}
	}
	for _, d := range findDefs(tokenize(src)) {
		if !seen[d.name] {
			seen[d.name] = true
			defs = append(defs, d)
		}
	}
	inf := &inferrer{
		kb:   kb,
		defs: make(map[string]*cdef, len(defs)),
		out:  make(map[string]*Func, len(defs)),
	}
	for _, d := range defs {
		inf.defs[d.name] = d
		inf.out[d.name] = &Func{Name: d.name, SignalArg: -1, OnStack: -1, Origin: OriginPreamble}
	}
	// Each round can only add roles, so this terminates; the bound is a
	// safety net.
	for range len(defs) + 2 {
		changed := false
		for _, d := range defs {
			f := inf.infer(d)
			if !equalFunc(f, inf.out[d.name]) {
				inf.out[d.name] = f
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	var res []*Func
	for _, d := range defs {
		f := inf.out[d.name]
		if d.macro || !hasRole(f) {
			continue
		}
		res = append(res, f)
	}
	slices.SortFunc(res, func(a, b *Func) int { return strings.Compare(a.Name, b.Name) })
	return res
}

// cdef is a function definition or function-like macro found in the preamble.
type cdef struct {
	name   string
	params []string // "" for an unnamed parameter
	body   []string // tokens between the braces (or the macro body)
	macro  bool
}

func hasRole(f *Func) bool {
	return f.Allocates || len(f.AllocOut) > 0 || len(f.Frees) > 0 || f.Blocks ||
		f.ThreadAffine || f.Signal != None || f.Hostile != NotHostile
}

func equalFunc(a, b *Func) bool {
	return a.Allocates == b.Allocates && a.Dealloc == b.Dealloc && a.Family == b.Family &&
		slices.Equal(a.AllocOut, b.AllocOut) && slices.Equal(a.Frees, b.Frees) &&
		a.Blocks == b.Blocks && a.ThreadAffine == b.ThreadAffine &&
		a.Signal == b.Signal && a.SignalArg == b.SignalArg &&
		slices.Equal(a.Signals, b.Signals) && a.OnStack == b.OnStack && a.Hostile == b.Hostile
}

// clean removes comments, string and character literals (each literal
// becomes the token 0, so argument counts survive) and line continuations,
// and takes preprocessor lines out of the text, returning the function-like
// macros among them.
func clean(s string) (string, []*cdef) {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && s[i+1] == '\n':
			i += 2
		case c == '\\' && i+2 < len(s) && s[i+1] == '\r' && s[i+2] == '\n':
			i += 3
		case c == '/' && i+1 < len(s) && s[i+1] == '/':
			for i < len(s) && s[i] != '\n' {
				if s[i] == '\\' && i+1 < len(s) && s[i+1] == '\n' {
					i++ // a continued line comment goes on
				}
				i++
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				i = len(s)
			} else {
				// Keep line structure for the preprocessor-line pass.
				b.WriteString(strings.Repeat("\n", strings.Count(s[i:i+2+end], "\n")))
				b.WriteByte(' ')
				i += 2 + end + 2
			}
		case c == '"' || c == '\'':
			i++
			for i < len(s) && s[i] != c && s[i] != '\n' {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				i++
			}
			i++ // closing quote (or newline of an unterminated literal)
			b.WriteString(" 0 ")
		default:
			b.WriteByte(c)
			i++
		}
	}
	var (
		out    strings.Builder
		macros []*cdef
	)
	for line := range strings.SplitSeq(b.String(), "\n") {
		t := strings.TrimLeft(line, " \t\r\f\v")
		if !strings.HasPrefix(t, "#") {
			out.WriteString(line)
			out.WriteByte('\n')
			continue
		}
		if m := parseMacro(t[1:]); m != nil {
			macros = append(macros, m)
		}
		out.WriteByte('\n')
	}
	return out.String(), macros
}

// parseMacro parses the text after '#' of a preprocessor line and returns
// the function-like macro it defines, if any.
func parseMacro(t string) *cdef {
	t = strings.TrimLeft(t, " \t")
	rest, ok := strings.CutPrefix(t, "define")
	if !ok || rest == "" || (rest[0] != ' ' && rest[0] != '\t') {
		return nil
	}
	rest = strings.TrimLeft(rest, " \t")
	n := 0
	for n < len(rest) && isIdentByte(rest[n]) {
		n++
	}
	// Function-like only when '(' follows the name immediately.
	if n == 0 || isDigit(rest[0]) || n >= len(rest) || rest[n] != '(' {
		return nil
	}
	closeIdx := strings.IndexByte(rest[n:], ')')
	if closeIdx < 0 {
		return nil
	}
	m := &cdef{name: rest[:n], macro: true}
	for p := range strings.SplitSeq(rest[n+1:n+closeIdx], ",") {
		p = strings.TrimSpace(p)
		if p == "..." || !isIdent(p) {
			p = ""
		}
		m.params = append(m.params, p)
	}
	if len(m.params) == 1 && m.params[0] == "" {
		m.params = nil
	}
	m.body = tokenize(rest[n+closeIdx+1:])
	return m
}

func isIdentByte(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || isDigit(c)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isIdent(s string) bool {
	if s == "" || isDigit(s[0]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isIdentByte(s[i]) {
			return false
		}
	}
	return true
}

// operators are the multi-character punctuators the scanner distinguishes,
// longest first.
var operators = []string{
	"<<=", ">>=", "...",
	"->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
	"+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "##",
}

// tokenize splits cleaned C text into identifiers, numbers and punctuators.
func tokenize(s string) []string {
	var toks []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case isIdentByte(c):
			j := i
			for j < len(s) && (isIdentByte(s[j]) || isDigit(s[i]) && s[j] == '.') {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		default:
			op := s[i : i+1]
			for _, o := range operators {
				if strings.HasPrefix(s[i:], o) {
					op = o
					break
				}
			}
			toks = append(toks, op)
			i += len(op)
		}
	}
	return toks
}

// matchBrackets returns, for each opening bracket token, the index of its
// closing partner (-1 when unclosed), and -1 for every other token.
// Each kind is matched on its own stack, so unbalanced input stays linear.
func matchBrackets(toks []string) []int {
	m := make([]int, len(toks))
	var stacks [3][]int
	for i, t := range toks {
		m[i] = -1
		k := strings.Index("({[", t)
		if len(t) == 1 && k >= 0 {
			stacks[k] = append(stacks[k], i)
			continue
		}
		k = strings.Index(")}]", t)
		if len(t) == 1 && k >= 0 && len(stacks[k]) > 0 {
			top := stacks[k][len(stacks[k])-1]
			stacks[k] = stacks[k][:len(stacks[k])-1]
			m[top] = i
		}
	}
	return m
}

// keywords are C words that are never function names.
var keywords = map[string]bool{
	"if": true, "else": true, "while": true, "for": true, "do": true, "switch": true,
	"case": true, "default": true, "return": true, "sizeof": true, "goto": true,
	"break": true, "continue": true, "typedef": true, "struct": true, "union": true,
	"enum": true, "_Alignof": true, "alignof": true, "_Generic": true, "_Static_assert": true,
	"__attribute__": true, "__attribute": true, "__asm__": true, "asm": true, "__asm": true,
	"__typeof__": true, "typeof": true, "__declspec": true, "defined": true,
	"__extension__": true, "__builtin_expect": true,
}

// findDefs finds top-level function definitions in the tokens.
func findDefs(toks []string) []*cdef {
	m := matchBrackets(toks)
	var defs []*cdef
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t == "{" {
			if m[i] < 0 {
				break
			}
			i = m[i]
			continue
		}
		if !isIdent(t) || keywords[t] || i+1 >= len(toks) || toks[i+1] != "(" || m[i+1] < 0 {
			continue
		}
		// A return type (or qualifier, or '*') must precede the name.
		if i == 0 || !(toks[i-1] == "*" || isIdent(toks[i-1]) && toks[i-1] != "return") {
			continue
		}
		closeIdx := m[i+1]
		j := closeIdx + 1
		// Skip trailing __attribute__((...)) and similar.
		for j+1 < len(toks) && (toks[j] == "__attribute__" || toks[j] == "__attribute") &&
			toks[j+1] == "(" && m[j+1] > 0 {
			j = m[j+1] + 1
		}
		if j >= len(toks) || toks[j] != "{" {
			continue
		}
		end := m[j]
		if end < 0 {
			end = len(toks)
		}
		defs = append(defs, &cdef{
			name:   t,
			params: paramNames(toks[i+2 : closeIdx]),
			body:   toks[j+1 : end],
		})
		i = end
	}
	return defs
}

// paramNames returns the parameter names of a parameter list ("" for an
// unnamed one).
func paramNames(toks []string) []string {
	parts := splitTop(toks)
	if len(parts) == 1 && len(parts[0]) == 1 && parts[0][0] == "void" {
		return nil
	}
	var names []string
	for _, p := range parts {
		names = append(names, paramName(p))
	}
	if len(names) == 1 && names[0] == "" && len(parts[0]) == 0 {
		return nil
	}
	return names
}

func paramName(p []string) string {
	// A function-pointer parameter: ( * name ) ( ... ).
	for k := 0; k+3 < len(p); k++ {
		if p[k] == "(" && p[k+1] == "*" && isIdent(p[k+2]) && p[k+3] == ")" {
			return p[k+2]
		}
	}
	if k := slices.Index(p, "["); k >= 0 {
		p = p[:k]
	}
	var idents []int
	for k, t := range p {
		if isIdent(t) && !isDigit(t[0]) {
			idents = append(idents, k)
		}
	}
	if len(idents) < 2 {
		return "" // "int", "char *", "void": unnamed
	}
	last := idents[len(idents)-1]
	switch p[last-1] {
	case "struct", "union", "enum":
		return ""
	}
	switch p[last] {
	case "const", "volatile", "restrict", "__restrict", "int", "char", "long", "short",
		"unsigned", "signed", "float", "double", "void", "_Bool", "size_t":
		return ""
	}
	return p[last]
}

// splitTop splits toks at commas outside brackets.
func splitTop(toks []string) [][]string {
	var parts [][]string
	depth, start := 0, 0
	for k, t := range toks {
		switch t {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			depth--
		case ",":
			if depth == 0 {
				parts = append(parts, toks[start:k])
				start = k + 1
			}
		}
	}
	return append(parts, toks[start:])
}

// inferrer holds the state of one InferPreamble run.
type inferrer struct {
	kb   *KB
	defs map[string]*cdef
	out  map[string]*Func // current approximation, per definition
}

// callee returns what is known about the function name: the preamble's
// definition first, then the built-in table.
func (inf *inferrer) callee(name string) *Func {
	if f, ok := inf.out[name]; ok {
		return f
	}
	return inf.kb.Lookup(name)
}

// call is one call found in a body.
type call struct {
	name string
	fn   *Func
	args [][]string
}

// signalAcc accumulates the effect of one signal role.
type signalAcc struct {
	seen    bool
	arg     int
	signals []string
}

// execs replace a forked child's image: with one of them in the same body,
// a fork is the fork-exec idiom and no Go code runs in the child. _exit is
// not one: a daemonizing helper calls it in the parent, and the child goes
// on running Go code.
var execs = map[string]bool{
	"execl": true, "execlp": true, "execle": true, "execv": true, "execvp": true,
	"execvpe": true, "execve": true, "fexecve": true, "execveat": true,
}

func (inf *inferrer) infer(d *cdef) *Func {
	f := &Func{Name: d.name, SignalArg: -1, OnStack: -1, Origin: OriginPreamble}
	body := d.body
	m := matchBrackets(body)
	paramIndex := func(toks []string) int {
		toks = stripExpr(toks)
		if len(toks) == 1 && isIdent(toks[0]) {
			return slices.Index(d.params, toks[0])
		}
		return -1
	}
	var (
		calls []call
		roles [4]signalAcc // indexed by SignalRole
		onstackWith,
		onstackWithout bool
		execsToo bool // the body also calls an exec function or _exit
	)
	for r := range roles {
		roles[r].arg = -1
	}
	for k := 0; k+1 < len(body); k++ {
		t := body[k]
		if !isIdent(t) || keywords[t] || body[k+1] != "(" || m[k+1] < 0 {
			continue
		}
		if k > 0 && (body[k-1] == "." || body[k-1] == "->") {
			continue // a call through a member is not the function of that name
		}
		if t == d.name {
			continue // direct recursion adds nothing
		}
		if execs[t] {
			execsToo = true
		}
		g := inf.callee(t)
		if g == nil {
			continue // unknown: borrows
		}
		calls = append(calls, call{name: t, fn: g, args: splitTop(body[k+2 : m[k+1]])})
	}
	for _, c := range calls {
		g := c.fn
		if g.Blocks {
			f.Blocks = true
		}
		if g.ThreadAffine {
			f.ThreadAffine = true
		}
		if f.Hostile == NotHostile {
			f.Hostile = g.Hostile
		}

		if g.IsDeallocator() {
			for _, i := range g.Frees {
				if i < len(c.args) {
					if p := paramIndex(c.args[i]); p >= 0 && !slices.Contains(f.Frees, p) {
						f.Frees = append(f.Frees, p)
						if f.Family == "" {
							f.Family = g.Family
						}
					}
				}
			}
		}
		if g.Signal != None {
			if isInstall(g, c) {
				inf.noteOnStack(g, c, &onstackWith, &onstackWithout)
			} else if g.Signal == Installs {
				continue // sigaction(sig, NULL, &old) only reads
			}
			acc := &roles[g.Signal]
			acc.seen = true
			acc.signals = append(acc.signals, g.Signals...)
			if g.SignalArg >= 0 && g.SignalArg < len(c.args) {
				a := stripExpr(c.args[g.SignalArg])
				if p := paramIndex(a); p >= 0 {
					acc.arg = p
				} else if len(a) == 1 && isSignalName(a[0]) {
					acc.signals = append(acc.signals, a[0])
				}
			}
		}
	}
	if f.Hostile == Fork && execsToo {
		// fork then exec (or _exit) in the child, as posix_spawn does: no Go
		// code runs in the child, which is what os/exec does too.
		f.Hostile = NotHostile
	}
	for _, r := range []SignalRole{Installs, Masks, Raises} {
		if acc := roles[r]; acc.seen {
			f.Signal, f.SignalArg = r, acc.arg
			slices.Sort(acc.signals)
			f.Signals = slices.Compact(acc.signals)
			break
		}
	}
	if f.Signal == Installs {
		switch {
		case onstackWithout:
			f.OnStack = 0
		case onstackWith:
			f.OnStack = 1
		}
	}
	slices.Sort(f.Frees)

	inf.inferAlloc(d, f, body, m)
	return f
}

// isInstall reports whether call c of installer g sets a disposition.
func isInstall(g *Func, c call) bool {
	if g.Signal != Installs {
		return false
	}
	if g.Name == "sigaction" && len(c.args) >= 2 && isNull(stripExpr(c.args[1])) {
		return false
	}
	return true
}

// noteOnStack records whether install call c visibly uses SA_ONSTACK.
func (inf *inferrer) noteOnStack(g *Func, c call, with, without *bool) {
	switch {
	case g.Origin == OriginPreamble:
		switch g.OnStack {
		case 0:
			*without = true
		case 1:
			*with = true
		}
	case g.Name == "sigaction":
		// Decided by inferAlloc from the sa_flags assignments of the body.
	default:
		// signal() and friends never set SA_ONSTACK; it only matters when
		// a handler runs.
		if len(c.args) >= 2 {
			h := stripExpr(c.args[1])
			if len(h) == 1 && (h[0] == "SIG_IGN" || h[0] == "SIG_DFL" || h[0] == "SIG_ERR" || h[0] == "SIG_HOLD") {
				return
			}
		}
		*without = true
	}
}

func isSignalName(s string) bool {
	if len(s) < 4 || !strings.HasPrefix(s, "SIG") || s[3] == '_' {
		return false
	}
	for i := 3; i < len(s); i++ {
		if !('A' <= s[i] && s[i] <= 'Z' || isDigit(s[i])) {
			return false
		}
	}
	return true
}

func isNull(e []string) bool {
	return len(e) == 1 && (e[0] == "NULL" || e[0] == "0" || e[0] == "nullptr")
}

// stripExpr removes enclosing parentheses and leading casts from an
// expression: ((char *)(p)) becomes p.
func stripExpr(e []string) []string {
	if len(e) < 2 || e[0] != "(" {
		return e
	}
	m := matchBrackets(e)
	lo, hi := 0, len(e)
	for lo < hi && e[lo] == "(" {
		c := m[lo]
		if c < 0 || c >= hi {
			break
		}
		if c == hi-1 {
			lo, hi = lo+1, hi-1
			continue
		}
		if !isTypeName(e[lo+1 : c]) {
			break
		}
		lo = c + 1
	}
	return e[lo:hi]
}

// isTypeName reports whether toks look like a type name in a cast:
// identifiers and '*' only, at least one identifier.
func isTypeName(toks []string) bool {
	ok := false
	for _, t := range toks {
		switch {
		case t == "*":
		case isIdent(t) && !keywords[t] || t == "struct" || t == "union" || t == "enum":
			ok = true
		default:
			return false
		}
	}
	return ok
}

// allocCall returns the allocator called by expression e, if e is entirely
// a call to one.
func (inf *inferrer) allocCall(e []string) *Func {
	e = stripExpr(e)
	if len(e) < 3 || !isIdent(e[0]) || e[1] != "(" {
		return nil
	}
	if m := matchBrackets(e); m[1] != len(e)-1 {
		return nil
	}
	if g := inf.callee(e[0]); g != nil && g.Allocates {
		return g
	}
	return nil
}

// inferAlloc sets Allocates, Dealloc, Family and AllocOut on f from the
// returns and assignments of body.
func (inf *inferrer) inferAlloc(d *cdef, f *Func, body []string, m []int) {
	type local struct {
		alloc *Func
		other bool
	}
	locals := make(map[string]*local)
	var flagsState int8 = -1 // sa_flags: -1 unseen, 0 without SA_ONSTACK, 1 with
	zeroInit := false
	// exprEnd returns the end of the expression starting at k: the next ';'
	// or ',' outside brackets, or the end of an enclosing bracket.
	exprEnd := func(k int) int {
		for ; k < len(body); k++ {
			switch body[k] {
			case ";", ",", ")", "}", "]":
				return k
			case "(", "{", "[":
				if m[k] < 0 {
					return len(body)
				}
				k = m[k]
			}
		}
		return len(body)
	}
	for k := 1; k < len(body); k++ {
		op := body[k]
		if op != "=" && op != "|=" && op != "&=" {
			if op == "memset" || op == "{" && k+1 < len(body) && (body[k+1] == "}" || body[k+1] == "0" && k+2 < len(body) && body[k+2] == "}") && body[k-1] == "=" {
				zeroInit = true
			}
			continue
		}
		lhs := body[k-1]
		rhs := body[k+1 : exprEnd(k+1)]
		if lhs == "sa_flags" {
			has := slices.Contains(rhs, "SA_ONSTACK")
			switch op {
			case "=":
				flagsState = b2i(has)
			case "|=":
				if has {
					flagsState = 1
				} else if flagsState < 0 {
					flagsState = 0
				}
			case "&=":
				if has {
					flagsState = 0
				}
			}
			continue
		}
		if op != "=" || !isIdent(lhs) {
			continue
		}
		// *out = malloc(n) with out a parameter.
		if k >= 2 && body[k-2] == "*" && (k == 2 || strings.Contains(";{})", body[k-3])) {
			if g := inf.allocCall(rhs); g != nil {
				if p := slices.Index(d.params, lhs); p >= 0 && !slices.Contains(f.AllocOut, p) {
					f.AllocOut = append(f.AllocOut, p)
					f.Dealloc, f.Family = g.Dealloc, g.Family
				}
			}
			continue
		}
		if k >= 2 && (body[k-2] == "." || body[k-2] == "->") {
			continue
		}
		l := locals[lhs]
		if l == nil {
			l = &local{}
			locals[lhs] = l
		}
		if g := inf.allocCall(rhs); g != nil && (l.alloc == nil || l.alloc.Family == g.Family) {
			l.alloc = g
		} else if !isNull(stripExpr(rhs)) {
			l.other = true
		}
	}
	// sigaction's SA_ONSTACK, from the flags assignments of the body.
	if f.Signal == Installs && f.OnStack != 0 && inf.callsSigaction(body, m) {
		switch {
		case flagsState >= 0:
			f.OnStack = flagsState
		case zeroInit:
			f.OnStack = 0
		}
	}

	var (
		alloc   *Func
		mixed   bool
		returns int
	)
	for k := 0; k < len(body); k++ {
		if body[k] != "return" {
			continue
		}
		end := k + 1
		for end < len(body) && body[end] != ";" {
			if (body[end] == "(" || body[end] == "{" || body[end] == "[") && m[end] > 0 {
				end = m[end]
			}
			end++
		}
		e := stripExpr(body[k+1 : min(end, len(body))])
		returns++
		var g *Func
		if len(e) == 1 && isIdent(e[0]) && !slices.Contains(d.params, e[0]) {
			if l := locals[e[0]]; l != nil && !l.other {
				g = l.alloc
			}
		} else {
			g = inf.allocCall(e)
		}
		switch {
		case g != nil && (alloc == nil || alloc.Family == g.Family):
			alloc = g
		case isNull(e) || len(e) == 0:
		default:
			mixed = true
		}
	}
	if d.macro && returns == 0 {
		if g := inf.allocCall(body); g != nil {
			alloc = g
		}
	}
	if alloc != nil && !mixed {
		f.Allocates = true
		f.Dealloc, f.Family = alloc.Dealloc, alloc.Family
	}
}

// callsSigaction reports whether body installs a handler with sigaction.
func (inf *inferrer) callsSigaction(body []string, m []int) bool {
	for k := 0; k+1 < len(body); k++ {
		if body[k] == "sigaction" && body[k+1] == "(" && m[k+1] > 0 {
			args := splitTop(body[k+2 : m[k+1]])
			if len(args) >= 2 && !isNull(stripExpr(args[1])) {
				return true
			}
		}
	}
	return false
}

func b2i(b bool) int8 {
	if b {
		return 1
	}
	return 0
}
