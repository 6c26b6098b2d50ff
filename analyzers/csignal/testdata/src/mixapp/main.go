// Command mixapp links a C binding and a Go package that both want SIGTERM.
package main

import (
	"fmt"

	"lib" // want `this program gives SIGTERM two dispositions: C.install_on gives it a C handler at lib/lib.go:38:2, and signal.Notify handles SIGTERM at notifier/notifier.go:13:2`
	"notifier"
)

func main() {
	lib.Init()
	fmt.Println(notifier.Wait())
}
