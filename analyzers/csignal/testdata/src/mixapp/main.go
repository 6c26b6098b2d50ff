// Command mixapp links a C binding and a Go package that both want SIGTERM.
package main

import (
	"fmt"

	"lib" // want `this program gives SIGTERM two dispositions: C.install_on gives it a C handler at lib.go:38:2 in lib, and signal.Notify handles SIGTERM at notifier.go:13:2 in notifier`
	"notifier"
)

func main() {
	lib.Init()
	fmt.Println(notifier.Wait())
}
