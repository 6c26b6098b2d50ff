package lockthread_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgolint/cgolint/analyzers/lockthread"
	"github.com/cgolint/cgolint/internal/cgotest"
	"github.com/cgolint/cgolint/passes/cindex"
	"github.com/cgolint/cgolint/passes/config"
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

// TestErrorNeutral configures a library's error getter (thread-affine) and
// a lookup that leaves its error state alone (error-neutral).
func TestErrorNeutral(t *testing.T) {
	cgotest.Require(t)
	cfg, err := config.Parse("cgolint.yml", []byte(`
functions:
  - name: lib_last_error
    thread-affine: true
    borrowed: true
  - name: lib_strerror
    borrowed: true
    error-neutral: true
`))
	if err != nil {
		t.Fatal(err)
	}
	res := analysistest.Run(t, analysistest.TestData(), lockthread.New(cindex.New(cfg)), "neutral")
	cgotest.NoIgnoredFiles(t, res)
}
