package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// mirrorDir returns the bare git directory of repo under root: the fetch
// tool's layout root/owner+name/repo, or root/owner+name itself when that is
// a bare repository.
func mirrorDir(root, repo string) (string, error) {
	base := filepath.Join(root, strings.Replace(repo, "/", "+", 1))
	for _, dir := range []string{filepath.Join(base, "repo"), base} {
		if isBareGit(dir) {
			return dir, nil
		}
	}
	return "", fmt.Errorf("no bare git mirror of %s at %s (fetch github:%s)", repo, base, repo)
}

func isBareGit(dir string) bool {
	for _, f := range []string{"HEAD", "objects"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			return false
		}
	}
	return true
}

// git runs git on the bare repository dir and returns its trimmed output.
func git(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"--git-dir=" + dir}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

// commits resolves the fix and its first parent in the mirror.
func commits(mirror, fix string) (parent string, err error) {
	if _, err := git(mirror, "rev-parse", "--verify", "--quiet", fix+"^{commit}"); err != nil {
		return "", fmt.Errorf("commit %s is not in the mirror %s", fix, mirror)
	}
	parent, err = git(mirror, "rev-parse", "--verify", "--quiet", fix+"^1")
	if err != nil {
		return "", fmt.Errorf("commit %s has no parent", fix)
	}
	return parent, nil
}

// extract returns a directory holding the tree of commit, extracting it
// into cache/trees/<repo>/<commit> unless a previous run completed it. The tree is a plain copy: nothing of it is built or run.
func extract(cache, mirror, repo, commit string) (string, error) {
	dir := filepath.Join(cache, "trees", strings.Replace(repo, "/", "+", 1), commit)
	done := filepath.Join(dir, ".cgolint-history-complete")
	if _, err := os.Stat(done); err == nil {
		return dir, nil
	}
	if err := os.RemoveAll(dir); err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	absent, err := writeTree(mirror, commit, dir)
	if err != nil {
		return "", err
	}
	if len(absent) > 0 {
		// The mirror lacks some blobs (snapshots drop files of 4 MiB and
		// more); record them so a load error can be explained.
		list := strings.Join(absent, "\n") + "\n"
		if err := os.WriteFile(filepath.Join(dir, absentList), []byte(list), 0o644); err != nil {
			return "", err
		}
	}
	return dir, os.WriteFile(done, nil, 0o644)
}

// absentList names the file, in an extracted tree, that lists the paths
// whose blobs the mirror lacks.
const absentList = ".cgolint-history-absent"

// writeTree writes the files of commit into dir: git ls-tree for the paths,
// git cat-file --batch for the contents (git archive stops at the first
// blob the mirror lacks). Submodules are skipped; it returns the paths whose
// blobs are missing.
func writeTree(mirror, commit, dir string) (absent []string, err error) {
	list, err := exec.Command("git", "--git-dir="+mirror, "ls-tree", "-r", "-z", "--full-tree", commit).Output()
	if err != nil {
		return nil, fmt.Errorf("git ls-tree %s: %v", commit, err)
	}
	type entry struct{ mode, sha, path string }
	var entries []entry
	var shas bytes.Buffer
	for _, rec := range strings.Split(string(list), "\x00") {
		meta, path, ok := strings.Cut(rec, "\t")
		if !ok {
			continue
		}
		f := strings.Fields(meta) // mode type sha
		if len(f) != 3 || f[1] != "blob" {
			continue // a submodule (commit) has no content here
		}
		entries = append(entries, entry{f[0], f[2], path})
		shas.WriteString(f[2] + "\n")
	}
	cat := exec.Command("git", "--git-dir="+mirror, "cat-file", "--batch")
	cat.Stdin = &shas
	out, err := cat.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cat.Start(); err != nil {
		return nil, err
	}
	defer cat.Wait()
	r := bufio.NewReader(out)
	for _, e := range entries {
		header, err := r.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("git cat-file: %v", err)
		}
		h := strings.Fields(header) // sha type size, or sha missing
		if len(h) == 2 && h[1] == "missing" {
			absent = append(absent, e.path)
			continue
		}
		if len(h) != 3 {
			return nil, fmt.Errorf("git cat-file: unexpected %q", header)
		}
		size, err := strconv.Atoi(h[2])
		if err != nil {
			return nil, fmt.Errorf("git cat-file: unexpected %q", header)
		}
		data := make([]byte, size+1) // content and a newline
		if _, err := io.ReadFull(r, data); err != nil {
			return nil, fmt.Errorf("git cat-file: %v", err)
		}
		data = data[:size]
		name := filepath.Join(dir, filepath.FromSlash(e.path))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return nil, err
		}
		switch e.mode {
		case "120000":
			err = os.Symlink(string(data), name)
		case "100755":
			err = os.WriteFile(name, data, 0o755)
		default:
			err = os.WriteFile(name, data, 0o644)
		}
		if err != nil {
			return nil, err
		}
	}
	return absent, nil
}

// A prepared tree is ready for cgolint: its module root, the package
// pattern relative to that root, and what was done to get there.
type prepared struct {
	modRoot string
	pattern string
	notes   []string
}

// goEnv is the environment of every go command the harness runs in an
// extracted tree: no workspace, no toolchain switch, go.mod and go.sum
// updated as needed (the tree is a scratch copy), the vendor directory
// ignored (old vendor trees rarely match their go.mod), the row's build
// tags and extra environment.
func goEnv(r *Row) []string {
	flags := "-mod=mod"
	if len(r.Tags) > 0 {
		flags += " -tags=" + strings.Join(r.Tags, ",")
	}
	env := []string{}
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); k == "GOFLAGS" || k == "GOWORK" || k == "GOTOOLCHAIN" || k == "CGO_ENABLED" || k == "GO111MODULE" {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "GOFLAGS="+flags, "GOWORK=off", "GOTOOLCHAIN=local", "CGO_ENABLED=1", "GO111MODULE=on")
	return append(env, r.Env...)
}

// prepare finds the module that holds the row's package in tree and fetches
// its dependencies through the module proxy (go mod download). A
// GOPATH-era tree (no go.mod between the package and the tree root) gets a
// temporary go.mod at its root, with the row's module path (or
// github.com/owner/name), completed by go mod tidy -e; the row's deps are
// extracted from their mirrors and replace their import paths there.
func prepare(tree string, r *Row, cache string, mirrors map[string]string) (*prepared, error) {
	pkgDir := filepath.Join(tree, filepath.FromSlash(r.Package))
	if fi, err := os.Stat(pkgDir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("package directory %s is not in the tree", r.Package)
	}
	p := new(prepared)
	modRoot, err := findModuleRoot(tree, pkgDir)
	if err != nil {
		return nil, err
	}
	env := goEnv(r)
	if modRoot == "" {
		modRoot = tree
		path := r.Module
		if path == "" {
			path = "github.com/" + r.Repo
		}
		gomod := filepath.Join(tree, "go.mod")
		marker := filepath.Join(tree, ".cgolint-history-gomod")
		content := fmt.Sprintf("module %s\n\ngo 1.16\n", path)
		for _, dep := range sortedKeys(r.Deps) {
			dir, err := depTree(cache, mirrors, dep, r.Deps[dep])
			if err != nil {
				return nil, err
			}
			content += fmt.Sprintf("\nrequire %s v0.0.0-00010101000000-000000000000\nreplace %s => %s\n", dep, dep, dir)
			p.notes = append(p.notes, fmt.Sprintf("dependency %s from the mirror of %s", dep, r.Deps[dep]))
		}
		// The marker holds the go.mod the tidy started from: a row with
		// other deps redoes it.
		if old, err := os.ReadFile(marker); err != nil || string(old) != content {
			if err := os.WriteFile(gomod, []byte(content), 0o644); err != nil {
				return nil, err
			}
			os.Remove(filepath.Join(tree, "go.sum"))
			if out, err := runIn(tree, env, "go", "mod", "tidy", "-e"); err != nil {
				return nil, fmt.Errorf("go mod tidy -e in the temporary module: %w\n%s", err, lastLines(out, 10))
			}
			if err := os.WriteFile(marker, []byte(content), 0o644); err != nil {
				return nil, err
			}
		}
		p.notes = append([]string{fmt.Sprintf("GOPATH-era tree: temporary go.mod (module %s)", path)}, p.notes...)
	} else if out, err := runIn(modRoot, env, "go", "mod", "download"); err != nil {
		return nil, fmt.Errorf("go mod download: %w\n%s", err, lastLines(out, 10))
	}
	rel, err := filepath.Rel(modRoot, pkgDir)
	if err != nil {
		return nil, err
	}
	p.modRoot = modRoot
	p.pattern = "./" + filepath.ToSlash(rel)
	return p, nil
}

// depTree extracts the commit of a row's dependency (owner/name@hash) from
// its mirror and gives it a go.mod naming path if it has none; it returns
// the directory.
func depTree(cache string, mirrors map[string]string, path, dep string) (string, error) {
	m := depRE.FindStringSubmatch(dep)
	repo, commit := m[1], m[2]
	if _, err := git(mirrors[repo], "rev-parse", "--verify", "--quiet", commit+"^{commit}"); err != nil {
		return "", fmt.Errorf("dependency %s: commit %s is not in the mirror %s", path, commit, mirrors[repo])
	}
	dir, err := extract(cache, mirrors[repo], repo, commit)
	if err != nil {
		return "", fmt.Errorf("dependency %s: %v", path, err)
	}
	gomod := filepath.Join(dir, "go.mod")
	if _, err := os.Stat(gomod); errors.Is(err, fs.ErrNotExist) {
		if err := os.WriteFile(gomod, []byte(fmt.Sprintf("module %s\n\ngo 1.16\n", path)), 0o644); err != nil {
			return "", err
		}
	}
	return dir, nil
}

// findModuleRoot returns the nearest directory from pkgDir up to tree that
// holds a go.mod, or "" if none does.
func findModuleRoot(tree, pkgDir string) (string, error) {
	for dir := pkgDir; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			if _, err := os.Stat(filepath.Join(dir, ".cgolint-history-gomod")); err == nil {
				return "", nil // ours, from a previous run
			}
			return dir, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		if dir == tree || len(dir) <= len(tree) {
			return "", nil
		}
	}
}

// runIn runs a command in dir with env and returns its combined output. It
// stops the command after goTimeout (an errTimeout).
func runIn(dir string, env []string, name string, args ...string) (string, error) {
	cmd, ctx, cancel := commandWithTimeout(goTimeout, name, args...)
	defer cancel()
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil && ctx.Err() == context.DeadlineExceeded {
		return string(out), &errTimeout{what: name + " " + strings.Join(args, " "), after: goTimeout}
	}
	return string(out), err
}

// goTimeout bounds each go command (mod tidy, mod download) the harness
// runs to prepare a tree: the module proxy may hang.
const goTimeout = 10 * time.Minute

// lastLines returns at most n trailing lines of s, indented.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"..."}, lines[len(lines)-n:]...)
	}
	return "\t" + strings.Join(lines, "\n\t")
}
