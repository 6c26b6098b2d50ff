package filtered

// #include <pthread.h>
import "C"

// In a file the exclude patterns match: no finding, and no directive
// finding either.
func ExitExcluded() {
	C.pthread_exit(nil) //cgolint:ignore cfree nothing
}
