package cindex_test

import (
	"fmt"
	"go/types"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgolint/cgolint/analyzers"
	"github.com/cgolint/cgolint/internal/cgotest"
	"github.com/cgolint/cgolint/passes/cindex"
)

// TestSuiteBuildsNoSSAForPlainCode keeps the cost promise for the whole
// suite, not just the index: every check runs (with its facts) on a plain
// Go package and its whole standard-library import graph, and none of them
// may build SSA for any of those packages.
func TestSuiteBuildsNoSSAForPlainCode(t *testing.T) {
	cgotest.Require(t)
	var mu sync.Mutex
	built := map[string]int{}
	restore := cindex.SetBuildHook(func(p *types.Package) {
		mu.Lock()
		built[p.Path()]++
		mu.Unlock()
	})
	defer restore()

	for _, a := range analyzers.Suite(nil) {
		// Facts are the checks' business (csignal records that plain links
		// net): only other errors count here.
		results := analysistest.Run(factsAllowed{t}, analysistest.TestData(), a, "plain")
		if len(results) == 0 {
			t.Fatalf("%s: nothing analysed", a.Name)
		}
		for _, r := range results {
			if r.Err != nil {
				t.Errorf("%s: %v", a.Name, r.Err)
			}
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for path, n := range built {
		t.Errorf("SSA built %d times for %s, which has nothing any check looks at", n, path)
	}
}

// factsAllowed passes analysistest's errors on to t, except those about
// facts the fixture does not annotate.
type factsAllowed struct{ t *testing.T }

func (f factsAllowed) Errorf(format string, args ...any) {
	f.t.Helper()
	if msg := fmt.Sprintf(format, args...); !strings.Contains(msg, "unexpected fact") {
		f.t.Error(msg)
	}
}
