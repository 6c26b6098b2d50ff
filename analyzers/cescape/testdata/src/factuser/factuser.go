package factuser

// #include <string.h>
import "C"

import (
	"unsafe"

	"cstrlib"
)

type holder struct{ p unsafe.Pointer }

func (h *holder) set(a, b string) {
	h.p = cstrlib.New(a)
	C.strlen((*C.char)(h.p))
	h.p = cstrlib.New(b) // want `h.p is overwritten with new C memory while it still holds the cstrlib.New result stored on line 15, which leaks; free the old value first with C.free\(unsafe.Pointer\(h.p\)\)`
}

func (h *holder) setSafe(a, b string) {
	h.p = cstrlib.New(a)
	cstrlib.Free(h.p)
	h.p = cstrlib.New(b)
}

func (h *holder) Close() {
	cstrlib.Free(h.p) // want `cstrlib.Free frees h.p without clearing it, so a second call of \(\*holder\).Close frees it again`
}
