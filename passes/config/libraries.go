package config

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"sync"

	"github.com/cgolint/cgolint/passes/cfuncs"
)

// A Library is one file of the library data shipped with cgolint
// (cfuncs.Libraries): the knowledge about one C library's functions, in
// this package's schema.
type Library struct {
	File      string     // "sqlite3.yml"
	Functions []FuncSpec // in file order
}

// Libraries parses the shipped library data, in file-name order. The files
// take the configuration schema with the same strictness, except that they
// may not disable checks, and a function may be described by one file only.
func Libraries() ([]Library, error) {
	return libraries(cfuncs.Libraries, "libraries")
}

func libraries(fsys fs.FS, dir string) ([]Library, error) {
	names, err := fs.Glob(fsys, dir+"/*.yml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var libs []Library
	var errs []error
	owner := make(map[string]string)
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		cfg, err := Parse(name, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if len(cfg.Disable) > 0 {
			errs = append(errs, fmt.Errorf("%s: disable: library data may not disable checks", cfg.disablePos[0]))
		}
		file := path.Base(name)
		for i, f := range cfg.Functions {
			if prev, dup := owner[f.Name]; dup {
				errs = append(errs, fmt.Errorf("%s: functions[%d].name: %s is already described by %s", name, i, f.Name, prev))
				continue
			}
			owner[f.Name] = file
		}
		libs = append(libs, Library{File: file, Functions: cfg.Functions})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return libs, nil
}

// Shipped returns the knowledge base every configuration starts from: the
// built-in table of cfuncs (libc and POSIX) extended with the shipped
// library data (Origin cfuncs.OriginLibrary, Source the file's name). The
// data is embedded in the binary and checked by this package's tests, so an
// error in it is a build defect: Shipped panics on it.
func Shipped() *cfuncs.KB { return shipped() }

var shipped = sync.OnceValue(func() *cfuncs.KB {
	libs, err := Libraries()
	if err != nil {
		panic("cgolint: bad shipped library data: " + err.Error())
	}
	var all []FuncSpec
	for _, l := range libs {
		all = append(all, l.Functions...)
	}
	kb := cfuncs.Builtin()
	var fs []*cfuncs.Func
	for _, l := range libs {
		// Families resolve across files (a GIO function released by
		// GObject's g_object_unref).
		fs = append(fs, funcs(l.Functions, all, kb, cfuncs.OriginLibrary, l.File)...)
	}
	return kb.Extend(fs...)
})
