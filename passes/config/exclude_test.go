package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cgolint/cgolint/passes/config"
)

func TestExcludeErrors(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"exclude: [\"a/[b\"]\n", `c.yml:1: exclude[0]: pattern "a/[b": malformed element "[b" (syntax error in pattern)`},
		{"exclude:\n  - ok/**\n  - /abs/x\n", `c.yml:3: exclude[1]: pattern "/abs/x" is absolute; patterns are relative to the module root (the directory of go.mod)`},
		{"exclude: [../up]\n", `c.yml:1: exclude[0]: pattern "../up" leaves the module (..)`},
		{"exclude: [a**/b]\n", `c.yml:1: exclude[0]: pattern "a**/b": ** must be a whole path element (a/**/b), not part of "a**"`},
		{"exclude: [\"\"]\n", `c.yml:1: exclude[0]: empty pattern`},
		{"exclude: [a//b]\n", `c.yml:1: exclude[0]: pattern "a//b" has an empty or . path element`},
		{"exclude: [\"a\\\\b\"]\n", `c.yml:1: exclude[0]: pattern "a\\b": use / to separate path elements (a backslash is not allowed)`},
		{"exclude: [.]\n", `c.yml:1: exclude[0]: pattern "." matches the whole module; disable checks instead`},
		{"exclude: gen\n", `c.yml:1: exclude: want a list of path patterns, got "gen"`},
		{"exclude: [1]\n", `c.yml:1: exclude[0]: want a path pattern, got "1"`},
	} {
		_, err := config.Parse("c.yml", []byte(tt.src))
		if err == nil || err.Error() != tt.want {
			t.Errorf("Parse(%q) error = %v, want %s", tt.src, err, tt.want)
		}
	}
	if _, err := config.FromSettings(map[string]any{"exclude": []any{"x/[", "ok"}}); err == nil ||
		err.Error() != `cgolint settings: exclude[0]: pattern "x/[": malformed element "[" (syntax error in pattern)` {
		t.Errorf("FromSettings with a bad pattern: %v", err)
	}
	bad := &config.Config{Exclude: []string{"ok", "[x"}}
	if err := bad.ValidateExclude(); err == nil || !strings.HasPrefix(err.Error(), "exclude[1]: ") {
		t.Errorf("ValidateExclude = %v", err)
	}
}

func TestExcluded(t *testing.T) {
	root := t.TempDir()
	for _, f := range []string{"go.mod", "nested/go.mod"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(root, f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, f), []byte("module m\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := config.Parse("c.yml", []byte(`exclude:
  - internal/gen/**
  - "*_test.go"
  - vendored
  - api/*.pb.go
  - docs/**/example?.go
`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		file string
		want bool
	}{
		{"internal/gen/a.go", true},
		{"internal/gen/sub/a.go", true},
		{"internal/generate/a.go", false},
		{"x/internal/gen/a.go", false}, // anchored at the module root
		{"a_test.go", true},
		{"deep/er/a_test.go", true},
		{"a_test.go.txt", false},
		{"vendored/x.go", true},   // a name at any depth, a directory...
		{"p/vendored/x.go", true}, // ...excludes everything below it
		{"p/vendored.go", false},
		{"api/x.pb.go", true},
		{"api/v1/x.pb.go", false}, // * stays within one element
		{"docs/example1.go", true},
		{"docs/a/b/example2.go", true},
		{"docs/a/example10.go", false},
		{"main.go", false},
		{"nested/internal/gen/a.go", true}, // relative to nested/go.mod
	} {
		if got := cfg.Excluded(filepath.Join(root, filepath.FromSlash(tt.file))); got != tt.want {
			t.Errorf("Excluded(%s) = %v, want %v", tt.file, got, tt.want)
		}
	}
	var nilCfg *config.Config
	if nilCfg.Excluded(filepath.Join(root, "a_test.go")) {
		t.Error("a nil Config excludes")
	}
}

// TestDisableFlag: -disable adds to the file's disable list, whichever
// comes first on the command line, and checks every name.
func TestDisableFlag(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yml")
	if err := os.WriteFile(path, []byte("disable: [cfree]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	known := []string{"cfree", "lockthread", "lockthread/thread-affine", "lockthread/unbalanced-lock"}
	cfg := new(config.Config)
	df := &config.DisableFlag{Cfg: cfg, Known: known}
	if err := df.Set("lockthread/thread-affine"); err != nil {
		t.Fatal(err)
	}
	if err := (&config.Flag{Cfg: cfg}).Set(path); err != nil {
		t.Fatal(err)
	}
	if cfg.Enabled("cfree") || !cfg.Disabled("lockthread", "thread-affine") || cfg.Disabled("lockthread", "unbalanced-lock") || !cfg.Enabled("lockthread") {
		t.Errorf("-disable then -config: %+v", cfg)
	}
	if !cfg.SomeDisabled("lockthread") || cfg.SomeDisabled("csignal") {
		t.Error("SomeDisabled")
	}
	for _, tt := range []struct{ list, want string }{
		{"lockthread/thread-afine", `unknown category "thread-afine" of lockthread (its categories: thread-affine, unbalanced-lock)`},
		{"cfre", `unknown check "cfre" (known checks: cfree, lockthread)`},
		{"lockthred/thread-affine", `unknown check "lockthred" in "lockthred/thread-affine" (known checks: cfree, lockthread)`},
		{"cfree/leak", `unknown category "leak": cfree has no categories (disable it whole)`},
	} {
		if err := df.Set(tt.list); err == nil || err.Error() != tt.want {
			t.Errorf("-disable=%s: %v, want %s", tt.list, err, tt.want)
		}
	}
}
