// Package cblocking is a small serial-port binding whose Port serialises
// access with a mutex, and holds it across a blocking C read: every
// goroutine that wants to write to the port, or just ask for its name,
// waits until a byte arrives on the line.
package cblocking

// #include <fcntl.h>
// #include <stdlib.h>
// #include <unistd.h>
//
// static int open_tty(const char *path) { return open(path, O_RDWR | O_NOCTTY); }
import "C"

import (
	"errors"
	"sync"
	"unsafe"
)

// Port is an open serial device.
type Port struct {
	mu   sync.Mutex
	fd   C.int
	name string
}

// Open opens the serial device at path.
func Open(path string) (*Port, error) {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	fd := C.open_tty(cpath)
	if fd < 0 {
		return nil, errors.New("serial: cannot open " + path)
	}
	return &Port{fd: fd, name: path}, nil
}

// Read reads what the device sends, blocking until something arrives.
func (p *Port) Read(buf []byte) (int, error) {
	if len(buf) == 0 {
		return 0, nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	n := C.read(p.fd, unsafe.Pointer(&buf[0]), C.size_t(len(buf)))
	if n < 0 {
		return 0, errors.New("serial: read failed")
	}
	return int(n), nil
}

// Name returns the device's path.
func (p *Port) Name() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.name
}
