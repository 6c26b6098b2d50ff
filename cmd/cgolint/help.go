package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/cgolint/cgolint/analyzers"
	"github.com/cgolint/cgolint/passes/config"
)

const helpText = `cgolint reports the hazards of calling C from Go: C memory never freed,
freed twice or used after free; C pointers kept beyond their owner's life;
OS-thread affinity; signal handlers that fight the Go runtime; blocking C
calls; finalizers that run at the wrong time; C calls the runtime cannot
survive.

Usage:

	cgolint [flags] packages                          standalone
	go vet -vettool=$(which cgolint) [flags] packages  one package at a time, cached
	cgolint help [check]                              this text, or one check's docs

Checks (each is also a flag: -cfree runs only the checks named so,
-cfree=false runs all but it; 'cgolint help <check>' for its categories,
with bad and good examples):

%s
Flags:

%s
Exit codes:

	0  no findings (with -json or -format=sarif: the analysis ran)
	1  a package could not be loaded or analysed: it does not type-check, a
	   pattern matches nothing, a C header or the C compiler is missing, or
	   cgo is disabled and a file that uses cgo would be skipped
	2  bad flags or a malformed configuration file
	3  findings were reported (text output; with -fix, findings that have
	   no certain fix remain)

'go run' reports any non-zero exit of the program as 1: run the installed
binary (go install github.com/cgolint/cgolint/cmd/cgolint@latest) to see 3.

Suppress a finding with '//cgolint:ignore <check> <reason>' on its line or
the line above. Documentation: https://pkg.go.dev/github.com/cgolint/cgolint
`

// help prints cgolint's help, or the documentation of one check.
func help(args []string) int {
	suite := analyzers.Suite(new(config.Config))
	switch len(args) {
	case 0:
		printHelp(os.Stdout, suite)
		return exitClean
	case 1:
		for _, a := range suite {
			if a.Name == args[0] {
				printCheckHelp(os.Stdout, a)
				return exitClean
			}
		}
		fmt.Fprintf(os.Stderr, "cgolint help: no check named %q; the checks are %s\n", args[0], strings.Join(analyzers.Names(), ", "))
		return exitUsage
	}
	fmt.Fprintf(os.Stderr, "usage: cgolint help [check]\n")
	return exitUsage
}

func printHelp(w io.Writer, suite []*analysis.Analyzer) {
	var checks strings.Builder
	for _, a := range suite {
		fmt.Fprintf(&checks, "\t%-11s %s\n", a.Name, summary(a))
	}
	// The flags as the standalone driver defines them.
	fs := flag.NewFlagSet("cgolint", flag.ContinueOnError)
	saved := flag.CommandLine
	flag.CommandLine = fs
	registerFlags(analyzers.Suite(new(config.Config)), new(config.Config), &options{})
	flag.CommandLine = saved
	var flags strings.Builder
	fs.SetOutput(&flags)
	fs.VisitAll(func(f *flag.Flag) {
		if strings.Contains(f.Name, ".") || isCheck(suite, f.Name) {
			return // check flags are listed with their check
		}
		switch f.Name {
		case "debug", "cpuprofile", "memprofile":
			return // for cgolint's developers
		}
		name, usage := flag.UnquoteUsage(f)
		fmt.Fprintf(&flags, "\t-%s", f.Name)
		if name != "" {
			fmt.Fprintf(&flags, "=%s", name)
		}
		fmt.Fprintf(&flags, "\n\t\t%s\n", usage)
	})
	fmt.Fprintf(w, helpText, checks.String(), flags.String())
}

// summary returns the first line of an analyzer's Doc.
func summary(a *analysis.Analyzer) string {
	s, _, _ := strings.Cut(a.Doc, "\n")
	return s
}

func isCheck(suite []*analysis.Analyzer, name string) bool {
	for _, a := range suite {
		if a.Name == name {
			return true
		}
	}
	return false
}

func printCheckHelp(w io.Writer, a *analysis.Analyzer) {
	fmt.Fprintf(w, "%s: %s\n", a.Name, strings.TrimSpace(a.Doc))
	first := true
	a.Flags.VisitAll(func(f *flag.Flag) {
		if first {
			fmt.Fprintf(w, "\nFlags:\n\n")
			first = false
		}
		name, usage := flag.UnquoteUsage(f)
		fmt.Fprintf(w, "\t-%s.%s", a.Name, f.Name)
		if name != "" {
			fmt.Fprintf(w, "=%s", name)
		}
		fmt.Fprintf(w, "\n\t\t%s\n", usage)
	})
	if a.URL != "" {
		fmt.Fprintf(w, "\nDocumentation: %s\n", a.URL)
	}
}
