package csrc

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// A package's .c files may include "_cgo_export.h", the header cgo writes
// into the build directory with a C declaration of every function the
// package exports with //export. The front end never sees that directory,
// so it synthesizes the header from the package's Go files as cgo would
// write it (cmd/cgo/out.go, writeExportHeader): cgo's prologue, the
// preambles of the files that export, and one extern declaration per
// exported function, with cgo's mapping of Go types to C types. Without
// it, a .c file that includes it cannot be read at all.

// ExportHeaderName is the header cgo generates for a package's exports.
const ExportHeaderName = "_cgo_export.h"

// A GoFile is one of the package's Go files, as the user wrote it.
type GoFile struct {
	Name string
	Src  []byte
}

// exportHeader returns the text of the _cgo_export.h cgo would write for
// files, or nil if none exports a function.
func exportHeader(files []GoFile) []byte {
	type parsed struct {
		name string
		src  []byte
		f    *ast.File
	}
	fset := token.NewFileSet()
	var all []parsed
	types := map[string]ast.Expr{} // the package's named Go types
	for _, gf := range files {
		f, err := parser.ParseFile(fset, gf.Name, gf.Src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		all = append(all, parsed{gf.Name, gf.Src, f})
		for _, d := range f.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
				for _, s := range gd.Specs {
					if ts, ok := s.(*ast.TypeSpec); ok && ts.TypeParams == nil {
						types[ts.Name.Name] = ts.Type
					}
				}
			}
		}
	}
	var pre, decls bytes.Buffer
	any := false
	for _, p := range all {
		exports := 0
		for _, d := range p.f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Doc == nil {
				continue
			}
			for _, c := range fd.Doc.List {
				if !strings.HasPrefix(c.Text, "//export ") {
					continue
				}
				name := strings.TrimSpace(c.Text[len("//export "):])
				if name == "" {
					continue
				}
				exports++
				writeExportDecl(&decls, name, fd, types)
			}
		}
		if exports == 0 {
			continue
		}
		any = true
		if u, _, ok := Preamble(p.name, p.src); ok {
			fmt.Fprintf(&pre, "#line 1 %s\n", strconv.Quote(p.name))
			pre.Write(u.Src)
		}
	}
	if !any {
		return nil
	}
	var b bytes.Buffer
	b.WriteString("/* Synthesized by cgolint in place of the header cgo generates. */\n")
	b.WriteString(exportProlog)
	b.Write(pre.Bytes())
	fmt.Fprintf(&b, "#line 1 %q\n", ExportHeaderName)
	b.WriteString(strings.ReplaceAll(exportTypes, "GOINTBITS", strconv.Itoa(strconv.IntSize)))
	b.Write(decls.Bytes())
	return b.Bytes()
}

// writeExportDecl writes cgo's declaration of the exported function fd.
func writeExportDecl(b *bytes.Buffer, name string, fd *ast.FuncDecl, types map[string]ast.Expr) {
	ctype := func(e ast.Expr) string { return cgoType(e, types, map[ast.Expr]bool{}) }
	result := "void"
	if rs := fd.Type.Results; rs != nil && len(rs.List) > 0 {
		if len(rs.List) == 1 && len(rs.List[0].Names) <= 1 {
			result = ctype(rs.List[0].Type)
		} else {
			fmt.Fprintf(b, "struct %s_return {\n", name)
			forFields(rs, func(i int, _ string, t ast.Expr) { fmt.Fprintf(b, "\t%s r%d;\n", ctype(t), i) })
			b.WriteString("};\n")
			result = "struct " + name + "_return"
		}
	}
	var params []string
	if fd.Recv != nil && len(fd.Recv.List) > 0 {
		params = append(params, ctype(fd.Recv.List[0].Type)+" recv")
	}
	forFields(fd.Type.Params, func(i int, n string, t ast.Expr) {
		if n == "" || strings.ContainsFunc(n, func(r rune) bool { return r > 127 }) {
			n = fmt.Sprintf("p%d", i)
		}
		params = append(params, ctype(t)+" "+n)
	})
	if len(params) == 0 {
		params = []string{"void"}
	}
	fmt.Fprintf(b, "extern %s %s(%s);\n", result, name, strings.Join(params, ", "))
}

func forFields(fl *ast.FieldList, f func(i int, name string, t ast.Expr)) {
	if fl == nil {
		return
	}
	i := 0
	for _, fld := range fl.List {
		if len(fld.Names) == 0 {
			f(i, "", fld.Type)
			i++
			continue
		}
		for _, n := range fld.Names {
			f(i, n.Name, fld.Type)
			i++
		}
	}
}

// cgoType is cgo's C type for a Go type in an exported signature
// (cmd/cgo/out.go, doCgoType).
func cgoType(e ast.Expr, types map[string]ast.Expr, seen map[ast.Expr]bool) string {
	if seen[e] {
		return "int"
	}
	seen[e] = true
	switch t := e.(type) {
	case *ast.ParenExpr:
		return cgoType(t.X, types, seen)
	case *ast.StarExpr:
		return cgoType(t.X, types, seen) + "*"
	case *ast.ArrayType:
		if t.Len == nil {
			return "GoSlice"
		}
	case *ast.FuncType:
		return "void*"
	case *ast.InterfaceType:
		return "GoInterface"
	case *ast.MapType:
		return "GoMap"
	case *ast.ChanType:
		return "GoChan"
	case *ast.Ident:
		if def, ok := types[t.Name]; ok {
			return cgoType(def, types, seen)
		}
		switch t.Name {
		case "uintptr":
			return "GoUintptr"
		case "string":
			return "GoString"
		case "error", "any":
			return "GoInterface"
		}
		if c, ok := goTypes[t.Name]; ok {
			return c
		}
	case *ast.SelectorExpr:
		if id, ok := t.X.(*ast.Ident); ok {
			switch {
			case id.Name == "unsafe" && t.Sel.Name == "Pointer":
				return "void*"
			case id.Name == "C":
				return cTypeName(t.Sel.Name)
			}
		}
	}
	return "int" // cgo rejects the type
}

var goTypes = map[string]string{
	"bool": "GoUint8", "byte": "GoUint8", "int": "GoInt", "uint": "GoUint", "rune": "GoInt32",
	"int8": "GoInt8", "uint8": "GoUint8", "int16": "GoInt16", "uint16": "GoUint16",
	"int32": "GoInt32", "uint32": "GoUint32", "int64": "GoInt64", "uint64": "GoUint64",
	"float32": "GoFloat32", "float64": "GoFloat64", "complex64": "GoComplex64", "complex128": "GoComplex128",
}

// cTypeName is the C spelling of cgo's C.name.
func cTypeName(name string) string {
	switch name {
	case "schar":
		return "signed char"
	case "uchar":
		return "unsigned char"
	case "ushort":
		return "unsigned short"
	case "uint":
		return "unsigned int"
	case "ulong":
		return "unsigned long"
	case "longlong":
		return "long long"
	case "ulonglong":
		return "unsigned long long"
	case "complexfloat":
		return "float _Complex"
	case "complexdouble":
		return "double _Complex"
	}
	for _, k := range []string{"struct_", "union_", "enum_"} {
		if rest, ok := strings.CutPrefix(name, k); ok {
			return k[:len(k)-1] + " " + rest
		}
	}
	return name
}

// extraFiles returns the files the front end supplies for in: the
// synthesized _cgo_export.h when a unit names it and the package
// directory has none of its own.
func extraFiles(in Input) map[string][]byte {
	if in.Dir == "" || len(in.GoFiles) == 0 {
		return nil
	}
	for _, u := range in.Units {
		if !bytes.Contains(u.Src, []byte(ExportHeaderName)) {
			continue
		}
		name := filepath.Join(in.Dir, ExportHeaderName)
		if _, err := os.Stat(name); err == nil {
			return nil
		}
		if h := exportHeader(in.GoFiles); h != nil {
			return map[string][]byte{name: h}
		}
		return nil
	}
	return nil
}

// cgo's builtinExportProlog.
const exportProlog = `#include <stddef.h>

#ifndef GO_CGO_EXPORT_PROLOGUE_H
#define GO_CGO_EXPORT_PROLOGUE_H

#ifndef GO_CGO_GOSTRING_TYPEDEF
typedef struct { const char *p; ptrdiff_t n; } _GoString_;
extern size_t _GoStringLen(_GoString_ s);
extern const char *_GoStringPtr(_GoString_ s);
#endif

#endif
`

// cgo's gccExportHeaderProlog, without MSVC's branch.
const exportTypes = `
#ifndef GO_CGO_PROLOGUE_H
#define GO_CGO_PROLOGUE_H

typedef signed char GoInt8;
typedef unsigned char GoUint8;
typedef short GoInt16;
typedef unsigned short GoUint16;
typedef int GoInt32;
typedef unsigned int GoUint32;
typedef long long GoInt64;
typedef unsigned long long GoUint64;
typedef GoIntGOINTBITS GoInt;
typedef GoUintGOINTBITS GoUint;
typedef size_t GoUintptr;
typedef float GoFloat32;
typedef double GoFloat64;
typedef float _Complex GoComplex64;
typedef double _Complex GoComplex128;

#ifndef GO_CGO_GOSTRING_TYPEDEF
typedef _GoString_ GoString;
#endif
typedef void *GoMap;
typedef void *GoChan;
typedef struct { void *t; void *v; } GoInterface;
typedef struct { void *data; GoInt len; GoInt cap; } GoSlice;

#endif

`
