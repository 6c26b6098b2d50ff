package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/cgolint/cgolint/analyzers"
	"github.com/cgolint/cgolint/bench/internal/floor"
	"github.com/cgolint/cgolint/bench/synthgen"
	"github.com/cgolint/cgolint/passes/cindex"
)

// These benchmarks time the analysis only: packages are loaded once (go
// list, parsing, type checking of the whole graph from source), and each
// iteration runs checker.Analyze on them, as the cgolint command does after
// loading. bench/run.sh times the whole command, loading included.
//
//	go test -run='^$' -bench=. -benchmem ./bench
//	go test -run='^$' -bench=Synth100 -count=5 ./bench   # for benchstat
//
// Each target has six sub-benchmarks:
//
//	load      packages.Load alone: go list, parsing and type checking of
//	          the whole graph from source (the cost every driver shares)
//	floor     the floor driver's analyzers (ctrlflow on every package, with
//	          facts; buildssa on the named packages)
//	loadfloor bench/loadfloor's analyzer: one with a fact type that does
//	          nothing, so it visits every package (the load floor)
//	buildssa  buildssa alone on the named packages
//	index     the C-call index on every package, as the checks with facts
//	          run it (a no-op analyzer with a fact type Requires it)
//	suite     every cgolint check (analyzers.Suite)

func BenchmarkSynth10(b *testing.B)  { benchTargets(b, synthDir(b, 10), "./...") }
func BenchmarkSynth100(b *testing.B) { benchTargets(b, synthDir(b, 100), "./...") }

// BenchmarkSQLite needs the nested module bench/corpus and its
// dependencies in the module cache (cd bench/corpus && go mod download).
func BenchmarkSQLite(b *testing.B) {
	benchTargets(b, "corpus", "github.com/mattn/go-sqlite3")
}

// BenchmarkNoCgo is the same on a module without cgo (x/tools' go/ssa).
func BenchmarkNoCgo(b *testing.B) {
	benchTargets(b, "corpus", "golang.org/x/tools/go/ssa/...")
}

// BenchmarkXMod is the plain-Go target of bench/run.sh (-only xmod -tools
// cgolint,load -base load): what cgolint's suite costs over the load floor
// (sub-benchmark loadfloor) on a module without cgo.
func BenchmarkXMod(b *testing.B) {
	benchTargets(b, "corpus", "golang.org/x/mod/...")
}

func benchTargets(b *testing.B, dir string, patterns ...string) {
	pkgs := load(b, dir, patterns...)
	b.Run("load", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			load(b, dir, patterns...)
		}
	})
	for _, bench := range []struct {
		name      string
		analyzers []*analysis.Analyzer
	}{
		{"floor", floor.Analyzers()},
		{"loadfloor", []*analysis.Analyzer{floor.Load}},
		{"buildssa", []*analysis.Analyzer{floor.SSA}},
		{"index", []*analysis.Analyzer{indexEverywhere}},
		{"suite", analyzers.Suite(nil)},
	} {
		b.Run(bench.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				analyze(b, bench.analyzers, pkgs)
			}
		})
	}
}

type fact struct{}

func (*fact) AFact() {}

// indexEverywhere runs the C-call index on every package, as it runs under
// the checks that have facts.
var indexEverywhere = &analysis.Analyzer{
	Name:       "indexeverywhere",
	Doc:        "run cindex on every package",
	Requires:   []*analysis.Analyzer{cindex.Analyzer},
	FactTypes:  []analysis.Fact{new(fact)},
	ResultType: reflect.TypeFor[*cindex.Index](),
	Run: func(pass *analysis.Pass) (any, error) {
		return pass.ResultOf[cindex.Analyzer].(*cindex.Index), nil
	},
}

func analyze(b *testing.B, as []*analysis.Analyzer, pkgs []*packages.Package) {
	g, err := checker.Analyze(as, pkgs, nil)
	if err != nil {
		b.Fatal(err)
	}
	for act := range g.All() {
		if act.Err != nil {
			b.Fatalf("%s: %v", act, act.Err)
		}
	}
}

// synthDir writes a synthetic module of n packages in a directory kept
// between runs (cgo's compilations are cached by directory).
func synthDir(b *testing.B, n int) string {
	dir := filepath.Join(os.TempDir(), "cgolint-bench-synth", fmt.Sprintf("gobench%d", n))
	if err := synthgen.Write(dir, n); err != nil {
		b.Fatal(err)
	}
	return dir
}

// load loads patterns in dir with the whole graph from source, as the
// cgolint command does (without the test variants).
func load(b *testing.B, dir string, patterns ...string) []*packages.Package {
	b.Helper()
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		b.Skip(err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		b.Fatal(err)
	}
	cfg := &packages.Config{Mode: packages.LoadAllSyntax, Dir: abs, Env: append(os.Environ(), "CGO_ENABLED=1")}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		b.Skipf("cannot load %v in %s: %v", patterns, dir, err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		b.Skipf("errors loading %v in %s", patterns, dir)
	}
	return pkgs
}
