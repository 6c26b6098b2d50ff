package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/tools/go/analysis"
)

// A report collects what one standalone run prints: errors (each once) and
// findings (each once, although a file of package p is analysed twice, for
// p and for its test variant "p [p.test]").
type report struct {
	format  string    // text, json or sarif
	context int       // -c
	root    string    // the main module's directory, for SARIF's relative paths
	loaded  time.Time // when loading began: -fix writes no file changed since

	errors   []loadErr
	seenErr  map[string]bool
	findings []*finding
	seen     map[string]bool
}

// A loadErr is an error that kept a package from being checked.
type loadErr struct {
	pkg string // package ID, or ""
	msg string
}

// A finding is one diagnostic, its positions resolved.
type finding struct {
	pkg      string // package ID under which it is filed
	analyzer *analysis.Analyzer
	diag     analysis.Diagnostic
	fset     *token.FileSet
	posn     token.Position
	end      token.Position
}

// errorf records an error of package pkg, unless an identical message was
// recorded already.
func (r *report) errorf(pkg, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if r.seenErr == nil {
		r.seenErr = make(map[string]bool)
	}
	if r.seenErr[msg] {
		return
	}
	r.seenErr[msg] = true
	r.errors = append(r.errors, loadErr{pkg, msg})
}

// add records a diagnostic unless the same analyzer reported the same
// message at the same place already (for another variant of the package).
func (r *report) add(pkg string, a *analysis.Analyzer, fset *token.FileSet, d analysis.Diagnostic) {
	f := &finding{pkg: pkg, analyzer: a, diag: d, fset: fset, posn: position(fset, d.Pos), end: position(fset, cmp.Or(d.End, d.Pos))}
	key := fmt.Sprintf("%s\x00%s\x00%s\x00%s", a.Name, f.posn, f.end, d.Message)
	if r.seen == nil {
		r.seen = make(map[string]bool)
	}
	if r.seen[key] {
		return
	}
	r.seen[key] = true
	r.findings = append(r.findings, f)
}

// finish prints the report in its format and returns the exit code.
func (r *report) finish() int {
	switch r.format {
	case "json":
		if err := r.printJSON(os.Stdout); err != nil {
			fmt.Fprintf(os.Stderr, "cgolint: %v\n", err)
			return exitFailed
		}
	case "sarif":
		if err := r.printSARIF(os.Stdout); err != nil {
			fmt.Fprintf(os.Stderr, "cgolint: %v\n", err)
			return exitFailed
		}
	default:
		r.printErrors(os.Stderr)
		r.printText(os.Stderr, r.findings)
		if len(r.errors) == 0 && len(r.findings) > 0 {
			return exitFindings
		}
	}
	if len(r.errors) > 0 {
		return exitFailed
	}
	return exitClean
}

// printErrors prints each error on its own, as the go command would.
func (r *report) printErrors(w io.Writer) {
	cwd, _ := os.Getwd()
	for _, e := range r.errors {
		msg := e.msg
		if cwd != "" {
			msg = strings.ReplaceAll(msg, cwd+string(filepath.Separator), "")
		}
		switch {
		case strings.HasPrefix(msg, "# "):
			// The go command's own report of a failed cgo or C
			// compilation, headed by the package.
			fmt.Fprintf(w, "%s\n", msg)
		case !strings.Contains(msg, ".go") && e.pkg != "" && !strings.Contains(msg, e.pkg):
			fmt.Fprintf(w, "cgolint: %s: %s\n", e.pkg, msg)
		default:
			fmt.Fprintf(w, "cgolint: %s\n", msg)
		}
	}
}

// printText prints findings as file:line:col: message, in file order, each
// related location on a line of its own (indented by a tab), each with -c
// lines of context.
func (r *report) printText(w io.Writer, findings []*finding) {
	sorted := slices.Clone(findings)
	slices.SortStableFunc(sorted, func(a, b *finding) int {
		return cmp.Or(cmp.Compare(a.posn.Filename, b.posn.Filename), cmp.Compare(a.posn.Line, b.posn.Line), cmp.Compare(a.posn.Column, b.posn.Column))
	})
	cwd, _ := os.Getwd()
	for _, f := range sorted {
		r.printPlain(w, cwd, f.posn, f.end, f.diag.Message)
		for _, rel := range f.diag.Related {
			r.printPlain(w, cwd, position(f.fset, rel.Pos), position(f.fset, cmp.Or(rel.End, rel.Pos)), "\t"+rel.Message)
		}
	}
}

func (r *report) printPlain(w io.Writer, cwd string, posn, end token.Position, msg string) {
	p := posn
	p.Filename = shortPath(cwd, p.Filename)
	fmt.Fprintf(w, "%s: %s\n", p, msg)
	if r.context < 0 || !posn.IsValid() {
		return
	}
	if !end.IsValid() || end.Filename != posn.Filename {
		end = posn
	}
	data, _ := os.ReadFile(posn.Filename)
	lines := strings.Split(string(data), "\n")
	for i := posn.Line - r.context; i <= end.Line+r.context; i++ {
		if 1 <= i && i <= len(lines) {
			fmt.Fprintf(w, "%d\t%s\n", i, lines[i-1])
		}
	}
}

// shortPath returns name relative to dir when it is inside dir.
func shortPath(dir, name string) string {
	if dir == "" || !filepath.IsAbs(name) {
		return name
	}
	if rel, err := filepath.Rel(dir, name); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return name
}

// JSON output: go/analysis's schema (as x/tools' drivers print it), a map
// from package ID to check name to findings or {"error": ...}; an error
// that keeps a package from being checked is filed under the pseudo-check
// "cgolint".
type jsonDiagnostic struct {
	Category       string            `json:"category,omitempty"`
	Posn           string            `json:"posn"`
	End            string            `json:"end"`
	Message        string            `json:"message"`
	SuggestedFixes []jsonFix         `json:"suggested_fixes,omitempty"`
	Related        []jsonRelatedInfo `json:"related,omitempty"`
}

type jsonFix struct {
	Message string     `json:"message"`
	Edits   []jsonEdit `json:"edits"`
}

type jsonEdit struct {
	Filename string `json:"filename"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	New      string `json:"new"`
}

type jsonRelatedInfo struct {
	Posn    string `json:"posn"`
	End     string `json:"end"`
	Message string `json:"message"`
}

type jsonError struct {
	Err string `json:"error"`
}

func (r *report) printJSON(w io.Writer) error {
	tree := make(map[string]map[string]any)
	node := func(pkg string) map[string]any {
		m, ok := tree[pkg]
		if !ok {
			m = make(map[string]any)
			tree[pkg] = m
		}
		return m
	}
	for _, e := range r.errors {
		pkg := cmp.Or(e.pkg, "-")
		m := node(pkg)
		if prev, ok := m["cgolint"].(jsonError); ok {
			e.msg = prev.Err + "\n" + e.msg
		}
		m["cgolint"] = jsonError{e.msg}
	}
	for _, f := range r.findings {
		m := node(f.pkg)
		list, _ := m[f.analyzer.Name].([]jsonDiagnostic)
		jd := jsonDiagnostic{
			Category: f.diag.Category,
			Posn:     f.posn.String(),
			End:      f.end.String(),
			Message:  f.diag.Message,
		}
		for _, fix := range f.diag.SuggestedFixes {
			jf := jsonFix{Message: fix.Message, Edits: []jsonEdit{}}
			for _, e := range fix.TextEdits {
				start, end := position(f.fset, e.Pos), position(f.fset, cmp.Or(e.End, e.Pos))
				jf.Edits = append(jf.Edits, jsonEdit{Filename: start.Filename, Start: start.Offset, End: end.Offset, New: string(e.NewText)})
			}
			jd.SuggestedFixes = append(jd.SuggestedFixes, jf)
		}
		for _, rel := range f.diag.Related {
			jd.Related = append(jd.Related, jsonRelatedInfo{
				Posn:    position(f.fset, rel.Pos).String(),
				End:     position(f.fset, cmp.Or(rel.End, rel.Pos)).String(),
				Message: rel.Message,
			})
		}
		m[f.analyzer.Name] = append(list, jd)
	}
	data, err := json.MarshalIndent(tree, "", "\t")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", data)
	return err
}
