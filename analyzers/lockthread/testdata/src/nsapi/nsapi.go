// Package nsapi switches namespaces and CPU affinity through well-known
// Go APIs (known from the check's table, not from facts).
package nsapi

import (
	"runtime"
	"syscall"

	"github.com/containernetworking/plugins/pkg/ns"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

func configure() error { return nil }

// Enter switches with netns.Set and back, unlocked.
func Enter(target, orig netns.NsHandle) error {
	if err := netns.Set(target); err != nil {
		return err
	}
	err := configure()
	netns.Set(orig) // want `netns.Set switches per-thread state again after netns.Set \(line 18\), but Enter does not keep the goroutine locked`
	return err
}

// EnterLocked is its safe twin.
func EnterLocked(target, orig netns.NsHandle) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := netns.Set(target); err != nil {
		return err
	}
	err := configure()
	netns.Set(orig)
	return err
}

// Create makes a namespace in a goroutine that is not locked.
func Create() {
	go func() {
		h, _ := netns.New() // want `netns.New in the function literal in Create changes the per-thread state of whichever OS thread runs the goroutine`
		_ = configure()
		h.Close()
	}()
}

// CreateLocked is its safe twin: the goroutine exits locked and its
// thread, in the new namespace, is thrown away.
func CreateLocked() {
	go func() {
		runtime.LockOSThread()
		h, _ := netns.NewNamed("x")
		_ = configure()
		h.Close()
	}()
}

// Readonly only reads the current namespace: silent.
func Readonly() {
	go func() {
		h, _ := netns.Get()
		h.Close()
	}()
}

// EnterCNI switches through the CNI interface, in and out, unlocked.
func EnterCNI(target, orig ns.NetNS) error {
	if err := target.Set(); err != nil {
		return err
	}
	err := configure()
	orig.Set() // want `ns.NetNS.Set switches per-thread state again after ns.NetNS.Set \(line 68\), but EnterCNI does not keep`
	return err
}

// Describe calls a method of the predeclared error interface (no
// package): not a known API.
func Describe(err error) string {
	return err.Error()
}

// EnterCNIDo is its safe twin: Do locks around the callback.
func EnterCNIDo(target ns.NetNS) error {
	return target.Do(func(ns.NetNS) error { return configure() })
}

// Raw switches with raw system calls from syscall and x/sys/unix.
func Raw(fd, orig int) {
	syscall.RawSyscall(syscall.SYS_UNSHARE, uintptr(fd), 0, 0)
	_ = configure()
	unix.RawSyscall6(unix.SYS_SETNS, uintptr(orig), 0, 0, 0, 0, 0) // want `unix.RawSyscall6\(SYS_SETNS/SYS_UNSHARE\) switches per-thread state again after syscall.RawSyscall\(SYS_SETNS/SYS_UNSHARE\) \(line 89\)`
}

// RawLocked is its safe twin.
func RawLocked(fd, orig int) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	syscall.RawSyscall(syscall.SYS_UNSHARE, uintptr(fd), 0, 0)
	_ = configure()
	unix.RawSyscall6(unix.SYS_SETNS, uintptr(orig), 0, 0, 0, 0, 0)
}

// RawOther makes other raw system calls: silent.
func RawOther() {
	go func() {
		syscall.RawSyscall(syscall.SYS_GETPID, 0, 0, 0)
	}()
}

// Pin pins the CPU affinity of whichever thread runs the goroutine.
func Pin(set *unix.CPUSet) {
	go func() {
		unix.SchedSetaffinity(0, set) // want `unix.SchedSetaffinity in the function literal in Pin changes the per-thread state`
		_ = configure()
	}()
}

// PinLocked is its safe twin.
func PinLocked(set *unix.CPUSet) {
	go func() {
		runtime.LockOSThread()
		unix.SchedSetaffinity(0, set)
		_ = configure()
	}()
}

// PinTid pins the calling thread by its id, unlocked.
func PinTid(set *unix.CPUSet) {
	go func() {
		unix.SchedSetaffinity(unix.Gettid(), set) // want `unix.SchedSetaffinity in the function literal in PinTid changes the per-thread state`
		_ = configure()
	}()
}

// PinOther sets another process's affinity: not the calling thread.
func PinOther(pid int, set *unix.CPUSet) {
	go func() {
		unix.SchedSetaffinity(pid, set)
	}()
}
