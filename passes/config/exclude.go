package config

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// A pattern is one compiled exclude pattern: its path elements.
type pattern struct {
	elems    []string // "**" or a path.Match pattern without "/"
	anyDepth bool     // the pattern had no "/": it matches at any depth
}

// compilePattern checks an exclude pattern and splits it into elements.
// The rules are in the package doc (# Excluding paths).
func compilePattern(p string) (pattern, error) {
	switch {
	case p == "":
		return pattern{}, errors.New("empty pattern")
	case strings.Contains(p, `\`):
		return pattern{}, fmt.Errorf("pattern %q: use / to separate path elements (a backslash is not allowed)", p)
	case strings.HasPrefix(p, "/") || filepath.IsAbs(p):
		return pattern{}, fmt.Errorf("pattern %q is absolute; patterns are relative to the module root (the directory of go.mod)", p)
	}
	trimmed := strings.TrimSuffix(strings.TrimPrefix(p, "./"), "/")
	if trimmed == "" || trimmed == "." {
		return pattern{}, fmt.Errorf("pattern %q matches the whole module; disable checks instead", p)
	}
	pt := pattern{anyDepth: !strings.Contains(trimmed, "/")}
	for _, e := range strings.Split(trimmed, "/") {
		switch {
		case e == "" || e == ".":
			return pattern{}, fmt.Errorf("pattern %q has an empty or . path element", p)
		case e == "..":
			return pattern{}, fmt.Errorf("pattern %q leaves the module (..)", p)
		case e == "**":
			pt.elems = append(pt.elems, e)
			continue
		case strings.Contains(e, "**"):
			return pattern{}, fmt.Errorf("pattern %q: ** must be a whole path element (a/**/b), not part of %q", p, e)
		}
		if _, err := path.Match(e, ""); err != nil {
			return pattern{}, fmt.Errorf("pattern %q: malformed element %q (%v)", p, e, err)
		}
		pt.elems = append(pt.elems, e)
	}
	return pt, nil
}

// matches reports whether the pattern matches the slash-separated path rel
// (relative to the module root) or one of its parent directories.
func (pt pattern) matches(rel string) bool {
	elems := strings.Split(rel, "/")
	if pt.anyDepth {
		for _, e := range elems {
			if ok, _ := path.Match(pt.elems[0], e); ok {
				return true
			}
		}
		return false
	}
	for n := len(elems); n > 0; n-- {
		if matchElems(pt.elems, elems[:n]) {
			return true
		}
	}
	return false
}

// matchElems matches pattern elements against path elements; "**" matches
// zero or more path elements.
func matchElems(pat, elems []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(elems); i++ {
				if matchElems(pat[1:], elems[i:]) {
					return true
				}
			}
			return false
		}
		if len(elems) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], elems[0]); !ok {
			return false
		}
		pat, elems = pat[1:], elems[1:]
	}
	return len(elems) == 0
}

// patterns returns c's compiled exclude patterns. Parse has checked them;
// a Config built in code with a bad pattern has that pattern ignored (see
// ValidateExclude).
func (c *Config) patterns() []pattern {
	if p := c.excl.Load(); p != nil {
		return *p
	}
	var ps []pattern
	for _, s := range c.Exclude {
		if pt, err := compilePattern(s); err == nil {
			ps = append(ps, pt)
		}
	}
	c.excl.CompareAndSwap(nil, &ps)
	return *c.excl.Load()
}

// ValidateExclude reports the malformed patterns of c.Exclude (Parse and
// FromSettings already reject them; this is for a Config built in code).
func (c *Config) ValidateExclude() error {
	if c == nil {
		return nil
	}
	var errs []error
	for i, s := range c.Exclude {
		if _, err := compilePattern(s); err != nil {
			errs = append(errs, fmt.Errorf("exclude[%d]: %v", i, err))
		}
	}
	return errors.Join(errs...)
}

// Excluded reports whether findings in the named file are dropped by c's
// exclude patterns. A relative filename is taken relative to the current
// directory (go vet runs its tool in the package's directory and may name
// files relative to it). The file's path is matched relative to its module
// root, the nearest directory above it that holds a go.mod; a file outside
// any module is matched by patterns without "/" alone.
func (c *Config) Excluded(filename string) bool {
	if c == nil || len(c.Exclude) == 0 || filename == "" {
		return false
	}
	ps := c.patterns()
	if len(ps) == 0 {
		return false
	}
	abs, err := filepath.Abs(filename)
	if err != nil {
		return false
	}
	rel, inModule := filepath.Base(abs), false
	if root := c.moduleRoot(filepath.Dir(abs)); root != "" {
		if r, err := filepath.Rel(root, abs); err == nil {
			rel, inModule = filepath.ToSlash(r), true
		}
	}
	for _, pt := range ps {
		if (inModule || pt.anyDepth) && pt.matches(rel) {
			return true
		}
	}
	return false
}

// moduleRoot returns the nearest directory at or above dir that holds a
// go.mod file, or "" if there is none. Results are cached per directory.
func (c *Config) moduleRoot(dir string) string {
	if r, ok := c.roots.Load(dir); ok {
		return r.(string)
	}
	root := ""
	for d := dir; ; {
		if st, err := os.Stat(filepath.Join(d, "go.mod")); err == nil && !st.IsDir() {
			root = d
			break
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	c.roots.Store(dir, root)
	return root
}
