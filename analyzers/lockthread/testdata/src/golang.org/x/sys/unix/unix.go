// Package unix is a stub of golang.org/x/sys/unix for the tests.
package unix

const (
	CLONE_NEWNET = 0x40000000
	CLONE_NEWNS  = 0x20000
	SYS_SETNS    = 308
	SYS_UNSHARE  = 272
)

type CPUSet [16]uint64

func Setns(fd int, nstype int) error { return nil }

func Unshare(flags int) error { return nil }

func Gettid() int { return 0 }

func SchedSetaffinity(pid int, set *CPUSet) error { return nil }

func Syscall(trap, a1, a2, a3 uintptr) (r1, r2 uintptr, err error) { return 0, 0, nil }

func RawSyscall6(trap, a1, a2, a3, a4, a5, a6 uintptr) (r1, r2 uintptr, err error) {
	return 0, 0, nil
}
