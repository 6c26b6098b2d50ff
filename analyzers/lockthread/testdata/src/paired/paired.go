package paired

// #include <pthread.h>
//
// static pthread_key_t key;
// // make_current makes a context current on the calling thread (like
// // x/mobile's createWindow, which calls eglMakeCurrent).
// static void make_current(void) { pthread_setspecific(key, (void *)1); }
// static void run_loop(void) {}
//
// void create_window(void); // window.c
// void draw(void);          // window.c
import "C"

import "runtime"

// Context is current on the thread that created it, until destroyed.
type Context struct{ id int }

// CreateContext does nothing but lock: an API for its importers, who
// pair it with Destroy (and are checked through its fact).
func CreateContext() *Context { // want CreateContext:"lockthread:returns-locked"
	runtime.LockOSThread()
	return &Context{}
}

// Destroy undoes CreateContext.
func (c *Context) Destroy() { // want Destroy:"lockthread:unlocks-caller"
	runtime.UnlockOSThread()
}

// Main runs the application's loop on the main thread after making a
// context current there: the goroutine must stay on that thread, so it
// returns locked on purpose (golang.org/x/mobile/app.Main).
func Main(f func()) { // want Main:"lockthread:returns-locked-owning-thread-state"
	runtime.LockOSThread()
	C.make_current()
	f()
	C.run_loop()
}

// Run locks and runs f, but owns no per-thread state: nothing needs the
// lock after it returns.
func Run(f func()) {
	runtime.LockOSThread() // want `Run locks the OS thread with runtime.LockOSThread and returns to its caller without unlocking it`
	f()
}

// mainLoop is x/mobile's unexported main, called by Start: Start
// inherits the context it made current.
func mainLoop(f func()) { // want mainLoop:"lockthread:returns-locked-owning-thread-state"
	runtime.LockOSThread()
	C.make_current()
	f()
}

// Start is x/mobile's Main: it returns locked through mainLoop.
func Start(f func()) { // want Start:"lockthread:returns-locked-owning-thread-state"
	mainLoop(f)
}

// WindowMain is Main with its C code in a .c file of the package:
// create_window (window.c) makes a context current.
func WindowMain(f func()) { // want WindowMain:"lockthread:returns-locked-owning-thread-state"
	runtime.LockOSThread()
	C.create_window()
	f()
}

// DrawMain calls only C code that touches no per-thread state: reported.
func DrawMain(f func()) {
	runtime.LockOSThread() // want `DrawMain locks the OS thread with runtime.LockOSThread and returns to its caller without unlocking it`
	C.draw()
	f()
}
