// Package corpus holds cgolint's robustness tests on real and generated
// code: cgolint run over every package of real cgo modules (the nested
// module bench/corpus) and of generated modules, checked for crashes,
// positions in generated or cached files, nondeterministic -json output and
// disagreement between the standalone and go vet drivers.
//
//	go test -count=1 ./internal/corpus                     # TestShapes, fixed seeds (~15 s)
//	CGOLINT_SHAPES=20 go test -count=1 -run Shapes ./internal/corpus  # 20 more random seeds
//	CGOLINT_CORPUS=1 go test -count=1 -v ./internal/corpus # plus the real modules (minutes)
//
// TestShapes runs in the default test run; TestCorpus needs the module proxy
// (or a warm module cache) and runs only with CGOLINT_CORPUS=1.
package corpus
