// Package ignore implements cgolint's own suppression directive, honoured
// the same way by every driver (standalone, go vet -vettool, golangci-lint):
//
//	//cgolint:ignore <check>[,<check>...] <reason>
//
// A directive suppresses the findings of the named checks positioned on its
// own line (a trailing comment) or on the line just below it (a comment on
// a line of its own above the statement). The reason is required: a
// directive without one, or with no check name, suppresses nothing. The
// check names are analyzer names (chostile, cfree, ...); "all" names every
// check. Like every Go directive there is no space after "//".
//
// Directives are read from the comments of the package's files as the
// analysis framework hands them over. For a cgo package those are cgo's
// cooked files, which keep the user's comments and whose //line comments map
// each of them back to its line in the user's file; a finding is matched by
// the file and line its position maps to, so a directive works the same
// whether the finding is positioned in the cooked file or (as cindex's
// positions are) in the user's raw file. No file is read from disk.
//
// [Wrap] applies the filter to an analyzer, so that no report can forget it;
// [Ignored] answers for one position.
package ignore

import (
	"go/ast"
	"go/token"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
)

// Prefix starts a directive.
const Prefix = "//cgolint:ignore"

// All, as a check name, suppresses every check.
const All = "all"

// A Directive is one parsed //cgolint:ignore comment.
type Directive struct {
	Checks []string // the checks it names
	Reason string   // why (never empty in a valid directive)
}

// Parse parses the text of one comment (with its leading "//"). It returns
// false for a comment that is not a directive and for a malformed directive
// (no check, or no reason).
func Parse(text string) (Directive, bool) {
	rest, ok := strings.CutPrefix(text, Prefix)
	if !ok || rest == "" || (rest[0] != ' ' && rest[0] != '\t') {
		return Directive{}, false
	}
	fields := strings.Fields(rest)
	if len(fields) < 2 {
		return Directive{}, false
	}
	var checks []string
	for _, c := range strings.Split(fields[0], ",") {
		if c = strings.TrimSpace(c); c != "" {
			checks = append(checks, c)
		}
	}
	if len(checks) == 0 {
		return Directive{}, false
	}
	reason := strings.TrimSpace(rest[strings.Index(rest, fields[0])+len(fields[0]):])
	return Directive{Checks: checks, Reason: reason}, true
}

// Covers reports whether the directive names check.
func (d Directive) Covers(check string) bool {
	for _, c := range d.Checks {
		if c == check || c == All {
			return true
		}
	}
	return false
}

// line identifies a line of a user's file.
type line struct {
	file string
	line int
}

// Index holds the directives of one package, by the user's file and line
// they are on.
type Index struct {
	fset *token.FileSet
	dirs map[line][]Directive
}

// NewIndex collects the directives in the comments of files.
func NewIndex(fset *token.FileSet, files []*ast.File) *Index {
	x := &Index{fset: fset}
	for _, f := range files {
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				if !strings.HasPrefix(c.Text, Prefix) {
					continue
				}
				d, ok := Parse(c.Text)
				if !ok {
					continue
				}
				// The adjusted position: through cgo's //line comments,
				// the line in the user's file.
				p := fset.Position(c.Slash)
				if x.dirs == nil {
					x.dirs = make(map[line][]Directive)
				}
				k := line{p.Filename, p.Line}
				x.dirs[k] = append(x.dirs[k], d)
			}
		}
	}
	return x
}

// Ignored reports whether a directive on pos's line or the line above
// suppresses check there.
func (x *Index) Ignored(pos token.Pos, check string) bool {
	if x == nil || len(x.dirs) == 0 || !pos.IsValid() {
		return false
	}
	p := x.fset.Position(pos)
	for _, l := range []int{p.Line, p.Line - 1} {
		for _, d := range x.dirs[line{p.Filename, l}] {
			if d.Covers(check) {
				return true
			}
		}
	}
	return false
}

// Ignored reports whether a //cgolint:ignore directive suppresses check at
// pos in the package of pass. It scans the package's comments on each call;
// [Wrap] builds the index once per package.
func Ignored(pass *analysis.Pass, pos token.Pos, check string) bool {
	return NewIndex(pass.Fset, pass.Files).Ignored(pos, check)
}

// Wrap returns a copy of a whose diagnostics are dropped where a directive
// suppresses a.Name. The copy has a's name, flags, facts and requirements;
// a itself is not modified (it may be a shared package-level analyzer).
func Wrap(a *analysis.Analyzer) *analysis.Analyzer {
	w := *a
	name, run := a.Name, a.Run
	w.Run = func(pass *analysis.Pass) (any, error) {
		report := pass.Report
		index := sync.OnceValue(func() *Index { return NewIndex(pass.Fset, pass.Files) })
		pass.Report = func(d analysis.Diagnostic) {
			if index().Ignored(d.Pos, name) {
				return
			}
			report(d)
		}
		defer func() { pass.Report = report }()
		return run(pass)
	}
	return &w
}
