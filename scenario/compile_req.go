package scenario

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// compiler compiles the classes of one scenario.
type compiler struct {
	sc        *Scenario
	names     *Names
	opt       Options
	endpoints map[Endpoint]int
}

func (c *compiler) compileClass(i int, u UserSpec) (Class, error) {
	p := fmt.Sprintf("users[%d]", i)
	cl := Class{Name: u.Name, Weight: u.Weight, Wait: u.Wait}
	if u.Weight < 0 {
		return cl, at(p+".weight", "%d: a weight is 0 or more", u.Weight)
	}
	if cl.Weight == 0 {
		cl.Weight = 1
	}
	if cl.Wait == "" {
		cl.Wait = "0"
	}
	if c.opt.CheckWait != nil {
		if err := c.opt.CheckWait(cl.Wait); err != nil {
			return cl, at(p+".wait", "%v", err)
		}
	}
	if len(u.Tasks) == 0 {
		return cl, at(p+".tasks", "is empty: a user class needs a task")
	}
	var err error
	if cl.OnStart, err = c.flow(i, u, 0, "on_start", 1); err != nil {
		return cl, err
	}
	for j, t := range u.Tasks {
		if t.Weight < 0 {
			return cl, at(fmt.Sprintf("%s.tasks[%d].weight", p, j), "%d: a weight is 0 or more", t.Weight)
		}
		name := t.Name
		if name == "" {
			name = fmt.Sprintf("task %d", j+1)
		}
		f, err := c.flow(i, u, j+1, name, max(t.Weight, 1))
		if err != nil {
			return cl, err
		}
		if len(f.Steps) == 0 {
			return cl, at(fmt.Sprintf("%s.tasks[%d]", p, j), "%v", errNoSteps)
		}
		cl.Tasks = append(cl.Tasks, f)
	}
	return cl, nil
}

// flow compiles flow j of userFlows(u).
func (c *compiler) flow(i int, u UserSpec, j int, name string, weight int) (Flow, error) {
	f := Flow{Name: name, Weight: weight}
	data := map[int]bool{}
	for k, st := range userFlows(u)[j] {
		p := stepPath(i, u, j, k)
		cs, err := c.step(p, st, k)
		if err != nil {
			return f, err
		}
		cs.Value.usesData(data)
		if r := cs.Req; r != nil {
			for _, t := range r.templates() {
				t.usesData(data)
			}
		}
		f.Steps = append(f.Steps, cs)
	}
	for d := range data {
		f.Data = append(f.Data, d)
	}
	slices.Sort(f.Data)
	return f, nil
}

func (c *compiler) step(p string, st Step, k int) (CStep, error) {
	cs := CStep{Set: -1}
	hasReq := st.Path != "" || st.Method != ""
	switch {
	case st.Set != "" && hasReq:
		return cs, at(p, "a step either sets a variable or sends a request, not both")
	case st.Set != "":
		cs.Set = c.names.Vars[st.Set]
		var err error
		cs.Value, err = ParseTemplate(st.Value, c.names)
		if err != nil {
			return cs, at(p+".value", "%v", err)
		}
		return cs, nil
	case st.Value != "":
		return cs, at(p+".value", "value goes with set")
	case !hasReq:
		return cs, at(p, "%v", errNoSteps)
	}
	r, err := c.request(p, st.Request, k)
	cs.Req = r
	return cs, err
}

var methods = []string{"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"}

func (c *compiler) request(p string, rq Request, k int) (*Req, error) {
	r := &Req{Method: strings.ToUpper(rq.Method), Step: k}
	if r.Method == "" {
		r.Method = "GET"
	}
	if !slices.Contains(methods, r.Method) {
		return nil, at(p+".method", "%q: want one of %s", rq.Method, strings.Join(methods, ", "))
	}
	if !strings.HasPrefix(rq.Path, "/") {
		return nil, at(p+".path", "%q: a path starts with /", rq.Path)
	}
	var err error
	if r.Path, err = ParseTemplate(rq.Path, c.names); err != nil {
		return nil, at(p+".path", "%v", err)
	}
	if r.Query, err = c.params(p+".query", rq.Query); err != nil {
		return nil, err
	}
	if r.Headers, err = c.params(p+".headers", rq.Headers); err != nil {
		return nil, err
	}
	if err := c.body(p, rq, r); err != nil {
		return nil, err
	}
	if rq.Timeout != "" {
		d, err := time.ParseDuration(rq.Timeout)
		if err != nil || d <= 0 {
			return nil, at(p+".timeout", "%q: want a duration such as 5s", rq.Timeout)
		}
		r.Timeout = d
	}
	for i, s := range rq.Expect {
		if s < 100 || s > 599 {
			return nil, at(fmt.Sprintf("%s.expect[%d]", p, i), "%d is not an HTTP status", s)
		}
	}
	r.Expect = rq.Expect
	if err := c.responseRules(p, rq, r); err != nil {
		return nil, err
	}
	name := rq.Name
	if name == "" {
		name = rq.Path
	}
	ep := Endpoint{Method: r.Method, Name: name}
	id, ok := c.endpoints[ep]
	if !ok {
		id = len(c.sc.Endpoints)
		if id >= 1<<16 {
			return nil, at(p, "more than 65536 endpoints")
		}
		c.endpoints[ep] = id
		c.sc.Endpoints = append(c.sc.Endpoints, ep)
	}
	r.Endpoint = id
	return r, nil
}

func (c *compiler) params(p string, m map[string]string) ([]Param, error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out []Param
	for _, k := range keys {
		if k == "" || strings.ContainsAny(k, " \r\n:") {
			return nil, at(p, "%q is not a header or parameter name", k)
		}
		t, err := ParseTemplate(m[k], c.names)
		if err != nil {
			return nil, at(p+"."+k, "%v", err)
		}
		out = append(out, Param{Name: k, Value: t})
	}
	return out, nil
}

func (c *compiler) body(p string, rq Request, r *Req) error {
	n := 0
	for _, set := range []bool{rq.Body != "", rq.BodyFile != "", rq.JSON != nil} {
		if set {
			n++
		}
	}
	if n > 1 {
		return at(p, "body, body_file and json: one of them")
	}
	var err error
	switch {
	case rq.Body != "":
		r.Body, err = ParseTemplate(rq.Body, c.names)
		if err != nil {
			return at(p+".body", "%v", err)
		}
	case rq.BodyFile != "":
		if r.BodyBytes, err = readFile(c.opt.Dir, rq.BodyFile); err != nil {
			return at(p+".body_file", "%v", err)
		}
	case rq.JSON != nil:
		if r.Body, err = jsonTemplate(rq.JSON, c.names); err != nil {
			return at(p+".json", "%v", err)
		}
		r.ContentType = "application/json"
	}
	return nil
}

// jsonTemplate compiles a JSON value whose strings are templates.
func jsonTemplate(v any, names *Names) (Template, error) {
	t := Template{src: fmt.Sprint(v)}
	if err := appendJSON(&t, v, names); err != nil {
		return t, err
	}
	return t, nil
}

func appendJSON(t *Template, v any, names *Names) error {
	lit := func(s string) { t.parts = append(t.parts, part{kind: litPart, lit: s}) }
	switch x := v.(type) {
	case string:
		st, err := ParseTemplate(x, names)
		if err != nil {
			return err
		}
		if len(st.parts) == 1 && st.parts[0].kind != litPart {
			// "{{products.id}}" alone: a number when it renders as one.
			p := st.parts[0]
			p.auto = true
			t.parts = append(t.parts, p)
			t.json = true
			return nil
		}
		lit(`"`)
		for _, p := range st.parts {
			if p.kind == litPart {
				b, _ := json.Marshal(p.lit)
				lit(string(b[1 : len(b)-1]))
				continue
			}
			t.parts = append(t.parts, p)
		}
		t.json = true
		lit(`"`)
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		lit("{")
		for i, k := range keys {
			if i > 0 {
				lit(",")
			}
			b, _ := json.Marshal(k)
			lit(string(b) + ":")
			if err := appendJSON(t, x[k], names); err != nil {
				return err
			}
		}
		lit("}")
	case []any:
		lit("[")
		for i, e := range x {
			if i > 0 {
				lit(",")
			}
			if err := appendJSON(t, e, names); err != nil {
				return err
			}
		}
		lit("]")
	case nil:
		lit("null")
	case bool:
		lit(strconv.FormatBool(x))
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
		b, err := json.Marshal(x)
		if err != nil {
			return err
		}
		lit(string(b))
	default:
		return fmt.Errorf("%v (%T) is not a JSON value", v, v)
	}
	return nil
}

// templates are the request's templates, for the data files they use.
func (r *Req) templates() []Template {
	out := []Template{r.Path, r.Body}
	for _, q := range r.Query {
		out = append(out, q.Value)
	}
	for _, h := range r.Headers {
		out = append(out, h.Value)
	}
	return out
}
