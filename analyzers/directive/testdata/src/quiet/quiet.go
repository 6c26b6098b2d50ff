package quiet

func alphaOne() {}

// The configuration turns directive/unused off: a directive that
// suppresses nothing is not reported, a malformed one still is.

func Unused() {
	n := 1 //cgolint:ignore alpha the reason
	_ = n
}

func Malformed() {
	alphaOne() /* want `//cgolint:ignore gives no reason` */ //cgolint:ignore alpha
}
