package directives

// #include <unistd.h>
import "C"

// Used: the directive suppresses chostile's finding on its line.
func Used() int {
	return int(C.fork()) //cgolint:ignore chostile the child execs at once in C
}

// UsedAbove: by category, on the line above.
func UsedAbove() int {
	//cgolint:ignore chostile/fork the child execs at once in C
	return int(C.fork())
}

// UsedAll: all covers every check.
func UsedAll() int {
	return int(C.fork()) //cgolint:ignore all the child execs at once in C
}

// UsedTwice: one finding, two checks named; chostile's use counts.
func UsedTwice() int {
	return int(C.fork()) //cgolint:ignore cfree,chostile the child execs at once in C
}

func Unused() int {
	n := 1 /* want `//cgolint:ignore cfree suppresses no finding: remove it` */ //cgolint:ignore cfree nothing to free here
	return n
}

func UnusedAll() int {
	n := 2 /* want `//cgolint:ignore all suppresses no finding` */ //cgolint:ignore all nothing at all here
	return n
}

// WrongCategory: chostile/thread-exit does not cover a fork finding.
func WrongCategory() int {
	return int(C.fork()) /* want `//cgolint:ignore chostile/thread-exit suppresses no finding` */ //cgolint:ignore chostile/thread-exit not this category
}

func NoReason() int {
	return int(C.fork()) /* want `//cgolint:ignore gives no reason, so it suppresses nothing` */ //cgolint:ignore chostile
}

func Bare() int {
	return int(C.fork()) /* want `//cgolint:ignore names no check and gives no reason` */ //cgolint:ignore
}

func Typo() int {
	return int(C.fork()) /* want `//cgolint:ignore names "chostil", which is no check or category, so it suppresses nothing for it; use a check \(cfree, ` */ //cgolint:ignore chostil the child execs at once in C
}

func BadCategory() int {
	return int(C.fork()) /* want `names "chostile/forks", "directive", which are no check` */ //cgolint:ignore chostile/forks,directive the child execs
}

// NotADirective: another word after the prefix is not ours.
func NotADirective() int {
	n := 3 //cgolint:ignored chostile not a directive
	return n
}
