package ssaflow

import (
	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/passes/cindex"
)

// An ArgUse is what a C call does with a value it is passed, by the roles
// the knowledge base gives the callee's parameters.
type ArgUse uint8

// The uses, weakest first.
const (
	Borrows ArgUse = iota // reads it during the call only
	Keeps                 // holds it after the call (putenv)
	Takes                 // takes ownership: C releases it later
	Frees                 // releases it
)

// ArgUseOf returns what the C call c does with v, passed as one or more of
// its arguments: at each position that passes v, Frees if the callee frees
// that parameter, else Takes if it takes it, else Keeps if it keeps it (a
// later position that frees or takes wins over an earlier one; keeping
// wins only over borrowing). A callee the knowledge base does not know, or
// a call that does not pass v, borrows.
func ArgUseOf(c *cindex.Call, v ssa.Value) ArgUse {
	use := Borrows
	for i, a := range c.Args {
		if a != v {
			continue
		}
		switch {
		case c.Info.FreesArg(i):
			use = Frees
		case c.Info.TakesArg(i):
			use = Takes
		case c.Info.KeepsArg(i) && use == Borrows:
			use = Keeps
		}
	}
	return use
}
