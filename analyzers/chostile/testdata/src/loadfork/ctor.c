#include <unistd.h>

static void child_work(void) { }

/* Forks when the program loads: both processes go on to run Go main. */
__attribute__((constructor)) static void spawn_worker(void) {
	if (fork() == 0) {
		child_work();
	}
}

/* The fork-exec idiom: the child never reaches Go. */
__attribute__((constructor)) static void spawn_helper(void) {
	if (fork() == 0) {
		execl("/bin/true", "true", (char *)0);
		_exit(127);
	}
}

/* Daemonizes: the parent exits, one copy runs on. */
__attribute__((constructor)) static void detach(void) {
	if (fork() > 0) {
		_exit(0);
	}
}
