package unused

func alphaOne() {}
func alphaTwo() {}
func beta()     {}

func NoFinding() {
	n := 1 /* want `//cgolint:ignore alpha suppresses no finding: remove it, or put it on the finding's line or the line above` */ //cgolint:ignore alpha the reason
	_ = n
}

// The safe twin: on the finding's line.
func OnTheLine() {
	alphaOne() //cgolint:ignore alpha the reason
}

// Two lines above the finding: too far.
func TooFar() {
	/* want `//cgolint:ignore alpha suppresses no finding` */ //cgolint:ignore alpha the reason

	alphaOne()
}

// Another category of the same check.
func WrongCategory() {
	alphaOne() /* want `//cgolint:ignore alpha/two suppresses no finding` */ //cgolint:ignore alpha/two the reason
}

// Another check.
func WrongCheck() {
	beta() /* want `//cgolint:ignore alpha suppresses no finding` */ //cgolint:ignore alpha the reason
}

func AllUnused() {
	n := 2 /* want `//cgolint:ignore all suppresses no finding` */ //cgolint:ignore all the reason
	_ = n
}

// A second directive for a finding that the one on its line suppressed.
func Twice() {
	/* want `//cgolint:ignore alpha suppresses no finding` */ //cgolint:ignore alpha the reason
	alphaOne()                                                //cgolint:ignore alpha/one the reason
}
