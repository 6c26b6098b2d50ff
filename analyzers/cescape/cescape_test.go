package cescape_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgolint/cgolint/analyzers/cescape"
	"github.com/cgolint/cgolint/internal/cgotest"
	"github.com/cgolint/cgolint/passes/cindex"
	"github.com/cgolint/cgolint/passes/config"
)

func TestOwners(t *testing.T) {
	cgotest.Require(t)
	results := analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), cescape.Analyzer, "owners")
	cgotest.NoIgnoredFiles(t, results)
}

func TestPointers(t *testing.T) {
	cgotest.Require(t)
	results := analysistest.Run(t, analysistest.TestData(), cescape.Analyzer, "pointers", "callbacks")
	cgotest.NoIgnoredFiles(t, results)
}

// TestFacts checks the facts across packages: factuser's owners hold memory
// from cstrlib's wrappers.
func TestFacts(t *testing.T) {
	cgotest.Require(t)
	results := analysistest.Run(t, analysistest.TestData(), cescape.Analyzer, "factuser")
	cgotest.NoIgnoredFiles(t, results)
}

// TestShapes checks the shapes of issue 14: C memory in C structs that
// outlive a deferred free, setters that overwrite what Close or a finalizer
// releases, and C memory overwritten with Go pointers.
func TestShapes(t *testing.T) {
	cgotest.Require(t)
	cfg, err := config.Parse("cgolint.yml", []byte(`
functions:
  - name: opts_register
    keeps: [0]
`))
	if err != nil {
		t.Fatal(err)
	}
	results := analysistest.Run(t, analysistest.TestData(), cescape.New(cindex.New(cfg)), "shapes")
	cgotest.NoIgnoredFiles(t, results)
}
