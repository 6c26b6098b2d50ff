// Package notifier stops gracefully on SIGINT and SIGTERM.
package notifier

import (
	"os"
	"os/signal"
	"syscall"
)

// Wait blocks until the process is asked to stop.
func Wait() os.Signal {
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt, syscall.SIGTERM)
	return <-c
}
