// Package plain is ordinary Go with a large standard-library import graph
// and nothing any cgolint check looks at.
package plain

import (
	"fmt"
	"net/http"
	"os/exec"
	"sync"
)

var mu sync.Mutex

// Get fetches a URL under a lock and runs a command.
func Get(url string) error {
	mu.Lock()
	defer mu.Unlock()
	resp, err := http.Get(url)
	if err != nil {
		return fmt.Errorf("get: %w", err)
	}
	resp.Body.Close()
	return exec.Command("true").Run()
}
