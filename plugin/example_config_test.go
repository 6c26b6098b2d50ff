package plugin_test

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/cgolint/cgolint/analyzers"
	"github.com/cgolint/cgolint/passes/config"
)

// TestExampleConfig keeps .golangci.example.yml from going stale: its
// cgolint settings load through the plugin's own decoder, it shows every
// key of the schema, names every check, and shows every finding.
func TestExampleConfig(t *testing.T) {
	data, err := os.ReadFile("../.golangci.example.yml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version string
		Linters struct {
			Default  string
			Enable   []string
			Settings struct {
				Custom map[string]struct {
					Type     string
					Settings any
				}
			}
		}
		Issues map[string]any
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != "2" {
		t.Errorf("version = %q, want \"2\"", doc.Version)
	}
	if !slices.Contains(doc.Linters.Enable, "cgolint") {
		t.Errorf("linters.enable = %v, want cgolint in it", doc.Linters.Enable)
	}
	c, ok := doc.Linters.Settings.Custom["cgolint"]
	if !ok || c.Type != "module" {
		t.Fatalf("linters.settings.custom.cgolint = %+v, want type module", c)
	}
	for key, want := range map[string]any{"max-issues-per-linter": 0, "max-same-issues": 0, "uniq-by-line": false} {
		if got, ok := doc.Issues[key]; !ok || got != want {
			t.Errorf("issues.%s = %v, want %v", key, got, want)
		}
	}

	// The settings as golangci-lint hands them over: plain maps and lists.
	cfg, err := config.FromSettings(c.Settings)
	if err != nil {
		t.Fatalf("the example's cgolint settings do not load: %v", err)
	}
	if err := cfg.Validate(analyzers.Known()); err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(t, c.Settings)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := names(t, p), analyzers.Names(); !slices.Equal(got, want) {
		t.Errorf("the example enables %v, want every check %v", got, want)
	}

	settings, _ := c.Settings.(map[string]any)
	for _, key := range []string{"disable", "exclude"} {
		if _, ok := settings[key]; !ok {
			t.Errorf("the example does not show %s", key)
		}
	}
	text := string(data)
	for _, name := range analyzers.Names() {
		if !strings.Contains(text, " "+name) {
			t.Errorf("the example does not name check %s", name)
		}
	}
	shown := make(map[string]bool)
	for _, f := range cfg.Functions {
		v := reflect.ValueOf(f)
		for i := range v.NumField() {
			if !v.Field(i).IsZero() {
				shown[yamlKey(v.Type().Field(i))] = true
			}
		}
	}
	ft := reflect.TypeFor[config.FuncSpec]()
	for i := range ft.NumField() {
		if k := yamlKey(ft.Field(i)); k != "" && !shown[k] {
			t.Errorf("the example shows no function with key %s", k)
		}
	}
}

func yamlKey(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	k, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	return k
}
