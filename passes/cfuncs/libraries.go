package cfuncs

import "embed"

// Libraries holds the library data shipped with cgolint: one file per C
// library, libraries/<name>.yml, in the schema of the user configuration
// (package config reads them, with the same strictness, into the knowledge
// base that every driver starts from; their entries have OriginLibrary and
// Source "<name>.yml"). Each entry cites the library's documented rule in a
// comment. A test checks every function named there against the library's
// installed headers.
//
//go:embed libraries/*.yml
var Libraries embed.FS
