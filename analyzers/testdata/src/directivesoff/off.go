package directivesoff

// #include <unistd.h>
import "C"

// cfree is disabled and chostile/fork is disabled: nothing can tell what
// these directives would have suppressed, so none is reported as unused.
func Off() int {
	n := 1                       //cgolint:ignore cfree cfree is off
	m := 2                       //cgolint:ignore all some checks are off
	return n + m + int(C.fork()) //cgolint:ignore chostile one category is off
}

// cescape runs with every category on: its unused directive is reported.
func On() int {
	n := 1 /* want `//cgolint:ignore cescape suppresses no finding` */ //cgolint:ignore cescape nothing stored here
	return n
}
