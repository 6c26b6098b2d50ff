package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"go/token"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"golang.org/x/tools/go/analysis"

	"github.com/cgolint/cgolint/analyzers"
	"github.com/cgolint/cgolint/passes/config"
)

// SARIF 2.1.0 output (-format=sarif), for code-scanning dashboards: one
// run; one rule per check and category ("cfree/leak"), with the category's
// documentation as help and the check's URL#category; one result per
// finding (test variants deduplicated), located in the user's file relative
// to the module root (%SRCROOT%); Related as relatedLocations; a suggested
// fix as a fix. Errors that kept a package from being checked are
// toolExecutionNotifications of the invocation. Columns count Unicode code
// points, as SARIF's columnKind "unicodeCodePoints" says.

const sarifSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                `json:"tool"`
	Invocations        []sarifInvocation        `json:"invocations"`
	OriginalURIBaseIDs map[string]sarifArtifact `json:"originalUriBaseIds,omitempty"`
	ColumnKind         string                   `json:"columnKind"`
	Results            []sarifResult            `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string       `json:"id"`
	Name                 string       `json:"name,omitempty"`
	ShortDescription     sarifMessage `json:"shortDescription"`
	FullDescription      sarifMessage `json:"fullDescription"`
	Help                 sarifMessage `json:"help"`
	HelpURI              string       `json:"helpUri,omitempty"`
	DefaultConfiguration struct {
		Level string `json:"level"`
	} `json:"defaultConfiguration"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level   string       `json:"level"`
	Message sarifMessage `json:"message"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifResult struct {
	RuleID           string          `json:"ruleId"`
	RuleIndex        int             `json:"ruleIndex"`
	Level            string          `json:"level"`
	Message          sarifMessage    `json:"message"`
	Locations        []sarifLocation `json:"locations"`
	RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
	Fixes            []sarifFix      `json:"fixes,omitempty"`
}

type sarifLocation struct {
	ID               *int                  `json:"id,omitempty"`
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	Message          *sarifMessage         `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine,omitempty"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
	// For replacements: byte offsets (SARIF's charOffset counts
	// characters; edits are given by line and column instead).
}

type sarifFix struct {
	Description     sarifMessage          `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifact      `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion   `json:"deletedRegion"`
	InsertedContent *sarifMessage `json:"insertedContent,omitempty"`
}

// sarifRules returns a rule for every check and documented category, and
// the index of each rule ID.
func sarifRules() ([]sarifRule, map[string]int) {
	var rules []sarifRule
	index := make(map[string]int)
	for _, a := range analyzers.Suite(new(config.Config)) {
		cats := categories(a)
		if len(cats) == 0 {
			rules = append(rules, newRule(a, "", summary(a), strings.TrimSpace(a.Doc)))
		}
		for _, c := range cats {
			rules = append(rules, newRule(a, c.name, c.summary, c.doc))
		}
	}
	for i, r := range rules {
		index[r.ID] = i
	}
	return rules, index
}

func newRule(a *analysis.Analyzer, category, short, full string) sarifRule {
	r := sarifRule{ID: ruleID(a.Name, category), Name: a.Name}
	if category != "" {
		r.Name = a.Name + "/" + category
	}
	r.ShortDescription.Text = short
	r.FullDescription.Text = full
	r.Help.Text = full
	r.HelpURI = a.URL
	if a.URL != "" && category != "" {
		r.HelpURI = a.URL + "#" + category
	}
	r.DefaultConfiguration.Level = "warning"
	return r
}

func ruleID(check, category string) string {
	if category == "" {
		return check
	}
	return check + "/" + category
}

// A category is one documented kind of finding of a check: the paragraphs
// of its Doc from "Category <name>: ..." to the next category.
type category struct {
	name, summary, doc string
}

func categories(a *analysis.Analyzer) []category {
	var out []category
	for _, para := range strings.Split(a.Doc, "\n\n") {
		if rest, ok := strings.CutPrefix(para, "Category "); ok {
			name, text, ok := strings.Cut(rest, ": ")
			if ok && !strings.ContainsAny(name, " \n") {
				short := strings.Join(strings.Fields(text), " ")
				if i := strings.Index(short, ". "); i >= 0 {
					short = short[:i+1]
				}
				out = append(out, category{name: name, summary: short, doc: para})
				continue
			}
		}
		if len(out) > 0 {
			out[len(out)-1].doc += "\n\n" + para
		}
	}
	return out
}

func (r *report) printSARIF(w io.Writer) error {
	rules, index := sarifRules()
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "cgolint",
			Version:        strings.TrimPrefix(version(), "v"),
			InformationURI: "https://github.com/cgolint/cgolint",
		}},
		ColumnKind: "unicodeCodePoints",
		Results:    []sarifResult{},
	}
	if r.root != "" {
		run.OriginalURIBaseIDs = map[string]sarifArtifact{"%SRCROOT%": {URI: fileURI(r.root) + "/"}}
	}
	inv := sarifInvocation{ExecutionSuccessful: len(r.errors) == 0}
	for _, e := range r.errors {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{Level: "error", Message: sarifMessage{e.msg}})
	}
	run.Invocations = []sarifInvocation{inv}

	lines := newLineCache()
	for _, f := range r.findings {
		id := ruleID(f.analyzer.Name, f.diag.Category)
		i, ok := index[id]
		if !ok { // an undocumented category: a rule of its own
			rules = append(rules, newRule(f.analyzer, f.diag.Category, summary(f.analyzer), strings.TrimSpace(f.analyzer.Doc)))
			i = len(rules) - 1
			index[id] = i
		}
		res := sarifResult{
			RuleID:    id,
			RuleIndex: i,
			Level:     "warning",
			Message:   sarifMessage{f.diag.Message},
			Locations: []sarifLocation{{PhysicalLocation: r.physical(lines, f.posn, f.end)}},
		}
		for j, rel := range f.diag.Related {
			id := j + 1
			res.RelatedLocations = append(res.RelatedLocations, sarifLocation{
				ID:               &id,
				PhysicalLocation: r.physical(lines, position(f.fset, rel.Pos), position(f.fset, cmp.Or(rel.End, rel.Pos))),
				Message:          &sarifMessage{rel.Message},
			})
		}
		for _, fix := range f.diag.SuggestedFixes {
			sf := sarifFix{Description: sarifMessage{fix.Message}}
			byFile := make(map[string]int)
			for _, e := range fix.TextEdits {
				start, end := position(f.fset, e.Pos), position(f.fset, cmp.Or(e.End, e.Pos))
				k, ok := byFile[start.Filename]
				if !ok {
					k = len(sf.ArtifactChanges)
					byFile[start.Filename] = k
					sf.ArtifactChanges = append(sf.ArtifactChanges, sarifArtifactChange{ArtifactLocation: r.artifact(start.Filename)})
				}
				rep := sarifReplacement{DeletedRegion: lines.region(start, end)}
				if len(e.NewText) > 0 {
					rep.InsertedContent = &sarifMessage{string(e.NewText)}
				}
				sf.ArtifactChanges[k].Replacements = append(sf.ArtifactChanges[k].Replacements, rep)
			}
			res.Fixes = append(res.Fixes, sf)
		}
		run.Results = append(run.Results, res)
	}
	run.Tool.Driver.Rules = rules
	data, err := json.MarshalIndent(sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}}, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", data)
	return err
}

// artifact locates a file: relative to the module root when inside it,
// else by its absolute file URI.
func (r *report) artifact(name string) sarifArtifact {
	if r.root != "" {
		if rel, err := filepath.Rel(r.root, name); err == nil && !strings.HasPrefix(rel, "..") && !filepath.IsAbs(rel) {
			u := url.URL{Path: filepath.ToSlash(rel)}
			return sarifArtifact{URI: u.EscapedPath(), URIBaseID: "%SRCROOT%"}
		}
	}
	return sarifArtifact{URI: fileURI(name)}
}

func (r *report) physical(lines *lineCache, posn, end token.Position) sarifPhysicalLocation {
	loc := sarifPhysicalLocation{ArtifactLocation: r.artifact(posn.Filename)}
	if posn.Line > 0 {
		reg := lines.region(posn, end)
		loc.Region = &reg
	}
	return loc
}

func fileURI(name string) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(name)}
	if !strings.HasPrefix(u.Path, "/") {
		u.Path = "/" + u.Path // a Windows drive letter
	}
	return u.String()
}

// A lineCache converts byte columns (go/token's) into Unicode code point
// columns (SARIF's), reading each file once.
type lineCache struct {
	files map[string][]string
}

func newLineCache() *lineCache { return &lineCache{files: make(map[string][]string)} }

func (c *lineCache) column(filename string, line, col int) int {
	lines, ok := c.files[filename]
	if !ok {
		data, _ := os.ReadFile(filename)
		lines = strings.Split(string(data), "\n")
		c.files[filename] = lines
	}
	if line < 1 || line > len(lines) || col < 1 {
		return col
	}
	text := lines[line-1]
	if col-1 > len(text) {
		return col
	}
	return utf8.RuneCountInString(text[:col-1]) + 1
}

// region returns the SARIF region of [start, end) (end may be invalid or
// in another file: then the region is the start's line and column).
func (c *lineCache) region(start, end token.Position) sarifRegion {
	reg := sarifRegion{StartLine: start.Line, StartColumn: c.column(start.Filename, start.Line, start.Column)}
	if end.IsValid() && end.Filename == start.Filename && end.Offset >= start.Offset {
		reg.EndLine = end.Line
		reg.EndColumn = c.column(end.Filename, end.Line, end.Column)
	} else {
		reg.EndLine, reg.EndColumn = reg.StartLine, reg.StartColumn
	}
	return reg
}
