// Command history scores cgolint's recall on real bugs: commits that fixed
// a cgo hazard in a public repository, listed as data in
// bench/history/rows*.yml.
//
// Usage (from the repository root; the machine is shared, so nice it):
//
//	nice -n 10 go run ./bench/history [-cgolint=bin] [-mirrors=/work/.mirror]
//		[-cache=dir] [-rows=a.yml,b.yml] [-only=regexp] [-timeout=10m]
//		[-config=cgolint.yml] [-v]
//
// -config runs cgolint with that configuration on every tree: the way to
// score the opt-in knowledge sources (a file with learn: [headers]).
//
// For each row the harness takes the bare git mirror of the repository
// (mirrors/owner+name/repo, as the fetch tool lays them out; a run with a
// missing mirror stops before any work and names every missing one),
// extracts the fix's first parent (the buggy tree) and the fix into
// cache/trees/owner+name/<commit> (kept between runs), fetches the module's
// dependencies through the module proxy (go mod download; a GOPATH-era tree
// without go.mod gets a temporary one, completed by go mod tidy -e, and the
// output says so), and runs cgolint -json -test=false on the row's package
// in both trees, with GOFLAGS=-mod=mod, GOTOOLCHAIN=local, GOWORK=off and the
// row's build tags. It counts the findings of the row's check that lie in
// the named functions of the named file (their line ranges from go/parser).
//
// A row is DETECTED when the buggy tree has a finding there and the fixed
// tree has fewer, MISSED otherwise, and a LOAD ERROR (with cgolint's error)
// when either tree could not be analysed or the row does not fit its tree.
// A cgolint run on one tree that outlives -timeout (10 minutes by default;
// cgo's type-checking of a large C library can take longer on a loaded
// machine) is stopped with the processes it started, and the row is a
// TIMEOUT: not loaded, and counted apart from the load errors. The go
// commands that prepare a tree are stopped after 10 minutes too.
// The output ends with detected / loaded per category and overall.
//
// The harness never builds or tests the repositories: running cgolint on
// them (which runs cgo to type-check) is the measurement. Without -cgolint
// it builds ./cmd/cgolint of this checkout into a temporary directory.
// Snapshots in the mirrors may lack large files; the harness extracts what
// is there (git ls-tree and cat-file, not git archive, which stops at the
// first missing blob) and notes missing Go or C sources.
//
// # Rows
//
// A rows file is a YAML list; keys may be added, never renamed:
//
//	# bench/history/rows*.yml
//	- repo: owner/name                 # GitHub repository
//	  fix: <40-hex full hash>          # the fix commit; its first parent is the buggy tree
//	  module: example.com/mod          # module path at that commit ("" if GOPATH-era without go.mod)
//	  package: sub/dir                 # package directory inside the repository ("." for root)
//	  file: sub/dir/file.go            # file that held the bug (in the buggy tree)
//	  funcs: [Name, (*T).Method]       # function(s) that held the bug
//	  category: leak                   # leak | double-free | use-after-free | escape | lockthread | thread-affine | keepalive | finalizer | signal | blocking | hostile
//	  check: cfree                     # the cgolint check that should find it
//	  tags: []                         # build tags needed, optional
//	  debs: [libfoo-dev]               # Debian packages with the C headers, optional
//	  env: [CGO_CFLAGS=-I/usr/include/foo] # extra environment for go and cgolint, optional
//	  deps:                            # GOPATH-era trees only, optional:
//	    example.com/dep: owner/dep@<40-hex> # a dependency the module proxy does not serve
//	  note: one line on the bug and why the fix fixes it
//
// A dependency named in deps is extracted from its bare mirror at that
// commit (given a go.mod if it has none) and the temporary go.mod requires
// and replaces it there, so old trees whose untagged dependencies the proxy
// refuses (403 "not available") still load. Pick the dependency's commit
// nearest before the fix's date.
//
// Each row is verified by reading the fix's diff: the bug is on the Go side
// of the cgo boundary. The repositories of the independent check listed in
// issue 14 (libgit2/git2go, mattn/go-sqlite3, ...) are never used here.
// The figures are in BENCHMARKS.md.
package main
