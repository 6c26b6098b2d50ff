package nsgo

import (
	"fmt"
	"os"
	"runtime"

	"golang.org/x/sys/unix"
)

// Label sets the exec label of whichever thread runs the goroutine.
func Label(label string) {
	go func() {
		os.WriteFile("/proc/thread-self/attr/exec", []byte(label), 0) // want `os.WriteFile of a per-thread /proc file in the function literal in Label changes the per-thread state`
		work()
	}()
}

// LabelLocked is its safe twin.
func LabelLocked(label string) {
	go func() {
		runtime.LockOSThread()
		os.WriteFile("/proc/thread-self/attr/exec", []byte(label), 0)
		work()
	}()
}

// Relabel sets a label, works, and resets it, without locking.
func Relabel(label string) error {
	p := fmt.Sprintf("/proc/self/task/%d/attr/current", unix.Gettid())
	f, err := os.OpenFile(p, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	f.Close()
	work()
	return os.WriteFile("/proc/thread-self/attr/current", nil, 0) // want `os.WriteFile of a per-thread /proc file switches per-thread state again after os.OpenFile of a per-thread /proc file \(line 31\)`
}

// ReadOnly only reads per-thread files: not a change.
func ReadOnly() ([]byte, error) {
	go func() {
		os.ReadFile("/proc/thread-self/attr/current")
	}()
	return os.ReadFile("/proc/thread-self/attr/current")
}
