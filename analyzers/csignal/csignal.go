package csignal

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/build"
	"go/constant"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/cgolint/cgolint/internal/docutil"
	"github.com/cgolint/cgolint/passes/cfuncs"
	"github.com/cgolint/cgolint/passes/cindex"
	"github.com/cgolint/cgolint/passes/csrc"
)

//go:embed doc.go
var doc string

// Analyzer is the csignal check on the default C-call index.
var Analyzer = New(cindex.Analyzer)

// New returns a csignal analyzer that reads the given C-call index (an analyzer
// built by cindex.New).
func New(index *analysis.Analyzer) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:      "csignal",
		Doc:       docutil.MustExtract(doc, "csignal"),
		URL:       "https://pkg.go.dev/github.com/cgolint/cgolint/analyzers/csignal",
		Requires:  []*analysis.Analyzer{index},
		FactTypes: []analysis.Fact{new(programFact), new(wrapperFact)},
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

// Categories.
const (
	catConflict = "conflict"
	catRuntime  = "runtime-signal"
	catOnStack  = "no-onstack"
	catMask     = "thread-mask"
)

// checker holds the state of one pass.
type checker struct {
	pass *analysis.Pass
	idx  *cindex.Index
	goos string

	installs       []*install // set by this package's C calls
	handles        []*handle  // this package's os/signal calls
	imported       programFact
	via            map[string]string // key of an imported install or handle -> import path it came through
	noOnStack      []noOnStack       // installs of a handler without SA_ONSTACK
	links          uint8
	wrappers       map[*ssa.Function][]ParamUse // this package's functions that hand a parameter on as a signal
	importWrappers bool                         // some import has functions with a wrapperFact
	files          map[string]*token.File       // other packages' files added to the FileSet, by name
}

type install struct {
	Install
	pos, end token.Pos
	what     string    // for messages: "C.install (defined in the cgo preamble)"
	cpos     token.Pos // for a constructor's install: the C call
}

// relPos returns where Related information about in points: the C call
// of a constructor's install, the Go call otherwise.
func (in *install) relPos() (token.Pos, token.Pos) {
	if in.cpos.IsValid() {
		return in.cpos, token.NoPos
	}
	return in.pos, in.end
}

type noOnStack struct {
	call *cindex.Call
	sigs []string
}

type handle struct {
	Handle
	pos token.Pos
}

func installKey(in Install) string { return "I" + in.Pkg + "/" + in.Pos + "#" + in.Sig }
func handleKey(h Handle) string    { return "H" + h.Pkg + "/" + h.Pos + "#" + h.Sig }

func run(pass *analysis.Pass, idx *cindex.Index) error {
	c := &checker{pass: pass, idx: idx, goos: build.Default.GOOS, via: make(map[string]string)}
	c.readImports()
	importsSignal := false
	for _, imp := range pass.Pkg.Imports() {
		if imp.Path() == "os/signal" {
			importsSignal = true
		}
	}
	if !idx.UsesCgo() && !importsSignal && !c.importWrappers && c.imported.empty() {
		return nil // nothing to say, and nothing to pass on: no SSA needed
	}
	c.wrappers = make(map[*ssa.Function][]ParamUse)
	if idx.UsesCgo() || importsSignal || c.importWrappers {
		s, err := idx.SSA()
		if err != nil {
			return err
		}
		c.findInstalls()
		c.findLoadInstalls()
		c.findMasks()
		c.findHandles(s)
	}
	c.reportRuntime()
	for _, n := range c.noOnStack {
		c.reportNoOnStack(n.call, n.sigs)
	}
	c.reportConflicts()
	c.exportFact()
	return nil
}

// readImports merges the facts of the direct imports and works out whether
// the package links net or os/exec.
func (c *checker) readImports() {
	imports := slices.Clone(c.pass.Pkg.Imports())
	slices.SortFunc(imports, func(a, b *types.Package) int { return strings.Compare(a.Path(), b.Path()) })
	for _, imp := range imports {
		var f programFact
		if !c.pass.ImportPackageFact(imp, &f) {
			c.links |= stdLinks[imp.Path()]
			continue
		}
		c.links |= f.Links
		c.importWrappers = c.importWrappers || f.Wrappers
		for _, in := range f.Installs {
			if _, ok := c.via[installKey(in)]; !ok {
				c.via[installKey(in)] = imp.Path()
				c.imported.Installs = append(c.imported.Installs, in)
			}
		}
		for _, h := range f.Handles {
			if _, ok := c.via[handleKey(h)]; !ok {
				c.via[handleKey(h)] = imp.Path()
				c.imported.Handles = append(c.imported.Handles, h)
			}
		}
	}
	c.imported.Links = c.links
	c.imported.normalize()
}

// stdLinks lists the standard packages that link net or os/exec (with Go
// 1.26): a fixed list, so that every driver agrees whatever export data
// says about a package's imports.
var stdLinks = map[string]uint8{
	"os/exec": linksExec, "go/build": linksExec, "go/importer": linksExec,
	"net/http/cgi": linksExec | linksNet, "net/http/fcgi": linksExec | linksNet,
	"net": linksNet, "net/http": linksNet, "net/http/cookiejar": linksNet,
	"net/http/httptest": linksNet, "net/http/httptrace": linksNet, "net/http/httputil": linksNet,
	"net/http/pprof": linksNet, "net/mail": linksNet, "net/rpc": linksNet, "net/rpc/jsonrpc": linksNet,
	"net/smtp": linksNet, "net/textproto": linksNet, "crypto/tls": linksNet, "crypto/x509": linksNet,
	"expvar": linksNet, "log/syslog": linksNet, "mime/multipart": linksNet,
}

// position returns "file.go:line:col" for pos.
func (c *checker) position(pos token.Pos) string {
	p := c.pass.Fset.Position(pos)
	return fmt.Sprintf("%s:%d:%d", filepath.Base(p.Filename), p.Line, p.Column)
}

// filename returns the name of the user's file that pos is in.
func (c *checker) filename(pos token.Pos) string {
	return c.pass.Fset.Position(pos).Filename
}

// factPos returns a token.Pos for a position recorded in a fact (file is
// absolute, pos is "file.go:line:col"), so that a finding's Related can
// point into another package's file: the file is read and added to the
// pass's FileSet once. It returns NoPos if the file cannot be read.
func (c *checker) factPos(file, pos string) token.Pos {
	if file == "" {
		return token.NoPos
	}
	i := strings.LastIndexByte(pos, ':')
	j := strings.LastIndexByte(pos[:max(i, 0)], ':')
	if i < 0 || j < 0 {
		return token.NoPos
	}
	line, err1 := strconv.Atoi(pos[j+1 : i])
	col, err2 := strconv.Atoi(pos[i+1:])
	if err1 != nil || err2 != nil || line < 1 || col < 1 {
		return token.NoPos
	}
	tf, ok := c.files[file]
	if !ok {
		if content, err := os.ReadFile(file); err == nil {
			tf = c.pass.Fset.AddFile(file, -1, len(content))
			tf.SetLinesForContent(content)
		}
		if c.files == nil {
			c.files = make(map[string]*token.File)
		}
		c.files[file] = tf
	}
	if tf == nil || line > tf.LineCount() {
		return token.NoPos
	}
	start := tf.LineStart(line)
	if off := tf.Offset(start) + col - 1; off <= tf.Size() {
		return tf.Pos(off)
	}
	return token.NoPos
}

// findInstalls records the C dispositions this package's C calls set.
func (c *checker) findInstalls() {
	for _, call := range c.idx.Calls() {
		f := call.Info
		if f == nil || f.Signal != cfuncs.Installs {
			continue
		}
		if f.Origin == cfuncs.OriginPreamble && f.Reinstalls {
			continue // puts back the disposition in force with other flags
		}
		// A handler that saves the one it replaces is assumed to forward
		// to it: only its flags are checked.
		chains := false
		switch {
		case f.Origin == cfuncs.OriginPreamble:
			chains = f.SavesOld
		case f.Name == "sigaction" && len(call.Args) >= 3:
			chains = !isNil(call.Args[2])
		}
		disp, onstack := dispUnknown, f.OnStack
		builtin := f.Origin == cfuncs.OriginBuiltin
		switch {
		case builtin && f.Name == "sigaction":
			if len(call.Args) < 2 || isNil(call.Args[1]) {
				continue // sigaction(sig, NULL, &old) only reads
			}
			onstack = c.sigactionOnStack(call.Args[1])
			if onstack >= 0 {
				disp = dispHandler // flags are only set for a handler
			}
		case builtin:
			if len(call.Args) >= 2 {
				disp = handlerKind(call.Args[1])
			}
			if disp == dispHandler {
				onstack = 0 // signal() and friends never set SA_ONSTACK
			}
		default:
			if onstack >= 0 {
				disp = dispHandler
			}
		}
		var sigs []string
		for _, s := range f.Signals {
			sigs = append(sigs, canonical(s))
		}
		if f.SignalArg >= 0 && f.SignalArg < len(call.Args) {
			if s, ok := c.cSignal(call.Args[f.SignalArg]); ok {
				sigs = append(sigs, s)
			}
		}
		slices.Sort(sigs)
		sigs = slices.Compact(sigs)
		if onstack == 0 && disp == dispHandler {
			c.noOnStack = append(c.noOnStack, noOnStack{call, sigs})
		}
		if chains {
			continue
		}
		if f.SignalArg >= 0 && f.SignalArg < len(call.Args) {
			if p, ok := paramIndex(call.Func, call.Args[f.SignalArg]); ok {
				c.addUse(call.Func, ParamUse{Param: p, Via: call.Name, Disp: disp, OnStack: onstack})
			}
		}
		pos := c.position(call.Pos())
		for _, s := range sigs {
			c.installs = append(c.installs, &install{
				Install: Install{Sig: s, Pkg: c.pass.Pkg.Path(), Pos: pos, File: c.filename(call.Pos()), Via: call.Name, Disp: disp, OnStack: onstack},
				pos:     call.Pos(),
				end:     call.End(),
				what:    callee(call),
			})
		}
	}
}

// findLoadInstalls records the dispositions that the package's C
// constructors set when the program loads: they count as set by the
// package itself, at its import "C".
func (c *checker) findLoadInstalls() {
	for _, ct := range c.idx.CSource().Ctors {
		for _, s := range ct.Installs {
			if s.Disp == csrc.DispDefault {
				continue // the default disposition changes nothing at load
			}
			pos := c.idx.ImportC(ct.File)
			if !pos.IsValid() {
				continue
			}
			c.installs = append(c.installs, &install{
				Install: Install{Sig: canonical(s.Sig), Pkg: c.pass.Pkg.Path(),
					Pos: fmt.Sprintf("%s:%d:%d", filepath.Base(s.File), s.Line, s.Col),
					Via: ct.Name, Disp: s.Disp, OnStack: s.OnStack, Load: true},
				pos:  pos,
				what: "the C constructor " + ct.Name,
				cpos: c.idx.CPos(s.File, s.Line, s.Col),
			})
		}
	}
}

// cSignal resolves the signal number a C call is given.
func (c *checker) cSignal(v ssa.Value) (string, bool) {
	v = unwrap(v)
	if k, ok := v.(*ssa.Const); ok && k.Value != nil && k.Value.Kind() == constant.Int {
		if n, exact := constant.Int64Val(k.Value); exact {
			return signalName(c.goos, n), true
		}
	}
	return goSignal(c.goos, v)
}

// goSignal resolves an os.Signal or syscall.Signal value: a constant such
// as syscall.SIGINT or unix.SIGUSR1, or os.Interrupt and os.Kill.
func goSignal(goos string, v ssa.Value) (string, bool) {
	v = unwrap(v)
	switch v := v.(type) {
	case *ssa.Const:
		if v.Value != nil && v.Value.Kind() == constant.Int {
			if n, exact := constant.Int64Val(v.Value); exact {
				return signalName(goos, n), true
			}
		}
	case *ssa.UnOp:
		if g, ok := v.X.(*ssa.Global); ok && v.Op == token.MUL && g.Pkg != nil && g.Pkg.Pkg.Path() == "os" {
			switch g.Name() {
			case "Interrupt":
				return "SIGINT", true
			case "Kill":
				return "SIGKILL", true
			}
		}
	}
	return "", false
}

// unwrap strips conversions and interface boxing.
func unwrap(v ssa.Value) ssa.Value {
	for {
		switch x := v.(type) {
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		case *ssa.Convert:
			v = x.X
		default:
			return v
		}
	}
}

func isNil(v ssa.Value) bool {
	k, ok := cindex.Unconvert(v).(*ssa.Const)
	return ok && k.IsNil()
}

// handlerKind classifies the handler argument of signal() and friends.
func handlerKind(v ssa.Value) uint8 {
	v = cindex.Unconvert(v)
	if isNil(v) {
		return dispDefault
	}
	switch v := v.(type) {
	case *ssa.Const:
		if v.Value != nil && v.Value.Kind() == constant.Int {
			switch n, _ := constant.Int64Val(v.Value); n {
			case 0:
				return dispDefault
			case 1:
				return dispIgnore
			}
		}
		return dispUnknown
	case *ssa.Call:
		if f := v.Call.StaticCallee(); f != nil {
			switch f.Name() {
			case "_Cmacro_SIG_IGN":
				return dispIgnore
			case "_Cmacro_SIG_DFL":
				return dispDefault
			}
			if strings.HasPrefix(f.Name(), "_Cmacro_") {
				return dispUnknown
			}
			if f.Name() == "_Cgo_ptr" {
				return dispHandler // a C function: (*[0]byte)(C.handler)
			}
		}
	case *ssa.UnOp:
		if g, ok := v.X.(*ssa.Global); ok && strings.HasPrefix(g.Name(), "_Cfpvar_fp_") {
			return dispHandler
		}
	}
	return dispUnknown
}

// sigactionOnStack returns whether the struct sigaction that act points to
// has SA_ONSTACK in its sa_flags (1) or not (0), when every store to the
// field is a constant in this function; -1 otherwise.
func (c *checker) sigactionOnStack(act ssa.Value) int8 {
	alloc, ok := cindex.Unconvert(act).(*ssa.Alloc)
	if !ok || alloc.Referrers() == nil {
		return -1
	}
	state := int8(-1)
	for _, r := range *alloc.Referrers() {
		fa, ok := r.(*ssa.FieldAddr)
		if !ok {
			continue
		}
		st, ok := fa.X.Type().Underlying().(*types.Pointer)
		if !ok {
			continue
		}
		s, ok := st.Elem().Underlying().(*types.Struct)
		if !ok || s.Field(fa.Field).Name() != "sa_flags" || fa.Referrers() == nil {
			continue
		}
		for _, u := range *fa.Referrers() {
			store, ok := u.(*ssa.Store)
			if !ok || store.Addr != fa {
				if _, isLoad := u.(*ssa.UnOp); isLoad {
					continue // sa.sa_flags |= ... reads it first
				}
				return -1
			}
			k, ok := unwrap(store.Val).(*ssa.Const)
			if !ok || k.Value == nil || k.Value.Kind() != constant.Int {
				// sa.sa_flags |= C.SA_ONSTACK is a BinOp of the old value.
				if b, ok := store.Val.(*ssa.BinOp); ok && b.Op == token.OR {
					if k, ok := unwrap(b.Y).(*ssa.Const); ok && k.Value != nil && k.Value.Kind() == constant.Int {
						n, _ := constant.Int64Val(k.Value)
						if n&saOnStack(c.goos) != 0 {
							state = 1
						}
						continue
					}
				}
				return -1
			}
			n, _ := constant.Int64Val(k.Value)
			if n&saOnStack(c.goos) != 0 {
				state = 1
			} else if state < 0 {
				state = 0
			}
		}
	}
	return state
}

// callExprs maps the Lparen of each call expression of the package to it.
func (c *checker) callExprs() map[token.Pos]*ast.CallExpr {
	m := make(map[token.Pos]*ast.CallExpr)
	for _, f := range c.pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				m[call.Lparen] = call
			}
			return true
		})
	}
	return m
}

// signalList resolves the variadic signal list of an os/signal call:
// ["*"] for none (every signal), the names it holds, or false when some
// element is not visible.
func (c *checker) signalList(v ssa.Value) ([]string, bool) {
	if isNil(v) {
		return []string{"*"}, true
	}
	var sigs []string
	for _, el := range listElems(v) {
		if s, ok := goSignal(c.goos, el); ok {
			sigs = append(sigs, s)
		}
	}
	slices.Sort(sigs)
	return slices.Compact(sigs), len(sigs) > 0
}

// exportFact exports what the package and its imports do, if anything.
func (c *checker) exportFact() {
	f := programFact{Links: c.links}
	f.Installs = append(f.Installs, c.imported.Installs...)
	f.Handles = append(f.Handles, c.imported.Handles...)
	for _, in := range c.installs {
		f.Installs = append(f.Installs, in.Install)
	}
	for _, h := range c.handles {
		f.Handles = append(f.Handles, h.Handle)
	}
	f.Wrappers = c.exportWrappers()
	if f.empty() {
		return
	}
	f.normalize()
	c.pass.ExportPackageFact(&f)
}
