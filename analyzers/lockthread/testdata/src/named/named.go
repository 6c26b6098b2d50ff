// Package named has functions named like the old name exemptions ("pin",
// "lock", "map", "acquire"): their names no longer decide anything.
package named

import (
	"errors"
	"runtime"
)

var errBusy = errors.New("busy")

func work() error { return nil }

// Ping returns with the thread locked and nothing calls it to unlock.
func Ping() error {
	runtime.LockOSThread() // want `Ping locks the OS thread with runtime.LockOSThread and returns to its caller without unlocking it`
	return work()
}

// PingPaired is its safe twin: its only caller unlocks after it.
func PingPaired() error { // want PingPaired:"lockthread:returns-locked"
	runtime.LockOSThread()
	return work()
}

// UsePingPaired pairs PingPaired.
func UsePingPaired() error {
	defer runtime.UnlockOSThread()
	return PingPaired()
}

// ReadBlock returns locked; its caller Read never unlocks: the bug is
// reported in ReadBlock, once.
func ReadBlock(n int) ([]byte, error) {
	runtime.LockOSThread() // want `ReadBlock locks the OS thread with runtime.LockOSThread and returns to its caller without unlocking it`
	return make([]byte, n), work()
}

// Read calls ReadBlock.
func Read() ([]byte, error) {
	return ReadBlock(512)
}

// readBlockPaired is ReadBlock's safe twin: ReadPaired unlocks.
func readBlockPaired(n int) ([]byte, error) { // want readBlockPaired:"lockthread:returns-locked"
	runtime.LockOSThread()
	return make([]byte, n), work()
}

// ReadPaired pairs readBlockPaired.
func ReadPaired() ([]byte, error) {
	b, err := readBlockPaired(512)
	runtime.UnlockOSThread()
	return b, err
}

// ReadSome pairs readBlockPaired on one path only: reported here, where
// the unlock is missing.
func ReadSome(skip bool) error {
	_, err := readBlockPaired(16) // want `ReadSome returns at line 62 with the OS thread still locked by readBlockPaired \(which returns with the thread locked\)`
	if skip {
		return err
	}
	runtime.UnlockOSThread()
	return err
}

// Table is a memory mapping.
type Table struct{ m map[string]int }

// Mapping locks and returns the mapping, without the means to unlock.
func (t *Table) Mapping() map[string]int {
	runtime.LockOSThread() // want `Table.Mapping locks the OS thread with runtime.LockOSThread and returns to its caller without unlocking it`
	_ = work()
	return t.m
}

// MappingCloser is its safe twin: it returns the unlock with the result
// (runc's ProcThreadSelf).
func (t *Table) MappingCloser() (map[string]int, func()) { // want MappingCloser:"lockthread:returns-locked-with-unlocker"
	runtime.LockOSThread()
	_ = work()
	return t.m, runtime.UnlockOSThread
}

// AcquireThread does nothing but lock: an API whose importers pair it
// (and are checked through its fact).
func AcquireThread() { // want AcquireThread:"lockthread:returns-locked"
	runtime.LockOSThread()
}

// PinAndWork locks around its own work and keeps the lock: reported
// whatever its name.
func PinAndWork() {
	runtime.LockOSThread() // want `PinAndWork locks the OS thread with runtime.LockOSThread and returns to its caller without unlocking it`
	_ = work()
}

// Enter locks and returns a restore closure; on its error path it unlocks
// itself and returns no closure.
func Enter(fail bool) (func(), error) {
	runtime.LockOSThread()
	if fail {
		runtime.UnlockOSThread()
		return nil, errBusy
	}
	_ = work()
	return func() {
		_ = work()
		runtime.UnlockOSThread()
	}, nil
}

// EnterLeak forgets to unlock on its error path.
func EnterLeak(fail bool) (func(), error) {
	runtime.LockOSThread() // want `EnterLeak returns at line 119 with the OS thread still locked by runtime.LockOSThread`
	_ = work()
	if fail {
		return nil, errBusy
	}
	return runtime.UnlockOSThread, nil
}

// UseEnter calls Enter and its closure.
func UseEnter() error {
	restore, err := Enter(false)
	if err != nil {
		return err
	}
	defer restore()
	return work()
}

// unlockWork unlocks after its own work, and nothing calls it: dead in
// this build; whoever calls it elsewhere is checked there.
func unlockWork() { // want unlockWork:"lockthread:unlocks-caller"
	_ = work()
	runtime.UnlockOSThread()
}

// ReleaseAfter undoes a lock it never took, and does other work: reported
// whatever its name.
func ReleaseAfter() {
	_ = work()
	runtime.UnlockOSThread() // want `runtime.UnlockOSThread in ReleaseAfter has no matching runtime.LockOSThread`
}

// Conn is a connection.
type Conn struct{}

func (c *Conn) roundTrip() error { return nil }

// pin hands back its unlock.
func (c *Conn) pin() (unpin func()) { // want pin:"lockthread:returns-locked-with-unlocker"
	runtime.LockOSThread()
	return runtime.UnlockOSThread
}

// Ping defers the unlock that pin returns.
func (c *Conn) Ping() error {
	defer c.pin()()
	return c.roundTrip()
}
