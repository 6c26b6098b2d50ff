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
