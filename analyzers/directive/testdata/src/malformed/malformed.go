package malformed

func alphaOne() {}

func NoReason() {
	alphaOne() /* want `//cgolint:ignore gives no reason, so it suppresses nothing; write //cgolint:ignore <check>\[,<check>...\] <reason>` */ //cgolint:ignore alpha
}

// The safe twin: with a reason.
func WithReason() {
	alphaOne() //cgolint:ignore alpha the reason
}

func Bare() {
	alphaOne() /* want `//cgolint:ignore names no check and gives no reason, so it suppresses nothing` */ //cgolint:ignore
}

func NoCheck() {
	alphaOne() /* want `//cgolint:ignore names no check, so it suppresses nothing` */ //cgolint:ignore , the reason
}

// Above the line, the same.
func NoReasonAbove() {
	/* want `//cgolint:ignore gives no reason` */ //cgolint:ignore alpha
	alphaOne()
}
