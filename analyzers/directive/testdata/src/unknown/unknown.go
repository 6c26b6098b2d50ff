package unknown

func alphaOne() {}
func alphaTwo() {}

func Typo() {
	alphaOne() /* want `//cgolint:ignore names "alpah", which is no check or category, so it suppresses nothing for it; use a check \(alpha, beta\), check/category \(as cfree/leak\) or all` */ //cgolint:ignore alpah the reason
}

func UnknownCategory() {
	alphaTwo() /* want `//cgolint:ignore names "alpha/three", which is no check or category` */ //cgolint:ignore alpha/three the reason
}

// The directive check is no name a directive takes; two unknown names.
func Two() {
	alphaOne() /* want `//cgolint:ignore names "directive", "gamma", which are no check or category, so it suppresses nothing for them` */ //cgolint:ignore directive,gamma the reason
}

// A known name beside an unknown one: still reported, naming the unknown.
func Mixed() {
	alphaOne() /* want `names "alpha/tow", which is no check` */ //cgolint:ignore alpha,alpha/tow the reason
}

// The safe twins: the same names spelt right.
func Right() {
	alphaOne() //cgolint:ignore alpha the reason
	alphaTwo() //cgolint:ignore alpha/two the reason
}
