// Package netns is a stub of github.com/vishvananda/netns with empty
// bodies: what the check knows of it comes from its table, not from facts.
package netns

// NsHandle is a namespace file descriptor.
type NsHandle int

func Set(ns NsHandle) error                  { return nil }
func Setns(ns NsHandle, nstype int) error    { return nil }
func New() (NsHandle, error)                 { return 0, nil }
func NewNamed(name string) (NsHandle, error) { return 0, nil }
func Get() (NsHandle, error)                 { return 0, nil }
func (ns *NsHandle) Close() error            { return nil }
