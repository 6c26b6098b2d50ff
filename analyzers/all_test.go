package analyzers_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgolint/cgolint/analyzers"
	"github.com/cgolint/cgolint/internal/cgotest"
	"github.com/cgolint/cgolint/passes/config"
)

// analyzer returns the suite's analyzer with the given name.
func analyzer(t *testing.T, suite []*analysis.Analyzer, name string) *analysis.Analyzer {
	t.Helper()
	for _, a := range suite {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("no analyzer %s in the suite", name)
	return nil
}

func TestDirective(t *testing.T) {
	cgotest.Require(t)
	suite := analyzers.Suite(nil)
	res := analysistest.Run(t, analysistest.TestData(), suite[len(suite)-1], "directives")
	cgotest.NoIgnoredFiles(t, res)
}

// TestDirectiveChecksOff: a directive naming a check or a category that the
// configuration turns off is never reported as unused.
func TestDirectiveChecksOff(t *testing.T) {
	cgotest.Require(t)
	cfg, err := config.Parse("c.yml", []byte("disable: [cfree, chostile/fork]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(analyzers.Known()); err != nil {
		t.Fatal(err)
	}
	suite := analyzers.Suite(cfg)
	res := analysistest.Run(t, analysistest.TestData(), suite[len(suite)-1], "directivesoff")
	cgotest.NoIgnoredFiles(t, res)
}

// TestFilter: a disabled category and an excluded file drop findings in
// the suite's filter, for every check.
func TestFilter(t *testing.T) {
	cgotest.Require(t)
	cfg, err := config.Parse("c.yml", []byte("disable: [chostile/fork]\nexclude: [\"*_gen.go\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	suite := analyzers.Suite(cfg)
	res := analysistest.Run(t, analysistest.TestData(), analyzer(t, suite, "chostile"), "filtered")
	cgotest.NoIgnoredFiles(t, res)
}

// TestKnown: every check and check/category is a name the configuration
// accepts, and a misspelt category is an error that lists the valid ones.
func TestKnown(t *testing.T) {
	known := analyzers.Known()
	for _, n := range []string{"cfree", "directive", "cgocall", "lockthread/thread-affine", "finalizer/keepalive", "directive/unused"} {
		if !slices.Contains(known, n) {
			t.Errorf("Known() lacks %s", n)
		}
	}
	cfg := new(config.Config)
	f := &config.DisableFlag{Cfg: cfg, Known: known}
	if err := f.Set("lockthread/thread-affine,finalizer/keepalive"); err != nil {
		t.Fatal(err)
	}
	if cfg.Disabled("lockthread", "unbalanced-lock") || !cfg.Disabled("lockthread", "thread-affine") || !cfg.Disabled("finalizer", "keepalive") {
		t.Errorf("after -disable: %v", f)
	}
	err := f.Set("lockthread/thread-afine")
	if want := `unknown category "thread-afine" of lockthread (its categories: unbalanced-lock, unbalanced-unlock, thread-affine)`; err == nil || err.Error() != want {
		t.Errorf("-disable=lockthread/thread-afine: %v, want %s", err, want)
	}
}

// TestCategoriesInStep keeps the one list of each check's categories, its
// doc.go, in step with the code's category constants and the README table.
func TestCategoriesInStep(t *testing.T) {
	cats := analyzers.Categories()
	for _, name := range analyzers.Names() {
		dir := filepath.Join(".", name)
		if _, err := os.Stat(dir); err != nil {
			continue // cgocall: x/tools' pass
		}
		set, literals := codeCategories(t, dir)
		for _, c := range set {
			if !slices.Contains(cats[name], c) {
				t.Errorf("%s reports category %q, which its doc.go does not document (a \"Category %s:\" paragraph)", name, c, c)
			}
		}
		for _, c := range cats[name] {
			if !slices.Contains(literals, c) {
				t.Errorf("%s documents category %q, which its code never spells", name, c)
			}
		}
		if len(cats[name]) == 0 {
			t.Errorf("%s documents no category", name)
		}
	}

	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	start, end := strings.Index(text, "<!-- checks-table -->"), strings.Index(text, "<!-- /checks-table -->")
	if start < 0 || end < start {
		t.Fatal("README.md has no checks-table markers")
	}
	rows := map[string][]string{}
	for _, l := range strings.Split(text[start:end], "\n") {
		cells := strings.Split(l, "|")
		if len(cells) < 4 {
			continue
		}
		name := strings.Trim(strings.TrimSpace(cells[1]), "`")
		var cs []string
		for _, c := range strings.Split(cells[2], ",") {
			if c = strings.TrimSpace(c); c != "" {
				cs = append(cs, c)
			}
		}
		rows[name] = cs
	}
	for _, name := range analyzers.Names() {
		got, ok := rows[name]
		if !ok {
			t.Errorf("README.md's table has no row for %s", name)
			continue
		}
		if !slices.Equal(got, cats[name]) {
			t.Errorf("README.md lists %s's categories as %v, its doc.go as %v", name, got, cats[name])
		}
	}
}

// codeCategories returns the category strings a check's code sets (the
// string constants named cat* and the values of fields named category) and
// every string literal of its code.
func codeCategories(t *testing.T, dir string) (set, literals []string) {
	fset := token.NewFileSet()
	matches, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	str := func(e ast.Expr) (string, bool) {
		if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			s, err := strconv.Unquote(lit.Value)
			return s, err == nil
		}
		return "", false
	}
	add := func(e ast.Expr) {
		if s, ok := str(e); ok && !slices.Contains(set, s) {
			set = append(set, s)
		}
	}
	for _, m := range matches {
		if strings.HasSuffix(m, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, m, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if s, ok := str(n); ok {
					literals = append(literals, s)
				}
			case *ast.ValueSpec:
				for i, id := range n.Names {
					if strings.HasPrefix(id.Name, "cat") && i < len(n.Values) {
						add(n.Values[i])
					}
				}
			case *ast.KeyValueExpr:
				if id, ok := n.Key.(*ast.Ident); ok && id.Name == "category" {
					add(n.Value)
				}
			}
			return true
		})
	}
	return set, literals
}
