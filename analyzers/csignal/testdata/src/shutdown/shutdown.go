// Package shutdown is a graceful-shutdown helper: it hands its callers'
// signals to signal.Notify.
package shutdown

import (
	"os"
	"os/signal"
	"syscall"
)

// Watch returns a channel that receives the given signals.
func Watch(sigs ...os.Signal) <-chan os.Signal {
	c := make(chan os.Signal, 1)
	signal.Notify(c, sigs...)
	return c
}

// WatchOne watches one signal, through Watch.
func WatchOne(sig os.Signal) <-chan os.Signal {
	return Watch(sig)
}

// Graceful watches the usual signals.
func Graceful() <-chan os.Signal {
	return Watch(os.Interrupt, syscall.SIGTERM)
}
