package csignal_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgolint/cgolint/analyzers/csignal"
	"github.com/cgolint/cgolint/internal/cgotest"
	"github.com/cgolint/cgolint/passes/cindex"
	"github.com/cgolint/cgolint/passes/config"
)

// noFacts passes analysistest's errors on, except those about package
// facts: a cgo package's facts sit at its first file, cgo's generated
// _cgo_gotypes.go, where no // want comment can go. The facts are checked
// through the diagnostics they produce in the importing packages.
type noFacts struct{ *testing.T }

func (t noFacts) Errorf(format string, args ...any) {
	t.Helper()
	if len(args) >= 2 && args[1] == "fact" {
		return
	}
	t.T.Errorf(format, args...)
}

func Test(t *testing.T) {
	cgotest.Require(t)
	results := analysistest.Run(noFacts{t}, analysistest.TestData(), csignal.Analyzer,
		"lib", "app", "both", "owned", "mask", "onstack", "onlygo", "allnotify", "pipelib", "pipeapp", "quiet", "notifier", "mixapp", "pipeexec", "pipeexecapp", "shutdown", "catcher", "wrapapp", "loadapp", "macroflags")
	cgotest.NoIgnoredFiles(t, results)
}

// TestConfig checks a C installer declared in the configuration.
func TestConfig(t *testing.T) {
	cgotest.Require(t)
	cfg, err := config.Parse("cgolint.yml", []byte("functions:\n  - name: my_lib_catch\n    signal: install\n    signal-arg: 0\n"))
	if err != nil {
		t.Fatal(err)
	}
	a := csignal.New(cindex.New(cfg))
	results := analysistest.Run(noFacts{t}, analysistest.TestData(), a, "configured")
	cgotest.NoIgnoredFiles(t, results)
}
