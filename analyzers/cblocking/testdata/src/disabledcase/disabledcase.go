package disabledcase

// #include <unistd.h>
import "C"

// Sleep would be reported, but the check is disabled.
func Sleep() { C.sleep(1) }
