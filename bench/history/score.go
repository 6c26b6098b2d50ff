package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// A finding is one diagnostic of cgolint's -json output.
type finding struct {
	Check    string
	File     string // absolute, as cgolint printed it
	Line     int
	Category string `json:"category"`
	Posn     string `json:"posn"`
	Message  string `json:"message"`
}

// A rawRun is one cgolint -json run on one tree and package: its output,
// kept whole, so rows of other checks on the same tree reuse it.
type rawRun struct {
	stdout, stderr []byte
	err            error // the run's exit error; an errTimeout if it was stopped
}

// runCgolint runs cgolint -json on the prepared package, with the
// configuration file conf unless it is "". A run longer than timeout (0: no
// limit) is stopped, with its children, and its err is an errTimeout.
func runCgolint(cgolint, conf string, p *prepared, r *Row, timeout time.Duration) *rawRun {
	args := []string{"-json", "-test=false"}
	if conf != "" {
		args = append(args, "-config="+conf)
	}
	cmd, ctx, cancel := commandWithTimeout(timeout, cgolint, append(args, p.pattern)...)
	defer cancel()
	cmd.Dir = p.modRoot
	cmd.Env = goEnv(r)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	if runErr != nil && ctx.Err() == context.DeadlineExceeded {
		runErr = &errTimeout{what: "cgolint " + p.pattern, after: timeout}
	}
	return &rawRun{stdout: stdout.Bytes(), stderr: stderr.Bytes(), err: runErr}
}

// findings returns the findings of every check in a run. A package that
// cgolint could not load or analyse (it exits 1, or prints an error for
// check) is an error whose text is cgolint's error, from the JSON output or
// the end of its stderr.
func (run *rawRun) findings(cgolint, check string) ([]finding, error) {
	runErr := run.err
	if isTimeout(runErr) {
		return nil, runErr
	}
	if runErr != nil {
		if _, ok := runErr.(*exec.ExitError); !ok {
			return nil, fmt.Errorf("running %s: %v", cgolint, runErr)
		}
	}
	stdout, stderr := bytes.NewBuffer(run.stdout), bytes.NewBuffer(run.stderr)
	// {"pkgpath": {"check": [diagnostics] or {"error": "..."}}}
	var tree map[string]map[string]json.RawMessage
	if stdout.Len() > 0 {
		if err := json.Unmarshal(stdout.Bytes(), &tree); err != nil {
			return nil, fmt.Errorf("cgolint -json printed something else than JSON (%v):\n%s", err, lastLines(stdout.String(), 5))
		}
	}
	if runErr != nil && len(tree) == 0 {
		return nil, fmt.Errorf("cgolint: %v\n%s", runErr, lastLines(stderr.String(), 12))
	}
	for _, pkg := range sortedKeys(tree) {
		checks := tree[pkg]
		if raw, ok := checks[check]; ok {
			var e struct {
				Error string `json:"error"`
			}
			if json.Unmarshal(raw, &e) == nil && e.Error != "" {
				return nil, fmt.Errorf("package %s: %s: %s\n%s", pkg, check, e.Error, lastLines(stderr.String(), 12))
			}
		}
	}
	var out []finding
	seen := make(map[string]bool)
	for _, pkg := range sortedKeys(tree) {
		checks := tree[pkg]
		for _, name := range sortedKeys(checks) {
			var diags []finding
			if json.Unmarshal(checks[name], &diags) != nil {
				continue // an {"error": ...} of another check
			}
			for _, d := range diags {
				d.Check = name
				file, line, ok := splitPosn(d.Posn)
				if !ok {
					continue
				}
				d.File, d.Line = file, line
				key := name + "\x00" + d.Posn + "\x00" + d.Message
				if !seen[key] {
					seen[key] = true
					out = append(out, d)
				}
			}
		}
	}
	if runErr != nil && !hasCheck(tree, check) {
		return nil, fmt.Errorf("cgolint: %v\n%s", runErr, lastLines(jsonErrors(tree)+stderr.String(), 12))
	}
	return out, nil
}

// jsonErrors returns the load errors cgolint -json reports in the output
// itself ({"pkg": {"cgolint": {"error": "..."}}}), one package after
// another.
func jsonErrors(tree map[string]map[string]json.RawMessage) string {
	var b strings.Builder
	for _, pkg := range sortedKeys(tree) {
		for _, name := range sortedKeys(tree[pkg]) {
			var e struct {
				Error string `json:"error"`
			}
			if json.Unmarshal(tree[pkg][name], &e) == nil && e.Error != "" {
				fmt.Fprintf(&b, "%s: %s\n", pkg, strings.TrimSpace(e.Error))
			}
		}
	}
	return b.String()
}

func hasCheck(tree map[string]map[string]json.RawMessage, check string) bool {
	for _, checks := range tree {
		if _, ok := checks[check]; ok {
			return true
		}
	}
	return false
}

// splitPosn splits file:line:col (or file:line) into the file and line.
func splitPosn(posn string) (string, int, bool) {
	nums := 0
	rest := posn
	var line int
	for nums < 2 {
		i := strings.LastIndexByte(rest, ':')
		if i < 0 {
			break
		}
		n, err := strconv.Atoi(rest[i+1:])
		if err != nil {
			break
		}
		line, rest = n, rest[:i]
		nums++
	}
	if nums == 0 || rest == "" {
		return "", 0, false
	}
	return rest, line, true
}

// A span is the lines of one named function in one file.
type span struct {
	name       string
	start, end int
}

// funcSpans parses file and returns the line range of each named function.
// Names are Name for a function and (*T).Method or (T).Method for a method
// (either receiver form matches either spelling). missing lists the names
// the file does not declare.
func funcSpans(file string, names []string) (spans []span, missing []string, err error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, nil, err
	}
	decls := make(map[string]*ast.FuncDecl)
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok {
			decls[funcKey(fd)] = fd
		}
	}
	for _, name := range names {
		fd, ok := decls[normalizeFuncName(name)]
		if !ok {
			missing = append(missing, name)
			continue
		}
		spans = append(spans, span{name, fset.Position(fd.Pos()).Line, fset.Position(fd.End()).Line})
	}
	return spans, missing, nil
}

// funcKey is T.Method for a method (pointer or not) and Name for a function.
func funcKey(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
			continue
		case *ast.ParenExpr:
			t = x.X
			continue
		case *ast.IndexExpr:
			t = x.X
			continue
		case *ast.IndexListExpr:
			t = x.X
			continue
		case *ast.Ident:
			return x.Name + "." + fd.Name.Name
		}
		return "?." + fd.Name.Name
	}
}

// normalizeFuncName turns (*T).M and (T).M into T.M.
func normalizeFuncName(name string) string {
	m := funcRE.FindStringSubmatch(name)
	if m == nil || m[3] == "" {
		return name
	}
	return m[3] + "." + m[4]
}

// inSpans returns the findings of check positioned in file within spans.
// tree is the extracted tree root; a finding's file is compared by its path
// relative to the tree (cgolint prints absolute paths, perhaps through a
// symbolic link of the tree's directory).
func inSpans(findings []finding, check, tree, file string, spans []span) []finding {
	roots := []string{tree}
	if r, err := filepath.EvalSymlinks(tree); err == nil && r != tree {
		roots = append(roots, r)
	}
	var out []finding
	for _, f := range findings {
		if f.Check != check || !sameFile(f.File, roots, file) {
			continue
		}
		for _, s := range spans {
			if s.start <= f.Line && f.Line <= s.end {
				out = append(out, f)
				break
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

func sameFile(abs string, roots []string, rel string) bool {
	for _, root := range roots {
		if r, err := filepath.Rel(root, abs); err == nil && filepath.ToSlash(r) == filepath.ToSlash(filepath.Clean(rel)) {
			return true
		}
	}
	return false
}

// An errTimeout is a command the harness stopped after the per-row limit:
// the row is reported as TIMEOUT, not as a load error.
type errTimeout struct {
	what  string
	after time.Duration
}

func (e *errTimeout) Error() string {
	return fmt.Sprintf("%s ran longer than %v and was stopped", e.what, e.after)
}

func isTimeout(err error) bool {
	var t *errTimeout
	return errors.As(err, &t)
}

// commandWithTimeout is exec.Command in a process group of its own that is
// killed whole (cgolint runs go list, which runs cgo and the C compiler)
// once timeout has passed; timeout 0 means no limit.
func commandWithTimeout(timeout time.Duration, name string, args ...string) (*exec.Cmd, context.Context, context.CancelFunc) {
	ctx, cancel := context.Background(), context.CancelFunc(func() {})
	if timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, timeout)
	}
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		// go/packages starts go list in a process group of its own:
		// kill every descendant, then the group.
		for _, pid := range descendants(cmd.Process.Pid) {
			syscall.Kill(-pid, syscall.SIGKILL)
			syscall.Kill(pid, syscall.SIGKILL)
		}
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	cmd.WaitDelay = 10 * time.Second
	return cmd, ctx, cancel
}

// descendants returns the processes below pid (from /proc, Linux only;
// none elsewhere), children before their own children.
func descendants(pid int) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	children := make(map[int][]int)
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		data, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces and parentheses.
		rest := string(data)
		if i := strings.LastIndexByte(rest, ')'); i >= 0 {
			rest = rest[i+1:]
		}
		f := strings.Fields(rest)
		if len(f) < 2 {
			continue
		}
		if ppid, err := strconv.Atoi(f[1]); err == nil {
			children[ppid] = append(children[ppid], p)
		}
	}
	var out []int
	queue := []int{pid}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range children[p] {
			out = append(out, c)
			queue = append(queue, c)
		}
	}
	return out
}
