package csrc

import (
	"bufio"
	"bytes"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
	"time"

	"modernc.org/cc/v4"

	"github.com/cgolint/cgolint/passes/cfuncs"
)

// Translations run in a worker process: the running executable started
// again (whatever binary links this package: cgolint, a golangci-lint with
// the plugin, a test binary), which this package's init turns into a
// worker when it finds the marker below in its environment and argv.
//
// Why a process: modernc.org/cc/v4 v4.34.0's parser loops forever,
// appending an error per turn, on some C that does not compile (a unit
// cut off after `int *`; the loop is in (*parser).typeQualifierList, which
// shifts the EOF token and reports it again), and it has no error limit or
// callback to stop it with. cgo compiles preambles before any tool sees
// them, but not the package's .c files, so `go vet` reaches a .c file that
// does not compile. A goroutine cannot be stopped from outside; a process
// can. The worker watches itself: past the CPU time or memory a unit may
// take (Limits) it says why on stderr and exits, and the unit is unknown
// with a note. It also exits when its parent is gone.
const (
	workerEnv  = "CGOLINT_CSRC_WORKER"
	workerArg0 = "cgolint-csrc-worker"
)

func init() {
	if os.Getenv(workerEnv) == "1" && len(os.Args) == 1 && os.Args[0] == workerArg0 {
		os.Exit(serve(os.Stdin, os.Stdout, os.Stderr))
	}
}

// Limits bound what one unit may cost the worker.
type Limits struct {
	// CPU is the CPU time a unit may take, plus CPUPerMB for every MB of
	// source it reads (headers included). Translating is linear in the
	// source: the SQLite amalgamation (9.5 MB) takes 2-7 s.
	CPU, CPUPerMB time.Duration
	// Memory bounds the memory the worker holds (Go's heap and runtime).
	Memory uint64
}

// limits are the worker's limits (a variable for tests).
var limits = Limits{CPU: 5 * time.Second, CPUPerMB: 3 * time.Second, Memory: 2 << 30}

// hello is the first message to a worker: the host C compiler's
// configuration, computed once by the parent (cc.NewConfig runs the
// compiler).
type hello struct {
	CC, Predefined                        string
	HostIncludePaths, HostSysIncludePaths []string
	IncludePaths, SysIncludePaths         []string
}

// request asks the worker to translate one unit.
type request struct {
	Unit         Unit
	Flags        []string
	Dir          string
	Extra        map[string][]byte // files that exist only for the front end (_cgo_export.h)
	Headers      bool              // run the declaration pass
	KB           []*cfuncs.Func    // if set, the declaration pass's knowledge base from now on
	MaxBytes     int64
	MaxExpansion int
	Limits       Limits
}

// serve is the worker: it translates the units it is sent, one at a time,
// and answers each with its unitResult.
func serve(in io.Reader, out, errw io.Writer) int {
	dec := gob.NewDecoder(bufio.NewReader(in))
	bw := bufio.NewWriter(out)
	enc := gob.NewEncoder(bw)
	var h hello
	if err := dec.Decode(&h); err != nil {
		fmt.Fprintf(errw, "cgolint C front end worker: %v\n", err)
		return 2
	}
	abi, err := cc.NewABI(runtime.GOOS, runtime.GOARCH)
	if err != nil {
		fmt.Fprintf(errw, "cgolint C front end worker: %v\n", err)
		return 2
	}
	cfg := &cc.Config{ABI: abi, CC: h.CC, Predefined: h.Predefined, HostIncludePaths: h.HostIncludePaths,
		HostSysIncludePaths: h.HostSysIncludePaths, IncludePaths: h.IncludePaths, SysIncludePaths: h.SysIncludePaths}
	if err := cfg.ApplyOptions(); err != nil {
		fmt.Fprintf(errw, "cgolint C front end worker: %v\n", err)
		return 2
	}
	baseOnce.Do(func() { baseCfg = cfg })
	var w watch
	go w.run(errw)
	var kb *cfuncs.KB
	for {
		var req request
		if err := dec.Decode(&req); err != nil {
			if errors.Is(err, io.EOF) {
				return 0
			}
			fmt.Fprintf(errw, "cgolint C front end worker: %v\n", err)
			return 2
		}
		if req.KB != nil {
			kb = (*cfuncs.KB)(nil).Extend(req.KB...)
		}
		maxBytes, maxExpansion = req.MaxBytes, req.MaxExpansion
		var decls *cfuncs.KB
		if req.Headers {
			decls = kb
		}
		rfs := newRecordFS(req.Extra)
		w.start(rfs, req.Limits)
		ur := translateHere(req.Unit, req.Flags, req.Dir, decls, rfs)
		w.stop()
		ur.PeakRSS = peakRSS()
		if err := enc.Encode(ur); err != nil {
			return 2
		}
		if bw.Flush() != nil {
			return 2
		}
		ur = nil
		if rfs.size() > 4<<20 {
			debug.FreeOSMemory() // after a big unit, before the next
		}
	}
}

// watch is the worker's watchdog over the unit in progress.
type watch struct {
	mu   sync.Mutex
	busy bool
	rfs  *recordFS
	lim  Limits
	cpu0 time.Duration
}

func (w *watch) start(rfs *recordFS, lim Limits) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.busy, w.rfs, w.lim, w.cpu0 = true, rfs, lim, cpuTime()
}

func (w *watch) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.busy = false
}

// run checks, every few milliseconds, the unit's CPU time and the
// worker's memory, and whether the parent is still there.
func (w *watch) run(errw io.Writer) {
	ppid := os.Getppid()
	samples := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	for {
		time.Sleep(20 * time.Millisecond)
		if os.Getppid() != ppid {
			os.Exit(0)
		}
		w.mu.Lock()
		busy, rfs, lim, cpu0 := w.busy, w.rfs, w.lim, w.cpu0
		w.mu.Unlock()
		if !busy {
			continue
		}
		read := rfs.size()
		allowed := lim.CPU + time.Duration(float64(lim.CPUPerMB)*float64(read)/(1<<20))
		if used := cpuTime() - cpu0; used > allowed {
			fmt.Fprintf(errw, "it took more than %v of CPU time (the budget for %d KB of source)\n", allowed.Round(time.Millisecond), read>>10)
			os.Exit(3)
		}
		metrics.Read(samples)
		if held := samples[0].Value.Uint64() - samples[1].Value.Uint64(); lim.Memory > 0 && held > lim.Memory {
			fmt.Fprintf(errw, "it took more than %d MB of memory\n", lim.Memory>>20)
			os.Exit(3)
		}
	}
}

// A worker is the parent's end of a worker process.
type worker struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	bw     *bufio.Writer
	enc    *gob.Encoder
	dec    *gob.Decoder
	stderr *lockedBuffer
	kb     *cfuncs.KB // the knowledge base last sent
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() > 4<<10 {
		return len(p), nil
	}
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.TrimSpace(l.b.String())
}

// workers holds the worker of one Analyze call: its units are translated
// one after another by one worker process, started when the first unit
// needs it and ended (and waited for, so that its CPU time and memory
// count as the caller's) when the call is done, or when a unit fails.
type workers struct {
	w *worker
	// CPU sums the CPU time of the worker processes ended so far; MaxRSS
	// is the highest peak resident memory a worker reported of itself
	// (the rusage of a child started with vfork counts the parent's peak).
	CPU    time.Duration
	MaxRSS int64
}

func (ws *workers) get(base *cc.Config) (*worker, error) {
	if ws.w != nil {
		return ws.w, nil
	}
	w, err := startWorker(base)
	ws.w = w
	return w, err
}

// done records an ended worker's usage.
func (ws *workers) done(ps *os.ProcessState) {
	ws.w = nil
	if ps == nil {
		return
	}
	ws.CPU += ps.UserTime() + ps.SystemTime()
}

// close ends the worker: it exits when its input ends.
func (ws *workers) close() {
	if w := ws.w; w != nil {
		w.stdin.Close()
		w.cmd.Wait()
		ws.done(w.cmd.ProcessState)
	}
}

func startWorker(base *cc.Config) (*worker, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe)
	cmd.Args = []string{workerArg0}
	cmd.Env = append(os.Environ(), workerEnv+"=1")
	w := &worker{cmd: cmd, stderr: &lockedBuffer{}}
	cmd.Stderr = w.stderr
	if w.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	w.bw = bufio.NewWriter(w.stdin)
	w.enc = gob.NewEncoder(w.bw)
	w.dec = gob.NewDecoder(bufio.NewReader(stdout))
	h := hello{CC: base.CC, Predefined: base.Predefined, HostIncludePaths: base.HostIncludePaths,
		HostSysIncludePaths: base.HostSysIncludePaths, IncludePaths: base.IncludePaths, SysIncludePaths: base.SysIncludePaths}
	if err := w.send(&h); err != nil {
		w.kill()
		return nil, err
	}
	return w, nil
}

func (w *worker) send(v any) error {
	if err := w.enc.Encode(v); err != nil {
		return err
	}
	return w.bw.Flush()
}

// kill ends a worker that failed and returns what it said on stderr.
func (w *worker) kill() string {
	w.stdin.Close()
	w.cmd.Process.Kill()
	err := w.cmd.Wait()
	if s := w.stderr.String(); s != "" {
		return s
	}
	if err != nil {
		return "the worker process ended: " + err.Error()
	}
	return "the worker process ended"
}

// translate reads one unit in a worker process (see above). With decls
// set, the declaration pass runs with it as the knowledge base.
func translate(ws *workers, u Unit, flags []string, dir string, extra map[string][]byte, decls *cfuncs.KB) *unitResult {
	start := time.Now()
	base, err := baseConfig()
	if err != nil {
		return &unitResult{Note: fmt.Sprintf("%s: %v; its functions are unknown", u.Name, err), Duration: time.Since(start), Transient: true}
	}
	w, err := ws.get(base)
	if err != nil {
		return &unitResult{Note: fmt.Sprintf("%s: cannot start the C front end's worker process (%v); its functions are unknown", u.Name, err), Duration: time.Since(start), Transient: true}
	}
	req := &request{Unit: u, Flags: flags, Dir: dir, Extra: extra, Headers: decls != nil, MaxBytes: maxBytes, MaxExpansion: maxExpansion, Limits: limits}
	if decls != nil && w.kb != decls {
		req.KB = decls.Funcs()
	}
	var ur unitResult
	if err = w.send(req); err == nil {
		err = w.dec.Decode(&ur)
	}
	if err != nil {
		why := w.kill()
		ws.done(w.cmd.ProcessState)
		return &unitResult{Note: fmt.Sprintf("%s: the C front end gave up: %s; its functions are unknown", u.Name, why), Duration: time.Since(start)}
	}
	if decls != nil {
		w.kb = decls
	}
	ws.MaxRSS = max(ws.MaxRSS, ur.PeakRSS)
	if ur.Aliases == nil {
		ur.Aliases = map[string]string{}
	}
	if ur.Signals == nil {
		ur.Signals = map[string]int64{}
	}
	ur.Duration = time.Since(start)
	return &ur
}
