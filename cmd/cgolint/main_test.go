package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

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
		Cmds:                map[string]func(ts *testscript.TestScript, neg bool, args []string){"exits": exits},
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
