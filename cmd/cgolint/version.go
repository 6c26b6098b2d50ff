package main

import (
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
)

// version returns the module version cgolint was built from: a release
// (v0.2.0), a pseudo-version, or "(devel)" for a build inside a checkout.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// versionFlag is -V, the version protocol go vet requires of a vet tool.
// -V prints "cgolint version v0.2.0". -V=full, which go vet runs once to key
// its cache of vet results, adds buildID=<hash of this executable>: the
// go command takes the whole line as the tool's identity (and, for a devel
// version, the buildID field), so results are recomputed whenever the
// binary changes, even with an unchanged version (a local build, a replace).
// The hash also covers what go vet's cache key leaves out and cgolint
// reads (see vetInputsID): the -config file's content and the environment
// that decides which cgo files were dropped.
type versionFlag struct{}

func (versionFlag) IsBoolFlag() bool { return true }
func (versionFlag) String() string   { return "" }
func (versionFlag) Get() any         { return nil }

func (versionFlag) Set(s string) error {
	switch s {
	case "true":
		fmt.Printf("cgolint version %s\n", version())
	case "full":
		id, err := buildID()
		if err != nil {
			return err
		}
		fmt.Printf("cgolint version %s buildID=%s\n", version(), vetInputsID(id))
	default:
		return fmt.Errorf("unsupported value -V=%s (use -V or -V=full)", s)
	}
	os.Exit(0)
	return nil
}

// buildID returns the SHA-256 of the running executable.
func buildID() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return fmt.Sprintf("%x", h.Sum(nil)), nil
}

// vetInputsID returns exeID, the executable's hash, combined with what
// else decides cgolint's findings under go vet but is not in go vet's cache
// key (the tool's -V=full line, the vet flags as strings, the package's
// build): the content of the -config file named on the go command's
// command line, and the environment variables that decide whether a cgo
// file was dropped for want of cgo (CGO_ENABLED, CC, GOFLAGS: its tags
// reach the tool as a placeholder). go vet runs -V=full once, as a child of
// the go command, in its directory and with its environment, so both can be
// read then: the command line only where the go command's can be seen
// (Linux), as for a relative -config path (see goCommandDir). Without a
// configuration file, or when it cannot be read, exeID alone is returned
// unchanged: a missing file fails every package, and go vet caches no
// failure.
func vetInputsID(exeID string) string {
	h := sha256.New()
	io.WriteString(h, exeID)
	for _, name := range []string{"CGO_ENABLED", "CC", "GOFLAGS"} {
		fmt.Fprintf(h, "\x00%s=%s", name, os.Getenv(name))
	}
	if path := goCommandFlag("config"); path != "" {
		if !filepath.IsAbs(path) {
			path = filepath.Join(goCommandDir(), path)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return exeID
		}
		fmt.Fprintf(h, "\x00config=%d\x00", len(data))
		h.Write(data)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}
