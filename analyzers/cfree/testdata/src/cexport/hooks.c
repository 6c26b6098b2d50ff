#include <stdlib.h>

/* cgo writes _cgo_export.h into the build directory: the C front end
   reads the one it synthesizes from the package's //export functions
   (goHandle) and the preamble of the file that exports them (msg_t). */
#include "_cgo_export.h"

/* post_and_free hands text to Go's goHandle, then frees it. */
int post_and_free(char *text) {
	msg_t m = { text };
	int r = goHandle(&m, 1);
	free(text);
	return r;
}

/* post hands text to goHandle and leaves it to the caller. */
int post(char *text) {
	msg_t m = { text };
	return goHandle(&m, 1);
}
