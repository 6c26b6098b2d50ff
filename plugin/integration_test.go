package plugin_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cgolint/cgolint/analyzers"
	"github.com/cgolint/cgolint/internal/cgotest"
)

// TestIntegration builds a real golangci-lint v2.15.0 with cgolint's module
// plugin from this checkout, offline (from the module proxy or the module
// cache: the nested module testdata/gcl pins golangci-lint and every
// dependency in its go.sum; nothing is cloned from GitHub), and the cgolint
// command, then runs golangci-lint, cgolint and go vet -vettool=cgolint on a
// copy of the shared fixtures (testdata/fixtures at the repository's root)
// plus a few files of this test's own.
//
// The first run compiles golangci-lint and its linters (minutes); later
// runs reuse the Go build cache and only link (seconds).
func TestIntegration(t *testing.T) {
	cgotest.Require(t)
	start := time.Now()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	gcl := buildGolangciLint(t, root, bin)
	cgolint := filepath.Join(bin, "cgolint")
	run(t, root, nil, "go", "build", "-o", cgolint, "./cmd/cgolint")
	t.Logf("built golangci-lint and cgolint in %v", time.Since(start).Round(time.Second))

	dir := copyFixtures(t, filepath.Join(root, "testdata", "fixtures"))
	for name, src := range ownFixtures {
		writeFile(t, filepath.Join(dir, name), src)
	}
	// One configuration, given to every driver: its own file to cgolint and
	// go vet, the settings block to golangci-lint (which lowercases mapping
	// keys, never values: My_Alloc keeps its case).
	cfgFile := filepath.Join(dir, "cgolint.yml")
	writeFile(t, cfgFile, sharedConfig)
	writeFile(t, filepath.Join(dir, ".golangci.yml"), gclConfig(sharedConfig))
	env := []string{"GOLANGCI_LINT_CACHE=" + t.TempDir(), "GOPROXY=off", "GOFLAGS=-mod=mod", "CGO_ENABLED=1"}

	lintStart := time.Now()
	gclFindings, related := runGolangciLint(t, gcl, dir, env)
	t.Logf("golangci-lint ran in %v: %d findings", time.Since(lintStart).Round(time.Millisecond), len(gclFindings))
	for _, f := range gclFindings {
		t.Logf("golangci-lint: %s", f)
	}

	t.Run("positions", func(t *testing.T) {
		// Every finding is in a user's file, at a line that exists.
		for _, f := range append(slices.Clone(gclFindings), related...) {
			if filepath.IsAbs(f.file) || !strings.HasSuffix(f.file, ".go") || strings.Contains(f.file, "cgo1") || strings.Contains(f.file, "_cgo_") {
				t.Errorf("finding not in a user's file: %s", f)
				continue
			}
			data, err := os.ReadFile(filepath.Join(dir, f.file))
			if err != nil {
				t.Errorf("finding in a file that does not exist: %s", f)
				continue
			}
			if n := bytes.Count(data, []byte("\n")) + 1; f.line < 1 || f.line > n {
				t.Errorf("finding at line %d of a %d-line file: %s", f.line, n, f)
			}
		}
	})

	t.Run("every-check", func(t *testing.T) {
		want := finding{file: "hostile/hostile.go", line: 8, col: 13, check: "chostile", msg: "C.fork called from Go"}
		if !slices.ContainsFunc(gclFindings, func(f finding) bool {
			return f.file == want.file && f.line == want.line && f.col == want.col && f.check == want.check && strings.HasPrefix(f.msg, want.msg)
		}) {
			t.Errorf("golangci-lint did not report %s", want)
		}
		// A check with an e2e fixture package (testdata/fixtures/<check>)
		// has at least one finding there.
		for _, check := range analyzers.Names() {
			if st, err := os.Stat(filepath.Join(dir, check)); err != nil || !st.IsDir() {
				continue
			}
			if !slices.ContainsFunc(gclFindings, func(f finding) bool {
				return f.check == check && strings.HasPrefix(f.file, check+"/")
			}) {
				t.Errorf("golangci-lint reported nothing of %s in its fixture %s/", check, check)
			}
		}
	})

	t.Run("cross-package-facts", func(t *testing.T) {
		got := findingsIn(gclFindings, "gclfacts/")
		if len(got) != 1 || !strings.HasPrefix(got[0], "gclfacts/use/use.go:7:") || !strings.HasSuffix(got[0], ": cfree") {
			t.Errorf("golangci-lint findings in gclfacts = %v, want one cfree finding at gclfacts/use/use.go:7 (the leak of lib.Alloc's result, known through a fact)", got)
		}
	})

	t.Run("settings", func(t *testing.T) {
		// My_Alloc is an allocator only through the settings.
		got := findingsIn(gclFindings, "gclconfig/")
		if len(got) != 1 || !strings.HasPrefix(got[0], "gclconfig/config.go:10:") || !strings.HasSuffix(got[0], ": cfree") {
			t.Errorf("golangci-lint findings in gclconfig = %v, want one cfree finding at gclconfig/config.go:10 (the leak of My_Alloc's result, an allocator by the settings)", got)
		}
	})

	t.Run("nolint", func(t *testing.T) {
		got := findingsIn(gclFindings, "gclnolint/")
		want := []string{"gclnolint/nolint.go:7:13: chostile"}
		if !slices.Equal(got, want) {
			t.Errorf("golangci-lint findings in gclnolint = %v, want %v (//nolint:cgolint must suppress the others)", got, want)
		}
	})

	t.Run("bad-settings", func(t *testing.T) {
		writeFile(t, filepath.Join(dir, "bad.golangci.yml"), gclConfig("disabel: [cfree]"))
		cmd := exec.Command(gcl, "run", "-c", "bad.golangci.yml", "./hostile")
		cmd.Dir, cmd.Env = dir, append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		if err == nil {
			t.Fatalf("golangci-lint accepted an unknown settings key:\n%s", out)
		}
		if !strings.Contains(string(out), `unknown key "disabel"`) || !strings.Contains(string(out), "cgolint") {
			t.Errorf("golangci-lint's error does not name the unknown key:\n%s", out)
		}
	})

	t.Run("example-config", func(t *testing.T) {
		// The example configuration loads in the real golangci-lint and
		// reports (alongside the linters it leaves at their default, which
		// find nothing in this package).
		cmd := exec.Command(gcl, "run", "-c", filepath.Join(root, ".golangci.example.yml"), "--output.json.path=stdout", "--output.text.path=stderr", "--show-stats=false", "./hostile")
		cmd.Dir, cmd.Env = dir, append(os.Environ(), env...)
		out, err := cmd.Output()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 1 {
			t.Fatalf("golangci-lint -c .golangci.example.yml: %v, want exit 1 (issues found)\n%s", err, out)
		}
		if !strings.Contains(string(out), `"FromLinter":"cgolint","Text":"chostile: C.fork called from Go`) {
			t.Errorf("golangci-lint -c .golangci.example.yml did not report chostile:\n%s", out)
		}
	})

	// The same findings, at the same positions, from all three drivers.
	// golangci-lint also prints each diagnostic's related information as
	// an issue of its own ("<check>(related information): ..."); those are
	// not findings and are left out.
	standalone := runStandalone(t, cgolint, cfgFile, dir, env)
	vet := runVet(t, cgolint, cfgFile, dir, env)
	t.Run("drivers-agree", func(t *testing.T) {
		// //nolint is golangci-lint's alone: its fixture is left out.
		g, s, v := keys(gclFindings, "gclnolint/"), keys(standalone, "gclnolint/"), keys(vet, "gclnolint/")
		if !slices.Equal(g, s) {
			t.Errorf("golangci-lint and cgolint differ:\n%s", diff("golangci-lint", g, "cgolint", s))
		}
		if !slices.Equal(s, v) {
			t.Errorf("cgolint and go vet -vettool differ:\n%s", diff("cgolint", s, "go vet", v))
		}
	})

	t.Run("ignore-directive", func(t *testing.T) {
		// The directive works identically in every driver. It is applied by
		// the suite (ignore.Wrap in analyzers.Suite).
		// The directive that names another check suppresses nothing: the
		// directive check says so.
		want := []string{"gclignore/ignore.go:20:2: directive", "gclignore/ignore.go:21:13: chostile", "gclignore/ignore.go:7:13: chostile"}
		for _, d := range []struct {
			name string
			fs   []finding
		}{{"golangci-lint", gclFindings}, {"cgolint", standalone}, {"go vet", vet}} {
			if got := findingsIn(d.fs, "gclignore/"); !slices.Equal(got, want) {
				t.Errorf("%s findings in gclignore = %v, want %v (//cgolint:ignore must suppress the others; is ignore.Wrap applied in analyzers.Suite?)", d.name, got, want)
			}
		}
	})
	t.Run("csignal-related", func(t *testing.T) {
		// A cross-package csignal finding names the other package's file
		// (not an import-path pseudo-path) and relates the handler's
		// installation. golangci-lint prints a related location in another
		// file at the finding's own position (its rule), so only the related
		// message is checked here; cgolint's own script checks its position.
		if !slices.ContainsFunc(related, func(f finding) bool {
			return f.check == "csignal" && f.file == "csignal/server/main.go" && f.msg == "C.lib_init gives SIGTERM a C handler here"
		}) {
			t.Errorf("golangci-lint printed no related information for the handler's installation; related: %v", related)
		}
		found := false
		for _, f := range gclFindings {
			if f.check == "csignal" && strings.Contains(f.msg, "fixtures/csignal/binding/") {
				t.Errorf("csignal message names a location as an import path: %s", f)
			}
			found = found || f.check == "csignal" && strings.Contains(f.msg, "at binding.go:29:5 in fixtures/csignal/binding:")
		}
		if !found {
			t.Errorf("no csignal finding names binding.go:29:5 in fixtures/csignal/binding")
		}
	})

	t.Run("build-tags", func(t *testing.T) {
		// With cgo off, a cgo file that the build tags leave out is no
		// reason to refuse; one they select is. The tags of GOFLAGS, and
		// those of golangci-lint's run.build-tags (--build-tags), which
		// replace them as go list's -tags replace GOFLAGS'.
		tagEnv := []string{"GOLANGCI_LINT_CACHE=" + t.TempDir(), "GOPROXY=off", "CGO_ENABLED=0"}
		for _, tc := range []struct {
			goflags string
			args    []string
			refuse  bool
		}{
			{"-mod=mod -tags=purego", nil, false},
			{"-mod=mod", nil, true},
			{"-mod=mod", []string{"--build-tags=purego"}, false},
			{"-mod=mod -tags=purego", []string{"--build-tags=other"}, true},
		} {
			args := append([]string{"run", "--output.text.path=stderr", "--show-stats=false"}, tc.args...)
			cmd := exec.Command(gcl, append(args, "./gcltags/...")...)
			cmd.Dir, cmd.Env = dir, append(os.Environ(), append(tagEnv, "GOFLAGS="+tc.goflags)...)
			out, err := cmd.CombinedOutput()
			refused := strings.Contains(string(out), "uses cgo but was skipped because cgo is disabled")
			if refused != tc.refuse || (err == nil) == tc.refuse {
				t.Errorf("GOFLAGS=%q CGO_ENABLED=0 golangci-lint %s: %v, refused=%v, want refused=%v\n%s", tc.goflags, strings.Join(cmd.Args[1:], " "), err, refused, tc.refuse, out)
			}
		}
	})

	t.Run("disable-and-exclude", func(t *testing.T) {
		// The shared configuration turns chostile/thread-exit off and
		// excludes gclexclude/** and *_gen.go: the same in every driver.
		want := []string{"gclcat/cat.go:8:13: chostile"}
		for _, d := range []struct {
			name string
			fs   []finding
		}{{"golangci-lint", gclFindings}, {"cgolint", standalone}, {"go vet", vet}} {
			if got := findingsIn(d.fs, "gclcat/"); !slices.Equal(got, want) {
				t.Errorf("%s findings in gclcat = %v, want %v (chostile/thread-exit is disabled, cat_gen.go excluded)", d.name, got, want)
			}
			if got := findingsIn(d.fs, "gclexclude/"); len(got) != 0 {
				t.Errorf("%s findings in gclexclude = %v, want none (excluded)", d.name, got)
			}
		}
	})

	t.Run("bad-category", func(t *testing.T) {
		writeFile(t, filepath.Join(dir, "badcat.golangci.yml"), gclConfig("disable: [lockthread/thread-afine]"))
		cmd := exec.Command(gcl, "run", "-c", "badcat.golangci.yml", "./hostile")
		cmd.Dir, cmd.Env = dir, append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		if err == nil {
			t.Fatalf("golangci-lint accepted an unknown category:\n%s", out)
		}
		if !strings.Contains(string(out), `unknown category "thread-afine" of lockthread (its categories: unbalanced-lock, unbalanced-unlock, thread-affine)`) {
			t.Errorf("golangci-lint's error does not list lockthread's categories:\n%s", out)
		}
	})
	t.Logf("integration test wall time: %v", time.Since(start).Round(time.Second))
}

// ownFixtures are added to the copy of the shared fixtures: suppression
// cases that belong to this test.
var ownFixtures = map[string]string{
	"gclnolint/nolint.go": `package gclnolint

// #include <unistd.h>
import "C"

func Reported() int {
	return int(C.fork())
}

func Trailing() int {
	return int(C.fork()) //nolint:cgolint // the child execs at once
}

//nolint:cgolint // the whole function is vetted
func Function() int {
	return int(C.fork())
}
`,
	// A finding that needs a fact exported by another package: Alloc's
	// result is owned C memory.
	"gclfacts/lib/lib.go": `package lib

// #include <stdlib.h>
import "C"

import "unsafe"

// Alloc returns C memory that the caller must release with Free.
func Alloc(n int) unsafe.Pointer {
	return C.malloc(C.size_t(n))
}

// Free releases memory from Alloc.
func Free(p unsafe.Pointer) {
	C.free(p)
}
`,
	"gclfacts/use/use.go": `package use

import "fixtures/gclfacts/lib"

// Leak never releases the memory.
func Leak() {
	p := lib.Alloc(16)
	_ = p
}

// Balanced releases it.
func Balanced() {
	p := lib.Alloc(16)
	defer lib.Free(p)
}
`,
	// A C function that allocates by the configuration alone.
	"gclconfig/config.go": `package gclconfig

// void *My_Alloc(int n);
import "C"

import "unsafe"

// Leak never releases the memory.
func Leak() unsafe.Pointer {
	p := C.My_Alloc(16)
	_ = p
	return nil
}
`,
	// A cgo file that the purego tag leaves out, and its pure-Go twin.
	"gcltags/c.go": `//go:build !purego

package gcltags

// #include <unistd.h>
import "C"

func Pid() int { return int(C.getpid()) }
`,
	"gcltags/pure.go": `//go:build purego

package gcltags

import "os"

func Pid() int { return os.Getpid() }
`,
	"gcltags/doc.go": `// Package gcltags has a cgo file and a pure-Go twin, chosen by the purego tag.
package gcltags
`,
	"gclcat/cat.go": `package gclcat

// #include <unistd.h>
// #include <pthread.h>
import "C"

func Fork() int {
	return int(C.fork())
}

func Exit() {
	C.pthread_exit(nil)
}
`,
	"gclcat/cat_gen.go": `package gclcat

// #include <unistd.h>
import "C"

func Generated() int {
	return int(C.fork())
}
`,
	"gclexclude/sub/x.go": `package sub

// #include <unistd.h>
import "C"

func Excluded() int {
	return int(C.fork())
}
`,
	"gclignore/ignore.go": `package gclignore

// #include <unistd.h>
import "C"

func Reported() int {
	return int(C.fork())
}

func Trailing() int {
	return int(C.fork()) //cgolint:ignore chostile the child execs at once
}

func Above() int {
	//cgolint:ignore chostile the child execs at once
	return int(C.fork())
}

func OtherCheck() int {
	//cgolint:ignore cfree names another check, so chostile still reports
	return int(C.fork())
}
`,
}

// sharedConfig is the cgolint configuration of the fixtures run.
const sharedConfig = `disable: [chostile/thread-exit]
exclude: [gclexclude/**, "*_gen.go"]
functions:
  - name: My_Alloc
    allocates: free
`

// gclConfig is a .golangci.yml that runs only cgolint, with settings (a
// cgolint configuration file's text), and shows every finding.
func gclConfig(settings string) string {
	s := "{}"
	if settings = strings.TrimSpace(settings); settings != "" {
		s = "\n          " + strings.ReplaceAll(settings, "\n", "\n          ")
	}
	return `version: "2"
linters:
  default: none
  enable: [cgolint]
  settings:
    custom:
      cgolint:
        type: module
        description: hazards of calling C from Go
        settings: ` + s + `
issues:
  max-issues-per-linter: 0
  max-same-issues: 0
  uniq-by-line: false
`
}

// buildGolangciLint builds the custom golangci-lint from a copy of
// testdata/gcl whose replace points at root.
func buildGolangciLint(t *testing.T, root, bin string) string {
	t.Helper()
	mod := t.TempDir()
	for _, name := range []string{"go.mod", "go.sum", "main.go"} {
		data, err := os.ReadFile(filepath.Join("testdata", "gcl", name))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(mod, name), string(data))
	}
	// -mod=mod: if this checkout's go.mod has moved on since testdata/gcl's
	// go.sum was written, the copy's go.sum is completed from the proxy.
	env := []string{"GOFLAGS=-mod=mod", "GOWORK=off", "CGO_ENABLED=1"}
	run(t, mod, env, "go", "mod", "edit", "-replace", "github.com/cgolint/cgolint="+root)
	start := time.Now()
	exe := filepath.Join(bin, "golangci-lint")
	run(t, mod, env, "go", "build", "-o", exe, ".")
	t.Logf("built golangci-lint v2.15.0 with the cgolint plugin in %v", time.Since(start).Round(time.Second))
	out := run(t, mod, nil, exe, "version")
	if !strings.Contains(out, "2.15.0") {
		t.Fatalf("golangci-lint version = %q, want 2.15.0", out)
	}
	return exe
}

// A finding is one diagnostic, as every driver reports it.
type finding struct {
	file       string // relative to the fixtures, slash-separated
	line, col  int
	check, msg string
}

func (f finding) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s", f.file, f.line, f.col, f.check, f.msg)
}

// keys returns the findings as sorted unique strings, leaving out those
// in files under the excluded prefixes.
func keys(fs []finding, exclude ...string) []string {
	var out []string
	for _, f := range fs {
		if !slices.ContainsFunc(exclude, func(p string) bool { return strings.HasPrefix(f.file, p) }) {
			out = append(out, f.String())
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// findingsIn returns "file:line:col: check" of the findings under prefix.
func findingsIn(fs []finding, prefix string) []string {
	var out []string
	for _, f := range fs {
		if strings.HasPrefix(f.file, prefix) {
			out = append(out, fmt.Sprintf("%s:%d:%d: %s", f.file, f.line, f.col, f.check))
		}
	}
	slices.Sort(out)
	return out
}

func diff(an string, a []string, bn string, b []string) string {
	var sb strings.Builder
	for _, k := range a {
		if !slices.Contains(b, k) {
			fmt.Fprintf(&sb, "only %s: %s\n", an, k)
		}
	}
	for _, k := range b {
		if !slices.Contains(a, k) {
			fmt.Fprintf(&sb, "only %s: %s\n", bn, k)
		}
	}
	return sb.String()
}

var checkPrefix = regexp.MustCompile(`^([a-z0-9]+)(\(related information\))?: (.*)$`)

// runGolangciLint runs golangci-lint in dir and returns its findings and,
// apart, the issues it makes of related information.
func runGolangciLint(t *testing.T, gcl, dir string, env []string) (findings, related []finding) {
	t.Helper()
	cmd := exec.Command(gcl, "run", "--output.json.path=stdout", "--output.text.path=stderr", "--show-stats=false", "./...")
	cmd.Dir, cmd.Env = dir, append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1) { // 1: issues found
		t.Fatalf("golangci-lint run: %v\n%s", err, stderr.Bytes())
	}
	var out struct {
		Issues []struct {
			FromLinter string
			Text       string
			Pos        struct {
				Filename     string
				Line, Column int
			}
		}
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("golangci-lint output: %v\n%s\n%s", err, stdout.Bytes(), stderr.Bytes())
	}
	for _, is := range out.Issues {
		if is.FromLinter != "cgolint" {
			t.Errorf("issue from linter %q: %s", is.FromLinter, is.Text)
			continue
		}
		m := checkPrefix.FindStringSubmatch(is.Text)
		if m == nil {
			t.Errorf("issue text %q does not start with a check name", is.Text)
			continue
		}
		f := finding{file: filepath.ToSlash(is.Pos.Filename), line: is.Pos.Line, col: is.Pos.Column, check: m[1], msg: m[3]}
		if m[2] != "" {
			related = append(related, f)
		} else {
			findings = append(findings, f)
		}
	}
	return findings, related
}

// runStandalone runs cgolint -config=cfgFile -json ./... in dir.
func runStandalone(t *testing.T, cgolint, cfgFile, dir string, env []string) []finding {
	t.Helper()
	cmd := exec.Command(cgolint, "-config="+cfgFile, "-json", "./...")
	cmd.Dir, cmd.Env = dir, append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("cgolint -json ./...: %v\n%s", err, stderr.Bytes())
	}
	return parseJSONTree(t, dir, out)
}

// runVet runs go vet -json -vettool=cgolint -config=cfgFile ./... in dir.
func runVet(t *testing.T, cgolint, cfgFile, dir string, env []string) []finding {
	t.Helper()
	cmd := exec.Command("go", "vet", "-json", "-vettool="+cgolint, "-config="+cfgFile, "./...")
	cmd.Dir, cmd.Env = dir, append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go vet -json -vettool: %v\n%s", err, out)
	}
	// go vet prints "# package" lines between the JSON trees.
	var js bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if !strings.HasPrefix(sc.Text(), "#") {
			js.Write(sc.Bytes())
			js.WriteByte('\n')
		}
	}
	return parseJSONTree(t, dir, js.Bytes())
}

// parseJSONTree parses the go/analysis -json output: a stream of
// {package: {analyzer: [diagnostic] or {"error": ...}}}.
func parseJSONTree(t *testing.T, dir string, data []byte) []finding {
	t.Helper()
	realDir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []finding
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		var tree map[string]map[string]json.RawMessage
		if err := dec.Decode(&tree); err != nil {
			if err.Error() == "EOF" {
				break
			}
			t.Fatalf("-json output: %v\n%s", err, data)
		}
		for pkg, byCheck := range tree {
			for check, raw := range byCheck {
				var diags []struct {
					Posn    string `json:"posn"`
					Message string `json:"message"`
				}
				if err := json.Unmarshal(raw, &diags); err != nil {
					t.Errorf("%s: %s: %s", pkg, check, raw)
					continue
				}
				for _, d := range diags {
					f, err := parsePosn(d.Posn, dir, realDir)
					if err != nil {
						t.Errorf("%s: %s: %v", pkg, check, err)
						continue
					}
					f.check, f.msg = check, d.Message
					out = append(out, f)
				}
			}
		}
	}
	return out
}

// parsePosn parses "file:line:col" with file relative to dir.
func parsePosn(posn string, dirs ...string) (finding, error) {
	i := strings.LastIndexByte(posn, ':')
	j := strings.LastIndexByte(posn[:max(i, 0)], ':')
	if i < 0 || j < 0 {
		return finding{}, fmt.Errorf("bad position %q", posn)
	}
	line, err1 := strconv.Atoi(posn[j+1 : i])
	col, err2 := strconv.Atoi(posn[i+1:])
	if err1 != nil || err2 != nil {
		return finding{}, fmt.Errorf("bad position %q", posn)
	}
	file := posn[:j]
	for _, d := range dirs {
		if rel, err := filepath.Rel(d, file); err == nil && !strings.HasPrefix(rel, "..") {
			file = rel
			break
		}
	}
	return finding{file: filepath.ToSlash(file), line: line, col: col}, nil
}

func run(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// copyFixtures copies the fixtures module to a temporary directory.
func copyFixtures(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}
