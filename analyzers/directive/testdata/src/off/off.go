package off

func alphaOne() {}

// The configuration turns the directive check off: nothing is reported.

func Unused() {
	n := 1 //cgolint:ignore alpha the reason
	_ = n
}

func Malformed() {
	alphaOne() //cgolint:ignore alpha
	alphaOne() //cgolint:ignore
}

func Unknown() {
	alphaOne() //cgolint:ignore alpah the reason
}
