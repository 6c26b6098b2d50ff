package main

import (
	"flag"
	"fmt"

	"github.com/cgolint/cgolint/passes/config"
)

// registerCFlags defines the C front end's flags on fs, for the standalone
// driver and under go vet alike: -cdebug says what the front end could not
// read in each package, and why (its C functions are then unknown, so
// silent); -ccache=off turns off the on-disk cache of what the package's C
// code does (under os.UserCacheDir()/cgolint; CGOLINT_CACHE=off in the
// environment does the same).
func registerCFlags(fs *flag.FlagSet, cfg *config.Config) {
	fs.BoolVar(&cfg.CDebug, "cdebug", false, "say what the C front end could not read, and why")
	fs.Func("ccache", "`on` or off: the on-disk cache of what the package's C code does", func(v string) error {
		switch v {
		case "on":
			cfg.CNoCache = false
		case "off":
			cfg.CNoCache = true
		default:
			return fmt.Errorf("want on or off, not %q", v)
		}
		return nil
	})
}
