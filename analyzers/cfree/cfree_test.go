package cfree_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgolint/cgolint/analyzers/cfree"
	"github.com/cgolint/cgolint/internal/cgotest"
)

func Test(t *testing.T) {
	cgotest.Require(t)
	results := analysistest.Run(t, analysistest.TestData(), cfree.Analyzer, "leak", "frees", "wrong", "lib", "user")
	cgotest.NoIgnoredFiles(t, results)
}

func TestFix(t *testing.T) {
	cgotest.Require(t)
	results := analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), cfree.Analyzer, "fix")
	cgotest.NoIgnoredFiles(t, results)
}
