package main

import (
	"bytes"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

var (
	schemaOnce sync.Once
	schema     *jsonschema.Schema
	schemaErr  error
)

// sarifSchemaFile is the official SARIF 2.1.0 schema (see
// testdata/sarif/README.md for where it comes from).
const sarifSchemaFile = "testdata/sarif/sarif-schema-2.1.0.json"

// validateSARIF validates a SARIF log against the schema.
func validateSARIF(data []byte) error {
	schemaOnce.Do(func() {
		f, err := os.Open(sarifSchemaFile)
		if err != nil {
			schemaErr = err
			return
		}
		defer f.Close()
		doc, err := jsonschema.UnmarshalJSON(f)
		if err != nil {
			schemaErr = err
			return
		}
		c := jsonschema.NewCompiler()
		if err := c.AddResource(sarifSchema, doc); err != nil {
			schemaErr = err
			return
		}
		schema, schemaErr = c.Compile(sarifSchema)
	})
	if schemaErr != nil {
		return schemaErr
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return schema.Validate(v)
}

// TestSARIFSchema checks that the validator rejects what the schema
// forbids, so that a passing validation means something.
func TestSARIFSchema(t *testing.T) {
	good := `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "cgolint"}}, "results": []}]}`
	if err := validateSARIF([]byte(good)); err != nil {
		t.Fatalf("minimal log rejected: %v", err)
	}
	for _, bad := range []string{
		`{"version": "2.0.0", "runs": []}`,
		`{"version": "2.1.0", "runs": [{"results": []}]}`,
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "locations": [{"physicalLocation": {"region": {"startLine": 0}}}]}]}]}`,
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "columnKind": "bytes"}]}`,
	} {
		if err := validateSARIF([]byte(bad)); err == nil {
			t.Errorf("invalid log accepted: %s", bad)
		}
	}
}

// TestSARIFRules checks the rules: one per documented category of every
// check, each with help text and a docs URL that names the category.
func TestSARIFRules(t *testing.T) {
	rules, index := sarifRules()
	if len(rules) < 30 {
		t.Fatalf("only %d rules", len(rules))
	}
	for _, id := range []string{"cfree/leak", "cfree/double-free", "chostile/fork", "csignal/no-onstack", "finalizer/keepalive", "cgocall"} {
		i, ok := index[id]
		if !ok {
			t.Errorf("no rule %s", id)
			continue
		}
		r := rules[i]
		if r.ShortDescription.Text == "" || r.Help.Text == "" {
			t.Errorf("rule %s has no description or help", id)
		}
		check, cat, _ := strings.Cut(id, "/")
		if cat != "" && r.HelpURI != "https://pkg.go.dev/github.com/cgolint/cgolint/analyzers/"+check+"#"+cat {
			t.Errorf("rule %s: helpUri %s", id, r.HelpURI)
		}
		if cat != "" && !strings.HasPrefix(r.Help.Text, "Category "+cat+": ") {
			t.Errorf("rule %s: help starts %.40q", id, r.Help.Text)
		}
	}
}
