package main

import (
	"bytes"
	"cmp"
	"fmt"
	"go/format"
	"os"
	"slices"
	"strings"
	"time"
)

// An edit is a replacement of the bytes [start, end) of a file.
type edit struct {
	start, end int
	text       string
}

// fix applies the first suggested fix of each finding (cgolint offers a fix
// only when it is certainly right) to the user's files, formats them, and
// says what it did: how many fixes, to which files, and which findings have
// no certain fix (those are printed, as findings). It returns 3 if findings
// remain unfixed, 1 if a fix could not be applied, else 0.
func (r *report) fix() int {
	r.printErrors(os.Stderr)
	if len(r.errors) > 0 {
		return exitFailed
	}
	edits := make(map[string][]edit) // by file
	sizes := make(map[string]int)    // by file: its size as analysed
	var unfixed []*finding
	applied, conflicts := 0, 0
	seenFix := make(map[string]bool)
findings:
	for _, f := range r.findings {
		if len(f.diag.SuggestedFixes) == 0 {
			unfixed = append(unfixed, f)
			continue
		}
		fix := f.diag.SuggestedFixes[0]
		byFile := make(map[string][]edit)
		var key strings.Builder
		for _, e := range fix.TextEdits {
			start, end := position(f.fset, e.Pos), position(f.fset, cmp.Or(e.End, e.Pos))
			if !start.IsValid() || start.Filename != end.Filename {
				unfixed = append(unfixed, f)
				continue findings
			}
			byFile[start.Filename] = append(byFile[start.Filename], edit{start.Offset, end.Offset, string(e.NewText)})
			if tf := f.fset.File(e.Pos); tf != nil && tf.Name() == start.Filename {
				sizes[start.Filename] = tf.Size()
			}
			fmt.Fprintf(&key, "%s:%d:%d:%q;", start.Filename, start.Offset, end.Offset, e.NewText)
		}
		if seenFix[key.String()] {
			continue // the same fix, offered by another finding
		}
		for file, es := range byFile {
			if overlaps(edits[file], es) {
				conflicts++
				unfixed = append(unfixed, f)
				continue findings
			}
		}
		seenFix[key.String()] = true
		for file, es := range byFile {
			edits[file] = append(edits[file], es...)
		}
		applied++
	}

	files := make([]string, 0, len(edits))
	for file := range edits {
		files = append(files, file)
	}
	slices.Sort(files)
	code := exitClean
	var written []string
	cwd, _ := os.Getwd()
	for _, file := range files {
		if err := applyEdits(file, edits[file], sizes[file], r.loaded); err != nil {
			fmt.Fprintf(os.Stderr, "cgolint: -fix: %v\n", err)
			code = exitFailed
			continue
		}
		written = append(written, shortPath(cwd, file))
	}
	if applied > 0 {
		fmt.Fprintf(os.Stderr, "cgolint: applied %s to %s: %s\n", plural(applied, "fix", "fixes"), plural(len(written), "file", "files"), strings.Join(written, ", "))
	} else {
		fmt.Fprintf(os.Stderr, "cgolint: no fixes to apply\n")
	}
	if len(unfixed) > 0 {
		msg := fmt.Sprintf("%s no certain fix", plural(len(unfixed), "finding has", "findings have"))
		if conflicts > 0 {
			msg += fmt.Sprintf(" (%d of them only because their fix overlaps another; run cgolint -fix again)", conflicts)
		}
		fmt.Fprintf(os.Stderr, "cgolint: %s:\n", msg)
		r.printText(os.Stderr, unfixed)
		if code == exitClean {
			code = exitFindings
		}
	}
	return code
}

// overlaps reports whether any edit of b overlaps one of a (two insertions
// at the same offset overlap too: their order would be a guess).
func overlaps(a, b []edit) bool {
	for _, x := range a {
		for _, y := range b {
			if x.start < y.end && y.start < x.end || x.start == y.start {
				return true
			}
		}
	}
	return false
}

// applyEdits rewrites file with its (non-overlapping) edits and gofmts it,
// unless the file changed since it was analysed: modified after loaded
// began, or not of the size it had then (size; 0 if unknown). The edits'
// offsets are into the file as analysed; written into another text they
// would corrupt it.
func applyEdits(file string, edits []edit, size int, loaded time.Time) error {
	changed := fmt.Errorf("%s changed since it was analysed; run cgolint -fix again", file)
	info, err := os.Stat(file)
	if err != nil {
		return err
	}
	if info.ModTime().After(loaded) || size > 0 && info.Size() != int64(size) {
		return changed
	}
	src, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	slices.SortFunc(edits, func(a, b edit) int { return cmp.Compare(a.start, b.start) })
	var out bytes.Buffer
	last := 0
	for _, e := range edits {
		if e.start < last || e.end > len(src) || e.start > e.end {
			return changed
		}
		out.Write(src[last:e.start])
		out.WriteString(e.text)
		last = e.end
	}
	out.Write(src[last:])
	result := out.Bytes()
	if formatted, err := format.Source(result); err == nil {
		result = formatted
	}
	return os.WriteFile(file, result, info.Mode().Perm())
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
