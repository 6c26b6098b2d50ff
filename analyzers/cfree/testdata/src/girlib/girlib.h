/* The C side of a library whose ownership rules only its .gir file states
   (../../gir/Xlibgir-1.0.gir). GLib's own functions are declared here, not
   included, so the fixture needs no GLib headers. */
typedef char gchar;
typedef struct _XDb XDb;
XDb *x_db_new(void);
gchar *x_db_dump(XDb *db);
const gchar *x_db_get_name(XDb *db);
void g_free(void *p);
void g_object_unref(void *p);
typedef struct _XRow XRow;
XRow *x_row_copy(const XRow *row);
XRow *x_row_ref(XRow *row);
void x_row_free(XRow *row);
