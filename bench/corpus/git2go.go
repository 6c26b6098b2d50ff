//go:build cgolint_git2go

package corpus

// git2go needs the libgit2 1.5 headers (Debian libgit2-dev 1.5.1): it is
// behind a build tag so that building this module does not require them.
// bench/run.sh and internal/corpus analyse it only when pkg-config finds
// libgit2.
import _ "github.com/libgit2/git2go/v34"
