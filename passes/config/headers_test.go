package config_test

import (
	"fmt"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"testing"

	"modernc.org/cc/v4"

	"github.com/cgolint/cgolint/passes/cfuncs"
	"github.com/cgolint/cgolint/passes/config"
)

// libraryHeaders says, for each shipped library file, which headers declare
// its functions, the pkg-config packages for their include paths, and
// whether the headers are guaranteed on a machine that runs the tests
// (scripts/setup.sh installs them): then their absence fails the test.
var libraryHeaders = map[string]struct {
	headers  []string
	pkg      []string
	defines  string // source before the includes
	required bool
}{
	"sqlite3.yml":    {headers: []string{"sqlite3.h"}, required: true},
	"libgit2.yml":    {headers: []string{"git2.h"}, required: true},
	"librdkafka.yml": {headers: []string{"librdkafka/rdkafka.h"}},
	"openssl.yml":    {headers: []string{"openssl/crypto.h", "openssl/bio.h", "openssl/evp.h", "openssl/x509.h", "openssl/bn.h", "openssl/ssl.h", "openssl/err.h"}},
	"libvirt.yml":    {headers: []string{"libvirt/libvirt.h", "libvirt/virterror.h"}},
	"libpcap.yml":    {headers: []string{"pcap/pcap.h"}},
	"sdl2.yml": {headers: []string{"SDL.h"}, pkg: []string{"sdl2"},
		// The C front end does not read the compiler's intrinsics headers.
		defines: "#define SDL_DISABLE_IMMINTRIN_H 1\n#define SDL_DISABLE_MMINTRIN_H 1\n#define SDL_DISABLE_XMMINTRIN_H 1\n#define SDL_DISABLE_EMMINTRIN_H 1\n#define SDL_DISABLE_PMMINTRIN_H 1\n"},
	"zstd.yml":       {headers: []string{"zstd.h"}},
	"rocksdb.yml":    {headers: []string{"rocksdb/c.h"}},
	"leveldb.yml":    {headers: []string{"leveldb/c.h"}},
	"libxml2.yml":    {headers: []string{"libxml/parser.h", "libxml/tree.h", "libxml/xpath.h", "libxml/xmlmemory.h", "libxml/xmlerror.h", "libxml/c14n.h"}, pkg: []string{"libxml-2.0"}},
	"libcurl.yml":    {headers: []string{"curl/curl.h"}},
	"libusb.yml":     {headers: []string{"libusb-1.0/libusb.h"}},
	"libseccomp.yml": {headers: []string{"seccomp.h"}},
	"libbpf.yml":     {headers: []string{"bpf/libbpf.h", "bpf/btf.h"}},
	"zmq.yml":        {headers: []string{"zmq.h"}},
	"odpi.yml":       {headers: []string{"dpi.h"}}, // vendored by the bindings (godror/odpi/include), not packaged
	"glib.yml":       {headers: []string{"glib.h", "glib-object.h", "gio/gio.h", "glib-unix.h"}, pkg: []string{"gio-2.0", "gio-unix-2.0"}},
	"gstreamer.yml":  {headers: []string{"gst/gst.h"}, pkg: []string{"gstreamer-1.0"}},
}

// TestLibraryHeaders checks every function named in the shipped library
// data against the library's installed headers: it must be declared there
// (as a function, or as a macro or variable that C code calls by that name,
// as libxml2's xmlMalloc), and every parameter index of a declared function
// must be in range. It catches invented names and off-by-one indices. A
// library whose headers are not installed is skipped, except those marked
// required.
func TestLibraryHeaders(t *testing.T) {
	if _, err := exec.LookPath("cc"); err != nil {
		if _, err := exec.LookPath("gcc"); err != nil {
			t.Fatal("no C compiler: the header check needs one")
		}
	}
	libs, err := config.Libraries()
	if err != nil {
		t.Fatal(err)
	}
	for _, lib := range libs {
		h, ok := libraryHeaders[lib.File]
		if !ok {
			t.Errorf("%s: no headers listed for it in libraryHeaders", lib.File)
			continue
		}
		t.Run(lib.File, func(t *testing.T) {
			ast, err := translate(h.defines, h.headers, h.pkg)
			if err != nil {
				if h.required {
					t.Fatalf("headers of %s not usable (scripts/setup.sh installs them): %v", lib.File, err)
				}
				t.Skipf("headers not installed: %v", err)
			}
			for _, f := range lib.Functions {
				checkDecl(t, ast, f)
			}
		})
	}
}

func translate(defines string, headers, pkgs []string) (*cc.AST, error) {
	var flags []string
	for _, p := range pkgs {
		out, err := exec.Command("pkg-config", "--cflags", p).Output()
		if err != nil {
			return nil, fmt.Errorf("pkg-config --cflags %s: %v", p, err)
		}
		flags = append(flags, strings.Fields(string(out))...)
	}
	cfg, err := cc.NewConfig(runtime.GOOS, runtime.GOARCH, flags...)
	if err != nil {
		return nil, err
	}
	var src strings.Builder
	src.WriteString("#define _GNU_SOURCE 1\n")
	src.WriteString(defines)
	for _, h := range headers {
		fmt.Fprintf(&src, "#include <%s>\n", h)
	}
	return cc.Translate(cfg, []cc.Source{
		{Name: "<predefined>", Value: cfg.Predefined},
		{Name: "<builtin>", Value: cc.Builtin},
		{Name: "check.c", Value: src.String()},
	})
}

// checkDecl checks one entry against the translated headers.
func checkDecl(t *testing.T, ast *cc.AST, f config.FuncSpec) {
	t.Helper()
	var ft *cc.FunctionType
	declared := false
	for _, n := range ast.Scope.Nodes[f.Name] {
		d, ok := n.(*cc.Declarator)
		if !ok {
			continue
		}
		declared = true
		switch x := d.Type().(type) {
		case *cc.FunctionType:
			ft = x
		case *cc.PointerType:
			ft, _ = x.Elem().(*cc.FunctionType)
		}
	}
	if _, ok := ast.Macros[f.Name]; ok {
		declared = true
	}
	if !declared {
		t.Errorf("%s is not declared in the library's headers", f.Name)
		return
	}
	if ft == nil {
		return // a macro: its parameters are not checked
	}
	n := len(ft.Parameters())
	if ft.MaxArgs() == 0 {
		n = 0
	}
	idx := slices.Concat(f.Frees, f.Takes, f.Keeps, f.Out)
	if f.SignalArg != nil {
		idx = append(idx, *f.SignalArg)
	}
	for _, i := range idx {
		if i >= n && !ft.IsVariadic() {
			t.Errorf("%s: parameter index %d out of range (%d parameters)", f.Name, i, n)
		}
	}
	for _, i := range f.Out {
		if i < n {
			if p := ft.Parameters()[i].Type(); p.Kind() != cc.Ptr {
				t.Errorf("%s: out parameter %d is %s, not a pointer", f.Name, i, p)
			} else if e := p.(*cc.PointerType).Elem(); e.Kind() != cc.Ptr {
				t.Errorf("%s: out parameter %d is %s, not a pointer to a pointer", f.Name, i, p)
			}
		}
	}
	if f.NoReturn && !declaredNoReturn(ast)[f.Name] {
		t.Errorf("%s: the data says it never returns, but its declaration is neither noreturn nor _Noreturn", f.Name)
	}
	if (f.Allocates != "" && len(f.Out) == 0) || f.Borrowed {
		if r := ft.Result(); r.Kind() != cc.Ptr {
			t.Errorf("%s: result is %s, not a pointer, but the data says it is owned or borrowed", f.Name, r)
		}
	}
}

var noReturnMemo = map[*cc.AST]map[string]bool{}

// declaredNoReturn returns the functions that ast declares noreturn, as
// the header knowledge source reads them.
func declaredNoReturn(ast *cc.AST) map[string]bool {
	if m, ok := noReturnMemo[ast]; ok {
		return m
	}
	m := map[string]bool{}
	for _, f := range cfuncs.HeaderFuncs(ast, nil) {
		if f.NoReturn {
			m[f.Name] = true
		}
	}
	noReturnMemo[ast] = m
	return m
}

// TestBuiltinHeaders checks the built-in libc/POSIX table the same way
// against the C library's headers, which every machine with a C compiler
// has: it fails, never skips.
func TestBuiltinHeaders(t *testing.T) {
	headers := []string{
		"stdlib.h", "string.h", "stdio.h", "wchar.h", "malloc.h", "unistd.h", "pthread.h",
		"semaphore.h", "signal.h", "sys/wait.h", "sys/socket.h", "sys/select.h", "poll.h",
		"sys/epoll.h", "sys/file.h", "sys/msg.h", "mqueue.h", "netdb.h", "resolv.h", "time.h",
		"sys/time.h", "setjmp.h", "ucontext.h", "dlfcn.h", "sched.h", "locale.h", "errno.h",
		"search.h", "syslog.h", "sys/uio.h", "assert.h", "err.h", "threads.h",
		"pwd.h", "grp.h", "arpa/inet.h", "langinfo.h",
	}
	ast, err := translate("", headers, nil)
	if err != nil {
		t.Fatalf("libc headers not usable: %v", err)
	}
	for _, f := range cfuncs.Builtin().Funcs() {
		switch {
		case f.Name == "CString" || f.Name == "CBytes":
			continue // cgo's helpers
		case strings.HasPrefix(f.Name, "gl") || strings.HasPrefix(f.Name, "egl") ||
			strings.HasPrefix(f.Name, "wgl") || strings.HasPrefix(f.Name, "CGL"):
			continue // GL context calls of the platforms' GL libraries
		case f.Name == "bsd_signal":
			continue // dropped by POSIX.1-2008; glibc no longer declares it, musl still does
		}
		spec := config.FuncSpec{Name: f.Name, Frees: f.Frees, Takes: f.Takes, Keeps: f.Keeps, Out: f.AllocOut, NoReturn: f.NoReturn}
		if f.Allocates {
			spec.Allocates = f.Dealloc
		}
		if f.SignalArg >= 0 {
			spec.SignalArg = &f.SignalArg
		}
		checkDecl(t, ast, spec)
	}
}
