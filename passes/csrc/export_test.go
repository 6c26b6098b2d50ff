package csrc

// SetBudget sets the byte budget of a translation unit for a test and
// returns a function that restores it.
func SetBudget(bytes int64) (restore func()) {
	old := maxBytes
	maxBytes = bytes
	return func() { maxBytes = old }
}

// SetLimits sets the worker's limits for a test and returns a function
// that restores them.
func SetLimits(l Limits) (restore func()) {
	old := limits
	limits = l
	return func() { limits = old }
}

// ExportHeader is exportHeader, for tests.
func ExportHeader(files []GoFile) []byte { return exportHeader(files) }
