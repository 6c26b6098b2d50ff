package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/cgolint/cgolint/internal/cgotest"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"cgolint": main})
}

// TestScripts runs the end-to-end scripts in testdata/script: the cgolint
// binary standalone and as go vet's -vettool, on the shared fixtures in the
// repository's testdata/fixtures and on small modules of their own.
func TestScripts(t *testing.T) {
	cgotest.Require(t)
	fixtures, err := filepath.Abs("../../testdata/fixtures")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":        exits,
			"samefindings": sameFindings,
			"sarifvalid":   sarifValid,
		},
		Setup: func(env *testscript.Env) error {
			// The go command needs its caches; the scripts need no network.
			for _, k := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "CC"} {
				if v := goenv(t, k); v != "" {
					env.Setenv(k, v)
				}
			}
			env.Setenv("GOPROXY", "off")
			env.Setenv("GOFLAGS", "-mod=mod")
			env.Setenv("CGO_ENABLED", "1")
			env.Setenv("FIXTURES", fixtures)
			env.Setenv("REPO", filepath.Dir(filepath.Dir(fixtures)))
			bin, err := exec.LookPath("cgolint")
			if err != nil {
				// testscript puts the command in a directory on PATH.
				for _, dir := range filepath.SplitList(env.Getenv("PATH")) {
					if p := filepath.Join(dir, "cgolint"); fileExists(p) {
						bin = p
						break
					}
				}
			}
			env.Setenv("CGOLINT", bin)
			return nil
		},
	})
}

// exits runs a command and checks its exit code: `exits 3 cgolint ./...`.
// Its output is then checked with stdout and stderr as after exec.
func exits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits code command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad code %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exits: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited %d, want %d", args[1], got, want)
	}
}

// sameFindings compares the findings in two saved outputs (standalone and
// go vet print them differently: absolute or relative paths, "# pkg"
// headers): `samefindings a.txt b.txt`. It fails if either has none.
func sameFindings(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: samefindings file1 file2")
	}
	a, b := findings(ts, args[0]), findings(ts, args[1])
	if len(a) == 0 || len(b) == 0 {
		ts.Fatalf("no findings to compare (%d and %d)", len(a), len(b))
	}
	if !slices.Equal(a, b) {
		ts.Fatalf("findings differ:\n%s:\n\t%s\n%s:\n\t%s", args[0], strings.Join(a, "\n\t"), args[1], strings.Join(b, "\n\t"))
	}
}

var findingRE = regexp.MustCompile(`^(?:\./)?(\S+\.go):(\d+):(\d+): (.*)$`)

// findings returns the sorted "file:line:col: message" lines of an output,
// with file paths made relative to the script's working directory.
func findings(ts *testscript.TestScript, name string) []string {
	cwd := ts.MkAbs(".")
	var out []string
	for _, line := range strings.Split(ts.ReadFile(name), "\n") {
		m := findingRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		file := m[1]
		if rel, err := filepath.Rel(cwd, file); err == nil && filepath.IsAbs(file) {
			file = rel
		}
		out = append(out, fmt.Sprintf("%s:%s:%s: %s", file, m[2], m[3], m[4]))
	}
	slices.Sort(out)
	return out
}

// sarifValid validates a file against the SARIF 2.1.0 JSON schema
// (testdata/sarif, the official OASIS schema): `sarifvalid file`.
func sarifValid(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: sarifvalid file")
	}
	if err := validateSARIF([]byte(ts.ReadFile(args[0]))); err != nil {
		ts.Fatalf("%s: %v", args[0], err)
	}
}

func goenv(t *testing.T, key string) string {
	out, err := exec.Command("go", "env", key).Output()
	if err != nil {
		t.Fatalf("go env %s: %v", key, err)
	}
	return string(trimNL(out))
}

func trimNL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// TestFixRefusesChangedFile: -fix writes no file that changed since the
// analysis began (its edits' offsets are into the text analysed), whether
// modified after the load began or of another size; an unchanged file is
// fixed.
func TestFixRefusesChangedFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a.go")
	src := "package a\n\nvar x = 1\n"
	write := func(s string) {
		if err := os.WriteFile(file, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fix := []edit{{start: len("package a\n\nvar x = "), end: len("package a\n\nvar x = 1"), text: "2"}}

	write(src)
	loaded := time.Now().Add(time.Second) // the load began after the write
	if err := applyEdits(file, fix, len(src), loaded); err != nil {
		t.Fatalf("unchanged file: %v", err)
	}
	if got, _ := os.ReadFile(file); string(got) != "package a\n\nvar x = 2\n" {
		t.Fatalf("unchanged file fixed to %q", got)
	}

	// Modified after the load began (same size).
	write(src)
	loaded = time.Now().Add(-time.Hour)
	if err := applyEdits(file, fix, len(src), loaded); err == nil || !strings.Contains(err.Error(), "changed since it was analysed") {
		t.Errorf("file modified after the load: %v, want 'changed since it was analysed'", err)
	}
	// Another size than analysed (even with an old modification time).
	write("package a\n\nvar x = 10\n")
	old := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(file, old, old); err != nil {
		t.Fatal(err)
	}
	if err := applyEdits(file, fix, len(src), loaded); err == nil || !strings.Contains(err.Error(), "changed since it was analysed") {
		t.Errorf("file of another size: %v, want 'changed since it was analysed'", err)
	}
	if got, _ := os.ReadFile(file); string(got) != "package a\n\nvar x = 10\n" {
		t.Errorf("changed file was written: %q", got)
	}
}
