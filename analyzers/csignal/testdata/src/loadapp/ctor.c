#include <signal.h>
#include <stddef.h>

static void on_int(int sig) { (void)sig; }
static void on_usr2(int sig) { (void)sig; }

/* Runs when the program loads, before the Go runtime starts. */
__attribute__((constructor)) static void install_int(void) {
	struct sigaction sa = { .sa_handler = on_int, .sa_flags = SA_ONSTACK };
	sigaction(SIGINT, &sa, NULL);
}

/* A signal Go never handles: no conflict. */
__attribute__((constructor)) static void install_usr2(void) {
	signal(SIGUSR2, on_usr2);
}
