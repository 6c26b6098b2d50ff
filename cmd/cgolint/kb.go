package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/cgolint/cgolint/analyzers"
	"github.com/cgolint/cgolint/passes/cfuncs"
	"github.com/cgolint/cgolint/passes/cindex"
	"github.com/cgolint/cgolint/passes/config"
)

// kbUsage documents `cgolint kb`.
const kbUsage = `usage: cgolint kb [-config=file] [-tags=list] packages

kb prints, for the C functions the packages call, the roles cgolint uses
and where each comes from (the built-in libc table, the shipped library
data, the configuration, or the package's own C code), as a cgolint
configuration file to review, edit and commit:

	cgolint kb ./... > cgolint.yml
	cgolint -config=cgolint.yml ./...

It ends with the called functions cgolint knows nothing about (it assumes
they borrow: they neither free nor keep their arguments). Feeding the
output back with -config changes nothing until it is edited.
`

// kbMain runs `cgolint kb args...` and returns the exit code: 0, 1 when a
// package cannot be loaded or analysed, 2 on bad usage.
func kbMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kb", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, kbUsage) }
	cfgPath := fs.String("config", "", "cgolint configuration `file` (YAML or JSON)")
	tags := fs.String("tags", "", "comma-separated build `tags`")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	// A malformed configuration is exit code 1, as for the checks.
	cfg := new(config.Config)
	if err := (&configFlag{Flag: config.Flag{Cfg: cfg}, checks: analyzers.Known()}).Set(*cfgPath); err != nil {
		fmt.Fprintf(stderr, "cgolint: %v\n", err)
		return 1
	}
	env, err := goEnv()
	if err != nil {
		fmt.Fprintf(stderr, "cgolint: %v\n", err)
		return 1
	}
	// As standalone: the load and the check for dropped cgo files read the
	// tags of -tags and GOFLAGS.
	setBuildTags(splitTags(*tags), *tags != "")
	lc := &packages.Config{Mode: packages.LoadAllSyntax}
	pkgs, err := packages.Load(lc, fs.Args()...)
	if err != nil {
		fmt.Fprintf(stderr, "cgolint: %v\n", err)
		return 1
	}
	if n := packages.PrintErrors(pkgs); n > 0 {
		return 1
	}
	dropped := 0
	droppedCgoFiles(env, pkgs, func(id string, err error) {
		fmt.Fprintf(stderr, "cgolint: %s: %v\n", id, err)
		dropped++
	})
	if dropped > 0 {
		return 1
	}
	known, unknown, err := collectKB(pkgs, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "cgolint: %v\n", err)
		return 1
	}
	var buf bytes.Buffer
	writeKB(&buf, fs.Args(), cfg.Learn, known, unknown)
	if _, err := stdout.Write(buf.Bytes()); err != nil {
		fmt.Fprintf(stderr, "cgolint: %v\n", err)
		return 1
	}
	return 0
}

// kbResult is what the kb analyzer finds in one package.
type kbResult struct {
	called map[string]*cfuncs.Func // C function name -> its entry in force (nil: unknown)
}

// collectKB runs the index with cfg over pkgs and returns the entries in
// force for the C functions they call, and the names of those it knows
// nothing about, both sorted by name.
func collectKB(pkgs []*packages.Package, cfg *config.Config) (known []*cfuncs.Func, unknown []string, err error) {
	index := cindex.New(cfg)
	kb := &analysis.Analyzer{
		Name:       "kb",
		Doc:        "collect the knowledge used for the C functions a package calls",
		Requires:   []*analysis.Analyzer{index},
		ResultType: reflect.TypeFor[*kbResult](),
		Run: func(pass *analysis.Pass) (any, error) {
			idx, err := cindex.For(pass, index)
			res := &kbResult{called: make(map[string]*cfuncs.Func)}
			if idx == nil {
				return res, err
			}
			for _, c := range idx.Calls() {
				if c.Kind == cindex.CFunc {
					res.called[c.Name] = c.Info
				}
			}
			return res, nil
		},
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{kb}, pkgs, nil)
	if err != nil {
		return nil, nil, err
	}
	all := make(map[string]*cfuncs.Func)
	for _, act := range graph.Roots {
		if act.Err != nil {
			return nil, nil, fmt.Errorf("%s: %v", act.Package.PkgPath, act.Err)
		}
		for name, f := range act.Result.(*kbResult).called {
			if prev, ok := all[name]; !ok || prev == nil {
				all[name] = f
			}
		}
	}
	for name, f := range all {
		if f == nil {
			unknown = append(unknown, name)
		} else {
			known = append(known, f)
		}
	}
	sort.Slice(known, func(i, j int) bool { return known[i].Name < known[j].Name })
	sort.Strings(unknown)
	return known, unknown, nil
}

// source says where an entry comes from, for the comment above it.
func source(f *cfuncs.Func) string {
	switch f.Origin {
	case cfuncs.OriginBuiltin:
		return "built-in libc/POSIX table"
	case cfuncs.OriginLibrary:
		return "shipped library data (" + f.Source + ")"
	case cfuncs.OriginConfig:
		return "your configuration"
	case cfuncs.OriginPreamble:
		return "inferred from the package's C code"
	case cfuncs.OriginHeader:
		return "learned from the declarations in " + f.Source
	case cfuncs.OriginGIR:
		return "learned from GObject-Introspection data (" + f.Source + ")"
	}
	return f.Origin.String()
}

// writeKB prints the entries as a configuration file. Entries inferred
// from C code, headers or .gir files, and entries with roles the schema cannot state (a built-in
// function's hostile role), are printed commented out: feeding the file
// back must change nothing, and an inferred entry pinned in a file would no
// longer follow the code.
func writeKB(w io.Writer, patterns, learn []string, known []*cfuncs.Func, unknown []string) {
	fmt.Fprintf(w, "# cgolint kb %s\n", strings.Join(patterns, " "))
	fmt.Fprintf(w, "#\n# The roles cgolint uses for the C functions these packages call, and where\n")
	fmt.Fprintf(w, "# each comes from. Review and edit, then: cgolint -config=<this file> ./...\n")
	fmt.Fprintf(w, "# An entry here replaces the built-in or shipped entry of the same name.\n")
	if len(learn) > 0 {
		fmt.Fprintf(w, "learn: [%s]\n", strings.Join(learn, ", "))
	}
	fmt.Fprintf(w, "functions:")
	if len(known) == 0 {
		fmt.Fprintf(w, " []")
	}
	fmt.Fprintln(w)
	for _, f := range known {
		spec, ok := config.SpecOf(f)
		prefix := "  "
		switch {
		case f.Origin == cfuncs.OriginPreamble || f.Origin == cfuncs.OriginHeader || f.Origin == cfuncs.OriginGIR:
			fmt.Fprintf(w, "  # %s: %s; uncomment to pin it\n", f.Name, source(f))
			prefix = "  # "
		case !ok:
			fmt.Fprintf(w, "  # %s: %s; not configurable: %s\n", f.Name, source(f), unstated(f))
			prefix = "  # "
		default:
			fmt.Fprintf(w, "  # %s: %s\n", f.Name, source(f))
		}
		writeSpec(w, prefix, spec)
	}
	if len(unknown) > 0 {
		fmt.Fprintf(w, "\n# Called, but unknown to cgolint: it assumes they borrow (neither free nor\n")
		fmt.Fprintf(w, "# keep their arguments; a result is not the caller's to free). Declare those that do more.\n")
		for _, name := range unknown {
			fmt.Fprintf(w, "#   %s\n", name)
		}
	}
}

// unstated names the roles of f that a configuration cannot state.
func unstated(f *cfuncs.Func) string {
	var parts []string
	if f.Hostile != cfuncs.NotHostile {
		parts = append(parts, "hostile to the Go runtime ("+f.Hostile.String()+")")
	}
	if f.OnStack >= 0 {
		parts = append(parts, "handler flags")
	}
	if f.Allocates && len(f.AllocOut) > 0 {
		parts = append(parts, "owned result and out-parameters")
	}
	if len(parts) == 0 {
		parts = append(parts, "roles outside the schema")
	}
	return strings.Join(parts, ", ")
}

// writeSpec prints one entry in the schema's key order.
func writeSpec(w io.Writer, prefix string, s config.FuncSpec) {
	fmt.Fprintf(w, "%s- name: %s\n", prefix, s.Name)
	kv := func(k, v string) { fmt.Fprintf(w, "%s  %s: %s\n", prefix, k, v) }
	list := func(k string, xs []int) {
		if len(xs) > 0 {
			strs := make([]string, len(xs))
			for i, x := range xs {
				strs[i] = strconv.Itoa(x)
			}
			kv(k, "["+strings.Join(strs, ", ")+"]")
		}
	}
	if s.Allocates != "" {
		kv("allocates", s.Allocates)
	}
	list("out", s.Out)
	if s.Family != "" {
		kv("family", s.Family)
	}
	list("frees", s.Frees)
	list("takes", s.Takes)
	list("keeps", s.Keeps)
	if s.Borrowed {
		kv("borrowed", "true")
	}
	if s.Blocks {
		kv("blocks", "true")
	}
	if s.ThreadAffine {
		kv("thread-affine", "true")
	}
	if s.ErrorNeutral {
		kv("error-neutral", "true")
	}
	if s.FreesOnError {
		kv("frees-on-error", "true")
	}
	if s.NoReturn {
		kv("noreturn", "true")
	}
	if s.Signal != "" {
		kv("signal", s.Signal)
		if s.SignalArg != nil {
			kv("signal-arg", strconv.Itoa(*s.SignalArg))
		}
		if len(s.Signals) > 0 {
			kv("signals", "["+strings.Join(slices.Clone(s.Signals), ", ")+"]")
		}
	}
}
