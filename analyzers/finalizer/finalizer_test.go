package finalizer_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgolint/cgolint/analyzers/finalizer"
	"github.com/cgolint/cgolint/internal/cgotest"
)

func TestObjects(t *testing.T) {
	cgotest.Require(t)
	results := analysistest.Run(t, analysistest.TestData(), finalizer.Analyzer, "objects")
	cgotest.NoIgnoredFiles(t, results)
}

func TestRelease(t *testing.T) {
	cgotest.Require(t)
	results := analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), finalizer.Analyzer, "release")
	cgotest.NoIgnoredFiles(t, results)
}

func TestCrossPackage(t *testing.T) {
	cgotest.Require(t)
	results := analysistest.Run(t, analysistest.TestData(), finalizer.Analyzer, "user")
	cgotest.NoIgnoredFiles(t, results)
}

func TestKeepAlive(t *testing.T) {
	cgotest.Require(t)
	results := analysistest.Run(t, analysistest.TestData(), finalizer.Analyzer, "keep")
	cgotest.NoIgnoredFiles(t, results)
}
