package cfuncs_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"modernc.org/cc/v4"

	"github.com/cgolint/cgolint/passes/cfuncs"
	"github.com/cgolint/cgolint/passes/config"
)

// xlib is a library declared the way real C headers declare one.
const xlib = `
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
typedef struct x x;
typedef struct x_iter_s x_iter_t;
x *x_new(void);
void x_free(x *db);
int x_open(x **out, const char *path);
const char *x_name(x *db);
const x *x_parent(const x *db);
void x_free_string(char *s);
char *x_dump(x *db) __attribute__((malloc(x_free_string, 1)));
int x_user_delete(x *db, const char *name);
char *x_plain(x *db) __attribute__((malloc));
x_iter_t *x_iter_new(int flags);
x_iter_t *x_iter_of(x *db);
void x_iter_destroy(x_iter_t *it);
int x_iter_next(x_iter_t *it, x **item);
void free_x(x *db);
int y_count(x *db);
void x_destroy(x *db);
int x_batch(x **items, size_t n);
void x_fatal(const char *msg) __attribute__((noreturn));
_Noreturn void x_die(int code);
__attribute__((__noreturn__)) __attribute__((cold)) void x_panic(void);
void x_closef(x *db) __attribute__((__noreturn__));
void x_warn(const char *msg) __attribute__((cold));
typedef struct { int n; char **items; } x_list;
int x_list_fill(x_list *out, x *db);
void x_list_free(x_list *l);
typedef struct x_sig { char *name; } x_sig;
int x_sig_new(x_sig **out, const char *name);
void x_sig_free(x_sig *sig);
void x_load(x **out, const char *path, char **errptr);
x *x_open_err(const char *path, char **errptr);
`

func translateHeader(t *testing.T, src string) *cc.AST {
	t.Helper()
	cfg, err := cc.NewConfig(runtime.GOOS, runtime.GOARCH)
	if err != nil {
		t.Fatal(err)
	}
	ast, err := cc.Translate(cfg, []cc.Source{
		{Name: "<predefined>", Value: cfg.Predefined},
		{Name: "<builtin>", Value: cc.Builtin},
		{Name: "x.h", Value: src},
	})
	if err != nil {
		t.Fatal(err)
	}
	return ast
}

func TestHeaderFuncs(t *testing.T) {
	fs := cfuncs.HeaderFuncs(translateHeader(t, xlib), config.Shipped())
	var got []string
	for _, f := range fs {
		if !strings.HasPrefix(f.Name, "x_") && !strings.HasPrefix(f.Name, "y_") && !strings.HasSuffix(f.Name, "_x") {
			continue // the C library's own declarations: checked below
		}
		if f.Origin != cfuncs.OriginHeader || f.Source != "x.h" {
			t.Errorf("%s: origin %v source %q", f.Name, f.Origin, f.Source)
		}
		got = append(got, roles(f))
	}
	want := `x_closef: noreturn
x_die: noreturn
x_dump: allocates=x_free_string family=x_free_string
x_fatal: noreturn
x_free: frees=[0] family=x_free
x_free_string: frees=[0] family=x_free_string
x_iter_destroy: frees=[0] family=x_iter_destroy
x_iter_new: allocates=x_iter_destroy family=x_iter_destroy
x_name: borrowed
x_new: allocates=x_free family=x_free
x_open: allocout=[0]:x_free family=x_free
x_panic: noreturn
x_parent: borrowed
x_sig_free: frees=[0] family=x_sig_free
x_sig_new: allocout=[0]:x_sig_free family=x_sig_free`
	if g := strings.Join(got, "\n"); g != want {
		t.Errorf("HeaderFuncs:\ngot:\n%s\nwant:\n%s", g, want)
	}
}

// TestHeaderFuncsGlibc checks the glibc attribute case: fopen and strdup
// are declared with malloc(dealloc, 1) since glibc 2.34; entries the
// built-in table has are left to it.
func TestHeaderFuncsGlibc(t *testing.T) {
	ast := translateHeader(t, "#include <stdio.h>\n#include <string.h>\n#include <stdlib.h>\n#include <pthread.h>\n")
	fs := cfuncs.HeaderFuncs(ast, cfuncs.Builtin())
	by := make(map[string]*cfuncs.Func)
	for _, f := range fs {
		by[f.Name] = f
	}
	if f := by["fopen"]; f == nil || !f.Allocates || f.Dealloc != "fclose" {
		t.Skipf("this C library does not mark fopen with malloc(fclose): %+v", f)
	}
	if f := by["fdopen"]; f == nil || f.Dealloc != "fclose" {
		t.Errorf("fdopen = %+v", f)
	}
	if by["strdup"] != nil {
		t.Error("strdup is in the built-in table: the header must not redefine it")
	}
	if f := cfuncs.Builtin().Fill(fs...).Lookup("strdup"); f == nil || f.Origin != cfuncs.OriginBuiltin {
		t.Errorf("strdup = %+v", f)
	}
	for _, name := range []string{"abort", "exit", "_Exit", "quick_exit", "pthread_exit"} {
		if f := by[name]; f != nil {
			t.Errorf("%s is in the built-in table: the header must not redefine it", name)
		}
		if f := cfuncs.Builtin().Lookup(name); f == nil || !f.NoReturn {
			t.Errorf("built-in %s = %+v, want noreturn", name, f)
		}
	}
	if f := by["realpath"]; f != nil {
		t.Errorf("realpath allocates only with a NULL buffer, but got %+v", f)
	}
}

// roles summarises the roles HeaderFuncs sets.
func roles(f *cfuncs.Func) string {
	var r []string
	if f.Allocates {
		r = append(r, "allocates="+f.Dealloc)
	}
	if len(f.AllocOut) > 0 {
		r = append(r, fmt.Sprintf("allocout=%v:%s", f.AllocOut, f.Dealloc))
	}
	if len(f.Frees) > 0 {
		r = append(r, fmt.Sprintf("frees=%v", f.Frees))
	}
	if f.Family != "" {
		r = append(r, "family="+f.Family)
	}
	if f.Borrowed {
		r = append(r, "borrowed")
	}
	if f.NoReturn {
		r = append(r, "noreturn")
	}
	return f.Name + ": " + strings.Join(r, " ")
}

// TestReleaseVerbs checks the one table of release verbs: every verb may
// name a release function for the Go side's pairing, but only the certain
// ones make a declared function a type's release function.
func TestReleaseVerbs(t *testing.T) {
	for _, w := range []string{"free", "destroy", "delete", "close", "finish", "term", "cleanup"} {
		if !cfuncs.IsReleaseVerb(w) {
			t.Errorf("IsReleaseVerb(%q) = false", w)
		}
	}
	for _, w := range []string{"lookup", "new", "Free", "x"} {
		if cfuncs.IsReleaseVerb(w) {
			t.Errorf("IsReleaseVerb(%q) = true", w)
		}
	}
	const rlib = `
typedef struct r r;
r *r_new(void);
void r_finish(r *op);
typedef struct s s;
s *s_new(void);
void s_finish(s *op);
void s_close(s *op);
`
	var got []string
	for _, f := range cfuncs.HeaderFuncs(translateHeader(t, rlib), config.Shipped()) {
		if strings.HasPrefix(f.Name, "r_") || strings.HasPrefix(f.Name, "s_") {
			got = append(got, roles(f))
		}
	}
	want := `s_close: frees=[0] family=s_close
s_new: allocates=s_close family=s_close`
	if g := strings.Join(got, "\n"); g != want {
		t.Errorf("HeaderFuncs with finish verbs:\ngot:\n%s\nwant:\n%s", g, want)
	}
}
