package cfuncs

import (
	"sort"
	"strings"
	"unicode"

	"modernc.org/cc/v4"
)

// OriginHeader marks entries learned from C declarations (HeaderFuncs):
// compiler attributes and type-based pairing. It sits below the shipped data
// and the configuration, which KB.Fill lets win.
const OriginHeader Origin = OriginLibrary + 1

// HeaderFuncs learns roles from the function declarations of a translated
// translation unit (the headers a cgo preamble includes), for the functions
// that base does not know. Every entry has Origin OriginHeader and Source
// the declaring file. Two sources, anything less certain stays unknown:
//
//   - GCC attributes: malloc(dealloc, i) on a function returning a pointer
//     makes it an allocator released by dealloc (glibc 2.34 and later marks
//     fopen with fclose, strdup with free this way; __builtin_free is free).
//     A bare malloc attribute names no deallocator and teaches nothing.
//     noreturn, or C11's _Noreturn, says that a call never returns (a
//     library's fatal-error function): the caller's path ends there.
//   - Types: for a struct or opaque type T (typedef name or tag, a trailing
//     _t dropped), a function named the type's stem plus a certain release
//     verb (verbs.go: x_free, x_destroy, xUnref, ...) whose only parameter
//     is a T * is T's release function; the name must be exactly stem + verb, so
//     x_user_delete(x *db, const char *name) deletes a record, not db, and
//     of several (virDomainFree, virDomainDestroy) the first verb of
//     releaseVerbs wins.
//     A struct whose fields the header shows can live in the caller's
//     memory, and its "release" function may free only what it holds
//     (zmq_msg_close(&msg), git_message_trailer_array_free(&arr)): it is
//     T's release function only if some function hands T objects out.
//     When T has a release function R, a function returning a non-const
//     T * and taking no pointer to another object type constructs one
//     released by R (git_commit_owner(const git_commit *) returns a
//     repository it does not own), and a non-const T ** parameter of a
//     function given no object (no pointer to a struct or opaque type)
//     is an out-parameter that hands one back (x_open(x **out)): an
//     iterator's next (git_config_next(&entry, iter)) hands back what the
//     iterator owns. A function
//     returning const T * returns a borrowed pointer. A function with a
//     char ** parameter (RocksDB's errptr) reports failure there, not in a
//     status the caller's check would show: its results stay unknown.
func HeaderFuncs(ast *cc.AST, base *KB) []*Func {
	if ast == nil || ast.TranslationUnit == nil {
		return nil
	}
	type decl struct {
		d        *cc.Declarator
		ft       *cc.FunctionType
		attrs    []*cc.AttributeValue
		noreturn bool // _Noreturn
	}
	var decls []decl
	seen := make(map[string]bool)
	add := func(d *cc.Declarator, ds *cc.DeclarationSpecifiers, lists ...*cc.AttributeSpecifierList) {
		if d == nil || seen[d.Name()] {
			return
		}
		ft, ok := d.Type().(*cc.FunctionType)
		if !ok {
			return
		}
		seen[d.Name()] = true
		var attrs []*cc.AttributeValue
		for _, l := range append(lists, specAttrs(ds)...) {
			for ; l != nil; l = l.AttributeSpecifierList {
				if l.AttributeSpecifier == nil {
					continue
				}
				for v := l.AttributeSpecifier.AttributeValueList; v != nil; v = v.AttributeValueList {
					if v.AttributeValue != nil {
						attrs = append(attrs, v.AttributeValue)
					}
				}
			}
		}
		decls = append(decls, decl{d, ft, attrs, hasNoreturnSpec(ds)})
	}
	for tu := ast.TranslationUnit; tu != nil; tu = tu.TranslationUnit {
		ed := tu.ExternalDeclaration
		if ed == nil {
			continue
		}
		if fd := ed.FunctionDefinition; fd != nil {
			add(fd.Declarator, fd.DeclarationSpecifiers)
			continue
		}
		dl := ed.Declaration
		if dl == nil || dl.DeclarationSpecifiers == nil || isTypedef(dl.DeclarationSpecifiers) {
			continue
		}
		for l := dl.InitDeclaratorList; l != nil; l = l.InitDeclaratorList {
			if id := l.InitDeclarator; id != nil {
				add(id.Declarator, dl.DeclarationSpecifiers, dl.AttributeSpecifierList, id.AttributeSpecifierList)
			}
		}
	}

	out := make(map[string]*Func)
	newFunc := func(d *cc.Declarator) *Func {
		if f := out[d.Name()]; f != nil {
			return f
		}
		f := &Func{Name: d.Name(), SignalArg: -1, OnStack: -1, Origin: OriginHeader, Source: d.Position().Filename}
		out[d.Name()] = f
		return f
	}
	known := func(name string) bool { return base.Lookup(name) != nil }
	family := func(dealloc string) string {
		if f := base.Lookup(dealloc); f != nil && f.Family != "" {
			return f.Family
		}
		return dealloc
	}

	deallocs := make(map[string]*cc.Declarator)
	for _, x := range decls {
		deallocs[x.d.Name()] = x.d
	}

	// The library hands out objects of a type when a function returns a
	// non-const T * or fills a non-const T ** parameter.
	handsOut := make(map[string]bool) // type stem -> some function hands one out
	for _, x := range decls {
		if p, ok := x.ft.Result().(*cc.PointerType); ok && !isConst(p.Elem()) {
			if t := objectType(p.Elem()); t != nil {
				handsOut[typeStem(t)] = true
			}
		}
		for _, p := range x.ft.Parameters() {
			if pp, ok := p.Type().(*cc.PointerType); ok && !isConst(pp.Elem()) {
				if inner, ok := pp.Elem().(*cc.PointerType); ok && !isConst(inner.Elem()) {
					if t := objectType(inner.Elem()); t != nil {
						handsOut[typeStem(t)] = true
					}
				}
			}
		}
	}

	// Release functions by type stem: one parameter, a T *, and named the
	// stem plus a release verb. When a type has several (virDomainFree and
	// virDomainDestroy, which powers the domain off), only the first verb
	// in releaseVerbs' order is its release function. A struct whose
	// fields the header shows can live in the caller's memory (zmq_msg_t,
	// git_message_trailer_array): its "release" function may free only
	// what the struct holds (zmq_msg_close(&msg)), so it frees a T * only
	// when the library itself hands T objects out. An opaque T * always
	// comes from the library.
	release := make(map[string]string) // type stem -> its release function
	rank := make(map[string]int)
	for _, x := range decls {
		t, ok := objectParam(x.ft, 0)
		if !ok || len(x.ft.Parameters()) != 1 || x.ft.IsVariadic() {
			continue
		}
		stem := typeStem(t)
		v := certainReleaseVerb(x.d.Name(), stem)
		if stem == "" || v < 0 || (!t.IsIncomplete() && !handsOut[stem]) {
			continue
		}
		if r, ok := rank[stem]; !ok || v < r {
			release[stem], rank[stem] = x.d.Name(), v
		}
	}
	for _, r := range release {
		if d := deallocs[r]; d != nil && !known(r) {
			f := newFunc(d)
			f.Frees = []int{0}
			f.Family = family(r)
		}
	}

	for _, x := range decls {
		name := x.d.Name()
		if known(name) {
			continue
		}
		// Attributes first: they are the library's own word.
		if dealloc, arg, ok := mallocDealloc(x.attrs); ok && isPtr(x.ft.Result()) {
			f := newFunc(x.d)
			f.Allocates, f.Dealloc, f.Family = true, dealloc, family(dealloc)
			if d := deallocs[dealloc]; d != nil && !known(dealloc) && out[dealloc] == nil {
				// The attribute's own word on the deallocator: it
				// releases its parameter arg.
				g := newFunc(d)
				g.Frees, g.Family = []int{arg}, f.Family
			}
			continue
		}
		if _, isRelease := out[name]; isRelease {
			continue
		}
		// A function with an error-message out-parameter (RocksDB's and
		// LevelDB's char **errptr) reports failure there: its result or
		// out-parameter is NULL then, which no status check of the caller
		// shows, so what it hands back stays unknown.
		if hasStringOut(x.ft) {
			continue
		}
		// A const T * result (const char * too: a name, a version, an
		// error message) is borrowed: the caller cannot release what it
		// may not modify. A non-const T * is owned when T has a release
		// function.
		if p, ok := x.ft.Result().(*cc.PointerType); ok {
			if isConst(p.Elem()) {
				newFunc(x.d).Borrowed = true
			} else if t := objectType(p.Elem()); t != nil {
				if r, ok := release[typeStem(t)]; ok && r != name && !takesOtherObject(x.ft, typeStem(t)) {
					f := newFunc(x.d)
					f.Allocates, f.Dealloc, f.Family = true, r, family(r)
				}
			}
		}
		// T ** out-parameters; a T ** followed by a count is an array. A
		// function given an object (git_config_next(&entry, iter),
		// rd_kafka_message_headers(msg, &hdrs), sqlite3_vtab_in_first(val,
		// &out)) may hand back one that object owns, as often as a new one
		// (git_config_get_entry): only a function given no object is a
		// constructor.
		params := x.ft.Parameters()
		if takesObject(x.ft) {
			params = nil
		}
		for i, p := range params {
			if i+1 < len(params) && cc.IsIntegerType(params[i+1].Type()) {
				continue
			}
			pp, ok := p.Type().(*cc.PointerType)
			if !ok || isConst(pp.Elem()) {
				continue
			}
			inner, ok := pp.Elem().(*cc.PointerType)
			if !ok || isConst(inner.Elem()) {
				continue
			}
			t := objectType(inner.Elem())
			if t == nil {
				continue
			}
			r, ok := release[typeStem(t)]
			if !ok {
				continue
			}
			f := newFunc(x.d)
			if f.Allocates || (f.Dealloc != "" && f.Dealloc != r) {
				// Two kinds of owned objects: the schema has one deallocator.
				delete(out, name)
				break
			}
			f.AllocOut = append(f.AllocOut, i)
			f.Dealloc, f.Family = r, family(r)
		}
	}
	// A function declared never to return ends the caller's path.
	for _, x := range decls {
		if !known(x.d.Name()) && (x.noreturn || hasNoreturnAttr(x.attrs)) {
			newFunc(x.d).NoReturn = true
		}
	}
	fs := make([]*Func, 0, len(out))
	for _, f := range out {
		fs = append(fs, f)
	}
	sort.Slice(fs, func(i, j int) bool { return fs[i].Name < fs[j].Name })
	return fs
}

// specAttrs returns the attribute lists among declaration specifiers, one
// chain per specifier (the caller walks each).
func specAttrs(ds *cc.DeclarationSpecifiers) []*cc.AttributeSpecifierList {
	var out []*cc.AttributeSpecifierList
	for ; ds != nil; ds = ds.DeclarationSpecifiers {
		if ds.AttributeSpecifierList != nil {
			out = append(out, ds.AttributeSpecifierList)
		}
	}
	return out
}

// hasNoreturnSpec reports whether the specifiers include C11's _Noreturn.
func hasNoreturnSpec(ds *cc.DeclarationSpecifiers) bool {
	for ; ds != nil; ds = ds.DeclarationSpecifiers {
		if fs := ds.FunctionSpecifier; fs != nil && fs.Case == cc.FunctionSpecifierNoreturn {
			return true
		}
	}
	return false
}

// hasNoreturnAttr reports whether the attributes include noreturn
// (__attribute__((noreturn)), __noreturn__).
func hasNoreturnAttr(attrs []*cc.AttributeValue) bool {
	for _, a := range attrs {
		if strings.Trim(a.Token.SrcStr(), "_") == "noreturn" {
			return true
		}
	}
	return false
}

// isTypedef reports whether the specifiers declare a typedef.
func isTypedef(ds *cc.DeclarationSpecifiers) bool {
	for ; ds != nil; ds = ds.DeclarationSpecifiers {
		if s := ds.StorageClassSpecifier; s != nil && s.Case == cc.StorageClassSpecifierTypedef {
			return true
		}
	}
	return false
}

// mallocDealloc returns the deallocator that a malloc(dealloc, i)
// attribute names, and the 0-based index of the parameter it releases.
func mallocDealloc(attrs []*cc.AttributeValue) (dealloc string, arg int, ok bool) {
	for _, a := range attrs {
		name := strings.Trim(a.Token.SrcStr(), "_")
		if name != "malloc" || a.Case != cc.AttributeValueExpr || a.ArgumentExpressionList == nil {
			continue
		}
		e := a.ArgumentExpressionList.AssignmentExpression
		id := identOf(e)
		if id == "" {
			continue
		}
		if id == "__builtin_free" {
			id = "free"
		}
		arg := 0
		if next := a.ArgumentExpressionList.ArgumentExpressionList; next != nil {
			if v, ok := next.AssignmentExpression.Value().(cc.Int64Value); ok && v >= 1 {
				arg = int(v) - 1
			} else if v, ok := next.AssignmentExpression.Value().(cc.UInt64Value); ok && v >= 1 {
				arg = int(v) - 1
			}
		}
		return id, arg, true
	}
	return "", 0, false
}

// identOf returns the identifier that an expression is, or "".
func identOf(e cc.ExpressionNode) string {
	s := strings.TrimSpace(cc.NodeSource(e))
	if s == "" {
		return ""
	}
	for i, r := range s {
		if !(r == '_' || unicode.IsLetter(r) || (i > 0 && unicode.IsDigit(r))) {
			return ""
		}
	}
	return s
}

// objectParam returns the struct or opaque type T when parameter i is a
// non-const T *.
func objectParam(ft *cc.FunctionType, i int) (cc.Type, bool) {
	ps := ft.Parameters()
	if i >= len(ps) {
		return nil, false
	}
	p, ok := ps[i].Type().(*cc.PointerType)
	if !ok || isConst(p.Elem()) {
		return nil, false
	}
	t := objectType(p.Elem())
	return t, t != nil
}

// objectType returns t's struct type (the key shared by its typedef and
// tag spellings) when t is a struct or an incomplete (opaque) struct, or nil.
func objectType(t cc.Type) cc.Type {
	switch x := t.(type) {
	case *cc.StructType:
		return x
	}
	return nil
}

// typeStem returns the name a type's functions start with: its typedef
// name, else its tag, without a trailing _t or _s.
func typeStem(t cc.Type) string {
	name := ""
	if td := t.Typedef(); td != nil {
		name = td.Name()
	} else if st, ok := t.(*cc.StructType); ok {
		tag := st.Tag()
		name = tag.SrcStr()
	}
	for _, suf := range []string{"_t", "_s"} {
		name = strings.TrimSuffix(name, suf)
	}
	return name
}

// takesObject reports whether a function has a parameter pointing to an
// object type (a struct or opaque type, const or not).
func takesObject(ft *cc.FunctionType) bool {
	for _, p := range ft.Parameters() {
		if pt, ok := p.Type().(*cc.PointerType); ok && objectType(pt.Elem()) != nil {
			return true
		}
	}
	return false
}

// takesOtherObject reports whether a function has a parameter pointing to
// an object type other than stem's: a function returning T * from a U is an
// accessor as often as a constructor (git_commit_owner returns the
// repository the commit belongs to), so its result stays unknown.
func takesOtherObject(ft *cc.FunctionType, stem string) bool {
	for _, p := range ft.Parameters() {
		pt, ok := p.Type().(*cc.PointerType)
		if !ok {
			continue
		}
		if t := objectType(pt.Elem()); t != nil && typeStem(t) != stem {
			return true
		}
	}
	return false
}

// hasStringOut reports whether a function has a non-const char **
// parameter.
func hasStringOut(ft *cc.FunctionType) bool {
	for _, p := range ft.Parameters() {
		pp, ok := p.Type().(*cc.PointerType)
		if !ok || isConst(pp.Elem()) {
			continue
		}
		if inner, ok := pp.Elem().(*cc.PointerType); ok && inner.Elem().Kind() == cc.Char {
			return true
		}
	}
	return false
}

// isPtr reports whether t is a pointer type.
func isPtr(t cc.Type) bool { return t != nil && t.Kind() == cc.Ptr }

// isConst reports whether t is const-qualified.
func isConst(t cc.Type) bool { return t.Attributes().IsConst() }
