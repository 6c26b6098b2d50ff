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

// Categories returns the categories an analyzer's Doc documents, in order:
// the names of the lines that start "Category <name>:". doc.go is the one
// place a check's categories are listed; the suite's configuration and
// directive checks derive them from here, and a test keeps the README
// table and the code's category constants in step.
func Categories(doc string) []string {
	var cats []string
	for _, l := range strings.Split(doc, "\n") {
		rest, ok := strings.CutPrefix(l, "Category ")
		if !ok {
			continue
		}
		name, _, ok := strings.Cut(rest, ":")
		if ok && name != "" && !strings.ContainsAny(name, " \t") {
			cats = append(cats, name)
		}
	}
	return cats
}
