package locustfile

// maxDepth bounds the nesting of expressions and blocks, so that a
// hostile file cannot exhaust the stack of the recursive descent.
const maxDepth = 100

type parser struct {
	r     reporter
	toks  []token // ends with tEOF
	pos   int
	depth int
}

// parse builds the module's statements from its tokens.
func parse(toks []token, r reporter) ([]stmt, error) {
	p := &parser{r: r, toks: toks}
	var body []stmt
	for p.peek().kind != tEOF {
		ss, err := p.statement()
		if err != nil {
			return nil, err
		}
		body = append(body, ss...)
	}
	return body, nil
}

func (p *parser) peek() token { return p.toks[p.pos] }

func (p *parser) peekAt(n int) token { return p.toks[min(p.pos+n, len(p.toks)-1)] }

func (p *parser) next() token {
	t := p.toks[p.pos]
	if t.kind != tEOF {
		p.pos++
	}
	return t
}

func (p *parser) isOp(s string) bool {
	t := p.peek()
	return t.kind == tOp && t.text == s
}

func (p *parser) isKw(s string) bool {
	t := p.peek()
	return t.kind == tName && t.text == s
}

func (p *parser) expectOp(s string) error {
	if !p.isOp(s) {
		return p.unexpected("'" + s + "'")
	}
	p.next()
	return nil
}

func (p *parser) unexpected(want string) error {
	t := p.peek()
	return p.r.syntax(t.line, "unexpected %s (expected %s)", tokDesc(t), want)
}

func tokDesc(t token) string {
	switch t.kind {
	case tEOF:
		return "end of file"
	case tNewline:
		return "end of line"
	case tIndent:
		return "indent"
	case tDedent:
		return "dedent"
	case tString:
		return "string"
	}
	return "'" + t.text + "'"
}

// ident reads a name that is not a keyword.
func (p *parser) ident() (token, error) {
	t := p.peek()
	if t.kind != tName || keywords[t.text] {
		return t, p.unexpected("a name")
	}
	return p.next(), nil
}

// deeper counts one more level of nesting; the caller undoes it.
func (p *parser) deeper(line int) error {
	p.depth++
	if p.depth > maxDepth {
		return p.r.unsupported(line, "nesting deeper than 100 levels", "simplify the code")
	}
	return nil
}

// refusedStmts are the statements outside the subset, named and with a
// hint, refused as soon as the parser meets their keyword.
var refusedStmts = map[string][2]string{
	"for":      {"a for loop", "a task is a fixed sequence of requests: write each request as a statement of its own"},
	"while":    {"a while loop", "a task is a fixed sequence of requests: write each request as a statement of its own"},
	"break":    {"break", "tasks have no loops"},
	"continue": {"continue", "tasks have no loops"},
	"if":       {"an if statement", "tasks cannot branch: make each branch a task with its own weight"},
	"try":      {"a try statement", "exp counts failed requests itself: drop the exception handling"},
	"with":     {"a with statement", "catch_response=True blocks are not read: exp counts statuses other than 2xx/3xx as failures"},
	"return":   {"return", "a task runs from its first statement to its last"},
	"raise":    {"raise", "exp counts failed requests itself"},
	"global":   {"a global statement", "keep per-user values in self attributes"},
	"nonlocal": {"a nonlocal statement", "keep per-user values in self attributes"},
	"del":      {"del", "variables live as long as the user"},
	"assert":   {"assert", "exp's locustfile reader has no response checks: write a YAML scenario with check:"},
	"async":    {"async code", "write plain def methods"},
	"yield":    {"yield", "write plain def methods"},
	"await":    {"await", "write plain def methods"},
	"lambda":   {"lambda", "wait_time and tasks must be plain calls and @task methods"},
}

func (p *parser) refused(t token) error {
	if h, ok := refusedStmts[t.text]; ok && t.kind == tName {
		return p.r.unsupported(t.line, h[0], h[1])
	}
	return nil
}

// statement reads one line's statements, or one compound statement.
func (p *parser) statement() ([]stmt, error) {
	t := p.peek()
	switch {
	case t.kind == tIndent:
		return nil, p.r.syntax(t.line, "unexpected indent")
	case p.isOp("@"):
		s, err := p.decorated()
		return []stmt{s}, err
	case p.isKw("def"):
		s, err := p.funcDef(nil)
		return []stmt{s}, err
	case p.isKw("class"):
		s, err := p.classDef(nil)
		return []stmt{s}, err
	}
	if err := p.refused(t); err != nil {
		return nil, err
	}
	return p.simpleLine()
}

func (p *parser) decorated() (stmt, error) {
	var decs []expr
	for p.isOp("@") {
		p.next()
		d, err := p.test()
		if err != nil {
			return nil, err
		}
		if p.peek().kind != tNewline {
			return nil, p.unexpected("the end of the decorator's line")
		}
		p.next()
		decs = append(decs, d)
	}
	switch {
	case p.isKw("def"):
		return p.funcDef(decs)
	case p.isKw("class"):
		return p.classDef(decs)
	}
	if err := p.refused(p.peek()); err != nil {
		return nil, err
	}
	return nil, p.unexpected("def or class after a decorator")
}

func (p *parser) funcDef(decs []expr) (stmt, error) {
	f := &funcDef{ln: p.next().line, decorators: decs}
	name, err := p.ident()
	if err != nil {
		return nil, err
	}
	f.name = name.text
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	if f.params, err = p.params(); err != nil {
		return nil, err
	}
	if p.isOp("->") {
		p.next()
		if f.returns, err = p.test(); err != nil {
			return nil, err
		}
	}
	if err := p.expectOp(":"); err != nil {
		return nil, err
	}
	f.body, err = p.suite(f.ln)
	return f, err
}

// params reads a def's parameters up to and with the closing ')'.
func (p *parser) params() ([]param, error) {
	var ps []param
	for !p.isOp(")") {
		var pm param
		if p.isOp("*") || p.isOp("**") || p.isOp("/") {
			pm.star = p.next().text
		}
		if pm.star != "/" && !(pm.star == "*" && (p.isOp(",") || p.isOp(")"))) {
			name, err := p.ident()
			if err != nil {
				return nil, err
			}
			pm.name = name.text
		}
		for _, mark := range []string{":", "="} {
			if !p.isOp(mark) {
				continue
			}
			p.next()
			if _, err := p.test(); err != nil {
				return nil, err
			}
			pm.hasAnnot = pm.hasAnnot || mark == ":"
			pm.hasDefault = pm.hasDefault || mark == "="
		}
		ps = append(ps, pm)
		if !p.isOp(",") {
			break
		}
		p.next()
	}
	return ps, p.expectOp(")")
}

func (p *parser) classDef(decs []expr) (stmt, error) {
	c := &classDef{ln: p.next().line, decorators: decs}
	name, err := p.ident()
	if err != nil {
		return nil, err
	}
	c.name = name.text
	if p.isOp("(") {
		p.next()
		if c.bases, c.keywords, err = p.args(); err != nil {
			return nil, err
		}
	}
	if err := p.expectOp(":"); err != nil {
		return nil, err
	}
	c.body, err = p.suite(c.ln)
	return c, err
}

// suite reads the block after a ':', indented or on the same line.
func (p *parser) suite(line int) ([]stmt, error) {
	if p.peek().kind != tNewline {
		return p.simpleLine()
	}
	p.next()
	if p.peek().kind != tIndent {
		return nil, p.r.syntax(p.peek().line, "expected an indented block after line %d", line)
	}
	p.next()
	if err := p.deeper(line); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	var body []stmt
	for k := p.peek().kind; k != tDedent && k != tEOF; k = p.peek().kind {
		ss, err := p.statement()
		if err != nil {
			return nil, err
		}
		body = append(body, ss...)
	}
	p.next()
	return body, nil
}

// simpleLine reads simple statements separated by ';' up to NEWLINE.
func (p *parser) simpleLine() ([]stmt, error) {
	var out []stmt
	for {
		s, err := p.simpleStmt()
		if err != nil {
			return nil, err
		}
		out = append(out, s)
		if !p.isOp(";") {
			break
		}
		p.next()
		if p.peek().kind == tNewline {
			break
		}
	}
	if p.peek().kind != tNewline {
		return nil, p.unexpected("the end of the line")
	}
	p.next()
	return out, nil
}

var augOps = map[string]bool{"+=": true, "-=": true, "*=": true, "/=": true, "//=": true,
	"%=": true, "**=": true, ">>=": true, "<<=": true, "&=": true, "|=": true, "^=": true, "@=": true}

func (p *parser) simpleStmt() (stmt, error) {
	t := p.peek()
	switch {
	case p.isKw("pass"):
		p.next()
		return &passStmt{ln: t.line}, nil
	case p.isKw("import"):
		return p.importStmt()
	case p.isKw("from"):
		return p.fromImport()
	}
	if err := p.refused(t); err != nil {
		return nil, err
	}
	x, err := p.exprList()
	if err != nil {
		return nil, err
	}
	switch op := p.peek(); {
	case p.isOp("="):
		return p.assignment(t.line, x)
	case op.kind == tOp && augOps[op.text]:
		p.next()
		v, err := p.exprList()
		return &assign{ln: t.line, targets: []expr{x}, value: v, op: op.text}, err
	case p.isOp(":"):
		return nil, p.r.unsupported(t.line, "an annotated assignment", "write name = value")
	}
	return &exprStmt{ln: t.line, x: x}, nil
}

// assignment reads "= value", chained "= b = value" included.
func (p *parser) assignment(line int, first expr) (stmt, error) {
	exprs := []expr{first}
	for p.isOp("=") {
		p.next()
		v, err := p.exprList()
		if err != nil {
			return nil, err
		}
		exprs = append(exprs, v)
	}
	n := len(exprs)
	return &assign{ln: line, targets: exprs[:n-1], value: exprs[n-1]}, nil
}
