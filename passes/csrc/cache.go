package csrc

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"sync"

	"github.com/cgolint/cgolint/passes/cfuncs"
)

// The disk cache keeps one entry per package read: the Result and the
// files the translations read, with their content hashes. The key hashes
// what is known before translating (the units' text, flags, the
// configured functions, the platform, the C compiler named by $CC and
// cgolint's build); an entry is used only if every file it lists still
// has the same content, so an edited header is a miss. Entries are written
// to a temporary file and renamed into place, so parallel processes (go
// vet runs one per package) never see a partial entry; the last writer
// wins, and all writers write the same thing.

// cacheVersion changes when the entry format or the inference changes in a
// way the build identity would not show.
const cacheVersion = "csrc-2"

type entry struct {
	Files  map[string]string // name -> sha256 hex ("" absent)
	Result *Result
}

func cacheDir(opt Options) string {
	if opt.CacheDir != "" {
		return opt.CacheDir
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "cgolint", "csrc")
}

var (
	buildOnce sync.Once
	buildID   string
)

// buildIdentity identifies this cgolint binary: its module version and VCS stamp,
// and the executable's size and modification time (so a rebuilt
// development binary does not reuse its predecessor's entries).
func buildIdentity() string {
	buildOnce.Do(func() {
		var b bytes.Buffer
		if bi, ok := debug.ReadBuildInfo(); ok {
			fmt.Fprintf(&b, "%s %s;", bi.Main.Path, bi.Main.Version)
			for _, s := range bi.Settings {
				if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
					fmt.Fprintf(&b, "%s=%s;", s.Key, s.Value)
				}
			}
		}
		if exe, err := os.Executable(); err == nil {
			if fi, err := os.Stat(exe); err == nil {
				fmt.Fprintf(&b, "%s %d %d", exe, fi.Size(), fi.ModTime().UnixNano())
			}
		}
		buildID = b.String()
	})
	return buildID
}

func cacheKey(kb *cfuncs.KB, in Input, opt Options) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s/%s\x00CC=%s\x00", cacheVersion, buildIdentity(), runtime.GOOS, runtime.GOARCH, os.Getenv("CC"))
	fmt.Fprintf(h, "dir=%s\x00needall=%v\x00decls=%v\x00", in.Dir, in.NeedAll, opt.Headers)
	for _, f := range in.Flags {
		fmt.Fprintf(h, "flag=%s\x00", f)
	}
	needed := append([]string(nil), in.Needed...)
	sort.Strings(needed)
	for _, n := range needed {
		fmt.Fprintf(h, "need=%s\x00", n)
	}
	for _, u := range in.Units {
		fmt.Fprintf(h, "unit=%s\x00%d\x00", u.Name, len(u.Src))
		h.Write(u.Src)
	}
	for _, name := range sortedKeys(in.extra) {
		fmt.Fprintf(h, "extra=%s\x00%d\x00", name, len(in.extra[name]))
		h.Write(in.extra[name])
	}
	// What the configuration says C functions do changes the inference.
	for _, f := range kb.Funcs() {
		if f.Origin != cfuncs.OriginBuiltin {
			fmt.Fprintf(h, "kb=%+v\x00", *f)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func loadCache(opt Options, key string) *Result {
	dir := cacheDir(opt)
	if dir == "" {
		return nil
	}
	b, err := os.ReadFile(filepath.Join(dir, key[:2], key))
	if err != nil {
		return nil
	}
	var e entry
	if gob.NewDecoder(bytes.NewReader(b)).Decode(&e) != nil || e.Result == nil {
		return nil
	}
	for name, sum := range e.Files {
		c, err := os.ReadFile(name)
		switch {
		case err != nil && sum == "":
		case err != nil || sum == "":
			return nil
		default:
			s := sha256.Sum256(c)
			if hex.EncodeToString(s[:]) != sum {
				return nil
			}
		}
	}
	return e.Result
}

func storeCache(opt Options, key string, res *Result, files map[string]string) {
	dir := cacheDir(opt)
	if dir == "" {
		return
	}
	var b bytes.Buffer
	if gob.NewEncoder(&b).Encode(&entry{Files: files, Result: res}) != nil {
		return
	}
	sub := filepath.Join(dir, key[:2])
	if os.MkdirAll(sub, 0o755) != nil {
		return
	}
	tmp, err := os.CreateTemp(sub, key+".tmp*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(b.Bytes())
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), filepath.Join(sub, key)) != nil {
		os.Remove(tmp.Name())
	}
}
