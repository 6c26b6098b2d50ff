#include <pthread.h>

static pthread_key_t window_key;

// create_window makes the window's context current on the calling thread.
void create_window(void) {
	pthread_setspecific(window_key, (void *)1);
}

// draw does nothing thread-affine.
void draw(void) {}
