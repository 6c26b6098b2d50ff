package csrc_test

import (
	"fmt"

	"strings"
	"testing"
	"time"

	"github.com/cgolint/cgolint/passes/cfuncs"
	"github.com/cgolint/cgolint/passes/config"
	"github.com/cgolint/cgolint/passes/csrc"
)

// infer runs the front end on one preamble text with kb.
func infer(kb *cfuncs.KB, src string) []*cfuncs.Func {
	return csrc.InferSource(kb, src).Funcs
}

// summary renders the inferred roles of fs, one function a line.
func summary(fs []*cfuncs.Func) string {
	var lines []string
	for _, f := range fs {
		var r []string
		if f.Origin != cfuncs.OriginPreamble {
			r = append(r, "origin="+f.Origin.String())
		}
		if f.Allocates {
			r = append(r, "allocates="+f.Dealloc)
		}
		if len(f.AllocOut) > 0 {
			r = append(r, fmt.Sprintf("allocout=%v:%s", f.AllocOut, f.Dealloc))
		}
		if len(f.Frees) > 0 {
			r = append(r, fmt.Sprintf("frees=%v", f.Frees))
		}
		if len(f.Takes) > 0 {
			r = append(r, fmt.Sprintf("takes=%v", f.Takes))
		}
		if len(f.Keeps) > 0 {
			r = append(r, fmt.Sprintf("keeps=%v", f.Keeps))
		}
		if f.Family != "" {
			r = append(r, "family="+f.Family)
		}
		if f.Blocks {
			r = append(r, "blocks")
		}
		if f.ThreadAffine {
			r = append(r, "affine")
		}
		if f.Hostile != cfuncs.NotHostile {
			r = append(r, "hostile="+f.Hostile.String())
		}
		if f.Signal != cfuncs.None {
			r = append(r, fmt.Sprintf("%s(arg=%d,%v,onstack=%d)", f.Signal, f.SignalArg, f.Signals, f.OnStack))
		} else if f.SignalArg != -1 || f.OnStack != -1 || f.Signals != nil {
			r = append(r, fmt.Sprintf("BAD signal fields %d %v %d", f.SignalArg, f.Signals, f.OnStack))
		}
		lines = append(lines, f.Name+": "+strings.Join(r, " "))
	}
	return strings.Join(lines, "\n")
}

func TestInferPreamble(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"static inline allocator", `
#include <stdlib.h>
#include <string.h>
static inline char *dup_name(const char *s, size_t n) {
	return (char *)malloc(n + 1);
}
static char* copy(const char* s) {
	if (!s) return NULL;
	char *r = malloc(strlen(s) + 1);
	if (r == NULL)
		return NULL;
	strcpy(r, s);
	return r;
}
`, "copy: allocates=free family=libc\ndup_name: allocates=free family=libc"},

		{"returns a parameter or a static buffer", `
static char buf[64];
static char *maybe(char *p, int n) {
	if (n > 0) return p;
	return malloc(n);
}
static char *reuse(char *p) {
	char *q = malloc(10);
	q = buf;
	return q;
}
static const char *name(void) { return buf; }
`, ""},

		{"wrapper freeing a casted parameter", `
#include <stdlib.h>
typedef struct { char *data; } blob;
void blob_free(blob *b, void *extra) {
	if (b == NULL) return;
	free(b->data);
	free((void *)extra);
	free((void*)(b));
}
static void release_all(void **items, int n) { for (int i = 0; i < n; i++) free(items[i]); }
`, "blob_free: frees=[0 1] family=libc"},

		{"sigaction with SA_ONSTACK", `
#include <signal.h>
#include <string.h>
static void handler(int sig, siginfo_t *info, void *ctx) { (void)sig; }
static int install_handler(int signum) {
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	sa.sa_flags |= SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	return sigaction(signum, &sa, NULL);
}
`, "install_handler: installs(arg=0,[],onstack=1)"},

		{"sigaction without SA_ONSTACK", `
#include <signal.h>
static void on_term(int sig) {}
static void setup(void) {
	struct sigaction sa = { .sa_handler = on_term, .sa_flags = SA_RESTART };
	sigaction(SIGTERM, &sa, NULL);
}
static void setup_zero(void) {
	struct sigaction sa = {0};
	sa.sa_handler = on_term;
	sigaction(SIGUSR1, &sa, 0);
}
static void setup_unknown(struct sigaction *sa) {
	sigaction(SIGUSR2, sa, NULL);
}
static void query(struct sigaction *old) {
	sigaction(SIGINT, NULL, old);
}
`, "setup: installs(arg=-1,[SIGTERM],onstack=0)\nsetup_unknown: installs(arg=-1,[SIGUSR2],onstack=-1)\nsetup_zero: installs(arg=-1,[SIGUSR1],onstack=0)"},

		{"signal with SIG_IGN and a handler", `
#include <signal.h>
static void ignore_sigint(void) { signal(SIGINT, SIG_IGN); signal(SIGPIPE, SIG_DFL); }
static void h(int s) {}
static void catch_hup(void) { signal(SIGHUP, h); }
`, "catch_hup: installs(arg=-1,[SIGHUP],onstack=0)\nignore_sigint: installs(arg=-1,[SIGINT SIGPIPE],onstack=-1)"},

		{"comments and strings do not count", `
// static char *fake1(void) { return malloc(1); }
/* static char *fake2(void) { return malloc(2); } */
static const char *msg(void) { return "return malloc(3); free(p); sleep(1)"; }
static int chr(void) { return '('; }
static void log_it(char *p) { printf("free(p) %s\n", "sleep(1)"); /* free(p); */ }
static char *after_comment(void) { /* } */ return strdup("x"); }
`, "after_comment: allocates=free family=libc"},

		{"function-like macros", `
#include <stdlib.h>
#define ALLOC_N(T, n) ((T *)calloc((n), sizeof(T)))
#define RELEASE(p) do { free(p); (p) = NULL; } while (0)
#define WAIT_A_BIT() \
	usleep(1000)
#define OBJECT_LIKE malloc(4)
typedef struct { int x; } pt;
static pt *new_points(int n) { return ALLOC_N(pt, n); }
static void drop(pt *p) { RELEASE(p); }
static void nap(void) { WAIT_A_BIT(); }
static void *obj(void) { return OBJECT_LIKE; }
`, "drop: frees=[0] family=libc\nnap: blocks\nnew_points: allocates=free family=libc\nobj: allocates=free family=libc"},

		{"transitive through preamble functions", `
#include <stdlib.h>
#include <unistd.h>
#include <signal.h>
static char *raw(size_t n) { return malloc(n); }
static char *cooked(size_t n) { char *p = raw(n); return p; }
static void rel(char *p) { free(p); }
static void rel2(void *q) { rel((char *)q); }
static void nap(void) { sleep(1); }
static void nap2(void) { nap(); }
static void install(int s) { signal(s, SIG_IGN); }
static void install_int(void) { install(SIGINT); }
static void loop(int n) { if (n) loop(n - 1); }
`, "cooked: allocates=free family=libc\ninstall: installs(arg=0,[],onstack=-1)\ninstall_int: installs(arg=-1,[SIGINT],onstack=-1)\n" +
			"nap: blocks\nnap2: blocks\nraw: allocates=free family=libc\nrel: frees=[0] family=libc\nrel2: frees=[0] family=libc"},

		{"other families", `
#include <sqlite3.h>
#include <string.h>
typedef char gchar; /* as <glib.h> declares them, without its include flags */
gchar *g_strdup_printf(const char *fmt, ...);
static char *fmt(int x) { return sqlite3_mprintf("%d", x); }
static gchar *gfmt(int x) { gchar *s = g_strdup_printf("%d", x); return s; }
static void sfree(void *p) { sqlite3_free(p); }
static int out(char **res, int x) { *res = sqlite3_mprintf("%d", x); return 0; }
static char *mixed(int x) { if (x) return strdup("a"); return sqlite3_mprintf("b"); }
`, "fmt: allocates=sqlite3_free family=sqlite3\ngfmt: allocates=g_free family=glib\nout: allocout=[0]:sqlite3_free family=sqlite3\nsfree: frees=[0] family=sqlite3"},

		{"hostile, blocking and thread-affine bodies", `
#include <pthread.h>
#include <setjmp.h>
static jmp_buf env;
static int try_it(void) { if (setjmp(env)) return 1; return 0; }
static void die(void) { pthread_exit(NULL); }
static pid_t spawn(void) { pid_t p = fork(); if (p == 0) { execl("/bin/true", "true", (char*)0); } return p; }
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static void lock(void) { pthread_mutex_lock(&mu); }
static const char *last(void) { return dlerror(); }
static int rd(int fd, char *b) { return read(fd, b, 1); }
static void ops_free(struct ops *o, void *p) { o->free(p); }
`, "die: hostile=thread exit\nlast: affine\nlock: blocks affine\nrd: blocks\ntry_it: hostile=nonlocal jump"},

		{"masks and raises", `
#include <signal.h>
#include <pthread.h>
static void block_all(void) { sigset_t s; sigfillset(&s); pthread_sigmask(SIG_BLOCK, &s, NULL); }
static void poke(pid_t pid) { kill(pid, SIGUSR1); }
static void poke_sig(int sig) { raise(sig); }
`, "block_all: affine masks(arg=-1,[],onstack=-1)\npoke: raises(arg=-1,[SIGUSR1],onstack=-1)\npoke_sig: raises(arg=0,[],onstack=-1)"},

		{"attributes, qualifiers and odd declarations", `
#include <stdlib.h>
#ifdef __linux__
__attribute__((unused)) static void *zalloc(size_t n) { return calloc(1, n); }
#else
static void *zalloc(size_t n) { return NULL; }
#endif
extern void (*handler_ptr)(int);
void (*handler_ptr)(int) = 0;
struct s { int (*fp)(int); char *(*alloc)(size_t); };
__attribute__((malloc)) static const unsigned char *const_alloc(size_t n) { return (const unsigned char *)malloc(n); }
int arr[] = { 1, 2, 3 };
static void cb_free(void (*done)(void *), void *arg) { done(arg); free(arg); }
`, "cb_free: frees=[1] family=libc\nconst_alloc: allocates=free family=libc\nzalloc: allocates=free family=libc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The shipped library data knows sqlite3 and GLib.
			res := csrc.InferSource(config.Shipped(), tt.src)
			got := summary(res.Funcs)
			if got != tt.want {
				t.Errorf("InferPreamble:\ngot:\n%s\nwant:\n%s\nnotes: %q", got, tt.want, res.Notes)
			}
		})
	}
}

func TestInferPreambleExtends(t *testing.T) {
	fs := infer(cfuncs.Builtin(), `static char *mk(void) { return strdup("x"); }`)
	kb := config.Shipped().Extend(fs...)
	if f := kb.Lookup("mk"); f == nil || !f.Allocates || !kb.SameFamily("mk", "free") || !kb.WrongFamily("mk", "g_free") {
		t.Errorf("preamble allocator not usable from the KB: %+v", f)
	}
}

func FuzzInferPreamble(f *testing.F) {
	seeds := []string{
		"",
		"static char *f(void) { return malloc(1); }",
		"#define X(a) free(a)\nstatic void g(void *p) { X(p); }",
		"static void h(int s) { struct sigaction sa = {0}; sa.sa_flags = SA_ONSTACK; sigaction(s, &sa, 0); }",
		"void f(int a, char (*b)[3], ...) { signal(SIGINT, SIG_IGN); free((char*)(a)); return; }",
		"int f( { ) } ( ( return malloc( ; *x = malloc(1)",
		"/* unterminated",
		"\"unterminated\nstatic void f(void){free(0);}",
		"#define\n#define F(\n#define G(x\nx y(z){return((((((",
		"a b(c){ d = e(f) = g; sa_flags |= ; return (a)(b); }",
		"static void *f(void **o) { *o = malloc(1); return o; } static void g(void) { f(0); g(); }",
		"int *", // cc/v4's parser loops on it: the worker gives it up
	}
	for _, s := range seeds {
		f.Add(s)
	}
	// Malformed C included: modernc.org/cc/v4 v4.34.0's parser loops
	// forever on some (a declaration cut off after `int *`), which the
	// worker process gives up past its CPU budget (a small one here).
	defer csrc.SetLimits(csrc.Limits{CPU: time.Second, Memory: 1 << 30})()
	f.Fuzz(func(t *testing.T, src string) {
		fs := infer(cfuncs.Builtin(), src)
		for i, fn := range fs {
			if fn.Name == "" || fn.Origin != cfuncs.OriginPreamble {
				t.Fatalf("bad entry %+v", fn)
			}
			if i > 0 && fs[i-1].Name >= fn.Name {
				t.Fatalf("not sorted/unique: %q, %q", fs[i-1].Name, fn.Name)
			}
		}
		_ = cfuncs.Builtin().Extend(fs...)
	})
}

func TestForkExecIsNotHostile(t *testing.T) {
	got := infer(cfuncs.Builtin(), `
static int spawn(char *path) {
	int pid = fork();
	if (pid == 0) { execl(path, path, (char*)0); _exit(127); }
	return pid;
}
static int daemonize(void) { return fork(); }
static int detach(void) { int pid = fork(); if (pid > 0) _exit(0); return pid; }
`)
	byName := map[string]*cfuncs.Func{}
	for _, f := range got {
		byName[f.Name] = f
	}
	if f := byName["spawn"]; f != nil && f.Hostile != cfuncs.NotHostile {
		t.Errorf("spawn (fork then exec) inferred %v, want not hostile", f.Hostile)
	}
	if f := byName["daemonize"]; f == nil || f.Hostile != cfuncs.Fork {
		t.Errorf("daemonize (fork alone) inferred %+v, want Fork", f)
	}
	if f := byName["detach"]; f == nil || f.Hostile != cfuncs.Fork {
		t.Errorf("detach (fork, parent _exits, child runs on) inferred %+v, want Fork", f)
	}
}

// TestInferPreambleWithConfiguredFunctions: a preamble wrapper of a library
// function the user declared inherits the declared roles.
func TestInferPreambleWithConfiguredFunctions(t *testing.T) {
	kb := cfuncs.Builtin().Extend(
		&cfuncs.Func{Name: "lib_poll", Blocks: true, SignalArg: -1},
		&cfuncs.Func{Name: "lib_release", Frees: []int{0}, Family: "lib", SignalArg: -1},
	)
	src := `
static int poll_queue(void *q, int ms) { return lib_poll(q, ms); }
static void drop(void *p) { lib_release(p); }
`
	got := summary(infer(kb, src))
	if want := "drop: frees=[0] family=lib\npoll_queue: blocks"; got != want {
		t.Errorf("with the configured functions:\ngot:\n%s\nwant:\n%s", got, want)
	}
	if got := summary(infer(cfuncs.Builtin(), src)); got != "" {
		t.Errorf("with the built-in table alone, want nothing inferred, got:\n%s", got)
	}
}

// TestMalformedPreambles reads C that no compiler accepts: the front end
// must neither panic nor record a bad entry.
func TestMalformedPreambles(t *testing.T) {
	for _, src := range []string{
		"int f( { ) } ( ( return malloc( ; *x = malloc(1)",
		"/* unterminated",
		"\"unterminated\nstatic void f(void){free(0);}",
		"#define\n#define F(\n#define G(x\nx y(z){return((((((",
		"a b(c){ d = e(f) = g; sa_flags |= ; return (a)(b); }",
	} {
		for _, fn := range infer(cfuncs.Builtin(), src) {
			if fn.Name == "" || fn.Origin != cfuncs.OriginPreamble {
				t.Errorf("%q: bad entry %+v", src, fn)
			}
		}
	}
}
