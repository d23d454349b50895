package locustfile

import (
	"fmt"
	"strconv"
	"strings"

	"exp/scenario"
)

// stepper translates one method's statements into steps, in order.
type stepper struct {
	u      *userCtx
	steps  []scenario.Step
	locals map[string]bool // local variables set so far in this method
	resp   map[string]int  // local names holding a response → its request step
	ints   map[string]bool // locals holding a Python int, which + refuses
	last   int             // the step of the latest request, -1 before the first
}

const stmtHint = "a method's statements are self.client calls, captures from a response and variables set from text"

func (u *userCtx) steps(f *funcDef) ([]scenario.Step, error) {
	s := &stepper{u: u, locals: map[string]bool{}, resp: map[string]int{}, ints: map[string]bool{}, last: -1}
	for _, st := range f.body {
		if err := s.statement(st); err != nil {
			return nil, err
		}
	}
	return s.steps, nil
}

func (s *stepper) statement(st stmt) error {
	r := s.u.t.r
	switch st := st.(type) {
	case *passStmt:
		return nil
	case *exprStmt:
		if _, ok := st.x.(*strExpr); ok {
			return nil // a docstring
		}
		if c, ok := st.x.(*callExpr); ok && isClientRooted(c.fn) {
			_, err := s.request(c)
			return err
		}
		if c, ok := st.x.(*callExpr); ok {
			return r.unsupported(st.ln, "calling "+describe(c.fn), stmtHint)
		}
		return r.unsupported(st.ln, "the expression statement "+describe(st.x), stmtHint)
	case *assign:
		return s.assign(st)
	case *funcDef:
		return r.unsupported(st.ln, "a function inside a method", "write its requests in the task")
	case *classDef:
		return r.unsupported(st.ln, "a class inside a method", "define user classes at the top level")
	}
	return r.unsupported(st.pos(), "an import inside a method", "import at the top of the file")
}

// isClientRooted tells whether e is an attribute of self.client.
func isClientRooted(e expr) bool {
	a, ok := e.(*attrExpr)
	if !ok {
		return false
	}
	if name, ok := selfAttr(a.x); ok && name == "client" {
		return true
	}
	return isClientRooted(a.x)
}

var httpMethods = map[string]bool{"get": true, "post": true, "put": true, "delete": true,
	"patch": true, "head": true, "options": true}

// request translates a self.client call into a request step and returns
// its index.
func (s *stepper) request(c *callExpr) (int, error) {
	r := s.u.t.r
	a, _ := c.fn.(*attrExpr)
	switch name, _ := selfAttr(a.x); {
	case name == "client" && a.name == "request":
		return 0, r.unsupported(c.ln, "self.client.request(...)",
			"call self.client.get(...), .post(...) and so on: the method comes from the call's name")
	case name != "client" || !httpMethods[a.name]:
		return 0, r.unsupported(c.ln, "calling "+describe(c.fn), "the client calls are self.client.get, post, put, delete, patch, head and options")
	case len(c.args) != 1:
		return 0, r.unsupported(c.ln, fmt.Sprintf("self.client.%s with %d positional arguments", a.name, len(c.args)),
			"pass the path as the only positional argument and the rest by keyword")
	}
	req := scenario.Request{Method: strings.ToUpper(a.name)}
	var err error
	if req.Path, err = s.template(c.args[0]); err != nil {
		return 0, err
	}
	if err := s.checkPath(c.args[0], req.Path); err != nil {
		return 0, err
	}
	seen := map[string]bool{}
	for _, kw := range c.kwargs {
		seen[kw.name] = true
		if err := s.keyword(&req, a.name, kw); err != nil {
			return 0, err
		}
	}
	if seen["json"] && seen["data"] {
		return 0, r.unsupported(c.ln, "both json= and data=", "send one body")
	}
	s.steps = append(s.steps, scenario.Step{Request: req})
	s.last = len(s.steps) - 1
	return s.last, nil
}

// checkPath refuses what Locust would append to the host as it is:
// exp's paths start with "/" and go to host or --url.
func (s *stepper) checkPath(e expr, path string) error {
	switch {
	case strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://"):
		return s.u.t.r.unsupported(e.line(), "an absolute URL as the path", "give the path: exp sends it to host or --url")
	case !strings.HasPrefix(path, "/"):
		return s.u.t.r.unsupported(e.line(), "a path that does not start with /", `write the path from the host's root, as "/api/items"`)
	}
	return nil
}

// kwHints are hints for keyword arguments often seen in locustfiles.
var kwHints = map[string]string{
	"catch_response": "exp counts statuses other than 2xx/3xx as failures; catch_response blocks are not read",
	"timeout":        "exp uses --timeout for every request",
}

func (s *stepper) keyword(req *scenario.Request, method string, kw keyword) error {
	var err error
	switch kw.name {
	case "name":
		req.Name, err = s.u.t.plainString(kw.value, "name=")
	case "json":
		req.JSON, err = s.jsonValue(kw.value)
	case "data":
		if _, ok := kw.value.(*dictExpr); ok {
			return s.u.t.r.unsupported(kw.ln, "data= with a dict (a form body)",
				"write the body as a string and set Content-Type in headers=")
		}
		req.Body, err = s.template(kw.value)
	case "headers":
		req.Headers, err = s.stringMap(kw.value, "headers=")
	case "params":
		req.Query, err = s.stringMap(kw.value, "params=")
	default:
		hint, ok := kwHints[kw.name]
		if !ok {
			hint = "exp's client calls take name=, json=, data=, headers= and params="
		}
		err = s.u.t.r.unsupported(kw.ln, fmt.Sprintf("the keyword argument %s= of self.client.%s", kw.name, method), hint)
	}
	return err
}

// assign translates NAME = ... or self.NAME = ...: a request kept in a
// local, a capture from a response, or a variable set from text.
func (s *stepper) assign(st *assign) error {
	r := s.u.t.r
	switch {
	case st.op != "":
		return r.unsupported(st.ln, "the augmented assignment "+st.op, "exp's variables are text: set them from a template")
	case len(st.targets) != 1:
		return r.unsupported(st.ln, "a chained assignment (a = b = ...)", "assign one variable in each statement")
	}
	name, isSelf, err := s.target(st.targets[0])
	if err != nil {
		return err
	}
	if c, ok := st.value.(*callExpr); ok && isClientRooted(c.fn) {
		if isSelf {
			return r.unsupported(st.ln, "keeping a response in self."+name,
				"assign it to a local and capture from it in the same method")
		}
		idx, err := s.request(c)
		delete(s.locals, name)
		s.resp[name] = idx
		return err
	}
	if root := rootName(st.value); s.isResp(root) {
		return s.capture(st, name, isSelf, root)
	}
	value, err := s.setValue(st.value)
	if err != nil {
		return err
	}
	s.steps = append(s.steps, scenario.Step{Set: name, Value: value})
	if err := s.define(st.ln, name, isSelf); err != nil {
		return err
	}
	s.setInt(name, isSelf, isIntValue(st.value))
	return nil
}

// isIntValue tells whether Python would hold an int: an integer literal
// or random.randint.
func isIntValue(e expr) bool {
	if _, ok := intLiteral(e); ok {
		return true
	}
	c, ok := e.(*callExpr)
	if !ok {
		return false
	}
	fn, ok := randomFunc(c)
	return ok && fn == "randint"
}

// setInt records whether a variable holds an int, so that "/p/" + pid is
// refused as Python refuses it (f"/p/{pid}" and str(pid) are fine).
func (s *stepper) setInt(name string, isSelf, isInt bool) {
	m := s.ints
	if isSelf {
		m = s.u.selfInts
	}
	if isInt {
		m[name] = true
	} else {
		delete(m, name)
	}
}

func (s *stepper) isResp(name string) bool {
	_, ok := s.resp[name]
	return ok
}

// target reads an assignment's target: a local name or self.NAME.
func (s *stepper) target(e expr) (string, bool, error) {
	if name, ok := selfAttr(e); ok {
		return name, true, nil
	}
	if n, ok := e.(*nameExpr); ok {
		return n.id, false, nil
	}
	if l, ok := e.(*listExpr); ok && l.tuple {
		return "", false, s.u.t.r.unsupported(e.line(), "unpacking into several variables", "assign one variable in each statement")
	}
	return "", false, s.u.t.r.unsupported(e.line(), "assigning to "+describe(e), "assign to a name or to self.name")
}

// define records that a statement set a variable. Locals and self
// attributes are one namespace in exp, so a local may not take the name
// of an attribute: it would overwrite the attribute for later tasks.
func (s *stepper) define(line int, name string, isSelf bool) error {
	delete(s.resp, name)
	if err := s.checkVarName(line, name); err != nil {
		return err
	}
	if isSelf {
		return nil
	}
	if s.u.self[name] {
		return s.u.t.r.unsupported(line, fmt.Sprintf("a local variable %s beside self.%s", name, name),
			"exp keeps one variable per name for each user: rename one of them")
	}
	s.locals[name] = true
	return nil
}

// checkVarName refuses the names a scenario template cannot hold: words
// its functions take (user, randint, ...) and non-ASCII identifiers.
func (s *stepper) checkVarName(line int, name string) error {
	switch name {
	case "user", "randint", "randstr", "choice":
		return s.u.t.r.unsupported(line, "a variable named "+name,
			"exp's templates reserve user, randint, randstr and choice: rename it")
	}
	for _, c := range name {
		if c > 0x7f {
			return s.u.t.r.unsupported(line, "the variable name "+name, "name variables with ASCII letters, digits and _")
		}
	}
	return nil
}

// capture adds a Capture to the request whose response root holds.
func (s *stepper) capture(st *assign, name string, isSelf bool, root string) error {
	r := s.u.t.r
	if s.resp[root] != s.last {
		return r.unsupported(st.ln, "reading "+root+" after a later request",
			"capture from a response before the method's next request")
	}
	c, err := s.captureSpec(st.value, root)
	if err != nil {
		return err
	}
	c.Var = name
	req := &s.steps[s.last].Request
	req.Capture = append(req.Capture, c)
	s.setInt(name, isSelf, false) // a JSON value may be an int: it is not refused
	return s.define(st.ln, name, isSelf)
}

const captureHint = `captures are resp.json()["key"][0]..., resp.headers["Name"] and resp.cookies["name"]`

func (s *stepper) captureSpec(e expr, root string) (scenario.Capture, error) {
	whole := e
	var idx []expr
	for ix, ok := e.(*indexExpr); ok; ix, ok = e.(*indexExpr) {
		idx = append([]expr{ix.index}, idx...)
		e = ix.x
	}
	refuse := func() (scenario.Capture, error) {
		return scenario.Capture{}, s.u.t.r.unsupported(whole.line(), "reading "+describe(whole), captureHint)
	}
	switch base := e.(type) {
	case *callExpr:
		if !isAttrOf(base.fn, root, "json") || len(base.args)+len(base.kwargs) > 0 || len(idx) == 0 {
			return refuse()
		}
		path, err := s.jsonPath(idx)
		return scenario.Capture{JSON: path}, err
	case *attrExpr:
		if !isAttrOf(base, root, "headers") && !isAttrOf(base, root, "cookies") || len(idx) != 1 {
			return refuse()
		}
		key, err := s.u.t.plainString(idx[0], "the "+base.name+" key")
		if base.name == "headers" {
			return scenario.Capture{Header: key}, err
		}
		return scenario.Capture{Cookie: key}, err
	}
	return refuse()
}

// isAttrOf tells whether e is ROOT.NAME.
func isAttrOf(e expr, root, name string) bool {
	a, ok := e.(*attrExpr)
	if !ok || a.name != name {
		return false
	}
	n, ok := a.x.(*nameExpr)
	return ok && n.id == root
}

// jsonPath joins the indexes of resp.json()[...] in the a.b.0 syntax.
func (s *stepper) jsonPath(idx []expr) (string, error) {
	parts := make([]string, len(idx))
	for i, e := range idx {
		if n, ok := e.(*numExpr); ok && n.num.isInt && !n.num.overflow {
			parts[i] = strconv.FormatInt(n.num.i, 10)
			continue
		}
		str, ok := e.(*strExpr)
		text, plain := "", false
		if ok {
			text, plain = str.text()
		}
		if !plain || text == "" || strings.Contains(text, ".") {
			return "", s.u.t.r.unsupported(e.line(), "the JSON index "+describe(e),
				"index with string keys without dots and whole numbers from 0")
		}
		parts[i] = text
	}
	return strings.Join(parts, "."), nil
}
