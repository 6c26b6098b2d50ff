package cfuncs_test

import (
	"slices"
	"testing"

	"github.com/cgolint/cgolint/passes/cfuncs"
	"github.com/cgolint/cgolint/passes/config"
)

func TestLookupRoles(t *testing.T) {
	kb := config.Shipped() // the built-in table and the shipped library data
	tests := []struct {
		name  string
		check func(f *cfuncs.Func) bool
	}{
		{"malloc", func(f *cfuncs.Func) bool { return f.Allocates && f.Dealloc == "free" && f.Family == "libc" }},
		{"CString", func(f *cfuncs.Func) bool { return f.Allocates && f.Dealloc == "free" }},
		{"realloc", func(f *cfuncs.Func) bool { return f.Allocates && slices.Equal(f.Frees, []int{0}) && !f.IsDeallocator() }},
		{"free", func(f *cfuncs.Func) bool { return f.FreesArg(0) && f.Family == "libc" && f.IsDeallocator() }},
		{"asprintf", func(f *cfuncs.Func) bool {
			return !f.Allocates && f.IsAllocator() && slices.Equal(f.AllocOut, []int{0}) && f.Dealloc == "free"
		}},
		{"posix_memalign", func(f *cfuncs.Func) bool { return slices.Equal(f.AllocOut, []int{0}) }},
		{"sqlite3_mprintf", func(f *cfuncs.Func) bool { return f.Dealloc == "sqlite3_free" && f.Family == "sqlite3" }},
		{"sqlite3_free", func(f *cfuncs.Func) bool { return f.FreesArg(0) && f.Family == "sqlite3" }},
		{"g_strdup_printf", func(f *cfuncs.Func) bool { return f.Dealloc == "g_free" && f.Family == "glib" }},
		{"xmlStrdup", func(f *cfuncs.Func) bool { return f.Dealloc == "xmlFree" && f.Family == "libxml2" }},
		{"putenv", func(f *cfuncs.Func) bool { return f.KeepsArg(0) && !f.FreesArg(0) }},
		{"setvbuf", func(f *cfuncs.Func) bool { return f.KeepsArg(1) }},
		{"sleep", func(f *cfuncs.Func) bool { return f.Blocks && !f.ThreadAffine }},
		{"getaddrinfo", func(f *cfuncs.Func) bool { return f.Blocks }},
		{"pthread_mutex_lock", func(f *cfuncs.Func) bool { return f.Blocks && f.ThreadAffine }},
		{"pthread_mutex_unlock", func(f *cfuncs.Func) bool { return !f.Blocks && f.ThreadAffine }},
		{"dlerror", func(f *cfuncs.Func) bool { return f.ThreadAffine }},
		{"git_error_last", func(f *cfuncs.Func) bool { return f.ThreadAffine }},
		{"signal", func(f *cfuncs.Func) bool { return f.Signal == cfuncs.Installs && f.SignalArg == 0 }},
		{"sigaction", func(f *cfuncs.Func) bool { return f.Signal == cfuncs.Installs && f.SignalArg == 0 }},
		{"pthread_sigmask", func(f *cfuncs.Func) bool { return f.Signal == cfuncs.Masks && f.SignalArg == -1 }},
		{"kill", func(f *cfuncs.Func) bool { return f.Signal == cfuncs.Raises && f.SignalArg == 1 }},
		{"pthread_kill", func(f *cfuncs.Func) bool {
			return f.Signal == cfuncs.Raises && f.SignalArg == 1 && f.Hostile == cfuncs.NotHostile
		}},
		{"alarm", func(f *cfuncs.Func) bool { return f.Signal == cfuncs.Raises && f.SignalArg == -1 }},
		{"pthread_exit", func(f *cfuncs.Func) bool { return f.Hostile == cfuncs.ThreadExit }},
		{"pthread_cancel", func(f *cfuncs.Func) bool { return f.Hostile == cfuncs.ThreadCancel }},
		{"vfork", func(f *cfuncs.Func) bool { return f.Hostile == cfuncs.Fork }},
		{"siglongjmp", func(f *cfuncs.Func) bool { return f.Hostile == cfuncs.NonlocalJump }},
		{"swapcontext", func(f *cfuncs.Func) bool { return f.Hostile == cfuncs.ContextSwitch }},
		{"sleep", func(f *cfuncs.Func) bool {
			return f.SignalArg == -1 && f.OnStack == -1 && f.Origin == cfuncs.OriginBuiltin && f.Source == ""
		}},
		{"sqlite3_prepare_v2", func(f *cfuncs.Func) bool {
			return !f.Allocates && slices.Equal(f.AllocOut, []int{3}) && f.Dealloc == "sqlite3_finalize" &&
				f.Origin == cfuncs.OriginLibrary && f.Source == "sqlite3.yml"
		}},
		{"git_error_last", func(f *cfuncs.Func) bool {
			return f.ThreadAffine && f.ErrorNeutral && f.Borrowed && f.Source == "libgit2.yml"
		}},
		{"sqlite3_column_text", func(f *cfuncs.Func) bool { return f.Borrowed && !f.Allocates }},
		{"g_unix_signal_add", func(f *cfuncs.Func) bool { return f.Signal == cfuncs.Installs && f.SignalArg == 0 }},
	}
	for _, tt := range tests {
		f := kb.Lookup(tt.name)
		if f == nil {
			t.Errorf("Lookup(%q) = nil", tt.name)
			continue
		}
		if f.Name != tt.name || !tt.check(f) {
			t.Errorf("Lookup(%q) = %+v: wrong roles", tt.name, *f)
		}
	}
	// Unknown functions borrow; deliberate omissions stay unknown.
	for _, name := range []string{"printf", "fcntl", "open", "git_repository_new", "sqlite3_column_count", ""} {
		if f := kb.Lookup(name); f != nil {
			t.Errorf("Lookup(%q) = %+v, want nil", name, *f)
		}
	}
	var nilKB *cfuncs.KB
	if nilKB.Lookup("malloc") != nil {
		t.Error("nil KB knows malloc")
	}
}

func TestExtend(t *testing.T) {
	base := cfuncs.Builtin()
	n := len(base.Funcs())
	mine := &cfuncs.Func{Name: "git_buf_new", Allocates: true, Dealloc: "git_buf_dispose", Family: "git_buf", SignalArg: -1, Origin: cfuncs.OriginConfig}
	over1 := &cfuncs.Func{Name: "sleep", SignalArg: -1, Origin: cfuncs.OriginConfig}
	over2 := &cfuncs.Func{Name: "sleep", ThreadAffine: true, SignalArg: -1, Origin: cfuncs.OriginPreamble}
	kb := base.Extend(mine, nil, over1, &cfuncs.Func{}, over2)
	if got := kb.Lookup("git_buf_new"); got == nil || got.Dealloc != "git_buf_dispose" || got == mine {
		t.Errorf("extended entry = %+v, want a copy of %+v", got, mine)
	}
	if got := kb.Lookup("sleep"); got.Blocks || !got.ThreadAffine || got.Origin != cfuncs.OriginPreamble {
		t.Errorf("later entry does not override: %+v", got)
	}
	if !base.Lookup("sleep").Blocks || base.Lookup("git_buf_new") != nil || len(base.Funcs()) != n {
		t.Error("Extend changed its receiver")
	}
	if got := len(kb.Funcs()); got != n+1 {
		t.Errorf("len(Funcs()) = %d, want %d", got, n+1)
	}
	mine.Dealloc = "changed"
	if kb.Lookup("git_buf_new").Dealloc != "git_buf_dispose" {
		t.Error("Extend did not copy its entries")
	}
}

func TestFuncsSorted(t *testing.T) {
	fs := cfuncs.Builtin().Funcs()
	if len(fs) < 100 {
		t.Fatalf("only %d builtin entries", len(fs))
	}
	if !slices.IsSortedFunc(fs, func(a, b *cfuncs.Func) int {
		switch {
		case a.Name < b.Name:
			return -1
		case a.Name > b.Name:
			return 1
		}
		return 0
	}) {
		t.Error("Funcs() not sorted by name")
	}
	// Every allocator names a deallocator of its own family, in the
	// built-in table and in the shipped data.
	fs = config.Shipped().Funcs()
	kb := config.Shipped()
	for _, f := range fs {
		if !f.IsAllocator() {
			continue
		}
		d := kb.Lookup(f.Dealloc)
		if d == nil || !d.IsDeallocator() || d.Family != f.Family {
			t.Errorf("%s: deallocator %q is not a %s deallocator", f.Name, f.Dealloc, f.Family)
		}
	}
}

func TestFamilies(t *testing.T) {
	kb := config.Shipped().Extend(&cfuncs.Func{Name: "mylib_alloc", Allocates: true, Dealloc: "mylib_release", Family: "mylib", SignalArg: -1})
	tests := []struct {
		alloc, dealloc string
		same, wrong    bool
	}{
		{"malloc", "free", true, false},
		{"strdup", "free", true, false},
		{"CString", "free", true, false},
		{"asprintf", "free", true, false},
		{"malloc", "realloc", true, false},
		{"sqlite3_malloc", "sqlite3_free", true, false},
		{"sqlite3_mprintf", "free", false, true},
		{"malloc", "sqlite3_free", false, true},
		{"g_strdup", "free", false, true},
		{"xmlStrdup", "g_free", false, true},
		{"mylib_alloc", "mylib_release", true, false}, // unknown deallocator, but named
		{"mylib_alloc", "free", false, true},
		{"unknown_alloc", "free", false, false},
		{"malloc", "unknown_free", false, false},
		{"free", "free", false, false},
		{"sqlite3_open_v2", "sqlite3_close", true, false},
		{"sqlite3_open_v2", "sqlite3_close_v2", true, false},
		{"sqlite3_prepare_v2", "sqlite3_close", false, true},
		{"git_commit_lookup", "git_object_free", true, false},
		{"rocksdb_property_value", "free", true, false}, // rocksdb_free is free
		{"g_file_new_for_path", "g_object_unref", true, false},
	}
	for _, tt := range tests {
		if got := kb.SameFamily(tt.alloc, tt.dealloc); got != tt.same {
			t.Errorf("SameFamily(%s, %s) = %v, want %v", tt.alloc, tt.dealloc, got, tt.same)
		}
		if got := kb.WrongFamily(tt.alloc, tt.dealloc); got != tt.wrong {
			t.Errorf("WrongFamily(%s, %s) = %v, want %v", tt.alloc, tt.dealloc, got, tt.wrong)
		}
	}
}

func TestStrings(t *testing.T) {
	if cfuncs.Installs.String() != "installs" || cfuncs.Fork.String() != "fork" || cfuncs.OriginConfig.String() != "config" {
		t.Error("String methods")
	}
}
