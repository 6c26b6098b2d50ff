package categoryoff

func alphaOne() {}
func alphaTwo() {}

// The configuration turns alpha/two off.

func Two() {
	alphaTwo() //cgolint:ignore alpha/two the reason
	n := 1     //cgolint:ignore alpha/two the reason
	_ = n
}

// alpha as a whole has a category off: not known to suppress nothing.
func Alpha() {
	n := 1 //cgolint:ignore alpha the reason
	_ = n
}

func All() {
	n := 1 //cgolint:ignore all the reason
	_ = n
}

// The twin: alpha/one is on, and this one suppresses nothing.
func One() {
	n := 1 /* want `//cgolint:ignore alpha/one suppresses no finding` */ //cgolint:ignore alpha/one the reason
	_ = n
}

// Still used: alpha/one on its finding.
func Used() {
	alphaOne() //cgolint:ignore alpha/one the reason
}
