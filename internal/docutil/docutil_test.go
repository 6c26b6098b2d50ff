package docutil_test

import (
	"strings"
	"testing"

	"github.com/cgolint/cgolint/internal/docutil"
)

const doc = `// Package x defines an Analyzer.
//
// # Analyzer x
//
// x: check things
//
// Details here.
//
// # Other
//
// Not included.
package x
`

func TestExtract(t *testing.T) {
	got, err := docutil.Extract(doc, "x")
	if err != nil {
		t.Fatal(err)
	}
	if want := "check things\n\nDetails here."; got != want {
		t.Errorf("Extract = %q, want %q", got, want)
	}
	if _, err := docutil.Extract(doc, "y"); err == nil || !strings.Contains(err.Error(), "# Analyzer y") {
		t.Errorf("Extract of a missing section: err = %v", err)
	}
}
