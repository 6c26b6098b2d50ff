package plugin_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgolint/cgolint/analyzers"
	"github.com/cgolint/cgolint/internal/cgotest"
	_ "github.com/cgolint/cgolint/plugin"
)

// newPlugin goes the way golangci-lint goes: by the registered name.
func newPlugin(t *testing.T, settings any) (register.LinterPlugin, error) {
	t.Helper()
	newFn, err := register.GetPlugin("cgolint")
	if err != nil {
		t.Fatal(err)
	}
	return newFn(settings)
}

func names(t *testing.T, p register.LinterPlugin) []string {
	t.Helper()
	as, err := p.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range as {
		out = append(out, a.Name)
	}
	return out
}

func TestAllEnabledByDefault(t *testing.T) {
	for _, settings := range []any{nil, map[string]any{}} {
		p, err := newPlugin(t, settings)
		if err != nil {
			t.Fatalf("New(%v): %v", settings, err)
		}
		if got, want := names(t, p), analyzers.Names(); !slices.Equal(got, want) {
			t.Errorf("New(%v).BuildAnalyzers() = %v, want the whole suite %v", settings, got, want)
		}
		if got := p.GetLoadMode(); got != register.LoadModeTypesInfo {
			t.Errorf("GetLoadMode() = %q, want %q", got, register.LoadModeTypesInfo)
		}
	}
}

// TestRun runs the plugin's analyzers on a cgo fixture, with every check
// but chostile disabled through the settings, in golangci-lint's shape
// (map[string]any, lists as []any).
func TestRun(t *testing.T) {
	cgotest.Require(t)
	var disable []any
	for _, n := range analyzers.Names() {
		if n != "chostile" {
			disable = append(disable, n)
		}
	}
	p, err := newPlugin(t, map[string]any{
		"disable": disable,
		"functions": []any{
			map[string]any{"name": "getpid", "blocks": true},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	as, err := p.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 1 || as[0].Name != "chostile" {
		t.Fatalf("BuildAnalyzers() = %v, want [chostile]", names(t, p))
	}
	results := analysistest.Run(t, analysistest.TestData(), as[0], "hostile")
	cgotest.NoIgnoredFiles(t, results)
}

func TestBadSettings(t *testing.T) {
	for _, tc := range []struct {
		settings any
		want     []string // substrings of the error
	}{
		{map[string]any{"disabel": []any{"cfree"}}, []string{"cgolint settings", `"disabel"`}},
		{map[string]any{"disable": []any{"nosuchcheck"}}, []string{"cgolint settings", `"nosuchcheck"`, "chostile"}},
		{map[string]any{"functions": []any{map[string]any{"name": "xmlFree", "freez": []any{0}}}}, []string{"functions[0]", `"freez"`}},
		{map[string]any{"functions": []any{map[string]any{"name": "f", "frees": "zero"}}}, []string{"functions[0].frees"}},
		{[]any{"cfree"}, []string{"cgolint settings", "mapping"}},
	} {
		_, err := newPlugin(t, tc.settings)
		if err == nil {
			t.Errorf("New(%v) succeeded, want an error", tc.settings)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("New(%v) error %q does not contain %q", tc.settings, err, w)
			}
		}
	}
}
