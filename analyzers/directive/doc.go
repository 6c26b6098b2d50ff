// Package directive defines an Analyzer that reports //cgolint:ignore
// directives that do not do what their author meant.
//
// # Analyzer directive
//
// directive: report //cgolint:ignore directives that suppress nothing
//
// A //cgolint:ignore directive (see the README, "Suppressing a finding")
// silences the named checks on its line or the line below. A directive that
// is malformed, names a check that does not exist, or no longer matches any
// finding silences nothing, and nobody notices: a typo in a check name
// leaves the finding it was meant for visible (or, worse, a later real
// finding on that line hidden by a stale directive). This check reports
// such directives. It reads the results of every other check of the suite,
// so it runs after them.
//
// Category malformed: a directive without a reason, or without a check
// name. Both are required; a malformed directive suppresses nothing.
//
// Bad:
//
//	return int(C.fork()) //cgolint:ignore chostile
//
// Good:
//
//	return int(C.fork()) //cgolint:ignore chostile the child execs at once in C
//
// Category unknown-check: a name in the directive's list is neither a
// check (cfree, cescape, ...), a check/category (cfree/leak), nor all.
// Nothing is suppressed for it.
//
// Bad:
//
//	//cgolint:ignore cfre,lockthread/affine freed by the caller
//
// Good:
//
//	//cgolint:ignore cfree,lockthread/thread-affine freed by the caller
//
// Category unused: a well-formed directive that suppressed no finding:
// the finding it was written for is gone, or it is not on the finding's
// line or the line above. It is reported only when every check it names
// ran with all of its categories on: a directive naming a check (or
// category) turned off by the configuration's disable or by the driver's
// -<check>=false flag is never reported as unused, since nothing can tell
// what that check would have found; a directive naming all is reported
// only when every check ran with every category on. Findings dropped by the
// configuration's exclude patterns are not suppressed by any directive.
//
// Bad:
//
//	//cgolint:ignore cfree freed by the caller
//	n := len(s) // no C memory here
//
// Good: remove the directive.
//
// Findings of this check are filtered by the configuration like any other
// (disable: [directive/unused], exclude), but not by //cgolint:ignore
// itself: "directive" is not a name a directive accepts.
//
// Since: v0.2.0. Default: enabled.
package directive
