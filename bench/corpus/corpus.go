// Package corpus is cgolint's benchmark and corpus module: it requires the
// real modules that bench/run.sh and internal/corpus analyse, so that
// `go mod download` fetches them through the module proxy. It is a module of
// its own (never part of cgolint's build) and contains no code but imports.
package corpus

import (
	// A real cgo module, self-contained (bundled SQLite amalgamation).
	_ "github.com/mattn/go-sqlite3"
	// A module without cgo: the SSA builder and its helpers.
	_ "golang.org/x/tools/go/ssa"
	_ "golang.org/x/tools/go/ssa/ssautil"
)
