package ssaflow

import (
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/passes/cfuncs"
)

// TypeDestructor reports whether a call of the C function fname with args
// releases args[i] by the type-based pairing rule: args[i] is the call's
// only pointer argument (the others are counts or flags), it points to a
// named C type T, and the function is named after T with a release verb
// (any of cfuncs.IsReleaseVerb's: this pairing only may release), before
// or after it (git_repository_free(git_repository *),
// sqlite3_finalize(sqlite3_stmt *), virTypedParamsFree(virTypedParameterPtr,
// int), xmlFreeDoc(xmlDocPtr)). A function named after another type, or
// given other pointers, is not: x_user_delete(x_db *db, const char *name)
// deletes a record, and leveldb_delete(db, options, key, ...) a key.
func TypeDestructor(fname string, args []ssa.Value, i int) bool {
	if i < 0 || i >= len(args) {
		return false
	}
	for j, a := range args {
		if j != i && isPointerArg(Unconvert(a).Type()) {
			return false
		}
	}
	stem := cTypeStem(args[i].Type())
	if stem == "" {
		return false
	}
	words := NameWords(fname)
	if len(words) < 2 {
		return false
	}
	var subject string
	switch {
	case cfuncs.IsReleaseVerb(words[len(words)-1]):
		subject = strings.Join(words[:len(words)-1], "")
	case cfuncs.IsReleaseVerb(words[1]) && len(words) > 2:
		subject = words[0] + strings.Join(words[2:], "") // xmlFreeDoc: xml + doc
	default:
		return false
	}
	return namesType(subject, stem)
}

// namesType reports whether a function's subject (its name without the
// release verb, lower case, no underscores) names the type stem: the same,
// one a prefix of the other up to a plural or a suffix of the type
// (sqlite3_finalize of sqlite3_stmt; virTypedParams of virTypedParameter).
func namesType(subject, stem string) bool {
	if subject == "" {
		return false
	}
	if subject == stem || strings.HasPrefix(stem, subject) {
		return true
	}
	n := 0
	for n < len(subject) && n < len(stem) && subject[n] == stem[n] {
		n++
	}
	// virtypedparams / virtypedparameter: all but a plural's last letters.
	return n >= 4 && n >= len(subject)-1
}

// cTypeStem returns the name of the C type that t points to, lower case
// without underscores and without the decorations of C type names (cgo's
// _Ctype_ and struct_, a _t or _s suffix, a Ptr typedef), or "" when t is
// not a pointer to a named C type (char, void, an integer: no type names a
// function after it).
func cTypeStem(t types.Type) string {
	var name string
	if n, ok := types.Unalias(t).(*types.Named); ok && strings.HasPrefix(n.Obj().Name(), "_Ctype_") {
		if _, isPtr := n.Underlying().(*types.Pointer); isPtr {
			name = n.Obj().Name() // a pointer typedef: xmlDocPtr
		}
	}
	if name == "" {
		p, ok := t.Underlying().(*types.Pointer)
		if !ok {
			return ""
		}
		n, ok := types.Unalias(p.Elem()).(*types.Named)
		if !ok || !strings.HasPrefix(n.Obj().Name(), "_Ctype_") {
			return ""
		}
		if _, isBasic := n.Underlying().(*types.Basic); isBasic {
			return "" // char, int, void...
		}
		name = n.Obj().Name()
	}
	name = strings.TrimPrefix(name, "_Ctype_")
	name = strings.TrimPrefix(name, "struct_")
	name = strings.TrimSuffix(name, "Ptr")
	name = strings.TrimSuffix(name, "_t")
	name = strings.TrimSuffix(name, "_s")
	switch name {
	case "", "void", "char", "uchar", "schar":
		return ""
	}
	return strings.ToLower(strings.ReplaceAll(name, "_", ""))
}

// isPointerArg reports whether an argument of a C call may carry a pointer.
func isPointerArg(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Pointer, *types.Slice, *types.Signature:
		return true
	case *types.Basic:
		return u.Kind() == types.UnsafePointer || u.Kind() == types.Uintptr
	}
	return false
}

// NameWords splits a C name at underscores and lower-to-upper case
// changes, in lower case: git_repository_free -> git, repository, free;
// xmlFreeDoc -> xml, free, doc.
func NameWords(name string) []string {
	var words []string
	start := 0
	for i := 1; i <= len(name); i++ {
		if i == len(name) || name[i] == '_' || (name[i] >= 'A' && name[i] <= 'Z' && name[i-1] >= 'a' && name[i-1] <= 'z') {
			if w := strings.ToLower(strings.Trim(name[start:i], "_")); w != "" {
				words = append(words, w)
			}
			start = i
		}
	}
	return words
}
