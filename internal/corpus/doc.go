// Package corpus holds cgolint's robustness tests on real code: cgolint run
// over every package of real cgo modules (the nested module bench/corpus)
// and of a generated module, checked for crashes, positions in generated or
// cached files, nondeterministic output and disagreement with go vet.
//
//	CGOLINT_CORPUS=1 go test -count=1 -v ./internal/corpus
package corpus
