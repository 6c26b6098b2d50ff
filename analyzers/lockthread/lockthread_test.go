package lockthread_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgolint/cgolint/analyzers/lockthread"
	"github.com/cgolint/cgolint/internal/cgotest"
)

func Test(t *testing.T) {
	cgotest.Require(t)
	res := analysistest.Run(t, analysistest.TestData(), lockthread.Analyzer,
		"balance", "mainpkg", "mainfree", "paired", "named", "affine", "nsgo", "nslib", "nsuser", "nsapi")
	cgotest.NoIgnoredFiles(t, res)
}

func TestFix(t *testing.T) {
	cgotest.Require(t)
	res := analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), lockthread.Analyzer, "fix")
	cgotest.NoIgnoredFiles(t, res)
}
