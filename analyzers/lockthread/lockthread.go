package lockthread

import (
	_ "embed"
	"go/ast"
	"go/constant"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/internal/docutil"
	"github.com/cgolint/cgolint/internal/ssaflow"
	"github.com/cgolint/cgolint/passes/cindex"
)

//go:embed doc.go
var doc string

// Analyzer is the lockthread check on the default C-call index.
var Analyzer = New(cindex.Analyzer)

// Categories of findings.
const (
	catLock   = "unbalanced-lock"
	catUnlock = "unbalanced-unlock"
	catAffine = "thread-affine"
)

// New returns a lockthread analyzer that reads the given C-call index (an analyzer
// built by cindex.New).
func New(index *analysis.Analyzer) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:      "lockthread",
		Doc:       docutil.MustExtract(doc, "lockthread"),
		URL:       "https://pkg.go.dev/github.com/cgolint/cgolint/analyzers/lockthread",
		Requires:  []*analysis.Analyzer{index},
		FactTypes: []analysis.Fact{new(funcFact)},
		Run: func(pass *analysis.Pass) (any, error) {
			return cindex.Check(pass, index, func(idx *cindex.Index) error {
				if idx.Std() {
					return nil // the standard library is known by name
				}
				return run(pass, idx)
			})
		},
	}
}

// Affine event kinds, as a bit set (funcFact.Affine).
const (
	// kErr reads the thread-local error state left by the previous C call
	// (dlerror, git_error_last, ERR_get_error...).
	kErr uint8 = 1 << iota
	// kRelease reads or releases state acquired earlier on the same thread
	// (pthread_mutex_unlock, pthread_getspecific, eglGetCurrentContext).
	kRelease
	// kAcquire takes thread-owned state (pthread_mutex_lock, pthread_setspecific).
	kAcquire
	// kSwitch switches per-thread state (setns, unshare, uselocale, make current).
	kSwitch
)

// funcFact summarises a function for its callers.
type funcFact struct {
	// Delta is +1 for a function that returns with the OS thread locked
	// once more than on entry (on every path), -1 for one that undoes its
	// caller's lock, 0 otherwise.
	Delta int8
	// Affine is the set of thread-affine events the function performs
	// without locking the thread itself: its callers must hold the lock.
	Affine uint8
	// Unlocker is set on a returns-locked function that returns, on every
	// path, a function value that undoes the lock (runc's
	// `path, closer := utils.ProcThreadSelf(...); defer closer()`).
	Unlocker bool
	// Owns is set on a returns-locked function that leaves per-thread
	// state switched on the locked thread (a namespace entered, a GL
	// context made current): its callers must stay on the thread.
	Owns bool
}

func (*funcFact) AFact() {}

func (f *funcFact) String() string {
	var parts []string
	switch {
	case f.Delta > 0 && f.Unlocker:
		parts = append(parts, "returns-locked-with-unlocker")
	case f.Delta > 0 && f.Owns:
		parts = append(parts, "returns-locked-owning-thread-state")
	case f.Delta > 0:
		parts = append(parts, "returns-locked")
	case f.Delta < 0:
		parts = append(parts, "unlocks-caller")
	}
	if f.Affine != 0 {
		parts = append(parts, "requires-locked("+kindNames(f.Affine)+")")
	}
	return "lockthread:" + strings.Join(parts, ",")
}

func kindNames(k uint8) string {
	var s []string
	for _, x := range []struct {
		k    uint8
		name string
	}{{kErr, "error-state"}, {kRelease, "release"}, {kAcquire, "acquire"}, {kSwitch, "switch"}} {
		if k&x.k != 0 {
			s = append(s, x.name)
		}
	}
	return strings.Join(s, "+")
}

// The C functions whose state belongs to the calling thread, by the kind of
// event they are. Thread-affine functions of the knowledge base that are not
// listed here (from the user's configuration) are error-state readers;
// pthread_self is harmless on its own, and signal masks are csignal's.
var cKinds = map[string]uint8{
	"pthread_mutex_lock":       kAcquire,
	"pthread_mutex_timedlock":  kAcquire,
	"pthread_mutex_trylock":    kAcquire,
	"pthread_rwlock_rdlock":    kAcquire,
	"pthread_rwlock_wrlock":    kAcquire,
	"pthread_rwlock_tryrdlock": kAcquire,
	"pthread_rwlock_trywrlock": kAcquire,
	"pthread_setspecific":      kAcquire,
	"pthread_mutex_unlock":     kRelease,
	"pthread_rwlock_unlock":    kRelease,
	"pthread_getspecific":      kRelease,
	"eglGetCurrentContext":     kRelease,
	"eglGetCurrentDisplay":     kRelease,
	"eglGetCurrentSurface":     kRelease,
	"glXGetCurrentContext":     kRelease,
	"glXGetCurrentDrawable":    kRelease,
	"wglGetCurrentContext":     kRelease,
	"CGLGetCurrentContext":     kRelease,
	"SDL_GL_GetCurrentContext": kRelease,
	"glfwGetCurrentContext":    kRelease,
	"setns":                    kSwitch,
	"unshare":                  kSwitch,
	"uselocale":                kSwitch,
	"eglMakeCurrent":           kSwitch,
	"eglReleaseThread":         kSwitch,
	"glXMakeCurrent":           kSwitch,
	"glXMakeContextCurrent":    kSwitch,
	"wglMakeCurrent":           kSwitch,
	"CGLSetCurrentContext":     kSwitch,
	"SDL_GL_MakeCurrent":       kSwitch,
	"glfwMakeContextCurrent":   kSwitch,
	"pthread_self":             0,
	"sigprocmask":              0,
	"pthread_sigmask":          0,
}

// run checks one package.
func run(pass *analysis.Pass, idx *cindex.Index) error {
	r := &runner{pass: pass, idx: idx}
	if !r.relevant() {
		return nil // nothing locks, switches thread state or calls what does
	}
	s, err := idx.SSA()
	if err != nil {
		return err
	}
	r.ssa = s
	r.analyze()
	return nil
}

// relevant reports whether the package uses anything this check is about:
// LockOSThread, Go-side namespace switches, thread-affine C functions, or
// functions with facts. It looks only at type information, so a package
// for which it is false costs no SSA construction.
func (r *runner) relevant() bool {
	for _, c := range r.idx.Calls() {
		if c.Info != nil && c.Info.ThreadAffine {
			return true
		}
	}
	for _, obj := range r.pass.TypesInfo.Uses {
		fn, ok := obj.(*types.Func)
		if !ok || fn.Pkg() == nil || fn.Pkg() == r.pass.Pkg {
			continue
		}
		if a, ok := lookupAPI(fn); ok && !a.procWrite {
			return true
		}
		var f funcFact
		if r.pass.ImportObjectFact(fn, &f) {
			return true
		}
	}
	for _, tv := range r.pass.TypesInfo.Types {
		if tv.Value != nil && tv.Value.Kind() == constant.String {
			s := constant.StringVal(tv.Value)
			if strings.Contains(s, "/proc/thread-self/") || strings.Contains(s, "/proc/self/task/") || strings.Contains(s, "/task/%d/") {
				return true // maybe a per-thread /proc write
			}
		}
	}
	return false
}

// isRuntimeLock returns +1 for runtime.LockOSThread, -1 for
// runtime.UnlockOSThread, 0 otherwise.
func isRuntimeLock(fn *types.Func) int {
	a, _ := lookupAPI(fn)
	return int(a.delta)
}

// funcName names fn for messages: F, T.M, or "a function literal in F".
func funcName(fn *ssa.Function) string {
	if fn.Parent() != nil {
		return "the function literal in " + funcName(fn.Parent())
	}
	if recv := fn.Signature.Recv(); recv != nil {
		if n := ssaflow.NamedOf(recv.Type()); n != nil {
			return n.Name() + "." + fn.Name()
		}
	}
	return fn.Name()
}

// isExported reports whether a function is visible to other packages (an
// exported function or an exported method of any type).
func isExported(fn *ssa.Function) bool {
	return fn.Parent() == nil && ast.IsExported(fn.Name())
}

// sortedKeys returns the keys of a diagnostic map in a deterministic order.
func sortedKeys[V any](m map[diagKey]V) []diagKey {
	keys := make([]diagKey, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].at != keys[j].at {
			return keys[i].at < keys[j].at
		}
		if keys[i].cat != keys[j].cat {
			return keys[i].cat < keys[j].cat
		}
		return keys[i].rel < keys[j].rel
	})
	return keys
}
