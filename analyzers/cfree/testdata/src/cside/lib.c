#include <stdlib.h>

/* A library-style binding: it keeps the value until the statement is
   reset and then releases it with the destructor it was given (the
   shape of sqlite3_bind_text). This fixture only pretends. */
int lib_bind(void *stmt, const char *value, void (*destroy)(void *)) {
	(void)stmt;
	(void)value;
	(void)destroy;
	return 0;
}

/* The package's own deallocator, defined in this .c file. */
void cfree(void *p) { free(p); }

/* A helper that releases its argument. */
void helper_release(void *p) { free(p); }
