// Package libgit2 uses libgit2 through its real header, with the roles of
// the library data shipped with cgolint (libgit2.yml) and no
// configuration. The test needs libgit2's development files
// (scripts/setup.sh installs libgit2-dev); without them it fails to load,
// it is never skipped.
package libgit2

// #cgo pkg-config: libgit2
// #include <stdlib.h>
// #include <git2.h>
import "C"

import "unsafe"

// IsBare never frees the repository git_repository_open hands back.
func IsBare(path string) bool {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	var repo *C.git_repository
	if C.git_repository_open(&repo, cpath) != 0 { // want `repo, filled by C.git_repository_open, is never freed, so its C memory leaks; defer C.git_repository_free\(repo\) after the allocation`
		return false
	}
	return C.git_repository_is_bare(repo) == 1
}

// IsBareFreed frees it where it exists: on failure there is no repository.
func IsBareFreed(path string) bool {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	var repo *C.git_repository
	if C.git_repository_open(&repo, cpath) != 0 {
		return false
	}
	defer C.git_repository_free(repo)
	return C.git_repository_is_bare(repo) == 1
}

// RefName copies the name the reference owns, and frees the reference
// twice.
func RefName(repo *C.git_repository, name *C.char) string { // want RefName:`cfree\(borrows \[0 1\]\)`
	var ref *C.git_reference
	if C.git_reference_lookup(&ref, repo, name) != 0 {
		return ""
	}
	defer C.git_reference_free(ref)
	s := C.GoString(C.git_reference_name(ref))
	C.git_reference_free(ref) // want `ref is released here and again by the deferred C.git_reference_free at return: double free`
	return s
}

// RefNameOnce frees it once; the name is borrowed from it, never freed.
func RefNameOnce(repo *C.git_repository, name *C.char) string { // want RefNameOnce:`cfree\(borrows \[0 1\]\)`
	var ref *C.git_reference
	if C.git_reference_lookup(&ref, repo, name) != 0 {
		return ""
	}
	defer C.git_reference_free(ref)
	return C.GoString(C.git_reference_name(ref))
}
