package cfree

import (
	"go/types"
	"regexp"
	"strings"

	"github.com/cgolint/cgolint/passes/cindex"
)

// A C function that passes a deallocator as a function pointer (the
// destructor argument of sqlite3_result_text, sqlite3_bind_blob,
// g_object_set_data_full...) hands the memory it is given to the library,
// which frees it later. cfree treats such calls as taking ownership of
// their pointer arguments: a Go call that passes C.free itself here; a C
// function of the package whose body does it has Takes inferred by the C
// front end (package csrc).

var (
	goFnPtrRE = regexp.MustCompile(`_Cfpvar_fp_(\w+)|\bC\.(\w+)\b`)
)

// passesDeallocatorArg reports whether a Go call of a C function passes a
// deallocator such as C.free as one of its arguments.
func (r *runner) passesDeallocatorArg(c *cindex.Call) bool {
	if c.Syntax == nil {
		return false
	}
	for _, a := range c.Syntax.Args {
		for _, m := range goFnPtrRE.FindAllStringSubmatch(types.ExprString(a), -1) {
			name := m[1] + m[2]
			if f := r.idx.KB().Lookup(name); f.IsDeallocator() && !strings.Contains(types.ExprString(a), name+"(") {
				return true
			}
		}
	}
	return false
}
