package cfuncs

// builtinTable is the built-in knowledge base, one function per line.
// SignalArg is forced to -1 for entries with Signal == None, OnStack to -1
// and Origin to OriginBuiltin when the KB is built, so rows only state roles.
//
// Deliberately absent (precision first):
//   - fcntl: it blocks only with F_SETLKW (and F_OFD_SETLKW), which the
//     static arguments rarely show; marking every fcntl would flag the
//     common non-blocking uses (F_GETFL, F_SETFD, ...).
//   - open/openat: they block only on FIFOs and some devices; a regular
//     file open is not what a "blocking call" check is about.
//   - getcwd/realpath: they allocate only when passed a NULL buffer.
//   - abort as a signal raiser: it raises SIGABRT, but it ends the process;
//     no signal check wants it. It is listed only as never returning.
//   - library constructor/destructor pairs (foo_new/foo_free): never
//     guessed; declare them in the configuration file.
var builtinTable = []Func{
	// cgo's own allocating helpers (names reserved by cgo).
	{Name: "CString", Allocates: true, Dealloc: "free", Family: "libc"},
	{Name: "CBytes", Allocates: true, Dealloc: "free", Family: "libc"},

	// libc allocators and deallocator.
	{Name: "malloc", Allocates: true, Dealloc: "free", Family: "libc"},
	{Name: "calloc", Allocates: true, Dealloc: "free", Family: "libc"},
	{Name: "realloc", Allocates: true, Dealloc: "free", Family: "libc", Frees: []int{0}},
	{Name: "reallocarray", Allocates: true, Dealloc: "free", Family: "libc", Frees: []int{0}},
	{Name: "aligned_alloc", Allocates: true, Dealloc: "free", Family: "libc"},
	{Name: "memalign", Allocates: true, Dealloc: "free", Family: "libc"},
	{Name: "valloc", Allocates: true, Dealloc: "free", Family: "libc"},
	{Name: "strdup", Allocates: true, Dealloc: "free", Family: "libc"},
	{Name: "strndup", Allocates: true, Dealloc: "free", Family: "libc"},
	{Name: "wcsdup", Allocates: true, Dealloc: "free", Family: "libc"},
	{Name: "asprintf", AllocOut: []int{0}, Dealloc: "free", Family: "libc"},
	{Name: "vasprintf", AllocOut: []int{0}, Dealloc: "free", Family: "libc"},
	{Name: "posix_memalign", AllocOut: []int{0}, Dealloc: "free", Family: "libc"},
	// free sets no error state: POSIX.1-2024 requires it to leave errno
	// alone (glibc does since 2.33), and no library's error getter reads
	// what it did, so a free between a failing call and the getter is
	// not the call whose error is read.
	{Name: "free", Frees: []int{0}, Family: "libc", ErrorNeutral: true},

	// Functions that keep a pointer argument after returning.
	{Name: "putenv", Keeps: []int{0}},
	{Name: "setvbuf", Keeps: []int{1}},
	{Name: "setbuf", Keeps: []int{1}},
	{Name: "setbuffer", Keeps: []int{1}},
	{Name: "openlog", Keeps: []int{0}},
	{Name: "pthread_create", Keeps: []int{3}},
	{Name: "tsearch", Keeps: []int{0}},

	// Results that point into static or library-owned storage, which the
	// caller must not release (POSIX: "the application shall not modify
	// the string returned", "may point to static data ... overwritten by
	// a subsequent call").
	{Name: "getenv", Borrowed: true},
	{Name: "secure_getenv", Borrowed: true},
	{Name: "strerror", Borrowed: true},
	{Name: "strsignal", Borrowed: true},
	{Name: "gai_strerror", Borrowed: true},
	{Name: "nl_langinfo", Borrowed: true},
	{Name: "setlocale", Borrowed: true},
	{Name: "inet_ntoa", Borrowed: true},
	{Name: "ttyname", Borrowed: true},
	{Name: "getlogin", Borrowed: true},
	{Name: "ctime", Borrowed: true},
	{Name: "asctime", Borrowed: true},
	{Name: "localtime", Borrowed: true},
	{Name: "gmtime", Borrowed: true},
	{Name: "getpwnam", Borrowed: true},
	{Name: "getpwuid", Borrowed: true},
	{Name: "getgrnam", Borrowed: true},
	{Name: "getgrgid", Borrowed: true},

	// Time.
	{Name: "sleep", Blocks: true},
	{Name: "usleep", Blocks: true},
	{Name: "nanosleep", Blocks: true},
	{Name: "clock_nanosleep", Blocks: true},
	{Name: "pause", Blocks: true},

	// File and socket I/O.
	{Name: "read", Blocks: true},
	{Name: "write", Blocks: true},
	{Name: "pread", Blocks: true},
	{Name: "pwrite", Blocks: true},
	{Name: "readv", Blocks: true},
	{Name: "writev", Blocks: true},
	{Name: "recv", Blocks: true},
	{Name: "recvfrom", Blocks: true},
	{Name: "recvmsg", Blocks: true},
	{Name: "recvmmsg", Blocks: true},
	{Name: "send", Blocks: true},
	{Name: "sendto", Blocks: true},
	{Name: "sendmsg", Blocks: true},
	{Name: "sendmmsg", Blocks: true},
	{Name: "accept", Blocks: true},
	{Name: "accept4", Blocks: true},
	{Name: "connect", Blocks: true},
	{Name: "poll", Blocks: true},
	{Name: "ppoll", Blocks: true},
	{Name: "select", Blocks: true},
	{Name: "pselect", Blocks: true},
	{Name: "epoll_wait", Blocks: true},
	{Name: "epoll_pwait", Blocks: true},
	{Name: "flock", Blocks: true},
	{Name: "lockf", Blocks: true},
	{Name: "msgrcv", Blocks: true},
	{Name: "msgsnd", Blocks: true},
	{Name: "mq_receive", Blocks: true},
	{Name: "mq_send", Blocks: true},

	// stdio.
	{Name: "fgets", Blocks: true},
	{Name: "fread", Blocks: true},
	{Name: "fwrite", Blocks: true},
	{Name: "getline", Blocks: true, AllocOut: []int{0}, Dealloc: "free", Family: "libc"},
	{Name: "getdelim", Blocks: true, AllocOut: []int{0}, Dealloc: "free", Family: "libc"},
	{Name: "getc", Blocks: true},
	{Name: "fgetc", Blocks: true},
	{Name: "getchar", Blocks: true},
	{Name: "fscanf", Blocks: true},
	{Name: "scanf", Blocks: true},

	// Name resolution.
	{Name: "getaddrinfo", Blocks: true},
	{Name: "getnameinfo", Blocks: true},
	{Name: "gethostbyname", Blocks: true},
	{Name: "gethostbyname_r", Blocks: true},
	{Name: "gethostbyaddr", Blocks: true},
	{Name: "gethostbyname2", Blocks: true},
	{Name: "gethostbyname2_r", Blocks: true},
	{Name: "gethostbyaddr_r", Blocks: true},
	{Name: "res_query", Blocks: true},
	{Name: "res_search", Blocks: true},

	// Processes.
	{Name: "wait", Blocks: true},
	{Name: "waitpid", Blocks: true},
	{Name: "wait3", Blocks: true},
	{Name: "wait4", Blocks: true},
	{Name: "waitid", Blocks: true},
	{Name: "system", Blocks: true},

	// Threads and locks.
	{Name: "pthread_join", Blocks: true},
	{Name: "pthread_cond_wait", Blocks: true},
	{Name: "pthread_cond_timedwait", Blocks: true},
	{Name: "pthread_cond_clockwait", Blocks: true},
	{Name: "pthread_barrier_wait", Blocks: true},
	{Name: "pthread_mutex_lock", Blocks: true, ThreadAffine: true},
	{Name: "pthread_mutex_timedlock", Blocks: true, ThreadAffine: true},
	{Name: "pthread_mutex_trylock", ThreadAffine: true},
	{Name: "pthread_mutex_unlock", ThreadAffine: true},
	{Name: "pthread_rwlock_rdlock", Blocks: true, ThreadAffine: true},
	{Name: "pthread_rwlock_wrlock", Blocks: true, ThreadAffine: true},
	{Name: "pthread_rwlock_tryrdlock", ThreadAffine: true},
	{Name: "pthread_rwlock_trywrlock", ThreadAffine: true},
	{Name: "pthread_rwlock_unlock", ThreadAffine: true},
	{Name: "sem_wait", Blocks: true},
	{Name: "sem_timedwait", Blocks: true},
	{Name: "pthread_setspecific", ThreadAffine: true, Keeps: []int{1}},
	{Name: "pthread_getspecific", ThreadAffine: true},
	{Name: "pthread_self", ThreadAffine: true},

	// Per-thread state: namespaces, locale, libc last-error getters.
	{Name: "setns", ThreadAffine: true},
	{Name: "unshare", ThreadAffine: true},
	{Name: "uselocale", ThreadAffine: true},
	{Name: "__errno_location", ThreadAffine: true},
	{Name: "dlerror", ThreadAffine: true, Borrowed: true},

	// Current GL context and its errors (per thread).
	{Name: "glGetError", ThreadAffine: true},
	{Name: "eglGetError", ThreadAffine: true},
	{Name: "eglMakeCurrent", ThreadAffine: true},
	{Name: "eglGetCurrentContext", ThreadAffine: true},
	{Name: "eglGetCurrentDisplay", ThreadAffine: true},
	{Name: "eglGetCurrentSurface", ThreadAffine: true},
	{Name: "eglReleaseThread", ThreadAffine: true},
	{Name: "glXMakeCurrent", ThreadAffine: true},
	{Name: "glXMakeContextCurrent", ThreadAffine: true},
	{Name: "glXGetCurrentContext", ThreadAffine: true},
	{Name: "glXGetCurrentDrawable", ThreadAffine: true},
	{Name: "wglMakeCurrent", ThreadAffine: true},
	{Name: "wglGetCurrentContext", ThreadAffine: true},
	{Name: "CGLSetCurrentContext", ThreadAffine: true},
	{Name: "CGLGetCurrentContext", ThreadAffine: true},
	{Name: "glfwMakeContextCurrent", ThreadAffine: true},
	{Name: "glfwGetCurrentContext", ThreadAffine: true},

	// Signal dispositions.
	{Name: "signal", Signal: Installs, SignalArg: 0},
	{Name: "sigaction", Signal: Installs, SignalArg: 0},
	{Name: "sigset", Signal: Installs, SignalArg: 0},
	{Name: "bsd_signal", Signal: Installs, SignalArg: 0},
	{Name: "sysv_signal", Signal: Installs, SignalArg: 0},

	// Signal masks (per thread: sigprocmask acts on the calling thread in a
	// multithreaded process).
	{Name: "sigprocmask", Signal: Masks, SignalArg: -1, ThreadAffine: true},
	{Name: "pthread_sigmask", Signal: Masks, SignalArg: -1, ThreadAffine: true},

	// Waiting for signals.
	{Name: "sigwait", Blocks: true},
	{Name: "sigsuspend", Blocks: true},
	{Name: "sigtimedwait", Blocks: true},
	{Name: "sigwaitinfo", Blocks: true},

	// Sending signals and arming signal timers.
	{Name: "raise", Signal: Raises, SignalArg: 0},
	{Name: "kill", Signal: Raises, SignalArg: 1},
	{Name: "killpg", Signal: Raises, SignalArg: 1},
	{Name: "sigqueue", Signal: Raises, SignalArg: 1},
	{Name: "tgkill", Signal: Raises, SignalArg: 2},
	{Name: "pthread_kill", Signal: Raises, SignalArg: 1},
	{Name: "pthread_sigqueue", Signal: Raises, SignalArg: 1},
	{Name: "alarm", Signal: Raises, SignalArg: -1},
	{Name: "ualarm", Signal: Raises, SignalArg: -1},
	{Name: "setitimer", Signal: Raises, SignalArg: -1},
	{Name: "timer_create", Signal: Raises, SignalArg: -1},

	// Functions that never return (glibc declares each
	// __attribute__((__noreturn__)): stdlib.h, unistd.h, assert.h, err.h,
	// threads.h). The variadic err and errx cannot be called from Go.
	{Name: "abort", NoReturn: true},
	{Name: "exit", NoReturn: true},
	{Name: "_exit", NoReturn: true},
	{Name: "_Exit", NoReturn: true},
	{Name: "quick_exit", NoReturn: true},
	{Name: "thrd_exit", NoReturn: true},
	{Name: "__assert_fail", NoReturn: true},
	{Name: "__assert_perror_fail", NoReturn: true},
	{Name: "__assert", NoReturn: true},
	{Name: "verr", NoReturn: true},
	{Name: "verrx", NoReturn: true},

	// Hostile to the Go runtime (those that jump or end the thread never
	// return either).
	{Name: "pthread_exit", Hostile: ThreadExit, NoReturn: true},
	{Name: "pthread_cancel", Hostile: ThreadCancel},
	{Name: "fork", Hostile: Fork},
	{Name: "vfork", Hostile: Fork},
	{Name: "daemon", Hostile: Fork},
	{Name: "setjmp", Hostile: NonlocalJump},
	{Name: "_setjmp", Hostile: NonlocalJump},
	{Name: "__sigsetjmp", Hostile: NonlocalJump},
	{Name: "sigsetjmp", Hostile: NonlocalJump},
	{Name: "longjmp", Hostile: NonlocalJump, NoReturn: true},
	{Name: "_longjmp", Hostile: NonlocalJump, NoReturn: true},
	{Name: "siglongjmp", Hostile: NonlocalJump, NoReturn: true},
	{Name: "getcontext", Hostile: ContextSwitch},
	{Name: "setcontext", Hostile: ContextSwitch},
	{Name: "makecontext", Hostile: ContextSwitch},
	{Name: "swapcontext", Hostile: ContextSwitch},
}
