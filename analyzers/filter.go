package analyzers

import (
	"flag"
	"fmt"
	"reflect"
	"sync"

	"golang.org/x/tools/go/analysis"

	"github.com/cgolint/cgolint/internal/ignore"
	"github.com/cgolint/cgolint/passes/config"
)

// filter returns a copy of check whose Run is the one place where every
// driver applies the user's choices to its findings, so that no check can
// forget one:
//   - a check turned off (by the configuration's disable, or by the
//     driver's -<check>=false flag) does not run at all;
//   - a finding whose check/category is disabled is dropped;
//   - a finding positioned in a file the configuration excludes is dropped;
//   - a finding that a //cgolint:ignore directive covers is dropped, and
//     the directive is recorded as used.
//
// The copy's result is an *ignore.Usage, for the directive check. check
// must have no result of its own.
func filter(check *analysis.Analyzer, cfg *config.Config, off func(string) bool) *analysis.Analyzer {
	if check.ResultType != nil {
		panic(fmt.Sprintf("analyzers: %s has a result; the suite's filter replaces it", check.Name))
	}
	w := *check
	name, run := check.Name, check.Run
	w.ResultType = reflect.TypeFor[*ignore.Usage]()
	w.Run = func(pass *analysis.Pass) (any, error) {
		usage := new(ignore.Usage)
		if !cfg.Enabled(name) || off(name) {
			usage.Skipped = true
			return usage, nil
		}
		report := pass.Report
		// The package's directives are read at the first finding: most
		// packages have none (the standard library, plain Go), and each
		// check would read them all again.
		built := false
		index := sync.OnceValue(func() *ignore.Index {
			built = true
			return ignore.NewIndex(pass.Fset, pass.Files)
		})
		pass.Report = func(d analysis.Diagnostic) {
			switch {
			case cfg.Disabled(name, d.Category),
				cfg.Excluded(pass.Fset.Position(d.Pos).Filename),
				index().Suppress(d.Pos, name, d.Category):
				return
			}
			report(d)
		}
		defer func() { pass.Report = report }()
		if _, err := run(pass); err != nil {
			return nil, err
		}
		if built {
			usage.Used = index().UsedPos()
		}
		return usage, nil
	}
	return &w
}

// flagsOff returns a function that reports whether the driver's flags turn
// a check off, as the go/analysis drivers (multichecker, go vet's unit
// checker) read them: if any -<check> flag is true, only those checks run;
// otherwise the checks whose -<check> flag is false do not. The filter then
// skips the check even when it runs as the directive check's prerequisite,
// where the driver would only hide its findings. It reads the process's
// flag.CommandLine once parsed; in golangci-lint, which defines no such
// flags, it turns nothing off.
func flagsOff(names []string) func(string) bool {
	var once sync.Once
	var off map[string]bool
	return func(name string) bool {
		once.Do(func() {
			if !flag.Parsed() {
				return
			}
			set := map[string]string{}
			flag.Visit(func(f *flag.Flag) { set[f.Name] = f.Value.String() })
			hasTrue := false
			for _, n := range names {
				if set[n] == "true" {
					hasTrue = true
				}
			}
			off = map[string]bool{}
			for _, n := range names {
				v, isSet := set[n]
				off[n] = (hasTrue && v != "true") || (!hasTrue && isSet && v == "false")
			}
		})
		return off[name]
	}
}
