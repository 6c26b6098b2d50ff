// Command golangci-lint is golangci-lint v2 with cgolint's module plugin
// built in: what `golangci-lint custom` produces, built offline from the
// module proxy instead of a clone of golangci-lint's repository.
//
// It calls golangci-lint's own entry point (package pkg/commands) and
// copies none of its source.
package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"github.com/golangci/golangci-lint/v2/pkg/commands"
	"github.com/golangci/golangci-lint/v2/pkg/exitcodes"

	_ "github.com/cgolint/cgolint/plugin"
)

func main() {
	info := commands.BuildInfo{Version: "unknown", Commit: "cgolint-gcl", Date: "(unknown)", GoVersion: "unknown"}
	if bi, ok := debug.ReadBuildInfo(); ok {
		info.GoVersion = bi.GoVersion
		for _, dep := range bi.Deps {
			if dep.Path == "github.com/golangci/golangci-lint/v2" {
				info.Version = strings.TrimPrefix(dep.Version, "v") + "-custom-cgolint"
			}
		}
	}
	if err := commands.Execute(info); err != nil {
		fmt.Fprintf(os.Stderr, "The command is terminated due to an error: %v\n", err)
		os.Exit(exitcodes.Failure)
	}
}
