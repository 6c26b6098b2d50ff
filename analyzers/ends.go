package analyzers

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"

	"golang.org/x/tools/go/analysis"
)

// withEnds gives every diagnostic and related location of a that has only
// a start position its extent in the source: the outermost expression that
// starts there (the call C.fork(), not just the identifier C), or else the
// innermost statement (a return, a defer). Drivers show the range: -json's
// "end", SARIF regions, editors' underlines. The file is parsed from disk
// (once per pass), only when a diagnostic needs it.
func withEnds(a *analysis.Analyzer) *analysis.Analyzer {
	run := a.Run
	a.Run = func(pass *analysis.Pass) (any, error) {
		report := pass.Report
		e := &ender{fset: pass.Fset, files: make(map[*token.File]*ast.File)}
		pass.Report = func(d analysis.Diagnostic) {
			if d.End == token.NoPos {
				d.End = e.end(d.Pos)
			}
			if len(d.Related) > 0 {
				related := make([]analysis.RelatedInformation, len(d.Related))
				copy(related, d.Related)
				for i := range related {
					if related[i].End == token.NoPos {
						related[i].End = e.end(related[i].Pos)
					}
				}
				d.Related = related
			}
			report(d)
		}
		return run(pass)
	}
	return a
}

type ender struct {
	fset  *token.FileSet
	files map[*token.File]*ast.File // parsed on demand; nil if unreadable
}

// end returns the end of the syntax that starts at pos, or NoPos.
func (e *ender) end(pos token.Pos) token.Pos {
	if !pos.IsValid() {
		return token.NoPos
	}
	tf := e.fset.File(pos)
	if tf == nil {
		return token.NoPos
	}
	f, ok := e.files[tf]
	if !ok {
		if src, err := os.ReadFile(tf.Name()); err == nil && len(src) == tf.Size() {
			// A FileSet of its own: offsets are the same as in tf.
			f, _ = parser.ParseFile(token.NewFileSet(), tf.Name(), src, parser.SkipObjectResolution)
		}
		e.files[tf] = f
	}
	if f == nil {
		return token.NoPos
	}
	off := tf.Offset(pos)
	base := f.FileStart
	var expr, stmt ast.Node
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil {
			return false
		}
		start, end := int(n.Pos()-base), int(n.End()-base)
		if off < start || off >= end {
			return false // pos is not inside n
		}
		if start == off {
			switch n.(type) {
			case ast.Expr:
				if expr == nil {
					expr = n // the outermost: found first
				}
			case ast.Stmt:
				stmt = n // the innermost: found last
			}
		}
		return true
	})
	n := expr
	if n == nil {
		n = stmt
	}
	if n == nil {
		return token.NoPos
	}
	endOff := int(n.End() - base)
	if endOff > tf.Size() {
		return token.NoPos
	}
	return tf.Pos(endOff)
}
