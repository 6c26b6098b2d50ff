package csignal

import "strconv"

// Signal numbers differ between Linux and the BSD family (macOS included);
// the numbers a package's constants hold are those of the GOOS it was
// type-checked for.
var (
	linuxSignals = [...]string{
		1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT",
		7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL", 10: "SIGUSR1", 11: "SIGSEGV", 12: "SIGUSR2",
		13: "SIGPIPE", 14: "SIGALRM", 15: "SIGTERM", 16: "SIGSTKFLT", 17: "SIGCHLD",
		18: "SIGCONT", 19: "SIGSTOP", 20: "SIGTSTP", 21: "SIGTTIN", 22: "SIGTTOU", 23: "SIGURG",
		24: "SIGXCPU", 25: "SIGXFSZ", 26: "SIGVTALRM", 27: "SIGPROF", 28: "SIGWINCH",
		29: "SIGIO", 30: "SIGPWR", 31: "SIGSYS",
	}
	bsdSignals = [...]string{
		1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT",
		7: "SIGEMT", 8: "SIGFPE", 9: "SIGKILL", 10: "SIGBUS", 11: "SIGSEGV", 12: "SIGSYS",
		13: "SIGPIPE", 14: "SIGALRM", 15: "SIGTERM", 16: "SIGURG", 17: "SIGSTOP", 18: "SIGTSTP",
		19: "SIGCONT", 20: "SIGCHLD", 21: "SIGTTIN", 22: "SIGTTOU", 23: "SIGIO", 24: "SIGXCPU",
		25: "SIGXFSZ", 26: "SIGVTALRM", 27: "SIGPROF", 28: "SIGWINCH", 29: "SIGINFO",
		30: "SIGUSR1", 31: "SIGUSR2",
	}
)

// aliases maps C's other spellings of a signal to the name used here.
var aliases = map[string]string{
	"SIGIOT":  "SIGABRT",
	"SIGCLD":  "SIGCHLD",
	"SIGPOLL": "SIGIO",
}

// signalName returns the name of signal number n on goos, or "signal N"
// for a number without one (real-time signals).
func signalName(goos string, n int64) string {
	var table []string
	switch goos {
	case "darwin", "ios", "freebsd", "netbsd", "openbsd", "dragonfly":
		table = bsdSignals[:]
	default:
		table = linuxSignals[:]
	}
	if n > 0 && n < int64(len(table)) && table[n] != "" {
		return table[n]
	}
	return "signal " + strconv.FormatInt(n, 10)
}

// canonical returns the name used here for a C signal name.
func canonical(name string) string {
	if a, ok := aliases[name]; ok {
		return a
	}
	return name
}

// saOnStack returns the value of SA_ONSTACK on goos.
func saOnStack(goos string) int64 {
	switch goos {
	case "darwin", "ios", "freebsd", "netbsd", "openbsd", "dragonfly":
		return 0x1
	}
	return 0x08000000
}

// owned says why the Go runtime owns a signal whatever the program does.
var owned = map[string]string{
	"SIGURG":  "the runtime preempts goroutines with SIGURG, so a C disposition breaks asynchronous preemption",
	"SIGPROF": "the runtime's CPU profiler (runtime/pprof) runs on SIGPROF, so profiles come out empty or the C handler gets the profiler's signals",
	"SIGSEGV": "the runtime turns SIGSEGV into Go panics (nil dereferences) and crash reports, so a C disposition hides them or kills the process instead",
	"SIGBUS":  "the runtime turns SIGBUS into Go panics (faults on mapped memory), so a C disposition hides them or kills the process instead",
	"SIGFPE":  "the runtime turns SIGFPE into Go panics (integer division by zero), so a C disposition hides them or kills the process instead",
}
