package chostile_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgolint/cgolint/analyzers/chostile"
	"github.com/cgolint/cgolint/internal/cgotest"
)

func Test(t *testing.T) {
	cgotest.Require(t)
	results := analysistest.Run(t, analysistest.TestData(), chostile.Analyzer, "hostile", "safe", "loadfork")
	cgotest.NoIgnoredFiles(t, results)
}
