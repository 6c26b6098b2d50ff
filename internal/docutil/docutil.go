// Package docutil extracts an analyzer's documentation from its doc.go, so
// that the package comment is the only copy of a check's docs.
package docutil

import (
	"fmt"
	"go/parser"
	"go/token"
	"strings"
)

// MustExtract returns the "# Analyzer name" section of the package comment
// in content (a doc.go file), as an analysis.Analyzer.Doc: the summary line
// after "name: ", a blank line, then the rest of the section. It panics if
// the section is missing, which a test of every analyzer catches.
func MustExtract(content, name string) string {
	doc, err := Extract(content, name)
	if err != nil {
		panic(err)
	}
	return doc
}

// Extract is MustExtract with an error.
func Extract(content, name string) (string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", content, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		return "", err
	}
	if f.Doc == nil {
		return "", fmt.Errorf("doc.go has no package comment")
	}
	text := f.Doc.Text()
	heading := "# Analyzer " + name
	i := strings.Index(text, "\n"+heading+"\n")
	if i < 0 {
		return "", fmt.Errorf("doc.go has no %q section", heading)
	}
	sec := text[i+len(heading)+2:]
	if j := strings.Index(sec, "\n# "); j >= 0 {
		sec = sec[:j]
	}
	sec = strings.TrimSpace(sec)
	prefix := name + ": "
	if !strings.HasPrefix(sec, prefix) {
		return "", fmt.Errorf("section %q must start with %q", heading, prefix)
	}
	return strings.TrimSpace(strings.TrimPrefix(sec, prefix)), nil
}
