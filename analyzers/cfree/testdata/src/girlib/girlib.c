#include <stdlib.h>
#include <string.h>
#include "girlib.h"

struct _XDb { int n; };

XDb *x_db_new(void) { return calloc(1, sizeof(XDb)); }
gchar *x_db_dump(XDb *db) { return strdup("x"); }
const gchar *x_db_get_name(XDb *db) { return "x"; }
void g_free(void *p) { free(p); }
void g_object_unref(void *p) { free(p); }
