#include <pthread.h>
#include <stddef.h>
#include <unistd.h>

/* A bundled library's internals: its only blocking call joins a worker
   thread that exists only when configured, four calls below the public
   function (the shape of sqlite3_reset in the SQLite amalgamation). Too
   deep a path to say that lib_reset blocks. */
static pthread_t worker;
static int have_worker;
static void join_worker(void) { if (have_worker) pthread_join(worker, NULL); }
static void close_sorter(void) { join_worker(); }
static void halt(void) { close_sorter(); }
int lib_reset(void) { halt(); return 0; }

/* The package's own helpers: read, three calls below lib_fill. */
static int read_some(int fd, char *b) { return (int)read(fd, b, 64); }
static int read_block(int fd, char *b) { return read_some(fd, b); }
int lib_fill(int fd, char *b) { return read_block(fd, b); }
