// Package stdmix imports a broad slice of the standard library, so that the
// comparison with ctrlflow runs on all of it, and has its own functions
// that do and do not return.
package stdmix

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"testing"
	"text/template"
)

var (
	_ = json.Marshal
	_ = flag.Parse
	_ = http.ListenAndServe
	_ = exec.Command
	_ = template.New
	_ = testing.Main
)

func fatal(err error) {
	log.Fatal(err)
}

func exit() { os.Exit(2) }

func loop() {
	for {
		fmt.Println("x")
	}
}

func gotoLoop() {
L:
	fmt.Println("y")
	goto L
}

func mutualA(n int) {
	if n > 0 {
		mutualB(n - 1)
	}
	panic("a")
}

func mutualB(n int) { mutualA(n) }

func selectForever() {
	select {}
}

func returns(x int) int {
	if x > 0 {
		panic("x")
	}
	return x
}

func switchDefault(x int) {
	switch x {
	default:
		exit()
	case 1:
		fatal(nil)
	}
}

func closure() {
	f := func() { runtime.Goexit() }
	f()
	go func() { log.Fatalf("z") }()
}
