package skipped

func alphaOne() {}
func beta()     {}

// beta is turned off: it did not run, so what it would have found is
// unknown, and a directive naming it (or all) is never unused.

func Beta() {
	beta() //cgolint:ignore beta the reason
	n := 1 //cgolint:ignore beta the reason
	_ = n
}

func All() {
	n := 1 //cgolint:ignore all the reason
	_ = n
}

// Naming beta and alpha: beta's findings are unknown, so not unused.
func AlphaAndBeta() {
	n := 1 //cgolint:ignore alpha,beta the reason
	_ = n
}

// The twin: alpha ran, and its directive suppressed nothing.
func Alpha() {
	n := 1 /* want `//cgolint:ignore alpha suppresses no finding` */ //cgolint:ignore alpha the reason
	_ = n
}

// Malformed and unknown are reported whatever ran.
func Malformed() {
	beta() /* want `//cgolint:ignore gives no reason` */ //cgolint:ignore beta
	beta() /* want `names "betta", which is no check` */ //cgolint:ignore betta the reason
}
