package cblocking_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgolint/cgolint/analyzers/cblocking"
	"github.com/cgolint/cgolint/internal/cgotest"
	"github.com/cgolint/cgolint/passes/cindex"
	"github.com/cgolint/cgolint/passes/config"
)

func Test(t *testing.T) {
	cgotest.Require(t)
	results := analysistest.Run(t, analysistest.TestData(), cblocking.Analyzer,
		"underlock", "sleepres", "spawn", "wrapuser", "deepc", "sqlitestep")
	cgotest.NoIgnoredFiles(t, results)
}

// TestConfig checks that a function declared blocking in the shared
// configuration is found, and that it is not without the configuration.
func TestConfig(t *testing.T) {
	cgotest.Require(t)
	cfg, err := config.Parse("cgolint.yml", []byte("functions:\n  - name: mylib_wait\n    blocks: true\n"))
	if err != nil {
		t.Fatal(err)
	}
	a := cblocking.New(cindex.New(cfg))
	results := analysistest.Run(t, analysistest.TestData(), a, "configured")
	cgotest.NoIgnoredFiles(t, results)
}

// TestDisabled checks that the configuration can turn the check off.
func TestDisabled(t *testing.T) {
	cgotest.Require(t)
	cfg, err := config.Parse("cgolint.yml", []byte("disable: [cblocking]\n"))
	if err != nil {
		t.Fatal(err)
	}
	a := cblocking.New(cindex.New(cfg))
	results := analysistest.Run(t, analysistest.TestData(), a, "disabledcase")
	cgotest.NoIgnoredFiles(t, results)
}
