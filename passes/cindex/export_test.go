package cindex

import "go/types"

// SetBuildHook makes f run at each SSA construction, and returns a function
// that removes it.
func SetBuildHook(f func(*types.Package)) (restore func()) {
	buildHook = f
	return func() { buildHook = nil }
}
