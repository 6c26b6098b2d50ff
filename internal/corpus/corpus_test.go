package corpus

import (
	"bytes"
	"encoding/json"
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

	"github.com/cgolint/cgolint/bench/synthgen"
	"github.com/cgolint/cgolint/internal/cgotest"
)

// TestCorpus runs cgolint over every package of real modules (from the
// nested module bench/corpus, through the module proxy or the module cache:
// go-sqlite3, x/tools' go/ssa (no cgo), DataDog/zstd, gozstd, and, when
// their -dev headers are installed, git2go, zmq4, gopacket/pcap,
// libseccomp-golang and grocksdb) and of a generated module, twice each, standalone with -json, and once
// through go vet, and checks that it never panics, never positions anything
// in a build-cache file or cgo's generated files, prints byte-identical
// -json on both runs, and reports the same findings through go vet.
//
// It takes minutes on a cold cache and may need the network, so it runs
// only when asked:
//
//	CGOLINT_CORPUS=1 go test -count=1 -v ./internal/corpus
func TestCorpus(t *testing.T) {
	if os.Getenv("CGOLINT_CORPUS") == "" {
		t.Skip("set CGOLINT_CORPUS=1 to run cgolint over the real modules of bench/corpus")
	}
	cgotest.Require(t)
	corpus, err := filepath.Abs("../../bench/corpus")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "cgolint")
	run(t, "..", "go", "build", "-o", bin, "github.com/cgolint/cgolint/cmd/cgolint")
	run(t, corpus, "go", "mod", "download")

	synth := t.TempDir()
	if err := synthgen.Write(synth, 20); err != nil {
		t.Fatal(err)
	}
	type target struct{ name, dir, pattern string }
	targets := []target{
		{"go-sqlite3", corpus, "github.com/mattn/go-sqlite3/..."},
		{"x-tools-ssa", corpus, "golang.org/x/tools/go/ssa/..."},
		{"synth20", synth, "./..."},
		{"DataDog-zstd", corpus, "github.com/DataDog/zstd/..."},
		{"gozstd", corpus, "github.com/valyala/gozstd/..."},
	}
	// Modules that need Debian -dev headers, analysed when they are installed.
	for _, m := range []struct {
		target
		header, pkg string // a header that must exist, and the Debian package with it
	}{
		{target{"git2go", corpus, "github.com/libgit2/git2go/v34/..."}, "git2.h", "libgit2-dev 1.5.1"},
		{target{"zmq4", corpus, "github.com/pebbe/zmq4"}, "zmq.h", "libzmq3-dev"},
		{target{"gopacket-pcap", corpus, "github.com/google/gopacket/pcap/..."}, "pcap.h", "libpcap-dev"},
		{target{"libseccomp-golang", corpus, "github.com/seccomp/libseccomp-golang/..."}, "seccomp.h", "libseccomp-dev"},
		{target{"grocksdb", corpus, "github.com/linxGnu/grocksdb/..."}, "rocksdb/c.h", "librocksdb-dev 7.8"},
	} {
		if _, err := os.Stat(filepath.Join("/usr/include", m.header)); err != nil {
			t.Logf("%s skipped: no /usr/include/%s (install %s)", m.name, m.header, m.pkg)
			continue
		}
		targets = append(targets, m.target)
	}
	cache := strings.TrimSpace(run(t, corpus, "go", "env", "GOCACHE"))
	for _, tg := range targets {
		t.Run(tg.name, func(t *testing.T) {
			checkTarget(t, bin, tg.dir, tg.pattern, cache)
		})
	}
}

// TestShapes runs cgolint on modules of random C-call shapes (nesting,
// defers, closures, loops, go statements, two-result calls, methods: see
// synthgen.WriteShapes), checked as TestCorpus checks real modules. It runs
// fixed seeds by default; CGOLINT_SHAPES=N adds N seeds drawn from the
// clock, logged so that a failure can be replayed with CGOLINT_SHAPES_SEED.
func TestShapes(t *testing.T) {
	cgotest.Require(t)
	seeds := []uint64{1, 2}
	if s := os.Getenv("CGOLINT_SHAPES_SEED"); s != "" {
		seed, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("CGOLINT_SHAPES_SEED: %v", err)
		}
		seeds = []uint64{seed}
	}
	if s := os.Getenv("CGOLINT_SHAPES"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("CGOLINT_SHAPES: %v", err)
		}
		for i := range n {
			seeds = append(seeds, uint64(time.Now().UnixNano())+uint64(i))
		}
	}
	bin := filepath.Join(t.TempDir(), "cgolint")
	run(t, "..", "go", "build", "-o", bin, "github.com/cgolint/cgolint/cmd/cgolint")
	cache := strings.TrimSpace(run(t, "..", "go", "env", "GOCACHE"))
	for _, seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Logf("replay with CGOLINT_SHAPES_SEED=%d", seed)
			dir := t.TempDir()
			if err := synthgen.WriteShapes(dir, seed, 3, 12); err != nil {
				t.Fatal(err)
			}
			run(t, dir, "go", "build", "./...") // the generator's own check: it compiles
			checkTarget(t, bin, dir, "./...", cache)
		})
	}
}

// checkTarget runs cgolint on pattern in dir twice with -json, then as text
// and through go vet, and checks the outputs.
func checkTarget(t *testing.T, bin, dir, pattern, cache string) {
	first := runCgolint(t, dir, bin, "-json", pattern)
	second := runCgolint(t, dir, bin, "-json", pattern)
	if !bytes.Equal(first, second) {
		t.Errorf("-json output differs between two runs:\n%s", firstDiff(first, second))
	}
	n := checkJSON(t, first, cache)

	text := runCgolint(t, dir, bin, pattern)
	vet := runVet(t, dir, bin, pattern)
	standalone, viaVet := findings(dir, text), findings(dir, vet)
	if !slices.Equal(standalone, viaVet) {
		t.Errorf("standalone and go vet disagree:\nstandalone (%d):\n\t%s\ngo vet (%d):\n\t%s",
			len(standalone), strings.Join(standalone, "\n\t"), len(viaVet), strings.Join(viaVet, "\n\t"))
	}
	t.Logf("%s: %d findings in -json, %d distinct standalone, %d through go vet", pattern, n, len(standalone), len(viaVet))
}

// run runs a command that must succeed and returns its stdout.
func run(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.Bytes())
	}
	return string(out)
}

// runCgolint runs cgolint, checks that it did not crash and exited 0 (or 3,
// findings, without -json), and returns its stdout, or, without -json, its
// stdout and stderr (where the text findings go).
func runCgolint(t *testing.T, dir, bin string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	checkNoCrash(t, "cgolint "+strings.Join(args, " "), stdout.Bytes(), stderr.Bytes())
	code := cmd.ProcessState.ExitCode()
	jsonOut := slices.Contains(args, "-json")
	if code != 0 && (jsonOut || code != 3) {
		t.Fatalf("cgolint %s exited %d (%v):\n%s", strings.Join(args, " "), code, err, stderr.Bytes())
	}
	if jsonOut {
		return stdout.Bytes()
	}
	return append(stdout.Bytes(), stderr.Bytes()...)
}

// runVet runs go vet -vettool=bin and returns its output. go vet exits 1
// when the tool reports findings.
func runVet(t *testing.T, dir, bin, pattern string) []byte {
	t.Helper()
	cmd := exec.Command("go", "vet", "-vettool="+bin, pattern)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	out, err := cmd.CombinedOutput()
	checkNoCrash(t, "go vet -vettool=cgolint "+pattern, nil, out)
	if code := cmd.ProcessState.ExitCode(); code != 0 && code != 1 {
		t.Fatalf("go vet -vettool=cgolint %s exited %d (%v):\n%s", pattern, code, err, out)
	}
	if err != nil && len(findings(dir, out)) == 0 {
		t.Fatalf("go vet -vettool=cgolint %s failed without findings (%v):\n%s", pattern, err, out)
	}
	return out
}

var crashRE = regexp.MustCompile(`(?m)^panic: |internal error|^goroutine \d+ \[|^fatal error: `)

func checkNoCrash(t *testing.T, what string, outs ...[]byte) {
	t.Helper()
	for _, out := range outs {
		if loc := crashRE.FindIndex(out); loc != nil {
			start := max(0, loc[0]-200)
			t.Fatalf("%s crashed:\n%s", what, out[start:min(len(out), loc[1]+2000)])
		}
	}
}

// A diagnostic as the go/analysis drivers print it with -json.
type diagnostic struct {
	Category       string `json:"category"`
	Posn           string `json:"posn"`
	Message        string `json:"message"`
	SuggestedFixes []struct {
		Message string `json:"message"`
		Edits   []struct {
			Filename string `json:"filename"`
		} `json:"edits"`
	} `json:"suggested_fixes"`
	Related []struct {
		Posn string `json:"posn"`
	} `json:"related"`
}

// checkJSON checks every position in the -json output and returns the
// number of findings. Each package maps each analyzer to a list of
// diagnostics or to {"error": "..."}.
func checkJSON(t *testing.T, out []byte, cache string) int {
	t.Helper()
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal(out, &tree); err != nil {
		t.Fatalf("-json output does not parse: %v\n%s", err, out[:min(len(out), 2000)])
	}
	n := 0
	for pkg, byAnalyzer := range tree {
		for analyzer, raw := range byAnalyzer {
			var failed struct{ Error string }
			if json.Unmarshal(raw, &failed) == nil && failed.Error != "" {
				t.Errorf("%s: %s: %s", pkg, analyzer, failed.Error)
				continue
			}
			var diags []diagnostic
			if err := json.Unmarshal(raw, &diags); err != nil {
				t.Errorf("%s: %s: %v", pkg, analyzer, err)
				continue
			}
			for _, d := range diags {
				n++
				where := fmt.Sprintf("%s: %s: %s: %s", pkg, analyzer, d.Posn, d.Message)
				checkPos(t, where, d.Posn, cache)
				for _, r := range d.Related {
					checkPos(t, where+" (related)", r.Posn, cache)
				}
				for _, f := range d.SuggestedFixes {
					for _, e := range f.Edits {
						checkPos(t, where+" (fix)", e.Filename, cache)
					}
				}
				if d.Category == "" && analyzer != "cgocall" {
					t.Errorf("%s: no category", where)
				}
			}
		}
	}
	return n
}

// checkPos fails if posn is in the build cache or in one of cgo's files.
func checkPos(t *testing.T, where, posn, cache string) {
	t.Helper()
	switch {
	case posn == "" || strings.HasPrefix(posn, "-"):
		t.Errorf("%s: no position", where)
	case cache != "" && strings.HasPrefix(posn, cache),
		strings.Contains(posn, "go-build"),
		strings.Contains(posn, "_cgo_"),
		strings.Contains(posn, ".cgo1.go"):
		t.Errorf("%s: positioned in a generated or cached file", where)
	}
}

var findingRE = regexp.MustCompile(`(?m)^(?:\./)?(\S+\.go):(\d+):(\d+): (.*)$`)

// findings returns the distinct, sorted findings of a text output as
// "abs/file.go:line:col: message" (go vet prints paths relative to dir,
// cgolint absolute ones).
func findings(dir string, out []byte) []string {
	var res []string
	for _, m := range findingRE.FindAllStringSubmatch(string(out), -1) {
		file := m[1]
		if !filepath.IsAbs(file) {
			file = filepath.Join(dir, file)
		}
		res = append(res, fmt.Sprintf("%s:%s:%s: %s", filepath.Clean(file), m[2], m[3], m[4]))
	}
	slices.Sort(res)
	return slices.Compact(res)
}

// firstDiff shows where two outputs start to differ.
func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-300)
	return fmt.Sprintf("at byte %d:\nfirst:  ...%s\nsecond: ...%s", i, a[from:min(len(a), i+300)], b[from:min(len(b), i+300)])
}
