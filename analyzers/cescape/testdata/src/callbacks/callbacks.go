package callbacks

/*
#include <stdlib.h>

struct row { char *name; int id; };
*/
import "C"

import (
	"runtime"
	"unsafe"
)

var (
	lastRow  *C.struct_row
	rows     = map[int]unsafe.Pointer{}
	saved    []*C.struct_row
	lastName string
	state    struct{ data unsafe.Pointer }
)

type wrapper struct{ row *C.struct_row }

func use(*wrapper) {}

//export onRow
func onRow(row *C.struct_row) {
	lastRow = row // want `exported callback onRow keeps row, a pointer C lends it only for the duration of the call, in package variable lastRow: it dangles once onRow returns; copy the data it points to \(C.GoString, C.GoBytes, a Go struct\), or have the C side hand over ownership explicitly`
}

//export onData
func onData(id C.int, data unsafe.Pointer) {
	rows[int(id)] = data // want `exported callback onData keeps data, .* in a map`
}

//export onAppend
func onAppend(row *C.struct_row) {
	saved = append(saved, row) // want `exported callback onAppend keeps row, .* in package variable saved`
}

//export onState
func onState(data unsafe.Pointer) {
	state.data = data // want `exported callback onState keeps data, .* in state.data, reachable from package variable state`
}

//export onWrap
func onWrap(row *C.struct_row) {
	w := &wrapper{row: row}
	runtime.SetFinalizer(w, func(w *wrapper) { C.free(unsafe.Pointer(w.row)) }) // want `exported callback onWrap keeps row, .* in .*, an object with a finalizer`
	use(w)
}

// Copies are fine.
//
//export onRowCopy
func onRowCopy(row *C.struct_row) {
	lastName = C.GoString(row.name)
}

// A local wrapper dies with the call.
//
//export onLocal
func onLocal(row *C.struct_row) C.int {
	w := wrapper{row: row}
	return w.row.id
}

// Not exported to C: the pointer's life is the caller's business.
func keep(row *C.struct_row) {
	lastRow = row
}

// The finalizer is disarmed before the callback returns.
//
//export onWrapDisarmed
func onWrapDisarmed(row *C.struct_row) {
	w := &wrapper{row: row}
	runtime.SetFinalizer(w, func(w *wrapper) { C.free(unsafe.Pointer(w.row)) })
	use(w)
	runtime.SetFinalizer(w, nil)
}
