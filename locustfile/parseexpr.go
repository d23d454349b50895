package locustfile

import "slices"

// Python's expression grammar, from the loosest binding to the tightest.
// The parser accepts more than the reader translates (operators,
// comparisons) so that the reader can name what it refuses.

// exprList reads an expression, or a tuple written without brackets.
func (p *parser) exprList() (expr, error) {
	first, err := p.test()
	if err != nil || !p.isOp(",") {
		return first, err
	}
	t := &listExpr{ln: first.line(), elts: []expr{first}, tuple: true}
	for p.isOp(",") {
		p.next()
		if !p.startsExpr() {
			break
		}
		e, err := p.test()
		if err != nil {
			return nil, err
		}
		t.elts = append(t.elts, e)
	}
	return t, nil
}

func (p *parser) startsExpr() bool {
	t := p.peek()
	switch t.kind {
	case tNumber, tString:
		return true
	case tName:
		return !keywords[t.text] || slices.Contains([]string{"True", "False", "None", "not", "lambda", "await", "yield"}, t.text)
	case tOp:
		return slices.Contains([]string{"(", "[", "{", "-", "+", "~", "..."}, t.text)
	}
	return false
}

// test reads one expression (Python's "test").
func (p *parser) test() (expr, error) {
	t := p.peek()
	if err := p.deeper(t.line); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	if p.isKw("lambda") {
		return nil, p.refused(t)
	}
	x, err := p.orExpr()
	switch {
	case err != nil:
		return nil, err
	case p.isKw("if"):
		return nil, p.r.unsupported(p.peek().line, "a conditional expression (a if c else b)",
			"tasks cannot branch: make each branch a task with its own weight")
	case p.isOp(":="):
		return nil, p.r.unsupported(p.peek().line, "an assignment expression (:=)", "assign in a statement of its own")
	}
	return x, nil
}

func (p *parser) orExpr() (expr, error)  { return p.boolOp("or", p.andExpr) }
func (p *parser) andExpr() (expr, error) { return p.boolOp("and", p.notExpr) }

func (p *parser) boolOp(op string, operand func() (expr, error)) (expr, error) {
	x, err := operand()
	for err == nil && p.isKw(op) {
		line := p.next().line
		var y expr
		y, err = operand()
		x = &binExpr{ln: line, op: op, l: x, r: y}
	}
	return x, err
}

func (p *parser) notExpr() (expr, error) {
	if !p.isKw("not") {
		return p.comparison()
	}
	t := p.next()
	if err := p.deeper(t.line); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	x, err := p.notExpr()
	return &unaryExpr{ln: t.line, op: "not", x: x}, err
}

var compOps = []string{"<", ">", "==", ">=", "<=", "!="}

func (p *parser) comparison() (expr, error) {
	x, err := p.binary(0)
	for err == nil {
		t := p.peek()
		op := ""
		switch {
		case t.kind == tOp && slices.Contains(compOps, t.text), p.isKw("in"):
			op = t.text
		case p.isKw("not") && p.peekAt(1).kind == tName && p.peekAt(1).text == "in":
			p.next()
			op = "not in"
		case p.isKw("is"):
			op = "is"
			if p.peekAt(1).kind == tName && p.peekAt(1).text == "not" {
				p.next()
				op = "is not"
			}
		default:
			return x, nil
		}
		p.next()
		var y expr
		y, err = p.binary(0)
		x = &binExpr{ln: t.line, op: op, l: x, r: y}
	}
	return x, err
}

var binLevels = [][]string{{"|"}, {"^"}, {"&"}, {"<<", ">>"}, {"+", "-"}, {"*", "/", "//", "%", "@"}}

func (p *parser) binary(level int) (expr, error) {
	if level == len(binLevels) {
		return p.unary()
	}
	x, err := p.binary(level + 1)
	for err == nil {
		t := p.peek()
		if t.kind != tOp || !slices.Contains(binLevels[level], t.text) {
			break
		}
		p.next()
		var y expr
		y, err = p.binary(level + 1)
		x = &binExpr{ln: t.line, op: t.text, l: x, r: y}
	}
	return x, err
}

func (p *parser) unary() (expr, error) {
	t := p.peek()
	if t.kind != tOp || (t.text != "-" && t.text != "+" && t.text != "~") {
		return p.power()
	}
	p.next()
	if err := p.deeper(t.line); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	x, err := p.unary()
	return &unaryExpr{ln: t.line, op: t.text, x: x}, err
}

func (p *parser) power() (expr, error) {
	x, err := p.primary()
	if err != nil || !p.isOp("**") {
		return x, err
	}
	line := p.next().line
	if err := p.deeper(line); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	y, err := p.unary()
	return &binExpr{ln: line, op: "**", l: x, r: y}, err
}

// primary reads an atom and its calls, subscripts and attributes.
func (p *parser) primary() (expr, error) {
	x, err := p.atom()
	for err == nil {
		t := p.peek()
		switch {
		case p.isOp("("):
			p.next()
			c := &callExpr{ln: t.line, fn: x}
			c.args, c.kwargs, err = p.args()
			x = c
		case p.isOp("["):
			p.next()
			var idx expr
			idx, err = p.subscript()
			x = &indexExpr{ln: t.line, x: x, index: idx}
		case p.isOp("."):
			p.next()
			var name token
			name, err = p.ident()
			x = &attrExpr{ln: t.line, x: x, name: name.text}
		default:
			return x, nil
		}
	}
	return nil, err
}

func (p *parser) subscript() (expr, error) {
	slice := func() error {
		return p.r.unsupported(p.peek().line, "a slice", "index a response's JSON with keys and whole numbers")
	}
	if p.isOp(":") {
		return nil, slice()
	}
	idx, err := p.exprList()
	if err != nil {
		return nil, err
	}
	if p.isOp(":") {
		return nil, slice()
	}
	return idx, p.expectOp("]")
}

// args reads a call's arguments up to and with the closing ')'.
func (p *parser) args() ([]expr, []keyword, error) {
	var args []expr
	var kws []keyword
	for !p.isOp(")") {
		t := p.peek()
		switch {
		case p.isOp("*") || p.isOp("**"):
			return nil, nil, p.r.unsupported(t.line, "*args and **kwargs in a call", "pass each argument by itself")
		case t.kind == tName && !keywords[t.text] && p.peekAt(1).kind == tOp && p.peekAt(1).text == "=":
			p.next()
			p.next()
			v, err := p.test()
			if err != nil {
				return nil, nil, err
			}
			if slices.ContainsFunc(kws, func(k keyword) bool { return k.name == t.text }) {
				return nil, nil, p.r.syntax(t.line, "keyword argument repeated: %s", t.text)
			}
			kws = append(kws, keyword{ln: t.line, name: t.text, value: v})
		default:
			if len(kws) > 0 {
				return nil, nil, p.r.syntax(t.line, "positional argument follows keyword argument")
			}
			v, err := p.test()
			if err != nil {
				return nil, nil, err
			}
			if p.isKw("for") {
				return nil, nil, p.r.unsupported(t.line, "a generator expression", "write each value out")
			}
			args = append(args, v)
		}
		if !p.isOp(",") {
			break
		}
		p.next()
	}
	return args, kws, p.expectOp(")")
}

func (p *parser) atom() (expr, error) {
	t := p.peek()
	switch t.kind {
	case tName:
		switch t.text {
		case "True", "False", "None":
			p.next()
			return &constExpr{ln: t.line, value: t.text}, nil
		}
		if t.text == "lambda" || t.text == "await" || t.text == "yield" {
			return nil, p.refused(t)
		}
		if keywords[t.text] {
			return nil, p.unexpected("an expression")
		}
		p.next()
		return &nameExpr{ln: t.line, id: t.text}, nil
	case tNumber:
		p.next()
		return &numExpr{ln: t.line, num: t.num}, nil
	case tString:
		return p.strings(), nil
	case tOp:
		switch t.text {
		case "(":
			return p.paren()
		case "[":
			return p.list()
		case "{":
			return p.dict()
		case "...":
			return nil, p.r.unsupported(t.line, "Ellipsis (...)", "write pass")
		}
	}
	return nil, p.unexpected("an expression")
}

// strings joins adjacent literals, as Python does.
func (p *parser) strings() expr {
	s := &strExpr{ln: p.peek().line}
	for p.peek().kind == tString {
		t := p.next()
		s.parts = append(s.parts, t.str.parts...)
		s.f = s.f || t.str.f
	}
	return s
}

func (p *parser) paren() (expr, error) {
	line := p.next().line
	if p.isOp(")") {
		p.next()
		return &listExpr{ln: line, tuple: true}, nil
	}
	x, err := p.exprList()
	if err != nil {
		return nil, err
	}
	if p.isKw("for") {
		return nil, p.r.unsupported(line, "a generator expression", "write each value out")
	}
	return x, p.expectOp(")")
}

func (p *parser) list() (expr, error) {
	l := &listExpr{ln: p.next().line}
	for !p.isOp("]") {
		if p.isOp("*") {
			return nil, p.r.unsupported(p.peek().line, "unpacking (*x) in a list", "write each value out")
		}
		e, err := p.test()
		if err != nil {
			return nil, err
		}
		if p.isKw("for") {
			return nil, p.r.unsupported(l.ln, "a list comprehension", "write each value out")
		}
		l.elts = append(l.elts, e)
		if !p.isOp(",") {
			break
		}
		p.next()
	}
	return l, p.expectOp("]")
}

func (p *parser) dict() (expr, error) {
	d := &dictExpr{ln: p.next().line}
	for !p.isOp("}") {
		if p.isOp("**") {
			return nil, p.r.unsupported(p.peek().line, "unpacking (**x) in a dict", "write each key out")
		}
		k, err := p.test()
		if err != nil {
			return nil, err
		}
		switch {
		case p.isKw("for"):
			return nil, p.r.unsupported(d.ln, "a comprehension", "write each value out")
		case !p.isOp(":"):
			return nil, p.r.unsupported(d.ln, "a set literal", "write a list or a dict")
		}
		p.next()
		v, err := p.test()
		if err != nil {
			return nil, err
		}
		if p.isKw("for") {
			return nil, p.r.unsupported(d.ln, "a dict comprehension", "write each key out")
		}
		d.keys, d.values = append(d.keys, k), append(d.values, v)
		if !p.isOp(",") {
			break
		}
		p.next()
	}
	return d, p.expectOp("}")
}
