// Command cgolint reports the hazards of calling C from Go.
//
// Usage:
//
//	cgolint [flags] packages          # standalone
//	go vet -vettool=$(which cgolint) [flags] packages
//	cgolint help [check]              # list checks, or document one
//
// One binary serves both: go vet runs it with a *.cfg argument, and it then
// analyses one package at a time as go vet's unit checker.
//
// Flags, beyond the standard go/analysis ones (-json, -fix, -c=N, -diff, and
// -<check>=false to turn a check off):
//
//	-config=file   the cgolint configuration (YAML or JSON; see package
//	               github.com/cgolint/cgolint/passes/config)
//	-disable=list  checks or check/categories to turn off, comma-separated
//	               (cfree,lockthread/thread-affine), as the file's disable
//	-version       print cgolint's version and exit
//
// Exit codes: 0 no findings (always with -json); 1 a package could not be
// loaded or analysed (it does not type-check, a C header is missing, cgo is
// disabled so cgo files would be skipped, the configuration is malformed);
// 2 bad command-line usage; 3 findings were reported.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime/debug"
	"strings"

	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/cgolint/cgolint/analyzers"
	"github.com/cgolint/cgolint/passes/config"
)

func main() {
	cfg := new(config.Config)
	known := analyzers.Known()
	flag.Var(&configFlag{Flag: config.Flag{Cfg: cfg}, checks: known}, "config", "cgolint configuration `file` (YAML or JSON)")
	flag.Var(&config.DisableFlag{Cfg: cfg, Known: known}, "disable", "turn off checks or check/categories: `list` of names, comma-separated (as lockthread/thread-affine)")
	flag.BoolFunc("version", "print cgolint's version and exit", func(string) error {
		fmt.Println("cgolint", version())
		os.Exit(0)
		return nil
	})
	// A bad flag (a malformed -config file) gets its error and a pointer to
	// the docs, not the test-flag-laden dump of every flag.
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: cgolint [flags] packages\nRun 'cgolint help' for the checks and flags.\n")
	}
	if !vetMode(os.Args[1:]) {
		if err := requireCgo(); err != nil {
			fmt.Fprintf(os.Stderr, "cgolint: %v\n", err)
			os.Exit(1)
		}
	}
	multichecker.Main(analyzers.Suite(cfg)...)
}

// vetMode reports whether go vet runs us: it passes a single *.cfg file
// (or asks for our flags and version). Under vet, cindex reports each
// package whose cgo files were skipped.
func vetMode(args []string) bool {
	for _, a := range args {
		if strings.HasSuffix(a, ".cfg") || a == "-flags" || strings.HasPrefix(a, "-V") {
			return true
		}
	}
	return false
}

// requireCgo returns an error if cgo is disabled. The go command then drops
// every file that imports "C" without a word, and a clean report would be
// a lie: cgolint refuses to run instead.
func requireCgo() error {
	out, err := exec.Command("go", "env", "CGO_ENABLED").Output()
	if err != nil {
		return fmt.Errorf("cannot run 'go env CGO_ENABLED': %v", err)
	}
	if strings.TrimSpace(string(out)) != "1" {
		return errors.New(`cgo is disabled (CGO_ENABLED=0, or no C compiler was found): the go command would silently skip every file that imports "C", so cgolint cannot check them; set CGO_ENABLED=1 and install a C compiler (e.g. gcc)`)
	}
	return nil
}

// configFlag loads the configuration file and checks the names of the
// checks it disables against the suite.
type configFlag struct {
	config.Flag
	checks []string
}

func (f *configFlag) Set(path string) error {
	if err := f.Flag.Set(path); err != nil {
		return err
	}
	return f.Cfg.Validate(f.checks)
}

// version returns the module version cgolint was built from.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
