// Package ns is a stub of github.com/containernetworking/plugins/pkg/ns.
package ns

// NetNS is a network namespace.
type NetNS interface {
	Set() error
	Do(toRun func(NetNS) error) error
	Path() string
}
