// Package loadfork links C constructors that fork.
package loadfork

// #include <unistd.h>
import "C" // want `the C constructor spawn_worker of this package calls fork when the program loads: it duplicates the process before the Go runtime starts, so parent and child each go on to run the whole Go program`

// Pid returns the process id.
func Pid() int { return int(C.getpid()) }
