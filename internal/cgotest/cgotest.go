// Package cgotest holds test helpers for analyzers whose fixtures use cgo.
//
// With CGO_ENABLED=0 (or no C compiler) the go command silently drops every
// file that imports "C", and an analysistest run over such a fixture passes
// with zero diagnostics. These helpers make such a run fail instead.
package cgotest

import (
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"
)

// Require fails the test (it does not skip it) unless cgo is enabled and a C
// compiler is available: a cgo fixture checked without cgo proves nothing.
func Require(t testing.TB) {
	t.Helper()
	out, err := exec.Command("go", "env", "CGO_ENABLED", "CC").Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	fields := strings.Fields(string(out))
	if len(fields) < 2 || fields[0] != "1" {
		t.Fatalf("cgo is disabled (go env CGO_ENABLED=%q): these tests check cgo code and cannot run without it; set CGO_ENABLED=1 and install a C compiler", strings.Join(fields[:min(1, len(fields))], ""))
	}
	if _, err := exec.LookPath(fields[1]); err != nil {
		t.Fatalf("C compiler %q not found: these tests check cgo code and need it", fields[1])
	}
}

// NoIgnoredFiles fails the test if the analysis skipped any file of the
// fixtures, as it does with cgo files when cgo is off.
func NoIgnoredFiles(t testing.TB, results []*analysistest.Result) {
	t.Helper()
	if len(results) == 0 {
		t.Fatal("analysistest returned no results: no fixture was analysed")
	}
	for _, r := range results {
		if files := r.Action.Package.IgnoredFiles; len(files) > 0 {
			t.Errorf("package %s: files were ignored (is cgo disabled?): %v", r.Action.Package.PkgPath, files)
		}
	}
}
