package nsgo

import (
	"runtime"
	"syscall"

	"golang.org/x/sys/unix"
)

func work() {}

// Isolate unshares the mount namespace in a goroutine without locking.
func Isolate() {
	go func() {
		syscall.Unshare(syscall.CLONE_NEWNS) // want `syscall.Unshare in the function literal in Isolate changes the per-thread state`
		work()
	}()
}

// IsolateLocked is its safe twin.
func IsolateLocked() {
	go func() {
		runtime.LockOSThread()
		syscall.Unshare(syscall.CLONE_NEWNS)
		work()
	}()
}

// Raw switches with the raw system call, twice, without locking.
func Raw(fd, orig int) {
	unix.Syscall(unix.SYS_SETNS, uintptr(fd), 0, 0)
	work()
	unix.Setns(orig, 0) // want `unix.Setns switches per-thread state again after unix.Syscall\(SYS_SETNS/SYS_UNSHARE\) \(line 31\)`
}

// RawLocked is its safe twin.
func RawLocked(fd, orig int) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	unix.Syscall(unix.SYS_SETNS, uintptr(fd), 0, 0)
	work()
	unix.Setns(orig, 0)
}
