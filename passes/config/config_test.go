package config_test

import (
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cgolint/cgolint/passes/cfuncs"
	"github.com/cgolint/cgolint/passes/config"
)

const good = `# cgolint configuration
disable:
  - cblocking
functions:
  - name: git_buf_dispose
    frees: [0]
  - name: my_buf_new
    allocates: my_buf_free
  - name: my_buf_free
    frees: [0]
  - name: my_str
    allocates: sqlite3_free
  - name: my_other
    allocates: my_release
    family: mine
  - name: my_lib_set_logger
    keeps: [1]
  - name: my_queue_push
    takes: [1, 2]
  - name: my_lib_wait
    blocks: true
  - name: my_lib_last_error
    thread-affine: true
  - name: my_lib_catch
    signal: install
    signal-arg: 0
  - name: my_lib_block
    signal: mask
  - name: sleep
    blocks: false
  - name: xmlFree
    frees: [0]
  - name: xmlNewDoc
    allocates: xmlFreeDoc
`

func TestParseGood(t *testing.T) {
	cfg, err := config.Parse("cgolint.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cfg.Disable, []string{"cblocking"}) || len(cfg.Functions) != 14 {
		t.Fatalf("parsed %+v", cfg)
	}
	if cfg.Enabled("cblocking") || !cfg.Enabled("cfree") {
		t.Error("Enabled")
	}
	kb := cfg.KB()
	tests := []struct {
		name  string
		check func(f *cfuncs.Func) bool
	}{
		{"git_buf_dispose", func(f *cfuncs.Func) bool { return f.FreesArg(0) && f.Family == "git_buf_dispose" }},
		{"my_buf_new", func(f *cfuncs.Func) bool {
			return f.Allocates && f.Dealloc == "my_buf_free" && f.Family == "my_buf_free" && f.Origin == cfuncs.OriginConfig
		}},
		{"my_buf_free", func(f *cfuncs.Func) bool { return f.FreesArg(0) && f.Family == "my_buf_free" }},
		{"my_str", func(f *cfuncs.Func) bool { return f.Dealloc == "sqlite3_free" && f.Family == "sqlite3" }},
		{"my_other", func(f *cfuncs.Func) bool { return f.Family == "mine" }},
		{"my_lib_set_logger", func(f *cfuncs.Func) bool { return f.KeepsArg(1) }},
		{"my_queue_push", func(f *cfuncs.Func) bool { return f.TakesArg(1) && f.TakesArg(2) }},
		{"my_lib_wait", func(f *cfuncs.Func) bool { return f.Blocks }},
		{"my_lib_last_error", func(f *cfuncs.Func) bool { return f.ThreadAffine }},
		{"my_lib_catch", func(f *cfuncs.Func) bool { return f.Signal == cfuncs.Installs && f.SignalArg == 0 }},
		{"my_lib_block", func(f *cfuncs.Func) bool { return f.Signal == cfuncs.Masks && f.SignalArg == -1 }},
		{"sleep", func(f *cfuncs.Func) bool { return !f.Blocks && f.Origin == cfuncs.OriginConfig }},
		// xmlFree restates the shipped entry exactly: the shipped one stays.
		{"xmlFree", func(f *cfuncs.Func) bool {
			return f.FreesArg(0) && f.Name == "xmlFree" && f.Origin == cfuncs.OriginLibrary
		}},
		{"xmlNewDoc", func(f *cfuncs.Func) bool { return f.Dealloc == "xmlFreeDoc" && f.Family == "xmlFreeDoc" }},
		{"malloc", func(f *cfuncs.Func) bool { return f.Allocates && f.Origin == cfuncs.OriginBuiltin }},
	}
	for _, tt := range tests {
		f := kb.Lookup(tt.name)
		if f == nil || !tt.check(f) {
			t.Errorf("KB().Lookup(%q) = %+v", tt.name, f)
		}
	}
	if !kb.SameFamily("my_buf_new", "my_buf_free") || !kb.WrongFamily("my_buf_new", "free") {
		t.Error("configured family not seen by SameFamily/WrongFamily")
	}
	if !cfuncs.Builtin().Lookup("sleep").Blocks {
		t.Error("KB() changed the builtin table")
	}
	if kb.Lookup("xmlfree") != nil || kb.Lookup("xmlnewdoc") != nil {
		t.Error("KB() holds a lowercased name")
	}
	if i := slices.IndexFunc(cfg.Functions, func(s config.FuncSpec) bool { return s.Name == "xmlFree" }); i != 12 ||
		!slices.Equal(cfg.Functions[i].Frees, []int{0}) {
		t.Errorf("Functions = %+v, want xmlFree at 12", cfg.Functions)
	}
}

func TestKBMemo(t *testing.T) {
	cfg, err := config.Parse("cgolint.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	kbs := make(chan *cfuncs.KB, 8)
	var wg sync.WaitGroup
	for range cap(kbs) {
		wg.Go(func() { kbs <- cfg.KB() })
	}
	wg.Wait()
	close(kbs)
	first := cfg.KB()
	for kb := range kbs {
		if kb != first {
			t.Fatal("concurrent KB() calls returned different knowledge bases")
		}
	}
	if first == config.Shipped() || first.Lookup("my_buf_new") == nil {
		t.Fatal("KB() lacks the configured functions")
	}
	if n := testing.AllocsPerRun(100, func() { _ = cfg.KB() }); n != 0 {
		t.Errorf("repeated KB() allocates %v times", n)
	}

	// Flag.Set replaces the Config and forgets the memo.
	dir := t.TempDir()
	path := filepath.Join(dir, "other.yaml")
	if err := os.WriteFile(path, []byte("functions:\n  - name: other_free\n    frees: [0]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fl := &config.Flag{Cfg: cfg}
	if err := fl.Set(path); err != nil {
		t.Fatal(err)
	}
	if kb := cfg.KB(); kb == first || kb.Lookup("other_free") == nil || kb.Lookup("my_buf_new") != nil {
		t.Error("KB() after Flag.Set still the old knowledge base")
	}
	if err := fl.Set(""); err != nil || cfg.KB() != config.Shipped() {
		t.Errorf("KB() after Flag.Set(\"\") is not the built-in one (%v)", err)
	}
}

func TestParseJSONAndEmpty(t *testing.T) {
	cfg, err := config.Parse("c.json", []byte(`{"disable": ["cfree"], "functions": [{"name": "xmlFree", "frees": [0], "thread-affine": true}]}`))
	if err != nil {
		t.Fatal(err)
	}
	want := mustFromSettings(t, map[string]any{"disable": []any{"cfree"}, "functions": []any{map[string]any{"thread-affine": true, "name": "xmlFree", "frees": []any{0}}}})
	if !reflect.DeepEqual(cfg.Disable, want.Disable) || !reflect.DeepEqual(cfg.Functions, want.Functions) {
		t.Errorf("JSON and settings differ: %+v, %+v", cfg, want)
	}
	if len(cfg.Functions) != 1 || cfg.Functions[0].Name != "xmlFree" {
		t.Errorf("Functions = %+v", cfg.Functions)
	}
	for _, src := range []string{"", "# nothing\n", "---\n", "disable:\nfunctions:\n", "functions: []\n", "{}"} {
		cfg, err := config.Parse("e.yaml", []byte(src))
		if err != nil || len(cfg.Disable) != 0 || len(cfg.Functions) != 0 {
			t.Errorf("Parse(%q) = %+v, %v; want empty", src, cfg, err)
		}
	}
	var nilCfg *config.Config
	if nilCfg.KB() != config.Shipped() || !nilCfg.Enabled("cfree") || nilCfg.Validate(nil) != nil {
		t.Error("nil Config")
	}
}

func mustFromSettings(t *testing.T, s any) *config.Config {
	t.Helper()
	cfg, err := config.FromSettings(s)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"unknown top key", "disable: [cfree]\ndisabled: [x]\n",
			`c.yaml:2: unknown key "disabled" (want disable, exclude, learn or functions)`},
		{"unknown function key", "functions:\n  - name: f\n    frees: [0]\n    alocates: free\n",
			`c.yaml:4: functions[0]: unknown key "alocates" (want name, allocates, out, family, frees, takes, keeps, borrowed, blocks, thread-affine, error-neutral, frees-on-error, noreturn, signal, signal-arg or signals)`},
		{"wrong type list", "functions:\n  - name: f\n    frees: 0\n",
			`c.yaml:3: functions[0].frees: want a list of parameter indices, got "0"`},
		{"wrong type element", "functions:\n  - name: g\n  - name: f\n    keeps: [0, one]\n",
			`c.yaml:4: functions[1].keeps[1]: want a parameter index, got "one"`},
		{"wrong type bool", "functions:\n  - name: f\n    blocks: \"yes\"\n",
			`c.yaml:3: functions[0].blocks: want true or false, got "yes"`},
		{"wrong type string", "functions:\n  - name: f\n    allocates: 3\n",
			`c.yaml:3: functions[0].allocates: want the name of the deallocator, got "3"`},
		{"wrong type disable", "disable: cfree\n",
			`c.yaml:1: disable: want a list of check names, got "cfree"`},
		{"old map form", "functions:\n  xmlFree:\n    frees: [0]\n",
			`c.yaml:2: functions: want a list of functions, each a mapping with a name key (- name: f), got a mapping`},
		{"wrong type function", "functions:\n  - [0]\n",
			`c.yaml:2: functions[0]: want a mapping of name and roles (name, allocates, out, family, frees, takes, keeps, borrowed, blocks, thread-affine, error-neutral, frees-on-error, noreturn, signal, signal-arg or signals), got a list`},
		{"wrong type root", "- cfree\n",
			`c.yaml:1: want a mapping with keys disable, exclude, learn or functions, got a list`},
		{"negative index", "functions:\n  - name: f\n    takes:\n      - 1\n      - -1\n",
			`c.yaml:5: functions[0].takes[1]: negative parameter index -1`},
		{"negative signal-arg", "functions:\n  - name: f\n    signal: raise\n    signal-arg: -2\n",
			`c.yaml:4: functions[0].signal-arg: negative parameter index -2`},
		{"repeated index", "functions:\n  - name: f\n    frees: [1, 1]\n",
			`c.yaml:3: functions[0].frees[1]: repeated parameter index 1`},
		{"unknown learn source", "learn: [headers, guesses]\n",
			`c.yaml:1: learn[1]: want a knowledge source (headers or gir), got "guesses"`},
		{"wrong type learn", "learn: headers\n",
			`c.yaml:1: learn: want a list of knowledge sources (headers or gir), got "headers"`},
		{"out without allocates", "functions:\n  - name: f\n    out: [1]\n",
			`c.yaml:3: functions[0].out: out requires allocates (the name of the deallocator)`},
		{"borrowed and allocates", "functions:\n  - name: f\n    allocates: g\n    borrowed: true\n",
			`c.yaml:4: functions[0].borrowed: a borrowed result contradicts allocates (use out for an owned out-parameter)`},
		{"signals without signal", "functions:\n  - name: f\n    signals: [SIGINT]\n",
			`c.yaml:3: functions[0].signals: signals requires signal`},
		{"bad signal name", "functions:\n  - name: f\n    signal: install\n    signals: [SIGINT, int]\n",
			`c.yaml:4: functions[0].signals[1]: want a signal name such as SIGINT, got "int"`},
		{"repeated signal", "functions:\n  - name: f\n    signal: install\n    signals: [SIGINT, SIGINT]\n",
			`c.yaml:4: functions[0].signals[1]: repeated signal SIGINT`},
		{"frees-on-error without frees", "functions:\n  - name: f\n    frees-on-error: true\n",
			`c.yaml:3: functions[0].frees-on-error: frees-on-error requires frees`},
		{"wrong type error-neutral", "functions:\n  - name: f\n    error-neutral: 1\n",
			`c.yaml:3: functions[0].error-neutral: want true or false, got "1"`},
		{"wrong type noreturn", "functions:\n  - name: f\n    noreturn: yes please\n",
			`c.yaml:3: functions[0].noreturn: want true or false, got "yes please"`},
		{"bad signal", "functions:\n  - name: f\n    signal: catch\n",
			`c.yaml:3: functions[0].signal: "catch" is not one of install, mask or raise`},
		{"signal-arg alone", "functions:\n  - name: f\n    signal-arg: 0\n",
			`c.yaml:3: functions[0].signal-arg: signal-arg requires signal`},
		{"family alone", "functions:\n  - name: f\n    blocks: true\n    family: x\n",
			`c.yaml:4: functions[0].family: family requires allocates or frees`},
		{"allocates itself", "functions:\n  - name: my_new\n    allocates: my_new\n",
			`c.yaml:3: functions[0].allocates: my_new cannot be its own deallocator`},
		{"missing name", "functions:\n  - name: f\n    blocks: true\n  - frees: [0]\n",
			`c.yaml:4: functions[1]: missing name`},
		{"empty mapping", "functions:\n  - {}\n",
			`c.yaml:2: functions[0]: missing name`},
		{"empty function name", "functions:\n  - name: \"\"\n    blocks: true\n",
			`c.yaml:2: functions[0].name: empty function name`},
		{"null function name", "functions:\n  - name:\n    blocks: true\n",
			`c.yaml:2: functions[0].name: want a C function name, got null`},
		{"wrong type name", "functions:\n  - name: 3\n",
			`c.yaml:2: functions[0].name: want a C function name, got "3"`},
		{"not an identifier", "functions:\n  - name: foo bar\n    blocks: true\n",
			`c.yaml:2: functions[0].name: function name "foo bar" is not a C identifier`},
		{"duplicate function", "functions:\n  - name: xmlFree\n    frees: [0]\n  - name: g\n    blocks: true\n  - name: h\n  - blocks: true\n    name: xmlFree\n",
			`c.yaml:8: functions[3].name: xmlFree already declared at line 2`},
		{"names are case-sensitive", "functions:\n  - name: xmlFree\n  - name: xmlfree\n  - name: XMLFREE\n  - name: xmlfree\n",
			`c.yaml:5: functions[3].name: xmlfree already declared at line 3`},
		{"duplicate name key", "functions:\n  - name: f\n    name: g\n",
			`c.yaml:3: functions[0]: duplicate key "name" (first at line 2)`},
		{"duplicate role", "functions:\n  - name: f\n    blocks: true\n    blocks: false\n",
			`c.yaml:4: functions[0]: duplicate key "blocks" (first at line 3)`},
		{"duplicate top", "disable: []\ndisable: [cfree]\n",
			`c.yaml:2: duplicate key "disable" (first at line 1)`},
		{"empty check name", "disable: [cfree, \"\"]\n",
			`c.yaml:1: disable[1]: empty check name`},
		{"syntax", "disable: [cfree\n",
			`c.yaml:1: did not find expected ',' or ']'`},
		{"two documents", "disable: []\n---\ndisable: []\n",
			`c.yaml:2: more than one YAML document`},
		{"several errors", "functions:\n  - name: f\n    frees: [-1]\n    signal: x\n  - frees: [0]\n",
			"c.yaml:3: functions[0].frees[0]: negative parameter index -1\nc.yaml:4: functions[0].signal: \"x\" is not one of install, mask or raise\nc.yaml:5: functions[1]: missing name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := config.Parse("c.yaml", []byte(tt.src))
			if err == nil {
				t.Fatalf("Parse = %+v, want error %q", cfg, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("Parse error:\n got %s\nwant %s", err, tt.want)
			}
		})
	}
}

func TestFromSettings(t *testing.T) {
	cfg, err := config.FromSettings(map[string]any{
		"disable": []any{"csignal"},
		"functions": []any{
			map[string]any{"name": "my_new", "allocates": "my_free"},
			map[string]any{"name": "my_free", "frees": []any{0}},
			map[string]any{"name": "xmlFree", "frees": []any{0}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Enabled("csignal") || !cfg.KB().SameFamily("my_new", "my_free") {
		t.Errorf("FromSettings = %+v", cfg)
	}
	if f := cfg.KB().Lookup("xmlFree"); f == nil || !f.FreesArg(0) || cfg.Functions[2].Name != "xmlFree" {
		t.Errorf("FromSettings lost the case of xmlFree: %+v", cfg.Functions)
	}
	if cfg, err := config.FromSettings(nil); err != nil || cfg.KB() != config.Shipped() {
		t.Errorf("FromSettings(nil) = %+v, %v", cfg, err)
	}
	if err := cfg.Validate([]string{"cfree"}); err == nil ||
		err.Error() != `cgolint settings: disable[0]: unknown check "csignal" (known checks: cfree)` {
		t.Errorf("Validate = %v", err)
	}
	bad := []struct {
		settings any
		want     string
	}{
		{map[string]any{"disabled": []any{"x"}}, `cgolint settings: unknown key "disabled" (want disable, exclude, learn or functions)`},
		{fns(map[string]any{"name": "f", "frees": []any{-1}}), `cgolint settings: functions[0].frees[0]: negative parameter index -1`},
		{fns(map[string]any{"name": "f"}, map[string]any{"name": "g", "signal": "trap"}), `cgolint settings: functions[1].signal: "trap" is not one of install, mask or raise`},
		{fns(map[string]any{"name": "f", "blocks": "true"}), `cgolint settings: functions[0].blocks: want true or false, got "true"`},
		{fns(map[string]any{"name": "f", "unknown": 1}), `cgolint settings: functions[0]: unknown key "unknown" (want name, allocates, out, family, frees, takes, keeps, borrowed, blocks, thread-affine, error-neutral, frees-on-error, noreturn, signal, signal-arg or signals)`},
		{fns(map[string]any{"frees": []any{0}}), `cgolint settings: functions[0]: missing name`},
		{fns(map[string]any{"name": ""}), `cgolint settings: functions[0].name: empty function name`},
		{fns(map[string]any{"name": "xmlFree"}, map[string]any{"name": "g"}, map[string]any{"name": "xmlFree", "frees": []any{0}}),
			`cgolint settings: functions[2].name: xmlFree already declared at functions[0]`},
		{map[string]any{"functions": map[string]any{"xmlfree": map[string]any{"frees": []any{0}}}},
			`cgolint settings: functions: want a list of functions, each a mapping with a name key (- name: f), got a mapping`},
		{map[string]any{"f": func() {}}, `cgolint settings: cannot marshal type: func()`},
		{[]any{1}, `cgolint settings: want a mapping with keys disable, exclude, learn or functions, got a list`},
	}
	for _, tt := range bad {
		_, err := config.FromSettings(tt.settings)
		if err == nil || err.Error() != tt.want {
			t.Errorf("FromSettings(%v) error = %v, want %s", tt.settings, err, tt.want)
		}
	}
	// A Config is valid settings too.
	zero := 0
	in := &config.Config{Disable: []string{"cfree"}, Functions: []config.FuncSpec{{Name: "xmlFree", Signal: "raise", SignalArg: &zero}, {Name: "f", Frees: []int{0}}}}
	out, err := config.FromSettings(in)
	if err != nil || !reflect.DeepEqual(out.Disable, in.Disable) || !reflect.DeepEqual(out.Functions, in.Functions) {
		t.Errorf("FromSettings(Config) = %+v, %v", out, err)
	}
}

// fns returns golangci-lint-shaped settings holding the function entries es.
func fns(es ...map[string]any) map[string]any {
	l := make([]any, len(es))
	for i, e := range es {
		l[i] = e
	}
	return map[string]any{"functions": l}
}

func TestValidate(t *testing.T) {
	cfg, err := config.Parse("c.yaml", []byte("disable:\n  - cfree\n  - cblock\n  - chostile\n  - nope\n"))
	if err != nil {
		t.Fatal(err)
	}
	err = cfg.Validate([]string{"cfree", "chostile", "cblocking"})
	want := `c.yaml:3: disable[1]: unknown check "cblock" (known checks: cblocking, cfree, chostile)` + "\n" +
		`c.yaml:5: disable[3]: unknown check "nope" (known checks: cblocking, cfree, chostile)`
	if err == nil || err.Error() != want {
		t.Errorf("Validate = %v, want\n%s", err, want)
	}
	if err := cfg.Validate([]string{"cfree", "cblock", "chostile", "nope"}); err != nil {
		t.Error(err)
	}
}

func TestLoadAndFlag(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cgolint.yaml")
	if err := os.WriteFile(path, []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := config.Load(filepath.Join(dir, "missing.yaml")); err == nil {
		t.Error("Load of a missing file succeeded")
	}
	// An analyzer built before flag parsing holds the *Config.
	cfg := new(config.Config)
	fs := flag.NewFlagSet("cgolint", flag.ContinueOnError)
	fs.Var(&config.Flag{Cfg: cfg}, "config", "cgolint configuration file")
	if err := fs.Parse([]string{"-config=" + path}); err != nil {
		t.Fatal(err)
	}
	if cfg.Enabled("cblocking") || cfg.KB().Lookup("my_buf_new") == nil {
		t.Errorf("flag did not load the file: %+v", cfg)
	}
	if got := fs.Lookup("config").Value.String(); got != path {
		t.Errorf("String() = %q", got)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("disable: [a]\nfunctions:\n  - name: f\n    frees: [-1]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fs.SetOutput(new(strings.Builder))
	err := fs.Parse([]string{"-config=" + bad})
	if err == nil || !strings.Contains(err.Error(), bad+":4: functions[0].frees[0]: negative parameter index -1") {
		t.Errorf("bad file: %v", err)
	}
	if err := (&config.Flag{}).Set(path); err == nil {
		t.Error("Set with no Config succeeded")
	}
	if err := fs.Set("config", ""); err != nil || !cfg.Enabled("cblocking") {
		t.Errorf("-config= did not reset: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(good))
	f.Add([]byte(""))
	f.Add([]byte("{}"))
	f.Add([]byte("disable: [a, b]\nfunctions: [{name: f, frees: [0, 1], signal: raise, signal-arg: 1}]"))
	f.Add([]byte("a: &x {b: *x}\n"))
	f.Add([]byte("functions:\n  - &r\n    name: f\n    frees: [0]\n  - *r\n"))
	f.Add([]byte("functions:\n  - name: f\n    <<: {blocks: true}\n"))
	f.Add([]byte("--- !!map\n? [a]\n: b\n"))
	f.Add([]byte("functions:\n  - name: f\n    signal: raise\n    signal-arg: 99999999999999999999999\n"))
	f.Add([]byte("functions:\n  - name: xmlFree\n  - {name: xmlNew, allocates: xmlFree}\n  - frees: [0]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := config.Parse("f.yaml", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.yaml") {
				t.Fatalf("error without file name: %v", err)
			}
			return
		}
		kb := cfg.KB()
		for _, s := range cfg.Functions {
			// A configured entry is in force, unless it restates a shipped
			// one exactly, which then stays.
			f := kb.Lookup(s.Name)
			if f == nil || (f.Origin != cfuncs.OriginConfig && f != config.Shipped().Lookup(s.Name)) {
				t.Fatalf("KB() lacks configured %q", s.Name)
			}
		}
		if cfg.KB() != kb {
			t.Fatal("KB() not memoised")
		}
		_ = cfg.Validate([]string{"cfree"})
	})
}

func TestParseLibraryRoles(t *testing.T) {
	src := `functions:
  - name: x_open
    allocates: x_close
    out: [0]
  - name: x_close
    frees: [0]
  - name: x_name
    borrowed: true
  - name: x_errstr
    error-neutral: true
  - name: x_fatal
    noreturn: true
  - name: x_init
    signal: install
    signals: [SIGTERM, SIGINT]
  - name: sqlite3_prepare_v2
    blocks: true
`
	cfg, err := config.Parse("c.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Learns("headers") || cfg.Learns("gir") {
		t.Error("knowledge sources on by default")
	}
	if l, err := config.Parse("l.yaml", []byte("learn: [gir]\n")); err != nil || !l.Learns("gir") || l.Learns("headers") {
		t.Errorf("learn: [gir] = %+v, %v", l, err)
	}
	kb := cfg.KB()
	open := kb.Lookup("x_open")
	if open == nil || open.Allocates || !slices.Equal(open.AllocOut, []int{0}) || open.Dealloc != "x_close" || !kb.SameFamily("x_open", "x_close") {
		t.Errorf("x_open = %+v", open)
	}
	if f := kb.Lookup("x_name"); f == nil || !f.Borrowed {
		t.Errorf("x_name = %+v", f)
	}
	if f := kb.Lookup("x_errstr"); f == nil || !f.ErrorNeutral {
		t.Errorf("x_errstr = %+v", f)
	}
	if f := kb.Lookup("x_fatal"); f == nil || !f.NoReturn {
		t.Errorf("x_fatal = %+v", f)
	}
	if s, ok := config.SpecOf(kb.Lookup("x_fatal")); !ok || !s.NoReturn {
		t.Errorf("SpecOf(x_fatal) = %+v, %v", s, ok)
	}
	if f := kb.Lookup("x_init"); f == nil || f.Signal != cfuncs.Installs || !slices.Equal(f.Signals, []string{"SIGINT", "SIGTERM"}) || f.SignalArg != -1 {
		t.Errorf("x_init = %+v", f)
	}
	// The configuration replaces the shipped entry entirely.
	if f := kb.Lookup("sqlite3_prepare_v2"); f == nil || f.Origin != cfuncs.OriginConfig || f.IsAllocator() || !f.Blocks {
		t.Errorf("sqlite3_prepare_v2 = %+v, want the configured entry", f)
	}
	if f := kb.Lookup("sqlite3_finalize"); f == nil || f.Origin != cfuncs.OriginLibrary || f.Source != "sqlite3.yml" {
		t.Errorf("sqlite3_finalize = %+v, want the shipped entry", f)
	}
}

func TestLibraries(t *testing.T) {
	libs, err := config.Libraries()
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, l := range libs {
		files = append(files, l.File)
		if len(l.Functions) == 0 {
			t.Errorf("%s describes no function", l.File)
		}
	}
	for _, want := range []string{"sqlite3.yml", "libgit2.yml", "librdkafka.yml", "openssl.yml", "libvirt.yml",
		"libpcap.yml", "sdl2.yml", "zstd.yml", "rocksdb.yml", "leveldb.yml", "libxml2.yml", "libcurl.yml",
		"libusb.yml", "glib.yml", "gstreamer.yml", "libseccomp.yml", "libbpf.yml"} {
		if !slices.Contains(files, want) {
			t.Errorf("no shipped %s", want)
		}
	}
	// Each shipped function keeps its file as its source.
	for _, l := range libs {
		for _, f := range l.Functions {
			if g := config.Shipped().Lookup(f.Name); g == nil || g.Origin != cfuncs.OriginLibrary || g.Source != l.File {
				t.Errorf("Shipped().Lookup(%q) = %+v, want from %s", f.Name, g, l.File)
			}
		}
	}
}

// TestSpecOfRoundTrip checks that every shipped entry the schema can state
// reads back, through a configuration, as the same roles, and that such a
// restatement keeps the shipped entry (as `cgolint kb` output fed back).
func TestSpecOfRoundTrip(t *testing.T) {
	var specs []config.FuncSpec
	for _, f := range config.Shipped().Funcs() {
		s, ok := config.SpecOf(f)
		if !ok {
			if f.Hostile == cfuncs.NotHostile {
				t.Errorf("SpecOf(%s) not stateable", f.Name)
			}
			continue
		}
		specs = append(specs, s)
	}
	cfg := &config.Config{Functions: specs}
	kb := cfg.KB()
	for _, s := range specs {
		f, g := kb.Lookup(s.Name), config.Shipped().Lookup(s.Name)
		if f != g {
			t.Errorf("%s: restated entry replaced the shipped one: %+v, shipped %+v", s.Name, f, g)
		}
	}
	if len(specs) < 300 {
		t.Errorf("only %d stateable entries", len(specs))
	}
}
