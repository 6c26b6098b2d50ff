package main

import (
	"crypto/sha256"
	"fmt"
	"io"
	"os"
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
		fmt.Printf("cgolint version %s buildID=%s\n", version(), id)
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
