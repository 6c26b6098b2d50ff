package cfuncs

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// OriginGIR marks entries learned from GObject-Introspection data
// (GIRFuncs).
const OriginGIR Origin = OriginHeader + 1

// girRepository is the part of a .gir file that GIRFuncs reads.
type girRepository struct {
	Packages  []girName    `xml:"package"`
	Namespace girNamespace `xml:"namespace"`
}

type girName struct {
	Name string `xml:"name,attr"`
}

type girNamespace struct {
	Name       string        `xml:"name,attr"`
	Classes    []girType     `xml:"class"`
	Interfaces []girType     `xml:"interface"`
	Records    []girType     `xml:"record"`
	Functions  []girCallable `xml:"function"`
}

type girType struct {
	Name         string        `xml:"name,attr"`
	Fundamental  string        `xml:"http://www.gtk.org/introspection/glib/1.0 fundamental,attr"`
	UnrefFunc    string        `xml:"http://www.gtk.org/introspection/glib/1.0 unref-func,attr"`
	Constructors []girCallable `xml:"constructor"`
	Methods      []girCallable `xml:"method"`
	Functions    []girCallable `xml:"function"`
}

type girCallable struct {
	Name       string    `xml:"name,attr"`
	CIdent     string    `xml:"http://www.gtk.org/introspection/c/1.0 identifier,attr"`
	Introspect string    `xml:"introspectable,attr"`
	Return     girValue  `xml:"return-value"`
	Params     girParams `xml:"parameters"`
}

type girParams struct {
	Instance *girValue  `xml:"instance-parameter"`
	Params   []girValue `xml:"parameter"`
}

type girValue struct {
	Transfer        string    `xml:"transfer-ownership,attr"`
	Direction       string    `xml:"direction,attr"`
	CallerAllocates string    `xml:"caller-allocates,attr"`
	Type            *girTyp   `xml:"type"`
	Array           *girArray `xml:"array"`
}

type girTyp struct {
	Name  string `xml:"name,attr"`
	CType string `xml:"http://www.gtk.org/introspection/c/1.0 type,attr"`
}

type girArray struct {
	CType string  `xml:"http://www.gtk.org/introspection/c/1.0 type,attr"`
	Elem  *girTyp `xml:"type"`
}

// GIRFuncs learns roles from a GObject-Introspection file (.gir) for the
// functions that base does not know; each entry has Origin OriginGIR and
// Source the file's name. From transfer-ownership:
//   - a pointer result with transfer full is owned, released by the type's
//     release function: g_free for strings (utf8, filename), g_strfreev for
//     a NULL-terminated string array, g_object_unref for a class or
//     interface of this namespace (a fundamental class's glib:unref-func),
//     a record's own free or unref method; transfer container of a
//     GList/GSList is released by g_list_free/g_slist_free;
//   - a pointer result with transfer none is borrowed;
//   - but a method returning its own instance's type from a non-const
//     instance teaches nothing: it may be a ref (g_variant_ref);
//   - an out-parameter (direction out, not caller-allocated) with transfer
//     full is an out-parameter constructor, released the same way;
//   - an in-parameter with transfer full is taken.
//
// Types it cannot resolve to a release function (another namespace's
// records, gpointer) teach nothing: unknown stays silent.
func GIRFuncs(r io.Reader, source string, base *KB) ([]*Func, error) {
	var repo girRepository
	if err := xml.NewDecoder(r).Decode(&repo); err != nil {
		return nil, fmt.Errorf("%s: %v", source, err)
	}
	ns := repo.Namespace
	release := map[string]string{ // GIR type name -> its release function
		"utf8":           "g_free",
		"filename":       "g_free",
		"GObject.Object": "g_object_unref",
	}
	local := func(name string) []string { return []string{name, ns.Name + "." + name} }
	for _, c := range append(girTypes(ns.Classes), ns.Interfaces...) {
		r := "g_object_unref"
		if c.Fundamental == "1" {
			r = c.UnrefFunc
		}
		if r != "" {
			for _, n := range local(c.Name) {
				release[n] = r
			}
		}
	}
	for _, rec := range ns.Records {
		for _, m := range rec.Methods {
			if (m.Name == "free" || m.Name == "unref") && m.CIdent != "" {
				for _, n := range local(rec.Name) {
					release[n] = m.CIdent
				}
				break
			}
		}
	}
	releaseOf := func(v girValue) string {
		switch {
		case v.Type != nil && v.Transfer == "full":
			return release[v.Type.Name]
		case v.Type != nil && v.Transfer == "container":
			switch v.Type.Name {
			case "GLib.List":
				return "g_list_free"
			case "GLib.SList":
				return "g_slist_free"
			}
		case v.Array != nil && v.Array.Elem != nil && v.Transfer == "full" &&
			v.Array.Elem.Name == "utf8" && strings.HasPrefix(strings.ReplaceAll(v.Array.CType, " ", ""), "gchar**"):
			return "g_strfreev"
		case v.Array != nil && v.Transfer == "container":
			return "g_free"
		}
		return ""
	}
	isPointer := func(v girValue) bool {
		if v.Array != nil {
			return true
		}
		return v.Type != nil && strings.HasSuffix(strings.TrimSpace(v.Type.CType), "*")
	}
	family := func(dealloc string) string {
		if f := base.Lookup(dealloc); f != nil && f.Family != "" {
			return f.Family
		}
		if dealloc == "g_free" {
			return "glib"
		}
		return dealloc
	}

	var out []*Func
	add := func(c girCallable) {
		if c.CIdent == "" || base.Lookup(c.CIdent) != nil {
			return
		}
		f := &Func{Name: c.CIdent, SignalArg: -1, OnStack: -1, Origin: OriginGIR, Source: source}
		// A method that returns its instance's type (full transfer) from a
		// non-const instance may return the instance itself with a new
		// reference (g_variant_ref: "the same @value") as well as a new
		// object (g_variant_byteswap): its result stays unknown. From a
		// const instance, which it may not change (a reference count
		// included), it is a new object (pango_font_description_copy).
		inst := c.Params.Instance
		maybeRef := inst != nil && inst.Type != nil && c.Return.Type != nil &&
			inst.Type.Name == c.Return.Type.Name && !strings.HasPrefix(strings.TrimSpace(inst.Type.CType), "const ")
		if isPointer(c.Return) {
			switch c.Return.Transfer {
			case "none":
				f.Borrowed = true
			case "full", "container":
				if d := releaseOf(c.Return); d != "" && d != c.CIdent && !maybeRef {
					f.Allocates, f.Dealloc, f.Family = true, d, family(d)
				}
			}
		}
		offset := 0
		if c.Params.Instance != nil {
			offset = 1
		}
		for i, p := range c.Params.Params {
			idx := i + offset
			switch {
			case p.Direction == "out" && p.CallerAllocates != "1" && p.Transfer != "none":
				d := releaseOf(p)
				if d == "" || f.Allocates || (f.Dealloc != "" && f.Dealloc != d) {
					continue // the schema has one deallocator per function
				}
				f.AllocOut = append(f.AllocOut, idx)
				f.Dealloc, f.Family = d, family(d)
			case (p.Direction == "" || p.Direction == "in") && p.Transfer == "full" && isPointer(p):
				f.Takes = append(f.Takes, idx)
			}
		}
		if f.Allocates || len(f.AllocOut) > 0 || f.Borrowed || len(f.Takes) > 0 {
			out = append(out, f)
		}
	}
	for _, c := range ns.Functions {
		add(c)
	}
	for _, t := range append(append(girTypes(ns.Classes), ns.Interfaces...), ns.Records...) {
		for _, c := range t.Constructors {
			add(c)
		}
		for _, c := range t.Methods {
			add(c)
		}
		for _, c := range t.Functions {
			add(c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	// A name may appear twice (a function and a method shadow): keep one.
	uniq := out[:0]
	for i, f := range out {
		if i == 0 || f.Name != out[i-1].Name {
			uniq = append(uniq, f)
		}
	}
	return uniq, nil
}

// girTypes returns a copy of ts, so that appending to it leaves ts alone.
func girTypes(ts []girType) []girType { return append([]girType(nil), ts...) }

// GIRFiles returns the .gir files in dirs that describe any of the
// pkg-config packages (`#cgo pkg-config: gtk+-3.0`), found through their
// <package name="..."/> elements, sorted.
func GIRFiles(dirs []string, pkgs []string) []string {
	want := make(map[string]bool, len(pkgs))
	for _, p := range pkgs {
		want[p] = true
	}
	var out []string
	for _, dir := range dirs {
		names, _ := filepath.Glob(filepath.Join(dir, "*.gir"))
		for _, name := range names {
			for _, p := range girPackages(name) {
				if want[p] {
					out = append(out, name)
					break
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// girPackages returns the package names a .gir file declares, reading only
// its head (they come before the namespace).
func girPackages(name string) []string {
	f, err := os.Open(name)
	if err != nil {
		return nil
	}
	defer f.Close()
	var pkgs []string
	sc := bufio.NewScanner(f)
	for n := 0; sc.Scan() && n < 200; n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if bytes.HasPrefix(line, []byte("<namespace")) {
			break
		}
		if rest, ok := bytes.CutPrefix(line, []byte(`<package name="`)); ok {
			if i := bytes.IndexByte(rest, '"'); i > 0 {
				pkgs = append(pkgs, string(rest[:i]))
			}
		}
	}
	return pkgs
}
