package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cgolint/cgolint/internal/cgotest"
)

const buggySrc = `package synth

// #include <stdlib.h>
// #include <string.h>
import "C"

// Len leaks its C string.
func Len(s string) int {
	cs := C.CString(s)
	return int(C.strlen(cs))
}

// Other leaks its C string too, and the fix leaves it alone.
func Other(s string) int {
	cs := C.CString(s)
	return int(C.strlen(cs))
}
`

const fixedSrc = `package synth

// #include <stdlib.h>
// #include <string.h>
import "C"

import "unsafe"

// Len frees its C string.
func Len(s string) int {
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	return int(C.strlen(cs))
}

// Other leaks its C string too, and the fix leaves it alone.
func Other(s string) int {
	cs := C.CString(s)
	return int(C.strlen(cs))
}
`

// gitRun runs git in dir with a fixed identity.
func gitRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"}, args...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// synthMirror makes a GOPATH-era repository (no go.mod) with a buggy and a
// fixed commit of a small cgo package, and a bare mirror of it laid out as
// the fetch tool lays them out. It returns the mirror root and the fix.
func synthMirror(t *testing.T) (root, fix string) {
	t.Helper()
	work := t.TempDir()
	gitRun(t, work, "init", "-q")
	write := func(src string) {
		if err := os.MkdirAll(filepath.Join(work, "synth"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(work, "synth", "synth.go"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		gitRun(t, work, "add", "-A")
	}
	write(buggySrc)
	gitRun(t, work, "commit", "-q", "-m", "synth: the buggy tree")
	write(fixedSrc)
	gitRun(t, work, "commit", "-q", "-m", "synth: free the C string in Len")
	fix = gitRun(t, work, "rev-parse", "HEAD")
	root = t.TempDir()
	gitRun(t, root, "clone", "-q", "--bare", work, filepath.Join(root, "example+synth", "repo"))
	return root, fix
}

func buildCgolintForTest(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "cgolint")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/cgolint/cgolint/cmd/cgolint")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building cgolint: %v\n%s", err, out)
	}
	return bin
}

func writeRows(t *testing.T, rows string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "rows.yml")
	if err := os.WriteFile(file, []byte(rows), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestScore scores three rows on the synthetic repository: one the fix
// repairs (detected), one it leaves buggy (missed: as many findings in
// both trees), one naming a function the file lacks (an error of the row).
// The three share their trees: the later rows reuse the extracted copies.
func TestScore(t *testing.T) {
	cgotest.Require(t)
	mirrors, fix := synthMirror(t)
	cgolint := buildCgolintForTest(t)
	row := func(funcs string) string {
		return `
- repo: example/synth
  fix: ` + fix + `
  module: example.com/synth
  package: synth
  file: synth/synth.go
  funcs: [` + funcs + `]
  category: leak
  check: cfree
  note: test row
`
	}
	rows := writeRows(t, row("Len")+row("Other")+row("Absent"))
	cache := t.TempDir()
	var stdout, stderr bytes.Buffer
	args := []string{"-cgolint", cgolint, "-mirrors", mirrors, "-cache", cache, "-rows", rows, "-v"}
	if code := Main(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{
		"DETECTED   example/synth@" + fix[:8],
		"synth/synth.go Len (buggy 1, fixed 0)",
		"MISSED     example/synth@" + fix[:8],
		"synth/synth.go Other (buggy 1, fixed 1)",
		"LOAD ERROR example/synth@" + fix[:8],
		"synth/synth.go does not declare Absent",
		"note: GOPATH-era tree: temporary go.mod (module example.com/synth)",
		"buggy synth/synth.go:9 [leak] C.CString result cs is never freed",
		"leak                   1        2      3",
		"detected / loaded: 1 / 2 (3 rows, 1 load errors)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

}

// TestTimeout stops a cgolint run that outlives -timeout, with the
// processes it started, and reports the row as TIMEOUT, not as loaded.
func TestTimeout(t *testing.T) {
	mirrors, fix := synthMirror(t)
	bin := filepath.Join(t.TempDir(), "slow-cgolint")
	// A child that outlives the parent would keep the output pipe open:
	// the harness kills the whole process group, and descendants that
	// made groups of their own (go/packages runs go list so).
	script := "#!/bin/sh\nsleep 600 &\nsetsid sleep 600 &\nsleep 600\n"
	if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	rows := writeRows(t, `
- repo: example/synth
  fix: `+fix+`
  module: example.com/synth
  package: synth
  file: synth/synth.go
  funcs: [Len]
  category: leak
  check: cfree
  note: test row
`)
	var stdout, stderr bytes.Buffer
	args := []string{"-cgolint", bin, "-mirrors", mirrors, "-cache", t.TempDir(), "-rows", rows, "-timeout", "1s"}
	if code := Main(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{
		"TIMEOUT    example/synth@" + fix[:8],
		"cgolint ./synth ran longer than 1s and was stopped",
		"leak                   0        0      1",
		"detected / loaded: 0 / 0 (1 rows, 0 load errors, 1 timeouts)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestJSONLoadError shows the load error cgolint -json reports in its
// output (not on stderr) in the row's LOAD ERROR.
func TestJSONLoadError(t *testing.T) {
	mirrors, fix := synthMirror(t)
	bin := filepath.Join(t.TempDir(), "failing-cgolint")
	script := "#!/bin/sh\necho '{\"example.com/synth/synth\": {\"cgolint\": {\"error\": \"synth.go:9:2: could not determine what C.nosuch refers to\"}}}'\nexit 1\n"
	if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	rows := writeRows(t, `
- repo: example/synth
  fix: `+fix+`
  module: example.com/synth
  package: synth
  file: synth/synth.go
  funcs: [Len]
  category: leak
  check: cfree
  note: test row
`)
	var stdout, stderr bytes.Buffer
	args := []string{"-cgolint", bin, "-mirrors", mirrors, "-cache", t.TempDir(), "-rows", rows}
	if code := Main(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	for _, want := range []string{
		"LOAD ERROR example/synth@" + fix[:8],
		"example.com/synth/synth: synth.go:9:2: could not determine what C.nosuch refers to",
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, stdout.String())
		}
	}
}

// TestDeps points a GOPATH-era tree's dependency, which no module proxy
// serves, at a commit of the dependency's mirror, and checks that the go
// command resolves the import there, without the network.
func TestDeps(t *testing.T) {
	commitTree := func(files map[string]string) (work, head string) {
		work = t.TempDir()
		gitRun(t, work, "init", "-q")
		for name, src := range files {
			if err := os.MkdirAll(filepath.Dir(filepath.Join(work, name)), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(work, name), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		gitRun(t, work, "add", "-A")
		gitRun(t, work, "commit", "-q", "-m", "one")
		gitRun(t, work, "commit", "-q", "--allow-empty", "-m", "two")
		return work, gitRun(t, work, "rev-parse", "HEAD")
	}
	mirrors := t.TempDir()
	depWork, depHead := commitTree(map[string]string{"dep.go": "package dep\n\nconst N = 1\n"})
	gitRun(t, mirrors, "clone", "-q", "--bare", depWork, filepath.Join(mirrors, "other+dep", "repo"))
	appWork, appHead := commitTree(map[string]string{"app/app.go": "package app\n\nimport \"gopath.example/dep\"\n\nconst M = dep.N\n"})
	gitRun(t, mirrors, "clone", "-q", "--bare", appWork, filepath.Join(mirrors, "example+app", "repo"))

	r := &Row{Repo: "example/app", Fix: appHead, Package: "app", File: "app/app.go", Funcs: []string{"F"},
		Category: "leak", Check: "cfree", Deps: map[string]string{"gopath.example/dep": "other/dep@" + depHead}}
	if err := r.validate(map[string]bool{"cfree": true}); err != nil {
		t.Fatal(err)
	}
	ms := map[string]string{}
	for _, repo := range append([]string{r.Repo}, r.depRepos()...) {
		dir, err := mirrorDir(mirrors, repo)
		if err != nil {
			t.Fatal(err)
		}
		ms[repo] = dir
	}
	cache := t.TempDir()
	tree, err := extract(cache, ms[r.Repo], r.Repo, appHead)
	if err != nil {
		t.Fatal(err)
	}
	p, err := prepare(tree, r, cache, ms)
	if err != nil {
		t.Fatal(err)
	}
	if want := "dependency gopath.example/dep from the mirror of other/dep@" + depHead; !strings.Contains(strings.Join(p.notes, "\n"), want) {
		t.Errorf("notes %q lack %q", p.notes, want)
	}
	cmd := exec.Command("go", "list", "-f", "{{.Dir}}", "gopath.example/dep")
	cmd.Dir = p.modRoot
	cmd.Env = append(goEnv(r), "GOPROXY=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	if want := filepath.Join(cache, "trees", "other+dep", depHead); strings.TrimSpace(string(out)) != want {
		t.Errorf("gopath.example/dep resolves to %s, want %s", out, want)
	}

	// A malformed dependency is an error of the row.
	r.Deps = map[string]string{"gopath.example/dep": "other/dep@1234"}
	if err := r.validate(map[string]bool{"cfree": true}); err == nil || !strings.Contains(err.Error(), "is not owner/name@<40-hex commit>") {
		t.Errorf("validate: %v, want the malformed dependency named", err)
	}
}

// TestMissingMirror fails before any work, naming every missing mirror.
func TestMissingMirror(t *testing.T) {
	rows := writeRows(t, `
- repo: example/one
  fix: 0123456789012345678901234567890123456789
  module: ""
  package: .
  file: a.go
  funcs: [F]
  category: leak
  check: cfree
  note: x
- repo: example/two
  fix: 0123456789012345678901234567890123456789
  module: ""
  package: .
  file: a.go
  funcs: [F]
  category: leak
  check: cfree
  note: x
`)
	var stdout, stderr bytes.Buffer
	code := Main([]string{"-cgolint", "/nonexistent", "-mirrors", t.TempDir(), "-rows", rows}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "no bare git mirror under") || !strings.Contains(stderr.String(), "example/one, example/two") {
		t.Errorf("exit %d, stderr %q; want 1 naming example/one, example/two", code, stderr.String())
	}
}

// TestMalformedRows names each bad row and what is wrong with it.
func TestMalformedRows(t *testing.T) {
	rows := writeRows(t, `
- repo: example/one
  fix: 0123abc
  package: .
  file: a.go
  funcs: [F]
  category: leak
  check: cfree
- repo: example/two
  fix: 0123456789012345678901234567890123456789
  package: .
  file: a.go
  funcs: ["(*T.M"]
  category: leak
  check: nosuchcheck
`)
	var stdout, stderr bytes.Buffer
	code := Main([]string{"-cgolint", "/nonexistent", "-rows", rows}, &stdout, &stderr)
	for _, want := range []string{"row 1 (example/one): fix \"0123abc\" is not a full 40-hex", "row 2 (example/two): check \"nosuchcheck\" is not a cgolint check"} {
		if code != 1 || !strings.Contains(stderr.String(), want) {
			t.Errorf("exit %d, stderr %q; want 1 and %q", code, stderr.String(), want)
		}
	}
}

func TestFuncSpans(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a.go")
	src := `package a

type T struct{}

func F() {
}

func (t *T) M() {
	_ = t
}

func (T) V() {}
`
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	spans, missing, err := funcSpans(file, []string{"F", "(*T).M", "(T).V", "T.M", "G", "(*U).M"})
	if err != nil {
		t.Fatal(err)
	}
	want := []span{{"F", 5, 6}, {"(*T).M", 8, 10}, {"(T).V", 12, 12}, {"T.M", 8, 10}}
	if len(spans) != len(want) {
		t.Fatalf("spans = %v, want %v", spans, want)
	}
	for i := range want {
		if spans[i] != want[i] {
			t.Errorf("spans[%d] = %v, want %v", i, spans[i], want[i])
		}
	}
	if strings.Join(missing, ",") != "G,(*U).M" {
		t.Errorf("missing = %v, want [G (*U).M]", missing)
	}
}

func TestSplitPosn(t *testing.T) {
	for _, tc := range []struct {
		posn string
		file string
		line int
		ok   bool
	}{
		{"/a/b.go:12:3", "/a/b.go", 12, true},
		{"/a/b.go:12", "/a/b.go", 12, true},
		{"C:/a/b.go:7:1", "C:/a/b.go", 7, true},
		{"nowhere", "", 0, false},
		{"-", "", 0, false},
	} {
		file, line, ok := splitPosn(tc.posn)
		if file != tc.file || line != tc.line || ok != tc.ok {
			t.Errorf("splitPosn(%q) = %q, %d, %v; want %q, %d, %v", tc.posn, file, line, ok, tc.file, tc.line, tc.ok)
		}
	}
}

func TestInSpans(t *testing.T) {
	tree := t.TempDir()
	abs := filepath.Join(tree, "p", "a.go")
	fs := []finding{
		{Check: "cfree", File: abs, Line: 5},
		{Check: "cfree", File: abs, Line: 9},                              // outside
		{Check: "cescape", File: abs, Line: 5},                            // another check
		{Check: "cfree", File: filepath.Join(tree, "p", "b.go"), Line: 5}, // another file
	}
	got := inSpans(fs, "cfree", tree, "p/a.go", []span{{"F", 4, 6}})
	if len(got) != 1 || got[0].Line != 5 || got[0].Check != "cfree" {
		t.Errorf("inSpans = %v, want the cfree finding at line 5 only", got)
	}
}

// TestConfig: -config reaches every cgolint run as an absolute -config
// flag, and a missing file is a usage error.
func TestConfig(t *testing.T) {
	mirrors, fix := synthMirror(t)
	dir := t.TempDir()
	argsFile := filepath.Join(dir, "args")
	bin := filepath.Join(dir, "fake-cgolint")
	script := "#!/bin/sh\necho \"$@\" >> " + argsFile + "\necho '{}'\n"
	if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "learn.yml")
	if err := os.WriteFile(conf, []byte("learn: [headers]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rows := writeRows(t, `
- repo: example/synth
  fix: `+fix+`
  module: example.com/synth
  package: synth
  file: synth/synth.go
  funcs: [Len]
  category: leak
  check: cfree
  note: test row
`)
	var stdout, stderr bytes.Buffer
	args := []string{"-cgolint", bin, "-mirrors", mirrors, "-cache", t.TempDir(), "-rows", rows, "-config", conf}
	if code := Main(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	got, err := os.ReadFile(argsFile)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(got), "-config="+conf); n != 2 {
		t.Errorf("cgolint was run with -config=%s %d times, want 2 (both trees):\n%s", conf, n, got)
	}
	if !strings.Contains(stdout.String(), "configuration "+conf) {
		t.Errorf("the output does not name the configuration:\n%s", stdout.String())
	}
	stderr.Reset()
	args[len(args)-1] = filepath.Join(dir, "nosuch.yml")
	if code := Main(args, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "nosuch.yml") {
		t.Errorf("missing -config file: exit %d, stderr %q; want 2 naming the file", code, stderr.String())
	}
}
