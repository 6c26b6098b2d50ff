package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/cgolint/cgolint/analyzers"
	"github.com/cgolint/cgolint/passes/config"
)

// runVet serves go vet -vettool: go vet asks for our flags (-flags), then
// runs us once per package with a *.cfg file, in the package's directory;
// x/tools' unit checker does that work. Ours are -config (a relative path
// resolved against the directory go vet was started in) and -V. Errors go
// through the log package: each distinct one is printed once; an analysis
// error ends the run at once (see exitOnError).
func runVet() {
	cfg := new(config.Config)
	known := analyzers.Known() // checks and check/category names
	flag.Var(&configFlag{Flag: config.Flag{Cfg: cfg}, checks: known, vet: true}, "config", "cgolint configuration `file` (YAML or JSON)")
	flag.Var(&config.DisableFlag{Cfg: cfg, Known: known}, "disable", "turn off checks or check/categories: `list` of names, comma-separated (as lockthread/thread-affine)")
	registerCFlags(flag.CommandLine, cfg)
	flag.Var(versionFlag{}, "V", "print cgolint's version and exit (-V=full adds the build ID go vet keys its cache on)")
	log.SetOutput(&onceWriter{w: os.Stderr})
	flag.Usage = func() {} // the flag error says it all; go vet ran us
	for _, name := range []string{"config", "disable", "ccache"} {
		f := flag.Lookup(name)
		f.Value = vetFlagValue{Value: f.Value, name: name}
	}
	// go vet passes its -tags on to the tool (the unit checker declares the
	// flag, and ignores it): from its command line, else from GOFLAGS. They
	// decide whether a file that uses cgo was dropped for want of cgo or by
	// its constraints.
	setBuildTags(vetTags(os.Args[1:]))
	suite := analyzers.Suite(cfg)
	exitOnError(suite)
	multichecker.Main(suite...)
}

// exitOnError makes an analysis error end the vet run of the package at
// once: printed on stderr, exit status 1. The unit checker would go on, and
// under -json (which go vet passes since Go 1.26) put every analyzer's
// error in the JSON and exit 0. Two things then go wrong. The go command
// prints only the first error of that JSON, in map order: every check of
// the package fails with the same error (that of the C-call index they
// share), but the directive check, which requires them all, fails with
// "failed prerequisites: cblocking, ...", and that echo was printed
// instead of the cause one time in eight. And the go command caches the
// run as a success before it reads the JSON, so the next go vet of the
// unchanged package said nothing and exited 0: a dropped cgo file was
// checked "clean". Here the first check to fail prints its error and
// exits before the directive check can run, and a tool that exits
// non-zero is not cached.
func exitOnError(suite []*analysis.Analyzer) {
	var mu sync.Mutex
	for _, a := range suite {
		run := a.Run
		a.Run = func(pass *analysis.Pass) (any, error) {
			res, err := run(pass)
			if err != nil {
				mu.Lock() // held until exit: one error printed
				log.Print(err)
				os.Exit(1)
			}
			return res, err
		}
	}
}

// vetFlagValue is a flag whose bad value is reported once per go vet, not
// once per package (go vet runs cgolint for every package, dependencies
// included: some fifty runs for a module that imports only fmt, each with
// the same flags and so the same error). See vetFlagFailed.
type vetFlagValue struct {
	flag.Value
	name string
}

func (v vetFlagValue) Set(s string) error {
	if err := v.Value.Set(s); err != nil {
		vetFlagFailed(fmt.Errorf("invalid value %q for flag -%s: %v", s, v.name, err))
	}
	return nil
}

// vetFlagFailed ends the run for a bad flag value. The runs of one go vet
// share its work directory ($WORK, the parent of the directory of the vet
// config file it passes), which the go command removes when it ends: the
// first run to fail creates a file there, prints the error and exits 2; the
// runs that find the file exit 0 at once, with no output and no facts, so
// the go command prints the error once, fails, and caches nothing (it
// caches a run only with its facts). Outside such a directory (an unusual
// config file name), every run prints it.
func vetFlagFailed(err error) {
	if work := vetWorkDir(os.Args[1:]); work != "" {
		f, ferr := os.OpenFile(filepath.Join(work, "cgolint-flag-error"), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if errors.Is(ferr, fs.ErrExist) {
			os.Exit(0) // another run of this go vet printed it
		}
		if ferr == nil {
			f.Close()
		}
	}
	fmt.Fprintf(os.Stderr, "cgolint: %v\n", err)
	os.Exit(2)
}

// vetWorkDir returns the go command's work directory that holds the vet
// config file in args ($WORK/b001/vet.cfg), or "".
func vetWorkDir(args []string) string {
	for _, a := range args {
		if filepath.Base(a) != "vet.cfg" || !filepath.IsAbs(a) {
			continue
		}
		work := filepath.Dir(filepath.Dir(a))
		if strings.HasPrefix(filepath.Base(work), "go-build") {
			return work
		}
	}
	return ""
}

// vetTags returns the build tags of the last -tags flag in args (-tags=a,b,
// -tags 'a b', --tags ...) and whether there is one, even an empty one.
// The go command (1.26) passes the -tags of GOFLAGS as "-tags=<TagsFlag>"
// (its flag's String method): that is no tag, and GOFLAGS is in our
// environment anyway.
func vetTags(args []string) (tags []string, ok bool) {
	for i := 0; i < len(args); i++ {
		if args[i] == "--" || !strings.HasPrefix(args[i], "-") {
			continue
		}
		name, v, hasValue := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		if name != "tags" {
			continue
		}
		if !hasValue {
			if i+1 == len(args) {
				break
			}
			i++
			v = args[i]
		}
		if v == "<TagsFlag>" {
			continue
		}
		tags, ok = splitTags(v), true
	}
	return tags, ok
}

// onceWriter writes each distinct log line once.
type onceWriter struct {
	w    io.Writer
	mu   sync.Mutex
	seen map[string]bool
}

func (o *onceWriter) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	line := string(bytes.TrimSpace(p))
	if o.seen[line] {
		return len(p), nil
	}
	if o.seen == nil {
		o.seen = make(map[string]bool)
	}
	o.seen[line] = true
	return o.w.Write(p)
}

// vetStartPath resolves a relative -config path given to go vet. go vet
// runs cgolint in each package's directory, so the path is meant relative
// to the directory go vet was started in: the working directory of our
// parent process, the go command (unless -toolexec put another program
// between them). Where that cannot be known, it fails with an error that says to
// give an absolute path.
func vetStartPath(path string) (string, error) {
	if dir := goCommandDir(); dir != "" {
		abs := filepath.Join(dir, path)
		if _, err := os.Stat(abs); err != nil {
			return "", fmt.Errorf("%s: no such file in %s, the directory go vet was started in (go vet runs cgolint in each package's directory, so a relative -config is resolved there)", path, dir)
		}
		return abs, nil
	}
	return "", errors.New(path + ": a relative -config path cannot be resolved under go vet here (it runs cgolint in each package's directory); give an absolute path, e.g. -config=$PWD/" + path)
}

// goCommandDir returns the working directory of the go command that runs
// us, or "" if it cannot be known.
func goCommandDir() string {
	proc := goCommandProc()
	if proc == "" {
		return ""
	}
	dir, err := os.Readlink(proc + "/cwd")
	if err != nil || !filepath.IsAbs(dir) {
		return ""
	}
	return dir
}

// goCommandProc returns the /proc directory of our parent process if it is
// the go command, or "" if that cannot be known (not Linux, or a -toolexec
// program between us).
func goCommandProc() string {
	if runtime.GOOS != "linux" {
		return ""
	}
	proc := "/proc/" + strconv.Itoa(os.Getppid())
	if exe, err := os.Readlink(proc + "/exe"); err != nil || !strings.HasPrefix(filepath.Base(exe), "go") {
		return ""
	}
	return proc
}

// goCommandFlag returns the value of the flag -name (or --name, as -name=v
// or -name v) on the command line of the go command that runs us, before
// its package arguments; "" if it has none or it cannot be known. The last
// one wins, as with the flag package.
func goCommandFlag(name string) string {
	proc := goCommandProc()
	if proc == "" {
		return ""
	}
	data, err := os.ReadFile(proc + "/cmdline")
	if err != nil {
		return ""
	}
	args := strings.Split(strings.TrimSuffix(string(data), "\x00"), "\x00")
	value := ""
	for i := 1; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if !strings.HasPrefix(a, "-") {
			continue // the subcommand (vet) or a package pattern
		}
		a = strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		if v, ok := strings.CutPrefix(a, name+"="); ok {
			value = v
		} else if a == name && i+1 < len(args) {
			i++
			value = args[i]
		}
	}
	return value
}
