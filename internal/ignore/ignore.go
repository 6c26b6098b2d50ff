// Package ignore implements cgolint's own suppression directive, honoured
// the same way by every driver (standalone, go vet -vettool, golangci-lint):
//
//	//cgolint:ignore <check>[,<check>...] <reason>
//
// A directive suppresses the findings of the named checks positioned on its
// own line (a trailing comment) or on the line just below it (a comment on
// a line of its own above the statement). The reason is required: a
// directive without one, or with no check name, suppresses nothing. The
// names are analyzer names (chostile, cfree, ...), check/category names
// (cfree/leak: that category only), or "all" for every check. Like every
// Go directive there is no space after "//".
//
// The index keeps malformed directives too ([Directive.Problem]) and
// records which directives suppressed a finding, for the directive check
// (package analyzers/directive) that reports the ones that are malformed,
// name nothing that exists, or suppress nothing.
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

// A Directive is one //cgolint:ignore comment.
type Directive struct {
	Checks  []string  // the names it lists: check, check/category or all
	Reason  string    // why (never empty in a valid directive)
	Problem string    // why the directive is malformed, or ""
	Pos     token.Pos // the comment's "//"
}

// Parse parses the text of one comment (with its leading "//"). It returns
// false for a comment that is not a directive and for a malformed directive
// (no check, or no reason).
func Parse(text string) (Directive, bool) {
	d, ok := parse(text)
	return d, ok && d.Problem == ""
}

// parse parses a comment; ok reports whether it is a directive at all
// (valid or not).
func parse(text string) (d Directive, ok bool) {
	rest, ok := strings.CutPrefix(text, Prefix)
	if !ok || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
		return Directive{}, false // not ours: //cgolint:ignored, //cgolint:ignorefoo
	}
	fields := strings.Fields(rest)
	if len(fields) == 0 {
		return Directive{Problem: "names no check and gives no reason"}, true
	}
	for _, c := range strings.Split(fields[0], ",") {
		if c = strings.TrimSpace(c); c != "" {
			d.Checks = append(d.Checks, c)
		}
	}
	if len(d.Checks) == 0 {
		d.Problem = "names no check"
		return d, true
	}
	d.Reason = strings.TrimSpace(rest[strings.Index(rest, fields[0])+len(fields[0]):])
	if d.Reason == "" {
		d.Problem = "gives no reason"
	}
	return d, true
}

// Covers reports whether the directive names check (as check, as
// check/category for a finding of that category, or as all).
func (d Directive) Covers(check string) bool { return d.CoversCategory(check, "") }

// CoversCategory reports whether the directive suppresses a finding of
// check with the given category.
func (d Directive) CoversCategory(check, category string) bool {
	for _, c := range d.Checks {
		if c == check || c == All || (category != "" && c == check+"/"+category) {
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
	all  []*Directive // every directive, malformed ones too, in file order
	dirs map[line][]*Directive

	mu   sync.Mutex
	used map[*Directive]bool
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
				d, ok := parse(c.Text)
				if !ok {
					continue
				}
				d.Pos = c.Slash
				x.all = append(x.all, &d)
				if d.Problem != "" {
					continue
				}
				// The adjusted position: through cgo's //line comments,
				// the line in the user's file.
				p := fset.Position(c.Slash)
				if x.dirs == nil {
					x.dirs = make(map[line][]*Directive)
				}
				k := line{p.Filename, p.Line}
				x.dirs[k] = append(x.dirs[k], &d)
			}
		}
	}
	return x
}

// Directives returns every directive of the package, malformed ones too.
func (x *Index) Directives() []*Directive { return x.all }

// Ignored reports whether a directive on pos's line or the line above
// suppresses check there.
func (x *Index) Ignored(pos token.Pos, check string) bool {
	return x.Match(pos, check, "") != nil
}

// Match returns the directive on pos's line or the line above that
// suppresses a finding of check with category there, or nil.
func (x *Index) Match(pos token.Pos, check, category string) *Directive {
	if x == nil || len(x.dirs) == 0 || !pos.IsValid() {
		return nil
	}
	p := x.fset.Position(pos)
	for _, l := range []int{p.Line, p.Line - 1} {
		for _, d := range x.dirs[line{p.Filename, l}] {
			if d.CoversCategory(check, category) {
				return d
			}
		}
	}
	return nil
}

// Suppress is Match that also records the directive found as used.
func (x *Index) Suppress(pos token.Pos, check, category string) bool {
	d := x.Match(pos, check, category)
	if d == nil {
		return false
	}
	x.mu.Lock()
	if x.used == nil {
		x.used = make(map[*Directive]bool)
	}
	x.used[d] = true
	x.mu.Unlock()
	return true
}

// Used reports whether d suppressed a finding through Suppress.
func (x *Index) Used(d *Directive) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.used[d]
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
// The suite applies a fuller filter (package analyzers); Wrap is the
// directive alone.
func Wrap(a *analysis.Analyzer) *analysis.Analyzer {
	w := *a
	name, run := a.Name, a.Run
	w.Run = func(pass *analysis.Pass) (any, error) {
		report := pass.Report
		index := sync.OnceValue(func() *Index { return NewIndex(pass.Fset, pass.Files) })
		pass.Report = func(d analysis.Diagnostic) {
			if index().Suppress(d.Pos, name, d.Category) {
				return
			}
			report(d)
		}
		defer func() { pass.Report = report }()
		return run(pass)
	}
	return &w
}

// Usage is the result of a check wrapped by the suite's filter: whether it
// ran, and the directives (by their comment's position) that suppressed one
// of its findings. The directive check reads it.
type Usage struct {
	Skipped bool        // the check was turned off and did not run
	Used    []token.Pos // the Pos of each directive that suppressed a finding
}

// UsedPos returns the positions of the directives that suppressed a finding.
func (x *Index) UsedPos() []token.Pos {
	x.mu.Lock()
	defer x.mu.Unlock()
	var out []token.Pos
	for d := range x.used {
		out = append(out, d.Pos)
	}
	return out
}
