package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// A Row is one real bug: the commit that fixed it, and where it lived in the
// fix's first parent (the buggy tree). The YAML keys are a shared format
// (bench/history/rows*.yml): add optional keys, never rename these.
type Row struct {
	Repo     string   `yaml:"repo"`     // GitHub owner/name
	Fix      string   `yaml:"fix"`      // full hash of the fix commit
	Module   string   `yaml:"module"`   // module path at that commit ("" if GOPATH-era)
	Package  string   `yaml:"package"`  // package directory in the repository ("." for root)
	File     string   `yaml:"file"`     // file that held the bug, in the buggy tree
	Funcs    []string `yaml:"funcs"`    // Name, (*T).Method or (T).Method
	Category string   `yaml:"category"` // see categories
	Check    string   `yaml:"check"`    // the cgolint check that should find it
	Tags     []string `yaml:"tags"`     // build tags, optional
	Debs     []string `yaml:"debs"`     // Debian packages with the C headers, optional
	Note     string   `yaml:"note"`

	// Env is extra environment for the go commands and cgolint, KEY=VALUE
	// (e.g. CGO_CFLAGS=-I/usr/include/hdf5/serial), optional.
	Env []string `yaml:"env"`
	// Deps maps an import path of a GOPATH-era tree's dependency that the
	// module proxy does not serve to owner/name@<40-hex commit>: the
	// harness extracts that commit from the bare mirror and points the
	// temporary go.mod at it with a replace directive. Optional.
	Deps map[string]string `yaml:"deps"`

	// Source is the rows file and index the row came from, for messages.
	Source string `yaml:"-"`
}

// categories are the kinds of bug a row may have.
var categories = []string{
	"leak", "double-free", "use-after-free", "escape", "lockthread",
	"thread-affine", "keepalive", "finalizer", "signal", "blocking", "hostile",
}

var (
	hashRE = regexp.MustCompile(`^[0-9a-f]{40}$`)
	repoRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$`)
	envRE  = regexp.MustCompile(`^[A-Z_][A-Z0-9_]*=`)
	depRE  = regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)@([0-9a-f]{40})$`)
	funcRE = regexp.MustCompile(`^(\((\*?)([A-Za-z_][A-Za-z0-9_]*)\)\.)?([A-Za-z_][A-Za-z0-9_]*)$`)
)

// Short names the row in one token: owner/name@hash[:8].
func (r *Row) Short() string {
	return r.Repo + "@" + r.Fix[:min(8, len(r.Fix))]
}

// validate reports the first thing wrong with r, given the known checks.
func (r *Row) validate(checks map[string]bool) error {
	switch {
	case !repoRE.MatchString(r.Repo):
		return fmt.Errorf("repo %q is not owner/name", r.Repo)
	case !hashRE.MatchString(r.Fix):
		return fmt.Errorf("fix %q is not a full 40-hex lowercase commit hash", r.Fix)
	case r.Package == "":
		return fmt.Errorf("package is empty (use \".\" for the repository root)")
	case r.File == "" || filepath.IsAbs(r.File) || strings.HasPrefix(filepath.Clean(r.File), ".."):
		return fmt.Errorf("file %q is not a path inside the repository", r.File)
	case len(r.Funcs) == 0:
		return fmt.Errorf("funcs is empty")
	case !contains(categories, r.Category):
		return fmt.Errorf("category %q is not one of %s", r.Category, strings.Join(categories, ", "))
	case !checks[r.Check]:
		return fmt.Errorf("check %q is not a cgolint check (%s)", r.Check, strings.Join(sortedKeys(checks), ", "))
	}
	for _, f := range r.Funcs {
		if !funcRE.MatchString(f) {
			return fmt.Errorf("func %q is not Name, (*T).Method or (T).Method", f)
		}
	}
	for _, e := range r.Env {
		if !envRE.MatchString(e) {
			return fmt.Errorf("env %q is not KEY=VALUE", e)
		}
	}
	if len(r.Deps) > 0 && r.Module != "" {
		return fmt.Errorf("deps is only for GOPATH-era trees (module \"\")")
	}
	for path, dep := range r.Deps {
		if path == "" || strings.ContainsAny(path, " \t=>") {
			return fmt.Errorf("deps: %q is not an import path", path)
		}
		if !depRE.MatchString(dep) {
			return fmt.Errorf("deps: %s: %q is not owner/name@<40-hex commit>", path, dep)
		}
	}
	return nil
}

// depRepos returns the repositories of r's deps.
func (r *Row) depRepos() []string {
	var out []string
	for _, path := range sortedKeys(r.Deps) {
		out = append(out, depRE.FindStringSubmatch(r.Deps[path])[1])
	}
	return out
}

// loadRows reads every rows file and validates each row.
func loadRows(files []string, checks map[string]bool) ([]*Row, error) {
	var rows []*Row
	var errs []string
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		var rs []*Row
		if err := yaml.Unmarshal(data, &rs); err != nil {
			return nil, fmt.Errorf("%s: %v", file, err)
		}
		for i, r := range rs {
			r.Source = fmt.Sprintf("%s row %d", file, i+1)
			if err := r.validate(checks); err != nil {
				errs = append(errs, fmt.Sprintf("%s (%s): %v", r.Source, r.Repo, err))
				continue
			}
			rows = append(rows, r)
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("malformed rows:\n\t%s", strings.Join(errs, "\n\t"))
	}
	return rows, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
