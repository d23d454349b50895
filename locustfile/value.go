package locustfile

import (
	"fmt"
	"strconv"
	"strings"
)

// tmplBuilder writes a template and remembers where each {{name}} it
// wrote begins, so that a "{{" that came from literal text is found.
type tmplBuilder struct {
	b     strings.Builder
	marks []int
}

func (tb *tmplBuilder) ref(name string) {
	tb.marks = append(tb.marks, tb.b.Len())
	tb.b.WriteString("{{" + name + "}}")
}

// clean tells whether every "{{" in the text is one the builder wrote.
func (tb *tmplBuilder) clean() bool {
	out, marks := tb.b.String(), tb.marks
	for i := strings.Index(out, "{{"); i >= 0; {
		// marks ascend, as the "{{" found do: skip those behind i.
		for len(marks) > 0 && marks[0] < i {
			marks = marks[1:]
		}
		if len(marks) == 0 || marks[0] != i {
			return false
		}
		next := strings.Index(out[i+1:], "{{")
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return true
}

const textHint = "text is a string literal, an f-string with {name} fields, + of strings and names, or str(name)"

// template turns an expression that gives text into a scenario template.
func (s *stepper) template(e expr) (string, error) {
	var tb tmplBuilder
	if err := s.appendTmpl(&tb, e, false); err != nil {
		return "", err
	}
	if !tb.clean() {
		return "", s.u.t.r.unsupported(e.line(), `a literal "{{" in a string`, "exp would read it as the start of a {{name}} template")
	}
	return tb.b.String(), nil
}

// appendTmpl writes e's text; inConcat tells that e is an operand of +,
// where Python refuses a number.
func (s *stepper) appendTmpl(tb *tmplBuilder, e expr, inConcat bool) error {
	r := s.u.t.r
	switch e := e.(type) {
	case *strExpr:
		for _, p := range e.parts {
			if !p.isVar {
				tb.b.WriteString(p.lit)
				continue
			}
			if err := s.varRef(tb, p.line, p.self, p.name); err != nil {
				return err
			}
		}
		return nil
	case *binExpr:
		if e.op != "+" {
			return r.unsupported(e.ln, "the "+e.op+" operator", textHint)
		}
		if err := s.appendTmpl(tb, e.l, true); err != nil {
			return err
		}
		return s.appendTmpl(tb, e.r, true)
	case *nameExpr:
		if inConcat && s.ints[e.id] {
			return r.unsupported(e.ln, "adding the int "+e.id+" to a string", "wrap it in str() or use an f-string")
		}
		return s.varRef(tb, e.ln, false, e.id)
	case *attrExpr:
		name, ok := selfAttr(e)
		if ok && inConcat && s.u.selfInts[name] {
			return r.unsupported(e.ln, "adding the int self."+name+" to a string", "wrap it in str() or use an f-string")
		}
		if ok {
			return s.varRef(tb, e.ln, true, name)
		}
	case *callExpr:
		return s.callTmpl(tb, e)
	case *numExpr:
		switch {
		case inConcat:
			return r.unsupported(e.ln, "adding a number to a string", "wrap the number in str()")
		case e.num.isInt && !e.num.overflow:
			tb.b.WriteString(strconv.FormatInt(e.num.i, 10))
			return nil
		}
	}
	return r.unsupported(e.line(), describe(e)+" where text is expected", textHint)
}

func (s *stepper) callTmpl(tb *tmplBuilder, c *callExpr) error {
	if _, ok := randomFunc(c); ok {
		return s.u.t.r.unsupported(c.ln, describe(c.fn)+" inside an expression",
			"assign it to a variable first: x = random.randint(1, 9)")
	}
	if n, ok := c.fn.(*nameExpr); ok && n.id == "str" && len(c.args) == 1 && len(c.kwargs) == 0 {
		return s.appendTmpl(tb, c.args[0], false)
	}
	return s.u.t.r.unsupported(c.ln, "calling "+describe(c.fn)+" where text is expected", textHint)
}

// varRef writes {{name}} for a variable that something sets: a local
// set earlier in this method, or a self attribute any method sets.
func (s *stepper) varRef(tb *tmplBuilder, line int, isSelf bool, name string) error {
	r := s.u.t.r
	switch {
	case isSelf && !s.u.self[name]:
		return r.unsupported(line, fmt.Sprintf("using self.%s, which no method of %s sets,", name, s.u.spec.Name),
			"set it in on_start, for example from a response: self."+name+` = resp.json()["..."]`)
	case !isSelf && s.isResp(name):
		return r.unsupported(line, "using the response "+name+" as text", captureHint)
	case !isSelf && !s.locals[name]:
		return r.unsupported(line, "using "+name+" before it is set", "set it earlier in this method, or use self."+name+" set in on_start")
	}
	tb.ref(name)
	return nil
}

// jsonValue turns a json= literal into Go values; its strings are
// templates.
func (s *stepper) jsonValue(e expr) (any, error) {
	switch e := e.(type) {
	case *dictExpr:
		m := make(map[string]any, len(e.keys))
		for i, k := range e.keys {
			key, err := s.u.t.plainString(k, "the JSON key")
			if err != nil {
				return nil, err
			}
			if _, dup := m[key]; dup {
				return nil, s.u.t.r.unsupported(k.line(), "the repeated JSON key "+strconv.Quote(key), "write each key once")
			}
			if m[key], err = s.jsonValue(e.values[i]); err != nil {
				return nil, err
			}
		}
		return m, nil
	case *listExpr:
		l := make([]any, len(e.elts))
		for i, x := range e.elts {
			var err error
			if l[i], err = s.jsonValue(x); err != nil {
				return nil, err
			}
		}
		return l, nil
	case *numExpr:
		return s.number(e, false)
	case *unaryExpr:
		if n, ok := e.x.(*numExpr); ok && (e.op == "-" || e.op == "+") {
			return s.number(n, e.op == "-")
		}
	case *constExpr:
		return map[string]any{"True": true, "False": false, "None": nil}[e.value], nil
	}
	return s.template(e)
}

// number gives int64 for an integer literal, float64 otherwise.
func (s *stepper) number(n *numExpr, neg bool) (any, error) {
	switch {
	case n.num.overflow:
		return nil, s.u.t.r.unsupported(n.ln, "the number "+n.num.text+", beyond 64 bits,", "write a smaller number")
	case n.num.isInt && neg:
		return -n.num.i, nil
	case n.num.isInt:
		return n.num.i, nil
	case neg:
		return -n.num.f, nil
	}
	return n.num.f, nil
}

// stringMap reads headers= or params=: a dict literal of string keys
// and text values.
func (s *stepper) stringMap(e expr, what string) (map[string]string, error) {
	d, ok := e.(*dictExpr)
	if !ok {
		return nil, s.u.t.r.unsupported(e.line(), what+" that is not a dict literal", `write the dict in the call: `+what+`{"Name": value}`)
	}
	m := make(map[string]string, len(d.keys))
	for i, k := range d.keys {
		key, err := s.u.t.plainString(k, "the "+what+" key")
		if err != nil {
			return nil, err
		}
		if key == "" || strings.ContainsAny(key, " \t\r\n:") {
			return nil, s.u.t.r.unsupported(k.line(), "the "+what+" key "+strconv.Quote(key), "a header or parameter name has no spaces and no colon")
		}
		if _, dup := m[key]; dup {
			return nil, s.u.t.r.unsupported(k.line(), "the repeated "+what+" key "+strconv.Quote(key), "write each key once")
		}
		if m[key], err = s.template(d.values[i]); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// randomFunc tells whether c calls random.NAME.
func randomFunc(c *callExpr) (string, bool) {
	a, ok := c.fn.(*attrExpr)
	if !ok {
		return "", false
	}
	n, ok := a.x.(*nameExpr)
	return a.name, ok && n.id == "random"
}

// setValue gives the template a variable is set to.
func (s *stepper) setValue(e expr) (string, error) {
	c, ok := e.(*callExpr)
	if !ok {
		return s.template(e)
	}
	fn, ok := randomFunc(c)
	if !ok {
		return s.template(e)
	}
	r := s.u.t.r
	switch {
	case !s.u.t.random:
		return "", r.notImported(c.ln, "random", "add import random")
	case len(c.kwargs) > 0:
		return "", r.unsupported(c.ln, "keyword arguments to random."+fn, "pass the arguments positionally")
	case fn == "randint":
		return s.randint(c)
	case fn == "choice":
		return s.choice(c)
	}
	return "", r.unsupported(c.ln, "random."+fn, "only random.randint(a, b) and random.choice([...]) are read")
}

func (s *stepper) randint(c *callExpr) (string, error) {
	bounds := make([]int64, 0, 2)
	for _, a := range c.args {
		if v, ok := intLiteral(a); ok {
			bounds = append(bounds, v)
		}
	}
	if len(c.args) != 2 || len(bounds) != 2 {
		return "", s.u.t.r.unsupported(c.ln, "random.randint with these arguments", "write random.randint(a, b) with two whole numbers")
	}
	if bounds[0] > bounds[1] {
		return "", s.u.t.r.unsupported(c.ln, "random.randint(a, b) with a above b", "write the smaller bound first")
	}
	return fmt.Sprintf("{{randint %d %d}}", bounds[0], bounds[1]), nil
}

func intLiteral(e expr) (int64, bool) {
	neg := false
	if u, ok := e.(*unaryExpr); ok && (u.op == "-" || u.op == "+") {
		neg, e = u.op == "-", u.x
	}
	n, ok := e.(*numExpr)
	if !ok || !n.num.isInt || n.num.overflow {
		return 0, false
	}
	if neg {
		return -n.num.i, true
	}
	return n.num.i, true
}

// choice reads random.choice of a literal list; its values become
// words of the template, so they may hold no space and no brace.
func (s *stepper) choice(c *callExpr) (string, error) {
	var l *listExpr
	if len(c.args) == 1 {
		l, _ = c.args[0].(*listExpr)
	}
	if l == nil || len(l.elts) == 0 {
		return "", s.u.t.r.unsupported(c.ln, "random.choice of something other than a literal list",
			`write random.choice(["a", "b"])`)
	}
	words := make([]string, len(l.elts))
	for i, e := range l.elts {
		word, ok := "", false
		if v, isInt := intLiteral(e); isInt {
			word, ok = strconv.FormatInt(v, 10), true
		} else if str, isStr := e.(*strExpr); isStr {
			word, ok = str.text()
		}
		if !ok || word == "" || strings.ContainsAny(word, " \t\n{}") {
			return "", s.u.t.r.unsupported(e.line(), "the random.choice value "+describe(e),
				"values are plain strings or whole numbers without spaces or braces")
		}
		words[i] = word
	}
	return "{{choice " + strings.Join(words, " ") + "}}", nil
}
