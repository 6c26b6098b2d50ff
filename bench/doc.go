// Package bench holds cgolint's Go benchmarks (run with
// `go test -run='^$' -bench=. ./bench`); the benchmark harness is run.sh,
// the floor driver is command bench/floor, the synthetic module generator
// is command bench/synth, the real modules are in the nested module
// bench/corpus, and command bench/history scores cgolint's recall on real
// fix commits (rows in bench/history/rows*.yml). See BENCHMARKS.md at the
// repository root.
package bench
