// Command cgolint reports the hazards of calling C from Go.
//
// Usage:
//
//	cgolint [flags] packages          # standalone
//	go vet -vettool=$(which cgolint) [flags] packages
//	cgolint help [check]              # list checks, or document one
//	cgolint kb packages > cgolint.yml # the knowledge used for their C calls
//
// One binary serves both: go vet runs it with a *.cfg argument, and it then
// analyses one package at a time as go vet's unit checker. Standalone, it
// loads the packages itself (go/packages) and drives the analysis with
// golang.org/x/tools/go/analysis/checker, so that it owns the output (text,
// -json, -format=sarif), the errors and the exit codes.
//
// Run 'cgolint help' for the flags and exit codes.
package main

import (
	"os"
	"strings"
)

// subcommands are the words cgolint takes as its first argument instead of
// a flag or a package pattern. Each returns the exit code.
var subcommands = map[string]func(args []string) int{
	"help": help,
	"kb":   func(args []string) int { return kbMain(args, os.Stdout, os.Stderr) },
}

func main() {
	args := os.Args[1:]
	if len(args) > 0 {
		if cmd, ok := subcommands[args[0]]; ok {
			os.Exit(cmd(args[1:]))
		}
	}
	if vetMode(args) {
		runVet()
		return // not reached: the unit checker exits
	}
	os.Exit(standalone(args))
}

// vetMode reports whether go vet runs us: it passes a single *.cfg file
// (or asks for our flags with -flags).
func vetMode(args []string) bool {
	for _, a := range args {
		if strings.HasSuffix(a, ".cfg") || a == "-flags" || a == "--flags" {
			return true
		}
	}
	return false
}
