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

// The edges of the shortcut that settles a function without a graph: the
// statements along the body decide, as go/cfg's edges do.

// A nested block ends in a call that does not return: never returns.
func blockExit() {
	{
		fmt.Println("a")
		exit()
	}
}

// An if whose init does not return: never returns.
func ifInitExit(x int) {
	if exit(); x > 0 {
		return
	}
}

// A switch without default passes; the end is reached: returns.
func switchNoDefault(x int) {
	switch x {
	case 1:
		exit()
	}
}

// A type switch with a default that does not return, every case neither.
func typeSwitchDefault(v any) {
	switch v.(type) {
	case int:
		exit()
	default:
		panic(v)
	}
}

// A for with a condition passes: returns.
func forCond(n int) {
	for i := 0; i < n; i++ {
		exit()
	}
}

// An if with an else, both branches not returning.
func ifElseExit(x int) {
	if x > 0 {
		exit()
	} else {
		panic(x)
	}
}

// A defer before the call that does not return: go/cfg takes it as a
// possible recover, so returns.
func deferFirst() {
	defer fmt.Println("d")
	exit()
}

// The range's body returns (go/cfg does not know the range is never
// empty): returns.
func rangeThenExit(xs []int) {
	for range xs {
		return
	}
	exit()
}

// A loop without a condition whose body returns on the way in: returns.
func loopReturns(ch chan int) int {
	for {
		if v := <-ch; v > 0 {
			return v
		}
	}
}

// The same loop whose body returns nowhere: never returns.
func loopForever(ch chan int) {
	for {
		if v := <-ch; v > 0 {
			fmt.Println(v)
		}
	}
}

// A select whose case returns: returns.
func selectReturns(ch chan int) {
	for {
		select {
		case <-ch:
			return
		}
	}
}

// A labeled loop left by break: go/cfg sees the break.
func labeledBreak(ch chan int) {
L:
	for {
		select {
		case <-ch:
			break L
		}
	}
}
