/* A library declared the way real C headers declare one: an opaque type,
   its constructor and destructor, an out-parameter constructor, a borrowed
   getter and a string the library allocates with its own deallocator. */
typedef struct x x;
x *x_new(void);
void x_free(x *db);
int x_open(x **out, const char *path);
const char *x_name(x *db);
void x_free_string(char *s);
char *x_dump(x *db) __attribute__((malloc(x_free_string, 1)));
int x_user_delete(x *db, const char *name);
/* A message the caller keeps in its own memory: x_msg_close releases what
   it holds, not the struct (zmq_msg_t's shape). */
typedef struct { void *data; int size; } x_msg;
int x_msg_init(x_msg *m);
void x_msg_close(x_msg *m);
/* Failure reported through *errptr, not a status (RocksDB's shape). */
void x_load(x **out, const char *path, char **errptr);
