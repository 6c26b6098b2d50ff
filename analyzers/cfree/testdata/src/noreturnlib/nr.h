/* A library whose fatal-error functions never return, as its header
   declares: a GCC attribute and C11's _Noreturn. nr_warn returns. */
void nr_fatal(const char *msg) __attribute__((noreturn));
_Noreturn void nr_die(int code);
void nr_warn(const char *msg);
