package used

func alphaOne() int { return 1 }
func alphaTwo() int { return 2 }
func beta() int     { return 3 }

// Each directive here suppresses a finding: none is reported.

func Trailing() {
	alphaOne() //cgolint:ignore alpha the reason
}

func Above() {
	//cgolint:ignore alpha the reason
	alphaOne()
}

func ByCategory() {
	alphaTwo() //cgolint:ignore alpha/two the reason
}

func All() {
	beta() //cgolint:ignore all the reason
}

// Two checks named, one finding: the directive is used.
func OneOfTwo() {
	beta() //cgolint:ignore alpha,beta the reason
}

// Two findings on one line, one directive for both.
func Both() {
	_ = alphaOne() + beta() //cgolint:ignore alpha,beta the reason
}

// Not directives: another word after the prefix; a space after "//".
func NotDirectives() {
	n := 1 //cgolint:ignored alpha not ours
	m := 2 // cgolint:ignore alpha not a directive either
	_, _ = n, m
}
