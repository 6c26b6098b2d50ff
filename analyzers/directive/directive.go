package directive

import (
	_ "embed"
	"fmt"
	"go/token"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/cgolint/cgolint/internal/docutil"
	"github.com/cgolint/cgolint/internal/ignore"
	"github.com/cgolint/cgolint/passes/config"
)

//go:embed doc.go
var doc string

// Name is the check's name.
const Name = "directive"

const (
	catMalformed = "malformed"
	catUnknown   = "unknown-check"
	catUnused    = "unused"
)

// New returns the directive check for a suite: checks are the suite's
// other checks, wrapped so that each returns an *ignore.Usage (package
// analyzers does this); categories gives each check's categories; cfg is
// the user's configuration (nil for none), read when the check runs.
func New(cfg *config.Config, checks []*analysis.Analyzer, categories map[string][]string) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:     Name,
		Doc:      docutil.MustExtract(doc, Name),
		URL:      "https://pkg.go.dev/github.com/cgolint/cgolint/analyzers/directive",
		Requires: checks,
		Run: func(pass *analysis.Pass) (any, error) {
			if !cfg.Enabled(Name) {
				return nil, nil
			}
			r := &runner{pass: pass, cfg: cfg, checks: checks, categories: categories,
				used: map[token.Pos]bool{}, skipped: map[string]bool{}}
			for _, c := range checks {
				u, _ := pass.ResultOf[c].(*ignore.Usage)
				if u == nil || u.Skipped {
					r.skipped[c.Name] = true
					continue
				}
				for _, p := range u.Used {
					r.used[p] = true
				}
			}
			for _, d := range ignore.NewIndex(pass.Fset, pass.Files).Directives() {
				r.check(d)
			}
			return nil, nil
		},
	}
}

type runner struct {
	pass       *analysis.Pass
	cfg        *config.Config
	checks     []*analysis.Analyzer
	categories map[string][]string
	used       map[token.Pos]bool
	skipped    map[string]bool
}

func (r *runner) report(pos token.Pos, category, format string, args ...any) {
	if r.cfg.Disabled(Name, category) || r.cfg.Excluded(r.pass.Fset.Position(pos).Filename) {
		return
	}
	r.pass.Report(analysis.Diagnostic{Pos: pos, Category: category, Message: fmt.Sprintf(format, args...)})
}

func (r *runner) check(d *ignore.Directive) {
	if d.Problem != "" {
		r.report(d.Pos, catMalformed, "//cgolint:ignore %s, so it suppresses nothing; write //cgolint:ignore <check>[,<check>...] <reason>", d.Problem)
		return
	}
	var unknown []string
	for _, name := range d.Checks {
		if !r.known(name) {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		r.report(d.Pos, catUnknown, "//cgolint:ignore names %s, which %s no check or category, so it suppresses nothing for %s; use a check (%s), check/category (as cfree/leak) or all",
			quote(unknown), pick(len(unknown) == 1, "is", "are"), pick(len(unknown) == 1, "it", "them"), strings.Join(r.checkNames(), ", "))
		return
	}
	if r.used[d.Pos] {
		return
	}
	for _, name := range d.Checks {
		if !r.decidable(name) {
			return
		}
	}
	r.report(d.Pos, catUnused, "//cgolint:ignore %s suppresses no finding: remove it, or put it on the finding's line or the line above", strings.Join(d.Checks, ","))
}

// known reports whether name is a check, a check/category or all.
func (r *runner) known(name string) bool {
	if name == ignore.All {
		return true
	}
	check, cat, isCat := strings.Cut(name, "/")
	if !slices.Contains(r.checkNames(), check) {
		return false
	}
	return !isCat || slices.Contains(r.categories[check], cat)
}

// decidable reports whether the checks that name covers all ran with every
// category named on, so that "suppressed nothing" is known.
func (r *runner) decidable(name string) bool {
	if name == ignore.All {
		for _, c := range r.checkNames() {
			if r.skipped[c] || r.cfg.SomeDisabled(c) {
				return false
			}
		}
		return true
	}
	check, cat, isCat := strings.Cut(name, "/")
	if r.skipped[check] {
		return false
	}
	if isCat {
		return !r.cfg.Disabled(check, cat)
	}
	return !r.cfg.SomeDisabled(check)
}

func (r *runner) checkNames() []string {
	names := make([]string, len(r.checks))
	for i, c := range r.checks {
		names[i] = c.Name
	}
	return names
}

func quote(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

func pick(one bool, a, b string) string {
	if one {
		return a
	}
	return b
}
