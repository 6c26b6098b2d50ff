package cescape_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgolint/cgolint/analyzers/cescape"
	"github.com/cgolint/cgolint/internal/cgotest"
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
