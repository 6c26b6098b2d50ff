package cfree_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgolint/cgolint/analyzers/cfree"
	"github.com/cgolint/cgolint/internal/cgotest"
	"github.com/cgolint/cgolint/passes/cindex"
	"github.com/cgolint/cgolint/passes/config"
)

func Test(t *testing.T) {
	cgotest.Require(t)
	results := analysistest.Run(t, analysistest.TestData(), cfree.Analyzer, "leak", "frees", "wrong", "lib", "user", "shapes", "cside", "outparam")
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
