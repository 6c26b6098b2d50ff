package csrc

import (
	"strconv"
	"strings"

	"modernc.org/cc/v4"
)

// This file reads one C function definition into a summary: the facts of
// its body that role inference needs (calls and their argument shapes,
// returns, stores, signal-action fields). Summaries are plain data, so the
// interprocedural fixpoint never walks the AST again, and they are cheap
// to keep after the AST is dropped.

// An arg is the shape of one argument of a call, after casts and
// parentheses are stripped.
type arg struct {
	Param int    // the parameter it is, or -1
	Null  bool   // a null pointer constant (NULL, 0, (void*)0)
	Int   *int64 // an integer constant, with its value
	Ident string // an identifier that is neither a parameter nor a local: a function or a global
	Addr  bool   // Ident is preceded by & (&free), or AddrLocal is set
	Local string // a local variable, by name (with Addr: &local)
	Ptr   int8   // 1 pointer-typed, 0 known not a pointer, -1 unknown
}

// A call is a direct call by name in a body.
type call struct {
	Name string
	Args []arg
	Line int // position of the call, in the summary's file
	Col  int
}

// A ret is one return statement.
type ret struct {
	Call  string // returns the result of this call (possibly cast)
	Local string // returns this local variable
	Null  bool   // returns NULL or 0
	Empty bool   // return;
}

// A local is what a local variable is assigned.
type local struct {
	Calls []string // results of these calls
	Other bool     // something else (a parameter, a global, an expression)
}

// An out is a store of a call's result through a parameter: *p = f(...).
type out struct {
	Param int
	Call  string
}

// A flagOp is one assignment to a sa_flags field.
type flagOp struct {
	Op      byte // '=', '|' or '&'
	OnStack int8 // 1 the value has SA_ONSTACK, 0 it has not, -1 not a known constant
}

// Handler dispositions stored into sa_handler / sa_sigaction.
const (
	dispUnknown uint8 = iota
	dispHandler
	dispIgnore
	dispDefault
)

// A summary is what one function definition does, as inference needs it.
type summary struct {
	Name     string
	File     string
	Line     int
	Col      int
	Params   []string
	ParamPtr []int8 // per parameter: 1 pointer, 0 not a pointer, -1 unknown
	Ctor     bool   // __attribute__((constructor))
	Calls    []call
	Returns  []ret
	Locals   map[string]*local
	Outs     []out
	Flags    []flagOp
	Handlers []uint8 // dispositions stored into a sigaction's handler fields
	ZeroInit bool    // a struct is zero-initialised ({0}, {}, memset)
	Keeps    []int   // parameters stored into globals or memory that outlives the call
}

// summarize reads fd into a summary. onstack is SA_ONSTACK's value in the
// translation unit (0 if unknown).
func summarize(fd *cc.FunctionDefinition, onstack int64) *summary {
	d := fd.Declarator
	p := d.Position()
	if tp := d.NameTok().Position(); tp.IsValid() {
		p = tp
	}
	s := &summary{
		Name:   d.Name(),
		File:   p.Filename,
		Line:   p.Line,
		Col:    p.Column,
		Ctor:   hasAttr(fd.DeclarationSpecifiers, "constructor") || hasAttr(d, "constructor"),
		Locals: make(map[string]*local),
	}
	s.Params, s.ParamPtr = params(d)
	r := &reader{s: s, onstack: onstack, locals: map[string]bool{}, statics: map[string]bool{}, fnLocals: map[string]string{}}
	walk(fd.CompoundStatement, r.visit)
	return s
}

// reader holds the state of one summarize call.
type reader struct {
	s       *summary
	onstack int64
	locals  map[string]bool // names declared in the body
	statics map[string]bool // locals with static storage
	// fnLocals maps a local function pointer to the one function it is
	// ever assigned ("" once it is assigned anything else), so that a call
	// through it is a call of that function: void (*f)(void *) = free; f(p);
	fnLocals map[string]string
}

// params returns the names of the parameters of a function declarator,
// and whether each is a pointer.
func params(d *cc.Declarator) ([]string, []int8) {
	dd := d.DirectDeclarator
	for dd != nil && dd.Case != cc.DirectDeclaratorFuncParam && dd.Case != cc.DirectDeclaratorFuncIdent {
		if dd.Case == cc.DirectDeclaratorDecl && dd.Declarator != nil {
			dd = dd.Declarator.DirectDeclarator
			continue
		}
		dd = dd.DirectDeclarator
	}
	if dd == nil || dd.Case == cc.DirectDeclaratorFuncIdent || dd.ParameterTypeList == nil {
		return nil, nil // K&R definitions: parameters are not tracked
	}
	var (
		names []string
		ptrs  []int8
	)
	for l := dd.ParameterTypeList.ParameterList; l != nil; l = l.ParameterList {
		pd := l.ParameterDeclaration
		name, ptr := "", int8(-1)
		if pd != nil && pd.Declarator != nil {
			name = pd.Declarator.Name()
			ptr = declPtr(pd.Declarator)
		}
		names = append(names, name)
		ptrs = append(ptrs, ptr)
	}
	if len(names) == 1 && names[0] == "" {
		// f(void), or a single unnamed parameter: nothing to refer to.
		return nil, nil
	}
	return names, ptrs
}

// declPtr reports whether a declarator declares a pointer: from its type
// when the translation unit was type checked, else from its syntax.
func declPtr(d *cc.Declarator) (r int8) {
	defer func() {
		if recover() != nil {
			r = -1
		}
	}()
	if t := d.Type(); t != nil && t.Kind() != cc.InvalidKind {
		switch t.Kind() {
		case cc.Ptr, cc.Array, cc.Function:
			return 1
		}
		if cc.IsArithmeticType(t) {
			return 0
		}
		return -1
	}
	if d.Pointer != nil {
		return 1
	}
	return -1
}

// hasAttr reports whether n (a declaration's specifiers or declarator, not
// a body) carries __attribute__((name)).
func hasAttr(n cc.Node, name string) bool {
	found := false
	walk(n, func(n cc.Node) bool {
		switch n := n.(type) {
		case *cc.CompoundStatement, *cc.ParameterTypeList:
			return false
		case *cc.AttributeValue:
			if a := strings.Trim(n.Token.SrcStr(), "_"); a == name {
				found = true
			}
		}
		return !found
	})
	return found
}

func (r *reader) param(name string) int {
	if r.locals[name] {
		return -1
	}
	for i, p := range r.s.Params {
		if p == name && p != "" {
			return i
		}
	}
	return -1
}

func (r *reader) visit(n cc.Node) bool {
	switch n := n.(type) {
	case *cc.Declaration:
		static := hasStatic(n.DeclarationSpecifiers)
		for l := n.InitDeclaratorList; l != nil; l = l.InitDeclaratorList {
			if id := l.InitDeclarator; id != nil && id.Declarator != nil {
				name := id.Declarator.Name()
				r.locals[name] = true
				if static {
					r.statics[name] = true
				}
			}
		}
		for l := n.InitDeclaratorList; l != nil; l = l.InitDeclaratorList {
			if id := l.InitDeclarator; id != nil && id.Initializer != nil && id.Declarator != nil {
				r.initializer(id.Declarator.Name(), id.Initializer)
			}
		}
		return true
	case *cc.PostfixExpression:
		if n.Case == cc.PostfixExpressionCall {
			r.call(n)
		}
	case *cc.AssignmentExpression:
		r.assign(n)
	case *cc.JumpStatement:
		if n.Case == cc.JumpStatementReturn {
			r.ret(n.ExpressionList)
		}
	}
	return true
}

// hasStatic reports whether declaration specifiers include static.
func hasStatic(ds *cc.DeclarationSpecifiers) bool {
	for ; ds != nil; ds = ds.DeclarationSpecifiers {
		if ds.Case == cc.DeclarationSpecifiersStorage && ds.StorageClassSpecifier != nil &&
			ds.StorageClassSpecifier.Case == cc.StorageClassSpecifierStatic {
			return true
		}
	}
	return false
}

// strip removes parentheses and casts around e.
func strip(e cc.ExpressionNode) cc.ExpressionNode {
	for {
		switch x := e.(type) {
		case *cc.CastExpression:
			if x.Case == cc.CastExpressionCast {
				e = x.CastExpression
				continue
			}
			e = x.UnaryExpression
		case *cc.PrimaryExpression:
			if x.Case == cc.PrimaryExpressionExpr && x.ExpressionList != nil {
				if _, list := x.ExpressionList.(*cc.ExpressionList); !list {
					e = x.ExpressionList
					continue
				}
			}
			return e
		case *cc.ExpressionList:
			if x.ExpressionList == nil {
				e = x.AssignmentExpression
				continue
			}
			return e
		default:
			return e
		}
	}
}

// ident returns the identifier e is, if it is one.
func ident(e cc.ExpressionNode) string {
	if p, ok := e.(*cc.PrimaryExpression); ok && p.Case == cc.PrimaryExpressionIdent {
		return p.Token.SrcStr()
	}
	return ""
}

// intConst returns the value of e if it is an integer constant.
func intConst(e cc.ExpressionNode) (int64, bool) {
	if e == nil {
		return 0, false
	}
	if v, ok := safeValue(e); ok {
		return v, true
	}
	return evalInt(strip(e))
}

// safeValue returns the type checker's value of e, if it has an integer one.
func safeValue(e cc.ExpressionNode) (v int64, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	switch x := e.Value().(type) {
	case cc.Int64Value:
		return int64(x), true
	case cc.UInt64Value:
		return int64(x), true
	}
	return 0, false
}

// evalInt evaluates an integer constant expression made of literals and
// the operators that flag values use, for ASTs the type checker did not
// annotate.
func evalInt(e cc.ExpressionNode) (int64, bool) {
	e = strip(e)
	switch x := e.(type) {
	case *cc.PrimaryExpression:
		if x.Case != cc.PrimaryExpressionInt {
			return 0, false
		}
		s := strings.TrimRight(strings.ToLower(x.Token.SrcStr()), "ul")
		if v, err := strconv.ParseInt(s, 0, 64); err == nil {
			return v, true
		}
		if v, err := strconv.ParseUint(s, 0, 64); err == nil {
			return int64(v), true
		}
	case *cc.InclusiveOrExpression:
		if x.Case == cc.InclusiveOrExpressionOr {
			a, ok1 := evalInt(x.InclusiveOrExpression)
			b, ok2 := evalInt(x.ExclusiveOrExpression)
			return a | b, ok1 && ok2
		}
	case *cc.AndExpression:
		if x.Case == cc.AndExpressionAnd {
			a, ok1 := evalInt(x.AndExpression)
			b, ok2 := evalInt(x.EqualityExpression)
			return a & b, ok1 && ok2
		}
	case *cc.ShiftExpression:
		a, ok1 := evalInt(x.ShiftExpression)
		b, ok2 := evalInt(x.AdditiveExpression)
		if ok1 && ok2 && b >= 0 && b < 64 {
			switch x.Case {
			case cc.ShiftExpressionLsh:
				return a << b, true
			case cc.ShiftExpressionRsh:
				return a >> b, true
			}
		}
	case *cc.UnaryExpression:
		switch x.Case {
		case cc.UnaryExpressionCpl:
			a, ok := evalInt(x.CastExpression)
			return ^a, ok
		case cc.UnaryExpressionMinus:
			a, ok := evalInt(x.CastExpression)
			return -a, ok
		case cc.UnaryExpressionPlus:
			return evalInt(x.CastExpression)
		}
	}
	return 0, false
}

// isPointer reports whether e has a pointer (or array or function) type:
// 1 yes, 0 no, -1 unknown (no type information).
func isPointer(e cc.ExpressionNode) (r int8) {
	defer func() {
		if recover() != nil {
			r = -1
		}
	}()
	t := e.Type()
	if t == nil {
		return -1
	}
	switch t.Kind() {
	case cc.Ptr, cc.Array, cc.Function:
		return 1
	case cc.InvalidKind:
		return -1
	}
	if cc.IsIntegerType(t) || cc.IsArithmeticType(t) {
		return 0
	}
	return -1
}

// shape returns the shape of argument e.
func (r *reader) shape(e cc.ExpressionNode) arg {
	a := arg{Param: -1, Ptr: isPointer(e)}
	e = strip(e)
	if u, ok := e.(*cc.UnaryExpression); ok && u.Case == cc.UnaryExpressionAddrof {
		inner := strip(u.CastExpression)
		if id := ident(inner); id != "" {
			a.Addr = true
			if r.locals[id] || r.param(id) >= 0 {
				a.Local = id
			} else {
				a.Ident = id
			}
		}
		return a
	}
	if id := ident(e); id != "" {
		switch {
		case r.param(id) >= 0:
			a.Param = r.param(id)
		case r.locals[id]:
			a.Local = id
		case id == "NULL" || id == "nullptr":
			a.Null = true
		default:
			a.Ident = id
		}
		return a
	}
	if v, ok := intConst(e); ok {
		a.Int = &v
		a.Null = v == 0
	}
	return a
}

// calleeName returns the name of the function a call expression calls
// directly, or "" (a call through a pointer or a member).
func calleeName(pe *cc.PostfixExpression) string {
	return ident(strip(pe.PostfixExpression))
}

func (r *reader) call(pe *cc.PostfixExpression) {
	name := calleeName(pe)
	if r.locals[name] {
		name = r.fnLocals[name]
	}
	if name == "" || name == r.s.Name || r.locals[name] || r.param(name) >= 0 {
		return
	}
	pos := pe.Position()
	c := call{Name: name, Line: pos.Line, Col: pos.Column}
	for l := pe.ArgumentExpressionList; l != nil; l = l.ArgumentExpressionList {
		c.Args = append(c.Args, r.shape(l.AssignmentExpression))
	}
	if name == "memset" && len(c.Args) >= 2 && c.Args[1].Null {
		r.s.ZeroInit = true
	}
	r.s.Calls = append(r.s.Calls, c)
}

// field returns the member name of a selector expression (x.f, x->f).
func field(e cc.ExpressionNode) string {
	if pe, ok := strip(e).(*cc.PostfixExpression); ok &&
		(pe.Case == cc.PostfixExpressionSelect || pe.Case == cc.PostfixExpressionPSelect) {
		return pe.Token2.SrcStr()
	}
	return ""
}

// root returns the variable an lvalue is rooted in, and whether it goes
// through memory (a member, an index or a dereference) to get there.
func root(e cc.ExpressionNode) (string, bool) {
	indirect := false
	for {
		e = strip(e)
		switch x := e.(type) {
		case *cc.PostfixExpression:
			switch x.Case {
			case cc.PostfixExpressionSelect, cc.PostfixExpressionPSelect, cc.PostfixExpressionIndex:
				indirect = true
				e = x.PostfixExpression
				continue
			}
			return "", false
		case *cc.UnaryExpression:
			if x.Case == cc.UnaryExpressionDeref {
				indirect = true
				e = x.CastExpression
				continue
			}
			return "", false
		case *cc.PrimaryExpression:
			return ident(x), indirect
		default:
			return "", false
		}
	}
}

// handlerDisp classifies a value stored as a signal handler.
func (r *reader) handlerDisp(e cc.ExpressionNode) uint8 {
	a := r.shape(e)
	switch {
	case a.Int != nil && *a.Int == 0 || a.Null:
		return dispDefault
	case a.Int != nil && *a.Int == 1:
		return dispIgnore
	case a.Ident != "":
		return dispHandler
	}
	return dispUnknown
}

func (r *reader) flagOp(op byte, e cc.ExpressionNode) {
	f := flagOp{Op: op, OnStack: -1}
	if v, ok := intConst(e); ok && r.onstack != 0 {
		f.OnStack = 0
		if v&r.onstack != 0 {
			f.OnStack = 1
		}
	}
	r.s.Flags = append(r.s.Flags, f)
}

func (r *reader) assign(n *cc.AssignmentExpression) {
	var op byte
	switch n.Case {
	case cc.AssignmentExpressionAssign:
		op = '='
	case cc.AssignmentExpressionOr:
		op = '|'
	case cc.AssignmentExpressionAnd:
		op = '&'
	default:
		return
	}
	lhs, rhs := n.UnaryExpression, n.AssignmentExpression
	switch field(lhs) {
	case "sa_flags":
		r.flagOp(op, rhs)
		return
	case "sa_handler", "sa_sigaction":
		if op == '=' {
			r.s.Handlers = append(r.s.Handlers, r.handlerDisp(rhs))
		}
		return
	}
	if op != '=' {
		return
	}
	rs := r.shape(rhs)
	rcall := ""
	if pe, ok := strip(rhs).(*cc.PostfixExpression); ok && pe.Case == cc.PostfixExpressionCall {
		rcall = calleeName(pe)
	}
	// *p = f(...) with p a parameter.
	if u, ok := strip(lhs).(*cc.UnaryExpression); ok && u.Case == cc.UnaryExpressionDeref {
		if p := r.param(ident(strip(u.CastExpression))); p >= 0 && rcall != "" {
			r.s.Outs = append(r.s.Outs, out{Param: p, Call: rcall})
		}
	}
	// A parameter stored where it outlives the call.
	if rs.Param >= 0 {
		name, indirect := root(lhs)
		switch {
		case name == "":
		case r.statics[name]:
			r.keep(rs.Param)
		case r.locals[name]:
		case r.param(name) >= 0:
			if indirect && r.param(name) != rs.Param {
				r.keep(rs.Param)
			}
		default:
			r.keep(rs.Param) // a global
		}
	}
	if id := ident(strip(lhs)); id != "" && r.locals[id] {
		r.localGets(id, rs, rcall)
	}
}

func (r *reader) keep(p int) {
	for _, k := range r.s.Keeps {
		if k == p {
			return
		}
	}
	r.s.Keeps = append(r.s.Keeps, p)
}

func (r *reader) localGets(name string, rs arg, rcall string) {
	if old, seen := r.fnLocals[name]; rs.Ident != "" && (!seen || old == rs.Ident) {
		r.fnLocals[name] = rs.Ident
	} else {
		r.fnLocals[name] = ""
	}
	l := r.s.Locals[name]
	if l == nil {
		l = &local{}
		r.s.Locals[name] = l
	}
	switch {
	case rcall != "":
		l.Calls = append(l.Calls, rcall)
	case rs.Null:
	default:
		l.Other = true
	}
}

func (r *reader) initializer(name string, in *cc.Initializer) {
	switch in.Case {
	case cc.InitializerExpr:
		rs := r.shape(in.AssignmentExpression)
		rcall := ""
		if pe, ok := strip(in.AssignmentExpression).(*cc.PostfixExpression); ok && pe.Case == cc.PostfixExpressionCall {
			rcall = calleeName(pe)
		}
		r.localGets(name, rs, rcall)
	case cc.InitializerInitList:
		if in.InitializerList == nil {
			r.s.ZeroInit = true
			return
		}
		zero := true
		for l := in.InitializerList; l != nil; l = l.InitializerList {
			last := ""
			if l.Designation != nil {
				for dl := l.Designation.DesignatorList; dl != nil; dl = dl.DesignatorList {
					if d := dl.Designator; d != nil && (d.Case == cc.DesignatorField || d.Case == cc.DesignatorField2) {
						last = d.Token2.SrcStr()
						if d.Case == cc.DesignatorField2 {
							last = d.Token.SrcStr()
						}
					}
				}
			}
			var e cc.ExpressionNode
			if l.Initializer != nil && l.Initializer.Case == cc.InitializerExpr {
				e = l.Initializer.AssignmentExpression
			}
			if e == nil {
				zero = false
				continue
			}
			switch last {
			case "sa_flags":
				r.flagOp('=', e)
				zero = false
			case "sa_handler", "sa_sigaction":
				r.s.Handlers = append(r.s.Handlers, r.handlerDisp(e))
				zero = false
			default:
				if v, ok := intConst(e); !ok || v != 0 || last != "" {
					zero = false
				}
			}
		}
		if zero {
			r.s.ZeroInit = true
		}
	}
}

func (r *reader) ret(e cc.ExpressionNode) {
	if e == nil {
		r.s.Returns = append(r.s.Returns, ret{Empty: true})
		return
	}
	x := strip(e)
	if pe, ok := x.(*cc.PostfixExpression); ok && pe.Case == cc.PostfixExpressionCall {
		r.s.Returns = append(r.s.Returns, ret{Call: calleeName(pe)})
		return
	}
	a := r.shape(e)
	switch {
	case a.Null:
		r.s.Returns = append(r.s.Returns, ret{Null: true})
	case a.Local != "" && !a.Addr:
		r.s.Returns = append(r.s.Returns, ret{Local: a.Local})
	default:
		r.s.Returns = append(r.s.Returns, ret{})
	}
}
