// Package config defines cgolint's user configuration: one schema, read by
// every driver (the standalone and vet -config flag, and golangci-lint's
// plugin settings), with the same strictness everywhere.
//
// # Schema
//
// The file is YAML (JSON is accepted, being YAML). Every key is optional:
//
//	# Checks to turn off: a check's name turns it off whole, check/category
//	# one category of it (the categories are documented in each check's
//	# doc, and listed in the README's table).
//	disable:
//	  - cblocking
//	  - lockthread/thread-affine
//	  - finalizer/keepalive
//
//	# Files whose findings are dropped (# Excluding paths below).
//	exclude:
//	  - internal/gen/**
//	  - "*_test.go"
//
//	# Knowledge sources that are off by default until their precision is
//	# measured: "headers" (malloc(dealloc, i) attributes and type-based
//	# pairing in the headers a preamble includes) and "gir"
//	# (GObject-Introspection transfer annotations of its pkg-config packages).
//	learn: [headers]
//
//	# Knowledge-base entries for C functions, one list item per function.
//	# An entry replaces the built-in entry of the same name entirely.
//	functions:
//	  - name: git_buf_dispose
//	    frees: [0]              # releases its parameter 0
//	  - name: my_buf_new
//	    allocates: my_buf_free  # returns owned memory released by my_buf_free
//	    family: mybuf           # optional allocator family
//	  - name: my_buf_free
//	    frees: [0]
//	    family: mybuf
//	  - name: my_lib_set_logger
//	    keeps: [1]              # holds parameter 1 after returning
//	  - name: my_queue_push
//	    takes: [1]              # takes ownership of parameter 1
//	  - name: my_lib_wait
//	    blocks: true            # may wait for I/O, time, locks or threads
//	  - name: xmlGetLastError
//	    thread-affine: true     # per-OS-thread state
//	  - name: my_lib_catch
//	    signal: install         # install, mask or raise
//	    signal-arg: 0           # index of the signal-number parameter
//	  - name: my_lib_init
//	    signal: install
//	    signals: [SIGINT]       # signals it always applies its role to
//	  - name: my_obj_open
//	    allocates: my_obj_close # owned object handed back through *param 0
//	    out: [0]                #   (my_obj_open(&obj, ...)), not as the result
//	  - name: my_obj_name
//	    borrowed: true          # the result belongs to the library: never free it
//	  - name: my_lib_strerror
//	    error-neutral: true     # leaves the thread-local error state alone
//	  - name: my_obj_close
//	    frees: [0]
//	    frees-on-error: true    # releases it even when it returns an error
//	  - name: my_lib_fatal
//	    noreturn: true          # never returns: the path ends there
//
// The same schema describes the library data shipped with cgolint
// (passes/cfuncs/libraries/*.yml, one file per C library): the knowledge
// base starts from the built-in libc table and that data, and the user's
// entries replace the shipped entry of the same name. `cgolint kb` prints
// the entries in force for the functions a package calls, in this schema.
//
// C function names are values (name: xmlFree), never mapping keys, because
// golangci-lint reads plugin settings through viper, which lowercases map
// keys: a key xmlFree would silently become xmlfree. Every key of the schema
// is lowercase for the same reason.
//
// Function keys:
//   - name: the C function name (required; a C identifier, case preserved).
//     Each name may appear once.
//   - allocates: the name of the deallocator; the function returns owned
//     memory. It may not name the function itself.
//   - family: the allocator family, for "released by the wrong allocator"
//     checks. Only meaningful with allocates or frees. It defaults, for an
//     allocator, to its deallocator's family (from this file or the built-in
//     table) or else the deallocator's name; for a deallocator, to the
//     built-in family of the same name or else its own name. So
//     [{name: my_new, allocates: my_free}, {name: my_free, frees: [0]}]
//     needs no family.
//   - frees, takes, keeps: lists of 0-based parameter indices that the call
//     releases, takes ownership of, or retains after returning.
//   - out: with allocates, the 0-based indices of pointer-to-pointer
//     parameters through which the call hands back owned objects; the
//     result is then a status, not owned.
//   - borrowed: the result is memory owned by the library or an argument
//     (contradicts allocates without out).
//   - blocks, thread-affine: booleans.
//   - error-neutral: the call neither sets nor clears the thread-local
//     error state that thread-affine error getters read.
//   - frees-on-error: with frees, the call releases those arguments even
//     when it returns an error status (sqlite3_finalize); without it, a
//     status-returning release may have kept them (sqlite3_close on
//     SQLITE_BUSY), and cfree does not assume a failed release freed.
//   - noreturn: the call never returns (it exits or aborts), so code after
//     it is unreachable, as after os.Exit.
//   - signal: "install", "mask" or "raise"; signal-arg: the 0-based index of
//     the signal-number parameter (requires signal); signals: names of the
//     signals (SIGINT) the call always applies its role to (requires signal).
//
// Unknown keys, values of the wrong type, negative or repeated parameter
// indices, other signal values, missing, empty, non-identifier or repeated
// function names and duplicate keys are errors. Each error reads
// "file:line: key.path: what is wrong", with list indices in the path
// (functions[2].frees[0]); settings from golangci-lint, which have no lines,
// read "cgolint settings: key.path: what is wrong".
//
// Names in disable are validated by Validate, which the drivers call with
// the names of the suite's checks and check/categories (analyzers.Known);
// an unknown one is an error that lists the valid checks, or the valid
// categories of the named check. The -disable=name[,name...] flag of the
// standalone and vet drivers ([DisableFlag]) adds names to the list, with
// the same validation. Filtering happens in one place for every check and
// driver: the suite's wrapper around each check's Run (package analyzers).
// A disabled check does not run; a finding of a disabled category is
// dropped.
//
// # Excluding paths
//
// A finding positioned in a file an exclude pattern matches is dropped, in
// every driver alike. The file's path is taken relative to its module root,
// the nearest directory above it that holds a go.mod (not the directory the
// driver runs in: go vet runs its tool in each package's directory), with /
// between path elements. In a pattern:
//   - "*" matches any run of characters within one path element, "?" one
//     character, "[a-z]" a class (the syntax of path.Match);
//   - "**" as a whole element matches zero or more path elements
//     (internal/**/gen.go matches internal/gen.go and internal/a/b/gen.go);
//   - a pattern without "/" matches a file or directory name at any depth
//     ("*_test.go", testdata), as in .gitignore;
//   - a pattern that matches a directory excludes everything below it, so
//     internal/gen and internal/gen/** are the same;
//   - a leading "./" and a trailing "/" are ignored.
//
// An empty pattern, an absolute one, one with a ".." or "." element, a
// backslash, "**" inside an element (a**), or a malformed element (gen/[a-)
// is an error with the file and line. A file outside any module is matched
// by the patterns without "/" only. Excluded files are still analysed:
// only their findings are dropped, so what they tell about other code (a
// wrapper that frees its argument, a signal handler they install) counts.
//
// # Drivers
//
// Every driver takes the same keys. Standalone:
//
//	cgolint -config=cgolint.yml ./...
//
// Under go vet, give an absolute path: vet runs the tool once per package,
// in that package's directory, so a relative path would be looked up there:
//
//	go vet -vettool=$(which cgolint) -config=$PWD/cgolint.yml ./...
//
// Under golangci-lint (v2, module plugin), the same keys go under the
// plugin's settings:
//
//	linters:
//	  settings:
//	    custom:
//	      cgolint:
//	        type: module
//	        settings:
//	          disable: [cblocking, lockthread/thread-affine]
//	          exclude: [internal/gen/**]
//	          functions:
//	            - name: xmlFree
//	              frees: [0]
package config

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"gopkg.in/yaml.v3"

	"github.com/cgolint/cgolint/passes/cfuncs"
)

// Config is the user configuration. The zero value, and a nil *Config,
// enable every check and add nothing to the built-in knowledge base.
//
// A Config must not be copied after its first use (KB memoises its result
// in it). KB does not see changes made to Functions after its first call;
// Flag.Set, which replaces the whole Config, resets the memo.
type Config struct {
	Disable   []string   `json:"disable,omitempty" yaml:"disable,omitempty"`     // checks and check/category names to turn off
	Exclude   []string   `json:"exclude,omitempty" yaml:"exclude,omitempty"`     // path patterns whose findings are dropped
	Learn     []string   `json:"learn,omitempty" yaml:"learn,omitempty"`         // knowledge sources to turn on: "headers", "gir"
	Functions []FuncSpec `json:"functions,omitempty" yaml:"functions,omitempty"` // knowledge-base extensions, one per C function name

	// Options of the C front end, set by command-line flags (not part of
	// the file schema): CDebug (-cdebug) prints what the front end could
	// not read and why; CNoCache (-ccache=off, or CGOLINT_CACHE=off in the
	// environment) turns its on-disk cache off.
	CDebug   bool `json:"-" yaml:"-"`
	CNoCache bool `json:"-" yaml:"-"`

	// disablePos[i] is the "file:line" of Disable[i], for Validate.
	disablePos []string

	// flagDisable holds the names given to the -disable flag; unlike the
	// file's contents they survive Flag.Set.
	flagDisable []string

	// excl memoises the parsed Exclude patterns; roots caches module
	// roots by directory.
	excl  atomic.Pointer[[]pattern]
	roots sync.Map

	// kb memoises KB.
	kb atomic.Pointer[cfuncs.KB]
}

// FuncSpec is the configured knowledge about one C function.
type FuncSpec struct {
	Name         string   `json:"name" yaml:"name"`                               // the C function name, case preserved
	Allocates    string   `json:"allocates,omitempty" yaml:"allocates,omitempty"` // name of the deallocator: this function returns owned memory
	Family       string   `json:"family,omitempty" yaml:"family,omitempty"`       // optional allocator family (see the package doc for the default)
	Frees        []int    `json:"frees,omitempty" yaml:"frees,omitempty"`         // parameter indices released by the call
	Takes        []int    `json:"takes,omitempty" yaml:"takes,omitempty"`         // parameter indices whose ownership moves to C
	Keeps        []int    `json:"keeps,omitempty" yaml:"keeps,omitempty"`         // parameter indices retained after the call returns
	Blocks       bool     `json:"blocks,omitempty" yaml:"blocks,omitempty"`       // may wait for I/O, time, locks or other threads
	ThreadAffine bool     `json:"thread-affine,omitempty" yaml:"thread-affine,omitempty"`
	Signal       string   `json:"signal,omitempty" yaml:"signal,omitempty"`         // "install", "mask" or "raise"
	SignalArg    *int     `json:"signal-arg,omitempty" yaml:"signal-arg,omitempty"` // index of the signal-number parameter
	Signals      []string `json:"signals,omitempty" yaml:"signals,omitempty"`       // signals the call always applies its signal role to
	Out          []int    `json:"out,omitempty" yaml:"out,omitempty"`               // with allocates: owned objects handed back through *param i, not as the result
	Borrowed     bool     `json:"borrowed,omitempty" yaml:"borrowed,omitempty"`     // the result is borrowed: never released by the caller
	ErrorNeutral bool     `json:"error-neutral,omitempty" yaml:"error-neutral,omitempty"`
	FreesOnError bool     `json:"frees-on-error,omitempty" yaml:"frees-on-error,omitempty"` // with frees: releases them even when it returns an error
	NoReturn     bool     `json:"noreturn,omitempty" yaml:"noreturn,omitempty"`             // never returns to the caller
}

// Load reads the configuration file at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse parses a configuration file's contents; filename is used in errors.
func Parse(filename string, data []byte) (*Config, error) {
	return parse(filename, data, true)
}

// settingsName prefixes errors in settings handed over by golangci-lint.
const settingsName = "cgolint settings"

// FromSettings converts the settings golangci-lint decoded from its own
// configuration (a map[string]any, whose functions value is a []any of
// map[string]any) to a Config, with the same schema and strictness as a
// file. nil settings give an empty Config.
func FromSettings(settings any) (*Config, error) {
	if settings == nil {
		return &Config{}, nil
	}
	data, err := marshal(settings)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", settingsName, err)
	}
	return parse(settingsName, data, false)
}

// marshal is yaml.Marshal, which panics on values it cannot represent
// (functions, channels) instead of returning an error.
func marshal(v any) (data []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return yaml.Marshal(v)
}

var yamlLineErr = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError rewrites an error of package yaml as "file:line: what".
func yamlError(name string, lines bool, err error) error {
	var te *yaml.TypeError
	msgs := []string{strings.TrimPrefix(err.Error(), "yaml: ")}
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	var errs []error
	for _, m := range msgs {
		if sub := yamlLineErr.FindStringSubmatch("yaml: " + m); sub != nil {
			if lines {
				errs = append(errs, fmt.Errorf("%s:%s: %s", name, sub[1], sub[2]))
			} else {
				errs = append(errs, fmt.Errorf("%s: %s", name, sub[2]))
			}
			continue
		}
		errs = append(errs, fmt.Errorf("%s: %s", name, m))
	}
	return errors.Join(errs...)
}

func parse(name string, data []byte, lines bool) (*Config, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err == io.EOF {
		return &Config{}, nil
	} else if err != nil {
		return nil, yamlError(name, lines, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		p := &parser{name: name, lines: lines}
		p.errorf(&extra, "", "more than one YAML document")
		return nil, errors.Join(p.errs...)
	} else if err != io.EOF {
		return nil, yamlError(name, lines, err)
	}
	p := &parser{name: name, lines: lines}
	cfg := p.config(&root)
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	// The walk above has checked everything with precise messages; the
	// strict decoder fills the struct and guards against any drift.
	decoded := new(Config)
	sdec := yaml.NewDecoder(bytes.NewReader(data))
	sdec.KnownFields(true)
	if err := sdec.Decode(decoded); err != nil {
		return nil, yamlError(name, lines, err)
	}
	decoded.disablePos = cfg.disablePos
	return decoded, nil
}

// parser walks a YAML node tree, validating it against the schema.
type parser struct {
	name  string
	lines bool
	errs  []error
}

func (p *parser) pos(n *yaml.Node) string {
	if p.lines {
		return fmt.Sprintf("%s:%d", p.name, n.Line)
	}
	return p.name
}

func (p *parser) errorf(n *yaml.Node, path, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if path != "" {
		msg = path + ": " + msg
	}
	p.errs = append(p.errs, fmt.Errorf("%s: %s", p.pos(n), msg))
}

// describe names the kind of a node for "want X, got Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "null"
		}
		return strconv.Quote(n.Value)
	}
	return "nothing"
}

func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// mapping returns the key/value pairs of mapping node n, reporting
// duplicate keys and non-string keys.
func (p *parser) mapping(n *yaml.Node, path string) (keys []*yaml.Node, vals []*yaml.Node) {
	first := make(map[string]int)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, path, "want a string key, got %s", describe(k))
			continue
		}
		if line, dup := first[k.Value]; dup {
			p.errorf(k, path, "duplicate key %q (first at line %d)", k.Value, line)
			continue
		}
		first[k.Value] = k.Line
		keys, vals = append(keys, k), append(vals, v)
	}
	return keys, vals
}

var (
	topKeys = []string{"disable", "exclude", "learn", "functions"}
	// learnSources are the knowledge sources that are off by default,
	// because their precision on real code is not measured yet.
	learnSources = []string{"headers", "gir"}
	funcKeys     = []string{"name", "allocates", "out", "family", "frees", "takes", "keeps", "borrowed", "blocks", "thread-affine", "error-neutral", "frees-on-error", "noreturn", "signal", "signal-arg", "signals"}
)

// want lists names as "a, b or c".
func want(names []string) string {
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

func (p *parser) config(root *yaml.Node) *Config {
	cfg := &Config{}
	n := root
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return cfg
		}
		n = n.Content[0]
	}
	n = resolve(n)
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return cfg
	}
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "", "want a mapping with keys %s, got %s", want(topKeys), describe(n))
		return cfg
	}
	keys, vals := p.mapping(n, "")
	for i, k := range keys {
		v := vals[i]
		switch k.Value {
		case "disable":
			p.disable(cfg, v)
		case "exclude":
			p.exclude(v)
		case "learn":
			p.learn(v)
		case "functions":
			p.functions(v)
		default:
			p.errorf(k, "", "unknown key %q (want %s)", k.Value, want(topKeys))
		}
	}
	return cfg
}

func (p *parser) disable(cfg *Config, v *yaml.Node) {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return
	}
	if v.Kind != yaml.SequenceNode {
		p.errorf(v, "disable", "want a list of check names, got %s", describe(v))
		return
	}
	for i, e := range v.Content {
		e = resolve(e)
		path := fmt.Sprintf("disable[%d]", i)
		switch {
		case e.Kind != yaml.ScalarNode || e.Tag != "!!str":
			p.errorf(e, path, "want a check name, got %s", describe(e))
		case e.Value == "":
			p.errorf(e, path, "empty check name")
		default:
			cfg.Disable = append(cfg.Disable, e.Value)
			cfg.disablePos = append(cfg.disablePos, p.pos(e))
		}
	}
}

func (p *parser) exclude(v *yaml.Node) {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return
	}
	if v.Kind != yaml.SequenceNode {
		p.errorf(v, "exclude", "want a list of path patterns, got %s", describe(v))
		return
	}
	for i, e := range v.Content {
		e = resolve(e)
		path := fmt.Sprintf("exclude[%d]", i)
		if e.Kind != yaml.ScalarNode || e.Tag != "!!str" {
			p.errorf(e, path, "want a path pattern, got %s", describe(e))
			continue
		}
		if _, err := compilePattern(e.Value); err != nil {
			p.errorf(e, path, "%v", err)
		}
	}
}

func (p *parser) learn(v *yaml.Node) {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return
	}
	if v.Kind != yaml.SequenceNode {
		p.errorf(v, "learn", "want a list of knowledge sources (%s), got %s", want(learnSources), describe(v))
		return
	}
	for i, e := range v.Content {
		e = resolve(e)
		path := fmt.Sprintf("learn[%d]", i)
		if e.Kind != yaml.ScalarNode || e.Tag != "!!str" || !slices.Contains(learnSources, e.Value) {
			p.errorf(e, path, "want a knowledge source (%s), got %s", want(learnSources), describe(e))
		}
	}
}

// Learns reports whether c turns on the knowledge source src ("headers":
// attributes and types in the headers a preamble includes; "gir":
// GObject-Introspection data of its pkg-config packages).
func (c *Config) Learns(src string) bool {
	return c != nil && slices.Contains(c.Learn, src)
}

var cIdent = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func (p *parser) functions(v *yaml.Node) {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return
	}
	if v.Kind != yaml.SequenceNode {
		p.errorf(v, "functions", "want a list of functions, each a mapping with a name key (- name: f), got %s", describe(v))
		return
	}
	first := make(map[string]*yaml.Node) // name -> its first name node
	firstIdx := make(map[string]int)
	for i, e := range v.Content {
		e = resolve(e)
		path := fmt.Sprintf("functions[%d]", i)
		n := p.function(e, path)
		if n == nil {
			continue
		}
		if prev, dup := first[n.Value]; dup {
			at := fmt.Sprintf("functions[%d]", firstIdx[n.Value])
			if p.lines {
				at = fmt.Sprintf("line %d", prev.Line)
			}
			p.errorf(n, path+".name", "%s already declared at %s", n.Value, at)
			continue
		}
		first[n.Value], firstIdx[n.Value] = n, i
	}
}

// function checks the function entry v at path and returns its name node
// if the name is valid.
func (p *parser) function(v *yaml.Node, path string) (nameNode *yaml.Node) {
	if v.Kind != yaml.MappingNode {
		p.errorf(v, path, "want a mapping of name and roles (%s), got %s", want(funcKeys), describe(v))
		return nil
	}
	keys, vals := p.mapping(v, path)
	name := ""
	for i, k := range keys {
		if k.Value != "name" {
			continue
		}
		npath := path + ".name"
		if s, ok := p.str(vals[i], npath, "a C function name"); ok {
			switch {
			case s == "":
				p.errorf(vals[i], npath, "empty function name")
			case !cIdent.MatchString(s):
				p.errorf(vals[i], npath, "function name %q is not a C identifier", s)
			default:
				name, nameNode = s, vals[i]
			}
		}
		break
	}
	if !slices.ContainsFunc(keys, func(k *yaml.Node) bool { return k.Value == "name" }) {
		p.errorf(v, path, "missing name")
	}
	var allocates, frees, signal, signalArg, signals, family, out, borrowed, freesOnError *yaml.Node
	for i, k := range keys {
		v := vals[i]
		kpath := path + "." + k.Value
		switch k.Value {
		case "name":
			// Checked above.
		case "allocates":
			allocates = v
			if s, ok := p.str(v, kpath, "the name of the deallocator"); ok {
				switch {
				case s != "" && s == name:
					p.errorf(v, kpath, "%s cannot be its own deallocator", name)
				case !cIdent.MatchString(s):
					p.errorf(v, kpath, "deallocator name %q is not a C identifier", s)
				}
			}
		case "family":
			family = v
			if s, ok := p.str(v, kpath, "an allocator family name"); ok && s == "" {
				p.errorf(v, kpath, "empty family name")
			}
		case "frees", "takes", "keeps", "out":
			switch k.Value {
			case "frees":
				frees = v
			case "out":
				out = v
			}
			p.indices(v, kpath)
		case "blocks", "thread-affine", "borrowed", "error-neutral", "frees-on-error", "noreturn":
			if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
				p.errorf(v, kpath, "want true or false, got %s", describe(v))
			} else if k.Value == "borrowed" && v.Value == "true" {
				borrowed = v
			} else if k.Value == "frees-on-error" && v.Value == "true" {
				freesOnError = v
			}
		case "signals":
			signals = v
			p.signalNames(v, kpath)
		case "signal":
			signal = v
			if s, ok := p.str(v, kpath, "install, mask or raise"); ok && s != "install" && s != "mask" && s != "raise" {
				p.errorf(v, kpath, "%q is not one of install, mask or raise", s)
			}
		case "signal-arg":
			signalArg = v
			p.index(v, kpath)
		default:
			p.errorf(k, path, "unknown key %q (want %s)", k.Value, want(funcKeys))
		}
	}
	if signalArg != nil && signal == nil {
		p.errorf(signalArg, path+".signal-arg", "signal-arg requires signal")
	}
	if family != nil && allocates == nil && frees == nil {
		p.errorf(family, path+".family", "family requires allocates or frees")
	}
	if signals != nil && signal == nil {
		p.errorf(signals, path+".signals", "signals requires signal")
	}
	if freesOnError != nil && frees == nil {
		p.errorf(freesOnError, path+".frees-on-error", "frees-on-error requires frees")
	}
	if out != nil && allocates == nil {
		p.errorf(out, path+".out", "out requires allocates (the name of the deallocator)")
	}
	if borrowed != nil && allocates != nil && out == nil {
		p.errorf(borrowed, path+".borrowed", "a borrowed result contradicts allocates (use out for an owned out-parameter)")
	}
	return nameNode
}

var signalName = regexp.MustCompile(`^SIG[A-Z0-9]+$`)

// signalNames checks that v is a list of distinct signal names (SIGINT).
func (p *parser) signalNames(v *yaml.Node, path string) {
	if v.Kind != yaml.SequenceNode {
		p.errorf(v, path, "want a list of signal names, got %s", describe(v))
		return
	}
	var seen []string
	for i, e := range v.Content {
		e = resolve(e)
		epath := fmt.Sprintf("%s[%d]", path, i)
		switch {
		case e.Kind != yaml.ScalarNode || e.Tag != "!!str" || !signalName.MatchString(e.Value):
			p.errorf(e, epath, "want a signal name such as SIGINT, got %s", describe(e))
		case slices.Contains(seen, e.Value):
			p.errorf(e, epath, "repeated signal %s", e.Value)
		default:
			seen = append(seen, e.Value)
		}
	}
}

// str checks that v is a string and returns it.
func (p *parser) str(v *yaml.Node, path, what string) (string, bool) {
	if v.Kind != yaml.ScalarNode || v.Tag != "!!str" {
		p.errorf(v, path, "want %s, got %s", what, describe(v))
		return "", false
	}
	return v.Value, true
}

// indices checks that v is a list of distinct parameter indices.
func (p *parser) indices(v *yaml.Node, path string) {
	if v.Kind != yaml.SequenceNode {
		p.errorf(v, path, "want a list of parameter indices, got %s", describe(v))
		return
	}
	var seen []int
	for i, e := range v.Content {
		e = resolve(e)
		epath := fmt.Sprintf("%s[%d]", path, i)
		if x, ok := p.index(e, epath); ok {
			if slices.Contains(seen, x) {
				p.errorf(e, epath, "repeated parameter index %d", x)
			}
			seen = append(seen, x)
		}
	}
}

// index checks that v is a non-negative integer.
func (p *parser) index(v *yaml.Node, path string) (int, bool) {
	if v.Kind != yaml.ScalarNode || v.Tag != "!!int" {
		p.errorf(v, path, "want a parameter index, got %s", describe(v))
		return 0, false
	}
	var x int
	if err := v.Decode(&x); err != nil {
		p.errorf(v, path, "want a parameter index, got %s", describe(v))
		return 0, false
	}
	if x < 0 {
		p.errorf(v, path, "negative parameter index %d", x)
		return 0, false
	}
	return x, true
}

// KB returns the shipped knowledge base (Shipped: the built-in table and
// the library data) extended with c's functions (Origin
// cfuncs.OriginConfig), which replace shipped entries of the same name. A
// nil Config gives the shipped one.
//
// The result is computed once per Config and shared by later calls, which
// may be concurrent; it must not be modified (cfuncs.KB.Extend copies).
func (c *Config) KB() *cfuncs.KB {
	if c == nil || len(c.Functions) == 0 {
		return Shipped()
	}
	if kb := c.kb.Load(); kb != nil {
		return kb
	}
	// An entry that restates the shipped one exactly (as `cgolint kb`
	// prints them) keeps the shipped entry: the checks that know a built-in
	// function's arguments (sigaction's flags) still recognise it.
	var fs []*cfuncs.Func
	for _, f := range funcs(c.Functions, c.Functions, Shipped(), cfuncs.OriginConfig, "") {
		if !f.SameRoles(Shipped().Lookup(f.Name)) {
			fs = append(fs, f)
		}
	}
	// Concurrent first calls may each build one; all return the first stored.
	c.kb.CompareAndSwap(nil, Shipped().Extend(fs...))
	return c.kb.Load()
}

// SpecOf returns the configuration entry that gives a function f's roles,
// and false if the schema cannot express them all (a built-in entry's
// hostile role, or the handler flags inferred from a preamble).
func SpecOf(f *cfuncs.Func) (FuncSpec, bool) {
	s := FuncSpec{
		Name:         f.Name,
		Frees:        slices.Clone(f.Frees),
		Takes:        slices.Clone(f.Takes),
		Keeps:        slices.Clone(f.Keeps),
		Blocks:       f.Blocks,
		ThreadAffine: f.ThreadAffine,
		Borrowed:     f.Borrowed,
		ErrorNeutral: f.ErrorNeutral,
		FreesOnError: f.FreesOnError,
		NoReturn:     f.NoReturn,
	}
	ok := f.Hostile == cfuncs.NotHostile && f.OnStack < 0
	if f.Allocates || len(f.AllocOut) > 0 {
		s.Allocates = f.Dealloc
		s.Out = slices.Clone(f.AllocOut)
		ok = ok && f.Dealloc != "" && !(f.Allocates && len(f.AllocOut) > 0)
	}
	if s.Allocates != "" || len(s.Frees) > 0 {
		s.Family = f.Family
	}
	switch f.Signal {
	case cfuncs.Installs:
		s.Signal = "install"
	case cfuncs.Masks:
		s.Signal = "mask"
	case cfuncs.Raises:
		s.Signal = "raise"
	}
	if f.Signal != cfuncs.None {
		if f.SignalArg >= 0 {
			i := f.SignalArg
			s.SignalArg = &i
		}
		s.Signals = slices.Clone(f.Signals)
	}
	return s, ok
}

// funcs converts specs to knowledge-base entries. The families of
// deallocators are resolved in decl (specs declared together), then base.
func funcs(specs, decl []FuncSpec, base *cfuncs.KB, origin cfuncs.Origin, source string) []*cfuncs.Func {
	byName := make(map[string]*FuncSpec, len(decl))
	for i := range decl {
		if _, dup := byName[decl[i].Name]; !dup {
			byName[decl[i].Name] = &decl[i]
		}
	}
	fs := make([]*cfuncs.Func, 0, len(specs))
	for _, s := range specs {
		f := &cfuncs.Func{
			Name:         s.Name,
			Allocates:    s.Allocates != "" && len(s.Out) == 0,
			AllocOut:     slices.Clone(s.Out),
			Dealloc:      s.Allocates,
			Frees:        slices.Clone(s.Frees),
			Takes:        slices.Clone(s.Takes),
			Keeps:        slices.Clone(s.Keeps),
			Blocks:       s.Blocks,
			ThreadAffine: s.ThreadAffine,
			Borrowed:     s.Borrowed,
			ErrorNeutral: s.ErrorNeutral,
			FreesOnError: s.FreesOnError,
			NoReturn:     s.NoReturn,
			SignalArg:    -1,
			OnStack:      -1,
			Origin:       origin,
			Source:       source,
		}
		switch s.Signal {
		case "install":
			f.Signal = cfuncs.Installs
		case "mask":
			f.Signal = cfuncs.Masks
		case "raise":
			f.Signal = cfuncs.Raises
		}
		if f.Signal != cfuncs.None {
			if s.SignalArg != nil {
				f.SignalArg = *s.SignalArg
			}
			f.Signals = slices.Compact(slices.Sorted(slices.Values(s.Signals)))
		}
		switch {
		case s.Allocates != "":
			f.Family = family(byName, base, s.Allocates, s.Family)
		case len(s.Frees) > 0:
			f.Family = family(byName, base, s.Name, s.Family)
		}
		fs = append(fs, f)
	}
	return fs
}

// family returns the family of deallocator dealloc: explicit if given, else
// the one declared for dealloc in specs, else base's, else its name.
func family(specs map[string]*FuncSpec, base *cfuncs.KB, dealloc, explicit string) string {
	if explicit != "" {
		return explicit
	}
	if s, ok := specs[dealloc]; ok && s.Family != "" {
		return s.Family
	}
	if f := base.Lookup(dealloc); f != nil && f.Family != "" {
		return f.Family
	}
	return dealloc
}

// CacheOff reports whether the C front end's on-disk cache is off: by
// c.CNoCache or by CGOLINT_CACHE=off in the environment.
func (c *Config) CacheOff() bool {
	return c != nil && c.CNoCache || os.Getenv("CGOLINT_CACHE") == "off"
}

// Enabled reports whether check is not disabled by c (by the file or the
// -disable flag). A check some of whose categories are disabled is enabled.
func (c *Config) Enabled(check string) bool {
	return c == nil || !(slices.Contains(c.Disable, check) || slices.Contains(c.flagDisable, check))
}

// Disabled reports whether findings of check with category are turned off:
// the check is disabled, or "check/category" is.
func (c *Config) Disabled(check, category string) bool {
	if c == nil || category == "" {
		return !c.Enabled(check)
	}
	if !c.Enabled(check) {
		return true
	}
	name := check + "/" + category
	return slices.Contains(c.Disable, name) || slices.Contains(c.flagDisable, name)
}

// SomeDisabled reports whether check or any of its categories is disabled.
func (c *Config) SomeDisabled(check string) bool {
	if c == nil {
		return false
	}
	for _, name := range slices.Concat(c.Disable, c.flagDisable) {
		if name == check || strings.HasPrefix(name, check+"/") {
			return true
		}
	}
	return false
}

// Validate reports the names in c.Disable that are neither among known
// (the suite's check names and its "check/category" names) nor, each error
// naming the entry (and, for a parsed file, its file and line) and listing
// the valid names: the checks, or the categories of the named check.
func (c *Config) Validate(known []string) error {
	if c == nil {
		return nil
	}
	var errs []error
	for i, name := range c.Disable {
		if err := checkName(name, known); err != nil {
			pos := "config"
			if len(c.disablePos) == len(c.Disable) {
				pos = c.disablePos[i]
			}
			errs = append(errs, fmt.Errorf("%s: disable[%d]: %v", pos, i, err))
		}
	}
	return errors.Join(errs...)
}

// checkName returns an error if name, a check or check/category name, is
// not among known; the error lists the valid names.
func checkName(name string, known []string) error {
	if slices.Contains(known, name) {
		return nil
	}
	var checks []string
	cats := map[string][]string{}
	for _, k := range known {
		if check, cat, ok := strings.Cut(k, "/"); ok {
			cats[check] = append(cats[check], cat)
		} else {
			checks = append(checks, k)
		}
	}
	slices.Sort(checks)
	check, cat, isCat := strings.Cut(name, "/")
	if !isCat {
		return fmt.Errorf("unknown check %q (known checks: %s)", name, strings.Join(checks, ", "))
	}
	if !slices.Contains(checks, check) {
		return fmt.Errorf("unknown check %q in %q (known checks: %s)", check, name, strings.Join(checks, ", "))
	}
	if len(cats[check]) == 0 {
		return fmt.Errorf("unknown category %q: %s has no categories (disable it whole)", cat, check)
	}
	return fmt.Errorf("unknown category %q of %s (its categories: %s)", cat, check, strings.Join(cats[check], ", "))
}

// Flag is a flag.Value for -config=path. Set loads the file into the Config
// that Cfg points at, replacing its contents, so analyzers built earlier
// with that *Config see it once flags are parsed. Set with an empty path
// resets the Config to its zero value.
type Flag struct {
	Cfg  *Config
	path string
}

var _ flag.Value = (*Flag)(nil)

// String returns the path last set.
func (f *Flag) String() string {
	if f == nil {
		return ""
	}
	return f.path
}

// Set loads the configuration file at path into f.Cfg.
func (f *Flag) Set(path string) error {
	if f.Cfg == nil {
		return errors.New("config.Flag: no Config to load into")
	}
	if path == "" {
		f.Cfg.replace(&Config{})
		f.path = ""
		return nil
	}
	cfg, err := Load(path)
	if err != nil {
		return err
	}
	f.Cfg.replace(cfg)
	f.path = path
	return nil
}

// replace sets c's contents to those of src and forgets c's memoised KB
// and patterns. The -disable flag's names stay.
func (c *Config) replace(src *Config) {
	c.Disable = src.Disable
	c.Exclude = src.Exclude
	c.Learn = src.Learn
	c.Functions = src.Functions
	c.disablePos = src.disablePos
	c.kb.Store(nil)
	c.excl.Store(nil)
}

// DisableFlag is a flag.Value for -disable=name[,name...]: checks and
// check/category names to turn off, as in the file's disable key, added to
// it (in any order with -config). Set checks each name against Known.
type DisableFlag struct {
	Cfg   *Config
	Known []string // the valid names (see Config.Validate)
}

var _ flag.Value = (*DisableFlag)(nil)

// String returns the names set, comma-separated.
func (f *DisableFlag) String() string {
	if f == nil || f.Cfg == nil {
		return ""
	}
	return strings.Join(f.Cfg.flagDisable, ",")
}

// Set adds the comma-separated names to the disabled ones.
func (f *DisableFlag) Set(list string) error {
	if f.Cfg == nil {
		return errors.New("config.DisableFlag: no Config to set")
	}
	var errs []error
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if err := checkName(name, f.Known); err != nil {
			errs = append(errs, err)
			continue
		}
		f.Cfg.flagDisable = append(f.Cfg.flagDisable, name)
	}
	return errors.Join(errs...)
}
