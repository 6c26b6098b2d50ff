package lockthread

import (
	"strings"
	"testing"
)

// TestGoAPITable checks that every entry of the table says exactly one
// thing: a lock count change, a thread-affine kind, a raw system call or a
// /proc write, and that its key names a package and a function.
func TestGoAPITable(t *testing.T) {
	for key, a := range goAPIs {
		n := 0
		if a.delta != 0 {
			n++
		}
		if a.kinds != 0 {
			n++
		}
		if a.sysnum {
			n++
		}
		if a.procWrite {
			n++
		}
		if n != 1 {
			t.Errorf("%s: %d roles, want 1", key, n)
		}
		if a.self >= 0 && a.kinds == 0 {
			t.Errorf("%s: self argument %d without a kind", key, a.self)
		}
		if !a.procWrite && a.flags > 0 {
			t.Errorf("%s: open flags argument without a /proc write", key)
		}
		dot := strings.LastIndex(key, ".")
		if dot <= 0 || dot == len(key)-1 {
			t.Errorf("%s: not importpath.Func", key)
		}
	}
	for _, key := range []string{"runtime.LockOSThread", "golang.org/x/sys/unix.Setns", "github.com/vishvananda/netns.Set", "syscall.RawSyscall"} {
		if _, ok := goAPIs[key]; !ok {
			t.Errorf("%s missing from the table", key)
		}
	}
}
