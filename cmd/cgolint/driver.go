package main

import (
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"go/build"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/cgolint/cgolint/analyzers"
	"github.com/cgolint/cgolint/passes/cindex"
	"github.com/cgolint/cgolint/passes/config"
)

// Exit codes, as documented in README and 'cgolint help'.
const (
	exitClean    = 0 // no findings
	exitFailed   = 1 // a package could not be loaded or analysed
	exitUsage    = 2 // bad flags or configuration
	exitFindings = 3 // findings were reported (text output)
)

// options are the standalone driver's own flags.
type options struct {
	json    bool   // -json
	format  string // -format: text, json or sarif
	context int    // -c=N
	fix     bool   // -fix
	tags    string // -tags
	tests   bool   // -test
	debugFlags
}

// standalone runs cgolint on package patterns: it loads them with
// go/packages, analyses them with the checker, prints the findings and
// returns the exit code.
func standalone(args []string) int {
	cfg := new(config.Config)
	suite := analyzers.Suite(cfg)
	opt := options{context: -1, tests: true, format: "text"}
	enabled := registerFlags(suite, cfg, &opt)
	if err := flag.CommandLine.Parse(args); err != nil {
		return exitUsage // the flag package printed it
	}
	if opt.json {
		opt.format = "json"
	}
	switch opt.format {
	case "text", "json", "sarif":
	default:
		fmt.Fprintf(os.Stderr, "cgolint: -format=%s: want text, json or sarif\n", opt.format)
		return exitUsage
	}
	patterns := flag.CommandLine.Args()
	if len(patterns) == 0 {
		fmt.Fprintf(os.Stderr, "cgolint: no packages to check\nusage: cgolint [flags] packages (run 'cgolint help')\n")
		return exitUsage
	}
	selected := selectAnalyzers(suite, enabled)

	// The load (go list) and cindex's check for dropped cgo files read the
	// same environment: the build tags of -tags (which, as for the go
	// command, replace those of GOFLAGS) and cgo as the go command has it.
	setBuildTags(splitTags(opt.tags), opt.tags != "")
	// 'go env' runs while the load does: on a module without cgo its 20-40
	// ms would otherwise be most of what cgolint adds to the load. The go
	// command decides CGO_ENABLED for go list exactly as for go env; cindex
	// reads the answer from the environment, set before the analysis.
	type envResult struct {
		env goEnvironment
		err error
	}
	envDone := make(chan envResult, 1)
	go func() {
		env, err := goEnv()
		envDone <- envResult{env, err}
	}()

	stop, err := opt.start()
	if err != nil {
		fmt.Fprintf(os.Stderr, "cgolint: %v\n", err)
		return exitFailed
	}
	defer stop()

	r := &report{format: opt.format, context: opt.context, loaded: time.Now()}
	pkgs, err := load(patterns, opt.tests)
	got := <-envDone
	if got.err != nil {
		fmt.Fprintf(os.Stderr, "cgolint: %v\n", got.err)
		return exitFailed
	}
	env := got.env
	os.Setenv("CGO_ENABLED", env.CgoEnabled)
	if err != nil {
		r.errorf("", "%v", err)
		return r.finish()
	}
	r.root = moduleRoot(pkgs)

	// Refuse to analyse a package whose cgo files the go command dropped:
	// a clean report would be a lie.
	if env.CgoEnabled != "1" {
		droppedCgoFiles(env, pkgs, func(id string, err error) { r.errorf(id, "%v", err) })
		if len(r.errors) > 0 {
			return r.finish()
		}
	}

	// Print each load error once (test variants repeat them), in the go
	// command's words.
	// Dependencies first: a package that cannot import "C" because cgo
	// failed on a dependency (runtime/cgo: no C compiler) only echoes it.
	broken := make(map[*packages.Package]bool)
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			broken[p] = true
			msg := loadError(e)
			if strings.HasSuffix(msg, "could not import C (no metadata for C)") && len(r.errors) > 0 {
				continue
			}
			r.errorf(p.ID, "%s", msg)
		}
	})

	graph, err := checker.Analyze(selected, pkgs, &checker.Options{Sequential: opt.has('p')})
	if err != nil {
		r.errorf("", "%v", err)
		return r.finish()
	}
	if opt.has('t') {
		printTimes(graph)
	}
	for act := range graph.All() {
		if act.Err == nil || broken[act.Package] || derived(act.Err) {
			continue
		}
		r.errorf(act.Package.ID, "%v", act.Err)
	}
	roots := slices.Clone(graph.Roots)
	order := make(map[*analysis.Analyzer]int)
	for i, a := range suite {
		order[a] = i
	}
	// The package before its test variant, so that a finding in a file of
	// both is filed under the package.
	slices.SortStableFunc(roots, func(a, b *checker.Action) int {
		return cmp.Or(strings.Compare(a.Package.ID, b.Package.ID), cmp.Compare(order[a.Analyzer], order[b.Analyzer]))
	})
	for _, act := range roots {
		if act.Err != nil {
			continue
		}
		for _, d := range act.Diagnostics {
			r.add(act.Package.ID, act.Analyzer, act.Package.Fset, d)
		}
	}
	if opt.fix {
		return r.fix()
	}
	return r.finish()
}

// registerFlags defines the standalone flags on flag.CommandLine: one per
// check (-cfree=false turns it off, -cfree runs only the checks named so),
// each check's own flags as -check.flag, and the driver's flags. It returns
// the per-check switches.
func registerFlags(suite []*analysis.Analyzer, cfg *config.Config, opt *options) map[*analysis.Analyzer]*triState {
	fs := flag.CommandLine
	enabled := make(map[*analysis.Analyzer]*triState)
	for _, a := range suite {
		ts := new(triState)
		enabled[a] = ts
		fs.Var(ts, a.Name, fmt.Sprintf("run the %s check (-%s=false: all checks but it)", a.Name, a.Name))
		a.Flags.VisitAll(func(f *flag.Flag) {
			fs.Var(f.Value, a.Name+"."+f.Name, f.Usage)
		})
	}
	known := analyzers.Known() // checks and check/category names
	fs.Var(&configFlag{Flag: config.Flag{Cfg: cfg}, checks: known}, "config", "cgolint configuration `file` (YAML or JSON)")
	fs.Var(&config.DisableFlag{Cfg: cfg, Known: known}, "disable", "turn off checks or check/categories: `list` of names, comma-separated (as lockthread/thread-affine)")
	registerCFlags(fs, cfg)
	fs.BoolVar(&opt.json, "json", false, "print findings as JSON (go/analysis's schema) on stdout")
	fs.StringVar(&opt.format, "format", "text", "output `format`: text (stderr), json or sarif (SARIF 2.1.0; both on stdout)")
	fs.IntVar(&opt.context, "c", -1, "print each finding's line with `N` lines of context")
	fs.BoolVar(&opt.fix, "fix", false, "apply the suggested fixes, which are offered only when certainly right")
	fs.StringVar(&opt.tags, "tags", "", "comma-separated build `tags`, as for go build (replaces GOFLAGS' -tags)")
	fs.BoolVar(&opt.tests, "test", true, "analyse test files too")
	opt.debugFlags.register(fs)
	fs.Var(versionFlag{}, "V", "print cgolint's version and exit (-V=full adds the build ID go vet keys its cache on)")
	fs.BoolFunc("version", "print cgolint's version and exit", func(string) error {
		fmt.Printf("cgolint version %s\n", version())
		os.Exit(0)
		return nil
	})
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: cgolint [flags] packages\nRun 'cgolint help' for the checks, flags and exit codes.\n")
	}
	return enabled
}

// selectAnalyzers applies the per-check flags: if any -check flag is true,
// only those checks run; otherwise every check but those set to false.
func selectAnalyzers(suite []*analysis.Analyzer, enabled map[*analysis.Analyzer]*triState) []*analysis.Analyzer {
	var only, but []*analysis.Analyzer
	for _, a := range suite {
		switch *enabled[a] {
		case setTrue:
			only = append(only, a)
		case unset:
			but = append(but, a)
		}
	}
	if len(only) > 0 {
		return only
	}
	return but
}

// goEnvironment is what cgolint needs of 'go env': the target and whether the go
// command builds with cgo there (CGO_ENABLED is 0 when cross-compiling or
// without a C compiler, unless set).
type goEnvironment struct {
	GOOS, GOARCH string
	CgoEnabled   string `json:"CGO_ENABLED"`
}

func goEnv() (goEnvironment, error) {
	var env goEnvironment
	out, err := exec.Command("go", "env", "-json", "GOOS", "GOARCH", "CGO_ENABLED").Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok && len(ee.Stderr) > 0 {
			return env, fmt.Errorf("go env: %s", strings.TrimSpace(string(ee.Stderr)))
		}
		return env, fmt.Errorf("cannot run the go command: %v", err)
	}
	if err := json.Unmarshal(out, &env); err != nil {
		return env, fmt.Errorf("go env: %v", err)
	}
	return env, nil
}

// load loads the packages matching patterns with everything the analysis
// needs (syntax and types of every dependency, for facts).
func load(patterns []string, tests bool) ([]*packages.Package, error) {
	conf := &packages.Config{
		Mode:  packages.LoadAllSyntax | packages.NeedModule,
		Tests: tests,
	}
	pkgs, err := packages.Load(conf, patterns...)
	if err == nil && len(pkgs) == 0 {
		err = fmt.Errorf("%s matched no packages", strings.Join(patterns, " "))
	}
	return pkgs, err
}

// loadError returns a load error in the go command's words: "-: " (no
// position) dropped, a cgo error's "# pkg" header kept out.
func loadError(e packages.Error) string {
	msg := e.Msg
	if e.Pos != "" && e.Pos != "-" && !strings.HasPrefix(msg, e.Pos) {
		msg = e.Pos + ": " + msg
	}
	return strings.TrimSpace(msg)
}

// derived reports whether an analysis error only echoes another one: a
// check that did not run because a check it requires failed, or because
// its package has errors (both printed already).
func derived(err error) bool {
	msg := err.Error()
	return strings.HasPrefix(msg, "failed prerequisites: ") || strings.HasPrefix(msg, "analysis skipped due to errors in package")
}

// moduleRoot returns the directory of the main module of the packages (the
// first root package's module), or "".
func moduleRoot(pkgs []*packages.Package) string {
	for _, p := range pkgs {
		if p.Module != nil && p.Module.Dir != "" {
			return p.Module.Dir
		}
	}
	if wd, err := os.Getwd(); err == nil {
		return wd
	}
	return ""
}

// configFlag loads the configuration file and checks the names of the
// checks it disables against the suite. Under go vet, which runs cgolint in
// each package's directory, a relative path is resolved against the
// directory go vet was started in.
type configFlag struct {
	config.Flag
	checks []string
	vet    bool
}

func (f *configFlag) Set(path string) error {
	if f.vet && path != "" && !filepath.IsAbs(path) {
		abs, err := vetStartPath(path)
		if err != nil {
			return err
		}
		path = abs
	}
	if err := f.Flag.Set(path); err != nil {
		return err
	}
	return f.Cfg.Validate(f.checks)
}

// A triState is a boolean flag that knows whether it was set.
type triState int

const (
	unset triState = iota
	setTrue
	setFalse
)

func (ts *triState) IsBoolFlag() bool { return true }
func (ts *triState) Get() any         { return *ts == setTrue }

func (ts *triState) String() string {
	switch *ts {
	case setTrue:
		return "true"
	case setFalse:
		return "false"
	}
	return "unset"
}

func (ts *triState) Set(s string) error {
	switch s {
	case "true", "1", "t", "T", "TRUE", "True":
		*ts = setTrue
	case "false", "0", "f", "F", "FALSE", "False":
		*ts = setFalse
	default:
		return fmt.Errorf("want true or false, not %q", s)
	}
	return nil
}

// position returns pos as a token.Position, or the zero Position.
func position(fset *token.FileSet, pos token.Pos) token.Position {
	if !pos.IsValid() {
		return token.Position{}
	}
	return fset.Position(pos)
}

// setBuildTags puts the build tags of a -tags flag, if set, into GOFLAGS,
// where they replace GOFLAGS' own as on the go command's command line, and
// where the load (go list) and cindex find them; then it makes the tags of
// GOFLAGS go/build's default context's, as golangci-lint does with its
// run.build-tags: the front end reads them there to evaluate a preamble's
// #cgo lines, and cindex to tell a cgo file dropped for want of cgo from
// one its constraints leave out.
func setBuildTags(tags []string, set bool) {
	if set {
		os.Setenv("GOFLAGS", strings.TrimSpace(os.Getenv("GOFLAGS")+" -tags="+strings.Join(tags, ",")))
	}
	build.Default.BuildTags = cindex.BuildTags(os.Getenv("GOFLAGS"))
}

// splitTags splits a -tags value: comma- or space-separated.
func splitTags(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' })
}

// droppedCgoFiles calls report for each package of the graph that has a
// file using cgo which the go command left out only because cgo is off in
// env (with the build tags of GOFLAGS, as the load saw them).
func droppedCgoFiles(env goEnvironment, pkgs []*packages.Package, report func(id string, err error)) {
	ctxt := build.Default
	ctxt.GOOS, ctxt.GOARCH = env.GOOS, env.GOARCH
	ctxt.BuildTags = cindex.BuildTags(os.Getenv("GOFLAGS"))
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		if name := cindex.DroppedCgoFile(ctxt, p.IgnoredFiles); name != "" {
			report(p.ID, cindex.SkippedError(name, env.GOOS, env.GOARCH))
		}
	})
}
