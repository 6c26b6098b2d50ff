package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/cgolint/cgolint/analyzers"
)

func main() {
	os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr))
}

// config is the harness's command line.
type config struct {
	cgolint string
	mirrors string
	cache   string
	rows    []string
	only    *regexp.Regexp
	verbose bool
	timeout time.Duration // per cgolint run; 0 for none
	conf    string        // cgolint -config file (absolute), or ""

	// runs memoizes cgolint's output per tree, package, build tags and
	// environment: rows that share a fix and a package share the two runs,
	// whatever their checks.
	runs map[string]*rawRun
}

// Main runs the harness and returns the exit code: 0 when every selected
// row was scored (detected, missed or load error), 1 when the harness
// could not run (missing mirrors, malformed rows, no cgolint), 2 for usage.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("history", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cgolint := fs.String("cgolint", "", "the cgolint `binary` to score (default: build ./cmd/cgolint of this checkout)")
	mirrors := fs.String("mirrors", "/work/.mirror", "`directory` of bare git mirrors, one per repository as owner+name/repo")
	cache := fs.String("cache", defaultCache(), "`directory` for extracted trees, kept between runs")
	rows := fs.String("rows", "", "comma-separated rows `files` (default: bench/history/rows*.yml of this checkout)")
	only := fs.String("only", "", "score only rows whose repo@fix matches this `regexp`")
	verbose := fs.Bool("v", false, "print each finding in the named functions")
	timeout := fs.Duration("timeout", 10*time.Minute, "stop a cgolint run on one tree after this `duration` and report the row as TIMEOUT (0: no limit)")
	conf := fs.String("config", "", "run cgolint with this configuration `file` (for example one with learn: [headers]) on every tree")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: go run ./bench/history [flags]\n\nScores cgolint on real fix commits; see bench/history/doc.go.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "history: unexpected arguments %q\n", fs.Args())
		return 2
	}
	cfg := &config{cgolint: *cgolint, mirrors: *mirrors, cache: *cache, verbose: *verbose, timeout: *timeout}
	if *conf != "" {
		abs, err := filepath.Abs(*conf)
		if err == nil {
			_, err = os.Stat(abs)
		}
		if err != nil {
			fmt.Fprintf(stderr, "history: -config: %v\n", err)
			return 2
		}
		cfg.conf = abs
	}
	if *only != "" {
		re, err := regexp.Compile(*only)
		if err != nil {
			fmt.Fprintf(stderr, "history: -only: %v\n", err)
			return 2
		}
		cfg.only = re
	}
	if *rows != "" {
		cfg.rows = strings.Split(*rows, ",")
	} else {
		root, err := checkoutRoot()
		if err != nil {
			fmt.Fprintf(stderr, "history: %v\n", err)
			return 1
		}
		cfg.rows, _ = filepath.Glob(filepath.Join(root, "bench", "history", "rows*.yml"))
		if len(cfg.rows) == 0 {
			fmt.Fprintf(stderr, "history: no rows files in %s\n", filepath.Join(root, "bench", "history"))
			return 1
		}
	}
	if err := run(cfg, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "history: %v\n", err)
		return 1
	}
	return 0
}

func defaultCache() string {
	if dir, err := os.UserCacheDir(); err == nil {
		return filepath.Join(dir, "cgolint-history")
	}
	return filepath.Join(os.TempDir(), "cgolint-history")
}

// checkoutRoot is the root of the cgolint checkout the harness runs from.
func checkoutRoot() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/cgolint/cgolint").Output()
	if err != nil {
		return "", fmt.Errorf("not inside the cgolint module (go list -m: %v); pass -rows and -cgolint", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// knownChecks are the names a row's check may take.
func knownChecks() map[string]bool {
	m := map[string]bool{"cgocall": true}
	for _, n := range analyzers.Names() {
		m[n] = true
	}
	return m
}

// A result is the score of one row.
type result struct {
	row          *Row
	err          error // load error (either tree), or a row that does not fit its tree
	buggy, fixed []finding
	notes        []string
}

func (r *result) detected() bool {
	return r.err == nil && len(r.buggy) > 0 && len(r.fixed) < len(r.buggy)
}

func run(cfg *config, stdout, stderr io.Writer) error {
	rows, err := loadRows(cfg.rows, knownChecks())
	if err != nil {
		return err
	}
	if cfg.only != nil {
		var sel []*Row
		for _, r := range rows {
			if cfg.only.MatchString(r.Repo + "@" + r.Fix) {
				sel = append(sel, r)
			}
		}
		rows = sel
	}
	if len(rows) == 0 {
		return errors.New("no rows selected")
	}
	// Every mirror first: a missing one stops the run before any work.
	mirrors := make(map[string]string)
	var missing []string
	for _, r := range rows {
		for _, repo := range append([]string{r.Repo}, r.depRepos()...) {
			if _, ok := mirrors[repo]; ok {
				continue
			}
			dir, err := mirrorDir(cfg.mirrors, repo)
			if err != nil {
				missing = append(missing, repo)
				mirrors[repo] = ""
				continue
			}
			mirrors[repo] = dir
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return fmt.Errorf("no bare git mirror under %s for: %s\n(get each with the fetch tool: github:owner/name)", cfg.mirrors, strings.Join(missing, ", "))
	}
	if cfg.cgolint == "" {
		bin, cleanup, err := buildCgolint()
		if err != nil {
			return err
		}
		defer cleanup()
		cfg.cgolint = bin
	} else if abs, err := filepath.Abs(cfg.cgolint); err == nil {
		cfg.cgolint = abs
	}
	if _, err := os.Stat(cfg.cgolint); err != nil {
		return fmt.Errorf("cgolint binary: %v", err)
	}
	fmt.Fprintf(stdout, "cgolint %s; %d rows from %s\n", cfg.cgolint, len(rows), strings.Join(cfg.rows, ", "))
	if cfg.conf != "" {
		fmt.Fprintf(stdout, "configuration %s\n", cfg.conf)
	}
	fmt.Fprintln(stdout)
	var results []*result
	for _, r := range rows {
		res := score(cfg, mirrors, r)
		printResult(stdout, res, cfg.verbose)
		results = append(results, res)
	}
	fmt.Fprintln(stdout)
	printTotals(stdout, results)
	return nil
}

// buildCgolint builds ./cmd/cgolint of this checkout into a temporary
// directory.
func buildCgolint() (string, func(), error) {
	root, err := checkoutRoot()
	if err != nil {
		return "", nil, err
	}
	dir, err := os.MkdirTemp("", "cgolint-history-bin")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	bin := filepath.Join(dir, "cgolint")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/cgolint")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("building cgolint: %v\n%s", err, out)
	}
	return bin, cleanup, nil
}

// score extracts the fix's parent and the fix, runs cgolint on the row's
// package in both, and counts the check's findings in the named functions.
func score(cfg *config, mirrors map[string]string, r *Row) *result {
	res := &result{row: r}
	mirror := mirrors[r.Repo]
	parent, err := commits(mirror, r.Fix)
	if err != nil {
		res.err = err
		return res
	}
	for i, commit := range []string{parent, r.Fix} {
		which := [...]string{"buggy", "fixed"}[i]
		tree, err := extract(cfg.cache, mirror, r.Repo, commit)
		if err != nil {
			res.err = fmt.Errorf("%s tree: %w", which, err)
			return res
		}
		if absent := absentSources(tree); len(absent) > 0 {
			res.notes = append(res.notes, fmt.Sprintf("%s tree: the mirror lacks %s", which, strings.Join(absent, ", ")))
		}
		file := filepath.Join(tree, filepath.FromSlash(r.File))
		spans, missingFuncs, err := funcSpans(file, r.Funcs)
		if err != nil {
			if i == 0 {
				res.err = fmt.Errorf("buggy tree: %v", err)
				return res
			}
			res.notes = append(res.notes, fmt.Sprintf("fixed tree: %v (counted as no findings)", err))
			continue
		}
		if len(missingFuncs) > 0 {
			if i == 0 {
				res.err = fmt.Errorf("buggy tree: %s does not declare %s", r.File, strings.Join(missingFuncs, ", "))
				return res
			}
			res.notes = append(res.notes, fmt.Sprintf("fixed tree: %s no longer declares %s", r.File, strings.Join(missingFuncs, ", ")))
		}
		p, err := prepare(tree, r, cfg.cache, mirrors)
		if err != nil {
			res.err = fmt.Errorf("%s tree: %w", which, err)
			return res
		}
		if i == 0 {
			res.notes = append(res.notes, p.notes...)
		}
		key := strings.Join([]string{p.modRoot, p.pattern, strings.Join(r.Tags, ","), strings.Join(r.Env, "\x01")}, "\x00")
		run, ok := cfg.runs[key]
		if !ok {
			run = runCgolint(cfg.cgolint, cfg.conf, p, r, cfg.timeout)
			if cfg.runs == nil {
				cfg.runs = make(map[string]*rawRun)
			}
			cfg.runs[key] = run
		}
		findings, err := run.findings(cfg.cgolint, r.Check)
		if err != nil {
			res.err = fmt.Errorf("%s tree (%s): %w", which, commit[:12], err)
			return res
		}
		got := inSpans(findings, r.Check, tree, r.File, spans)
		if i == 0 {
			res.buggy = got
		} else {
			res.fixed = got
		}
	}
	return res
}

func printResult(w io.Writer, res *result, verbose bool) {
	r := res.row
	head := fmt.Sprintf("%-40s %-15s %-10s %s %s", r.Short(), r.Category, r.Check, r.File, strings.Join(r.Funcs, ","))
	switch {
	case res.err != nil && isTimeout(res.err):
		fmt.Fprintf(w, "TIMEOUT    %s\n%s\n", head, indent(res.err.Error()))
	case res.err != nil:
		fmt.Fprintf(w, "LOAD ERROR %s\n%s\n", head, indent(res.err.Error()))
	case res.detected():
		fmt.Fprintf(w, "DETECTED   %s (buggy %d, fixed %d)\n", head, len(res.buggy), len(res.fixed))
	default:
		fmt.Fprintf(w, "MISSED     %s (buggy %d, fixed %d)\n", head, len(res.buggy), len(res.fixed))
	}
	for _, n := range res.notes {
		fmt.Fprintf(w, "           note: %s\n", n)
	}
	if verbose {
		for _, f := range res.buggy {
			fmt.Fprintf(w, "           buggy %s:%d [%s] %s\n", r.File, f.Line, f.Category, f.Message)
		}
		for _, f := range res.fixed {
			fmt.Fprintf(w, "           fixed %s:%d [%s] %s\n", r.File, f.Line, f.Category, f.Message)
		}
	}
}

func indent(s string) string {
	return "           " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n           ")
}

// printTotals prints detected / loaded per category and overall.
func printTotals(w io.Writer, results []*result) {
	type tally struct{ rows, loaded, detected int }
	per := make(map[string]*tally)
	var all tally
	timeouts := 0
	for _, res := range results {
		if res.err != nil && isTimeout(res.err) {
			timeouts++
		}
		t := per[res.row.Category]
		if t == nil {
			t = new(tally)
			per[res.row.Category] = t
		}
		for _, t := range []*tally{t, &all} {
			t.rows++
			if res.err == nil {
				t.loaded++
				if res.detected() {
					t.detected++
				}
			}
		}
	}
	fmt.Fprintf(w, "%-15s %8s %8s %6s\n", "category", "detected", "loaded", "rows")
	for _, c := range categories {
		if t := per[c]; t != nil {
			fmt.Fprintf(w, "%-15s %8d %8d %6d\n", c, t.detected, t.loaded, t.rows)
		}
	}
	fmt.Fprintf(w, "%-15s %8d %8d %6d\n", "total", all.detected, all.loaded, all.rows)
	if timeouts == 0 {
		fmt.Fprintf(w, "\ndetected / loaded: %d / %d (%d rows, %d load errors)\n", all.detected, all.loaded, all.rows, all.rows-all.loaded)
	} else {
		fmt.Fprintf(w, "\ndetected / loaded: %d / %d (%d rows, %d load errors, %d timeouts)\n", all.detected, all.loaded, all.rows, all.rows-all.loaded-timeouts, timeouts)
	}
}

// absentSources lists the Go, C and module files of tree whose blobs the
// mirror lacked.
func absentSources(tree string) []string {
	data, err := os.ReadFile(filepath.Join(tree, absentList))
	if err != nil {
		return nil
	}
	var out []string
	for _, p := range strings.Fields(string(data)) {
		switch filepath.Ext(p) {
		case ".go", ".c", ".h", ".cc", ".cpp", ".hpp", ".mod", ".sum":
			out = append(out, p)
		}
	}
	return out
}
