package cfree_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgolint/cgolint/analyzers/cfree"
	"github.com/cgolint/cgolint/internal/cgotest"
	"github.com/cgolint/cgolint/passes/cindex"
	"github.com/cgolint/cgolint/passes/config"
)

func Test(t *testing.T) {
	cgotest.Require(t)
	results := analysistest.Run(t, analysistest.TestData(), cfree.Analyzer, "leak", "frees", "wrong", "lib", "user", "shapes", "cside", "cexport", "outparam", "noreturn", "libgit2", "borrowed", "fieldstate", "fieldsqlite")
	cgotest.NoIgnoredFiles(t, results)
}

func TestFix(t *testing.T) {
	cgotest.Require(t)
	results := analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), cfree.Analyzer, "fix", "fiximport")
	cgotest.NoIgnoredFiles(t, results)
}

func TestConfig(t *testing.T) {
	cgotest.Require(t)
	cfg, err := config.Parse("cgolint.yml", []byte(`
functions:
  - name: my_buf_new
    allocates: my_buf_free
  - name: my_buf_free
    frees: [0]
  - name: my_queue_push
    takes: [1]
  - name: my_set_name
    keeps: [0]
`))
	if err != nil {
		t.Fatal(err)
	}
	a := cfree.New(cindex.New(cfg))
	results := analysistest.Run(t, analysistest.TestData(), a, "config")
	cgotest.NoIgnoredFiles(t, results)
}

// TestLearnHeaders runs with the header knowledge source on: a library
// only its header describes (type-based pairing and a malloc(dealloc, i)
// attribute) and glibc's fopen; a library's fatal-error functions declared
// noreturn.
func TestLearnHeaders(t *testing.T) {
	cgotest.Require(t)
	cfg, err := config.Parse("cgolint.yml", []byte("learn: [headers]\n"))
	if err != nil {
		t.Fatal(err)
	}
	a := cfree.New(cindex.New(cfg))
	results := analysistest.Run(t, analysistest.TestData(), a, "headerlib", "noreturnlib")
	cgotest.NoIgnoredFiles(t, results)
}

// TestLearnGIR runs with the GObject-Introspection knowledge source on: a
// library whose pkg-config package (testdata/pkgconfig) has a .gir file
// (testdata/gir) that states its functions' ownership transfers.
func TestLearnGIR(t *testing.T) {
	cgotest.Require(t)
	td, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("PKG_CONFIG_PATH", filepath.Join(td, "pkgconfig"))
	t.Setenv("GI_GIR_PATH", filepath.Join(td, "gir"))
	cfg, err := config.Parse("cgolint.yml", []byte("learn: [gir]\n"))
	if err != nil {
		t.Fatal(err)
	}
	a := cfree.New(cindex.New(cfg))
	results := analysistest.Run(t, analysistest.TestData(), a, "girlib")
	cgotest.NoIgnoredFiles(t, results)
}
