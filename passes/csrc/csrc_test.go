package csrc_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cgolint/cgolint/passes/cfuncs"
	"github.com/cgolint/cgolint/passes/csrc"
)

func TestTakesKeepsAliases(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"deallocator handed over as destructor", `
#include <stdlib.h>
typedef void (*destroy_fn)(void *);
int lib_bind(void *stmt, int i, const char *p, int n, destroy_fn d);
static int bind_owned(void *stmt, int i, char *p, int n) { return lib_bind(stmt, i, p, n, free); }
static int bind_addr(void *stmt, int i, char *p, int n) { return lib_bind(stmt, i, p, n, &free); }
static void my_release(void *p) { free(p); }
static int bind_mine(void *stmt, char *p) { return lib_bind(stmt, 0, p, -1, my_release); }
static int bind_copy(void *stmt, char *p) { return lib_bind(stmt, 0, p, -1, (destroy_fn)0); }
static int bind_twice(void *stmt, char *p) { return bind_owned(stmt, 1, p, 3); }
`, "bind_addr: takes=[2]\nbind_mine: takes=[1]\nbind_owned: takes=[2]\nbind_twice: takes=[1]\nmy_release: frees=[0] family=libc"},

		{"stored where it outlives the call", `
#include <stddef.h>
struct holder { char *name; };
static char *saved;
static struct holder global_h;
static void keep_global(char *p) { saved = p; }
static void keep_field(struct holder *h, char *p) { h->name = p; }
static void keep_global_field(char *p) { global_h.name = p; }
static void keep_static(char *p) { static char *last; last = p; }
static void local_only(char *p) { char *q; q = p; (void)q; }
static void self(struct holder *h) { h->name = (char *)h; }
static void through(char *p) { keep_global(p); }
`, "keep_field: keeps=[1]\nkeep_global: keeps=[0]\nkeep_global_field: keeps=[0]\nkeep_static: keeps=[0]\nthrough: keeps=[0]"},

		{"object-like macros naming a function", `
#include <stdlib.h>
#include <dlfcn.h>
static char *mk(void) { return malloc(4); }
#define make_it mk
#define last_error dlerror
#define NOT_A_FUNC 42
`, "last_error: affine\nmake_it: allocates=free family=libc\nmk: allocates=free family=libc"},

		{"flags from macros, handlers, branches", `
#include <signal.h>
#include <stdlib.h>
#define HFLAGS (SA_RESTART | SA_ONSTACK)
#define NOSTACK (SA_RESTART | SA_SIGINFO)
static void h(int s) { (void)s; }
static void with_macro(void) {
	struct sigaction sa = { .sa_handler = h, .sa_flags = HFLAGS };
	if (getenv("X")) { sigaction(SIGUSR1, &sa, NULL); }
}
static void without_macro(void) {
	struct sigaction sa;
	sa.sa_handler = h;
	sa.sa_flags = NOSTACK;
	if (getenv("X")) sigaction(SIGUSR2, &sa, NULL); else sigaction(SIGHUP, &sa, NULL);
}
static void ignore_it(void) {
	struct sigaction sa = {0};
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}
static void from_param(int flags) {
	struct sigaction sa = {0};
	sa.sa_handler = h;
	sa.sa_flags = flags;
	sigaction(SIGTERM, &sa, NULL);
}
`, "from_param: installs(arg=-1,[SIGTERM],onstack=-1)\nignore_it: installs(arg=-1,[SIGPIPE],onstack=-1)\n" +
			"with_macro: installs(arg=-1,[SIGUSR1],onstack=1)\nwithout_macro: installs(arg=-1,[SIGHUP SIGUSR2],onstack=0)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := csrc.InferSource(cfuncs.Builtin(), tt.src)
			if got := summary(res.Funcs); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s\nnotes: %q", got, tt.want, res.Notes)
			}
		})
	}
}

func TestSavesOldReinstalls(t *testing.T) {
	res := csrc.InferSource(cfuncs.Builtin(), `
#include <signal.h>
static void h(int s) { (void)s; }
static struct sigaction old;
static void chain(void) { struct sigaction sa = {0}; sa.sa_handler = h; sa.sa_flags = SA_ONSTACK; sigaction(SIGINT, &sa, &old); }
static void fix_flags(int sig) { struct sigaction sa; sigaction(sig, NULL, &sa); sa.sa_flags |= SA_ONSTACK; sigaction(sig, &sa, NULL); }
static void fix_all(void) { fix_flags(SIGSEGV); fix_flags(SIGBUS); }
static void plain(void) { struct sigaction sa = {0}; sa.sa_handler = h; sigaction(SIGINT, &sa, NULL); }
`)
	by := map[string]*cfuncs.Func{}
	for _, f := range res.Funcs {
		by[f.Name] = f
	}
	for name, want := range map[string][2]bool{"chain": {true, false}, "fix_flags": {false, true}, "fix_all": {false, true}, "plain": {false, false}} {
		f := by[name]
		if f == nil || f.SavesOld != want[0] || f.Reinstalls != want[1] {
			t.Errorf("%s: got %+v, want SavesOld=%v Reinstalls=%v", name, f, want[0], want[1])
		}
	}
}

// TestPackage reads a preamble and a .c file together: roles pass through
// a .c helper, constructors are found with what they do, and a unit the Go
// side does not need is not translated.
func TestPackage(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	helper := write("helper.c", `#include <stdlib.h>
#include <signal.h>
#include <unistd.h>
void helper_release(void *p) { free(p); }
static void on_int(int s) { (void)s; }
__attribute__((constructor)) static void at_load(void) {
	signal(SIGINT, on_int);
}
void daemon_it(void) __attribute__((constructor));
void daemon_it(void) { if (fork() > 0) _exit(0); }
`)
	unused := write("unused.c", `#include <stdlib.h>
void never_called(void *p) { free(p); }
`)
	goFile := filepath.Join(dir, "x.go")
	pre := "\n\n#include <stdlib.h>\nvoid helper_release(void *p);\nstatic void drop(void *p) { helper_release(p); }\n"
	in := csrc.Input{
		Units:  []csrc.Unit{{Name: goFile, Src: []byte(pre)}, {Name: helper, Src: mustRead(t, helper)}, {Name: unused, Src: mustRead(t, unused)}},
		Dir:    dir,
		Needed: []string{"drop"},
	}
	opt := csrc.Options{CacheDir: t.TempDir()}
	res := csrc.Analyze(cfuncs.Builtin(), in, opt)
	if got, want := summary(res.Funcs), "at_load: installs(arg=-1,[SIGINT],onstack=0)\ndaemon_it: hostile=fork\ndrop: frees=[0] family=libc\nhelper_release: frees=[0] family=libc"; got != want {
		t.Errorf("funcs:\ngot:\n%s\nwant:\n%s\nnotes: %q", got, want, res.Notes)
	}
	if res.Translated != 2 {
		t.Errorf("translated %d units, want 2 (unused.c is not needed)", res.Translated)
	}
	if len(res.Ctors) != 2 {
		t.Fatalf("ctors: %+v", res.Ctors)
	}
	at, dm := res.Ctors[0], res.Ctors[1]
	if at.Name != "at_load" || at.Line != 6 || len(at.Installs) != 1 || at.Installs[0].Sig != "SIGINT" ||
		at.Installs[0].Line != 7 || at.Installs[0].Disp != csrc.DispHandler || at.Installs[0].OnStack != 0 {
		t.Errorf("at_load: %+v", at)
	}
	if dm.Name != "daemon_it" || dm.Hostile == nil || dm.Hostile.Via != "fork" || dm.Hostile.Line != 10 {
		t.Errorf("daemon_it: %+v", dm)
	}
	// The second read comes from the disk cache, and says so.
	again := csrc.Analyze(cfuncs.Builtin(), in, opt)
	if !again.Cached || summary(again.Funcs) != summary(res.Funcs) || len(again.Ctors) != 2 {
		t.Errorf("second read: cached=%v funcs=%s", again.Cached, summary(again.Funcs))
	}
	// Editing a header the units read invalidates the entry.
	write("helper.c", strings.Replace(string(mustRead(t, helper)), "free(p);", "(void)p;", 1))
	in.Units[1].Src = mustRead(t, helper)
	third := csrc.Analyze(cfuncs.Builtin(), in, opt)
	if third.Cached || strings.Contains(summary(third.Funcs), "helper_release") {
		t.Errorf("after the edit: cached=%v funcs=%s", third.Cached, summary(third.Funcs))
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestUnreadable: what the front end cannot read is unknown, with a note.
func TestUnreadable(t *testing.T) {
	for _, src := range []string{
		"#include <no_such_header_anywhere.h>\nstatic void f(void *p) { free(p); }",
		"static void f(void *p) { free(p) }}}",
		"#define A B B B B B B B B B\n#define B C C C C C C C C C\n#define C D D D D D D D D D\n#define D E E E E E E E E E\n#define E F F F F F F F F F\n#define F G G G G G G G G G\n#define G H H H H H H H H H\n#define H I I I I I I I I I\n#define I J J J J J J J J J\n#define J K K K K K K K K K\nint x = A;",
	} {
		res := csrc.InferSource(cfuncs.Builtin(), src)
		if len(res.Funcs) != 0 || len(res.Notes) == 0 {
			t.Errorf("%q: funcs %s, notes %q", src[:20], summary(res.Funcs), res.Notes)
		}
	}
}

// TestCallThroughLocal: a call through a local function pointer assigned
// one known function is a call of that function.
func TestCallThroughLocal(t *testing.T) {
	res := csrc.InferSource(cfuncs.Builtin(), `
#include <stdlib.h>
static void rel(char *s) { void (*f)(void *) = free; f(s); }
static void maybe(char *s, int x) { void (*f)(void *) = free; if (x) f = 0; if (f) f(s); }
`)
	if got, want := summary(res.Funcs), "rel: frees=[0] family=libc"; got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestBudget: a unit that reads more source than its budget is given up,
// and the note says so.
func TestBudget(t *testing.T) {
	defer csrc.SetBudget(64 << 10)()
	res := csrc.InferSource(cfuncs.Builtin(), "#include <stdlib.h>\n#include <stdio.h>\n#include <signal.h>\n#include <pthread.h>\nstatic void f(void *p) { free(p); }\n")
	if len(res.Funcs) != 0 || len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "gave up: it reads more than") {
		t.Errorf("funcs %s, notes %q", summary(res.Funcs), res.Notes)
	}
}

// TestParserLoop: modernc.org/cc/v4 v4.34.0's parser loops forever on a
// unit cut off inside a declarator; the worker gives the unit up past its
// CPU budget, the unit is unknown with a note, and the next unit is read.
func TestParserLoop(t *testing.T) {
	defer csrc.SetLimits(csrc.Limits{CPU: time.Second, Memory: 1 << 30})()
	for _, src := range []string{"int *", "static void f(void *p) { free(p); }\nchar * @"} {
		start := time.Now()
		res := csrc.InferSource(cfuncs.Builtin(), src)
		if len(res.Funcs) != 0 || len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "the C front end gave up: it took more than 1s of CPU time") {
			t.Errorf("%q: funcs %s, notes %q", src, summary(res.Funcs), res.Notes)
		}
		t.Logf("%q: %v", src, time.Since(start))
	}
	res := csrc.InferSource(cfuncs.Builtin(), "#include <stdlib.h>\nstatic void f(void *p) { free(p); }\n")
	if got := summary(res.Funcs); got != "f: frees=[0] family=libc" || len(res.Notes) != 0 {
		t.Errorf("after a unit that loops: funcs %s, notes %q", got, res.Notes)
	}
}

// TestExportHeader: the _cgo_export.h the front end synthesizes declares
// each //export function with cgo's C types, after the preambles of the
// files that export, and a .c file that includes it is read.
func TestExportHeader(t *testing.T) {
	dir := t.TempDir()
	exports := filepath.Join(dir, "exports.go")
	files := []csrc.GoFile{{Name: exports, Src: []byte(`package p

// #include <stddef.h>
// typedef struct item { char *name; } item_t;
import "C"

import "unsafe"

type handle uintptr
type level int32

//export goVisit
func goVisit(it *C.item_t, n C.int, u C.uint, p unsafe.Pointer, h handle, l level) C.int { return 0 }

//export goPair
func goPair(s string, b []byte, ok bool) (int, error) { return 0, nil }

//export goNothing
func goNothing() {}

// not exported
func other(x C.size_t) {}
`)}, {Name: filepath.Join(dir, "plain.go"), Src: []byte("package p\n\n// #include <stdio.h>\nimport \"C\"\n\nfunc f() {}\n")}}
	h := string(csrc.ExportHeader(files))
	for _, want := range []string{
		"typedef struct item { char *name; } item_t;",
		"extern int goVisit(item_t* it, int n, unsigned int u, void* p, GoUintptr h, GoInt32 l);",
		"struct goPair_return {\n\tGoInt r0;\n\tGoInterface r1;\n};\nextern struct goPair_return goPair(GoString s, GoSlice b, GoUint8 ok);",
		"extern void goNothing(void);",
	} {
		if !strings.Contains(h, want) {
			t.Errorf("the header lacks %q:\n%s", want, h)
		}
	}
	if strings.Contains(h, "other") || strings.Contains(h, "stdio.h") {
		t.Errorf("the header has what is not exported, or the preamble of a file that exports nothing:\n%s", h)
	}
	if h := csrc.ExportHeader(files[1:]); h != nil {
		t.Errorf("no export, header %q", h)
	}

	hooks := filepath.Join(dir, "hooks.c")
	src := "#include <stdlib.h>\n#include \"_cgo_export.h\"\nint visit_free(char *s) { item_t it = { s }; int r = goVisit(&it, 1, 2, 0, 0, 0); free(s); return r; }\n"
	if err := os.WriteFile(hooks, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	in := csrc.Input{Units: []csrc.Unit{{Name: hooks, Src: []byte(src)}}, Dir: dir, NeedAll: true, GoFiles: files}
	res := csrc.Analyze(cfuncs.Builtin(), in, csrc.Options{NoCache: true})
	if got := summary(res.Funcs); got != "visit_free: frees=[0] family=libc" || len(res.Notes) != 0 {
		t.Errorf("hooks.c: funcs %s, notes %q", got, res.Notes)
	}
	in.GoFiles = nil
	res = csrc.Analyze(cfuncs.Builtin(), in, csrc.Options{NoCache: true})
	if len(res.Funcs) != 0 || len(res.Notes) != 1 || !strings.Contains(res.Notes[0], `include file not found: "_cgo_export.h"`) {
		t.Errorf("without the Go files: funcs %s, notes %q", summary(res.Funcs), res.Notes)
	}
}

// TestBlockDepth: Blocks is inferred when a call known to block is at most
// three calls down the package's own functions, and a function the
// knowledge base says blocks blocks, even where the package defines it (a
// bundled library).
func TestBlockDepth(t *testing.T) {
	src := `
#include <unistd.h>
static int d1(int fd, char *b) { return (int)read(fd, b, 1); }
static int d2(int fd, char *b) { return d1(fd, b); }
static int d3(int fd, char *b) { return d2(fd, b); }
static int d4(int fd, char *b) { return d3(fd, b); }
static int d5(int fd, char *b) { return d4(fd, b); }
static int shortcut(int fd, char *b) { return d4(fd, b) + d1(fd, b); }
int lib_wait(int fd) { return fd; }
static int wait_it(int fd) { return lib_wait(fd); }
`
	kb := cfuncs.Builtin().Extend(&cfuncs.Func{Name: "lib_wait", Blocks: true, SignalArg: -1, OnStack: -1})
	got := summary(csrc.InferSource(kb, src).Funcs)
	want := "d1: blocks\nd2: blocks\nd3: blocks\nshortcut: blocks\nwait_it: blocks"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestAngleIncludeFromFlags: `#include <lib/x.h>` is found in a -I
// directory (pkg-config gives bindings their library's headers so), as gcc
// finds it; a -iquote directory serves only `#include "x.h"`.
func TestAngleIncludeFromFlags(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{
		"inc/lib/x.h":  "void lib_release(void *p);\n#define LIB_RELEASE(p) free(p)\n",
		"quote/q.h":    "#define Q_RELEASE(p) free(p)\n",
		"pkg/wrap.go":  "",
		"pkg/other.go": "",
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	units := []csrc.Unit{
		{Name: filepath.Join(dir, "pkg/wrap.go"), Src: []byte("#include <stdlib.h>\n#include <lib/x.h>\nstatic void drop(void *p) { LIB_RELEASE(p); }\n")},
		{Name: filepath.Join(dir, "pkg/other.go"), Src: []byte("#include <stdlib.h>\n#include <q.h>\nstatic void dropq(void *p) { Q_RELEASE(p); }\n")},
	}
	in := csrc.Input{
		Units:  units,
		Dir:    filepath.Join(dir, "pkg"),
		Flags:  []string{"-I", filepath.Join(dir, "inc"), "-iquote" + filepath.Join(dir, "quote")},
		Needed: []string{"drop", "dropq"},
	}
	res := csrc.Analyze(cfuncs.Builtin(), in, csrc.Options{NoCache: true})
	if got, want := summary(res.Funcs), "drop: frees=[0] family=libc"; got != want {
		t.Errorf("funcs:\ngot:\n%s\nwant:\n%s\nnotes: %q", got, want, res.Notes)
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "include file not found: <q.h>") {
		t.Errorf("notes %q, want one: <q.h> not found (-iquote is for #include \"q.h\" only)", res.Notes)
	}
}

// TestLocalHeader: a function the preamble does not define but a header of
// the package directory does (go-gtk's freeCstr in gtk.go.h) is read, and
// editing the header makes the cached result stale.
func TestLocalHeader(t *testing.T) {
	dir := t.TempDir()
	header := filepath.Join(dir, "local.go.h")
	write := func(src string) {
		if err := os.WriteFile(header, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("#include <stdlib.h>\n#include \"more.h\"\nstatic inline void drop_str(char *s) { free(s); }\n")
	if err := os.WriteFile(filepath.Join(dir, "more.h"), []byte("static inline void drop_more(void *p) { free(p); }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	in := csrc.Input{
		Units:  []csrc.Unit{{Name: filepath.Join(dir, "x.go"), Src: []byte("\n#include \"local.go.h\"\n"), Preamble: true}},
		Dir:    dir,
		Needed: []string{"drop_str", "drop_more"},
	}
	opt := csrc.Options{CacheDir: t.TempDir()}
	res := csrc.Analyze(cfuncs.Builtin(), in, opt)
	if got, want := summary(res.Funcs), "drop_more: frees=[0] family=libc\ndrop_str: frees=[0] family=libc"; got != want {
		t.Errorf("funcs:\ngot:\n%s\nwant:\n%s\nnotes: %q", got, want, res.Notes)
	}
	if again := csrc.Analyze(cfuncs.Builtin(), in, opt); !again.Cached {
		t.Errorf("second read not from the disk cache")
	}
	// (Within one process the translation is memoized by the unit's own
	// text; the disk cache must notice the header.)
	write("#include <stdlib.h>\n#include \"more.h\"\nstatic inline void drop_str(char *s) { (void)s; }\n")
	if third := csrc.Analyze(cfuncs.Builtin(), in, opt); third.Cached {
		t.Errorf("after editing the header: the stale cached result was used")
	}
}
