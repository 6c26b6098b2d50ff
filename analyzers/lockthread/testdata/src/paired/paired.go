package paired

import "runtime"

// Context is current on the thread that created it, until destroyed.
type Context struct{ id int }

// CreateContext locks, and Destroy unlocks: callers pair them.
func CreateContext() *Context {
	runtime.LockOSThread()
	return &Context{}
}

// Destroy undoes CreateContext.
func (c *Context) Destroy() {
	runtime.UnlockOSThread()
}

// Main runs the application's loop on the main thread; main.main calls it
// and exits when it returns.
func Main(f func()) {
	runtime.LockOSThread()
	f()
}
