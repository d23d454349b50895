package scenario

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

type check struct {
	contains  string
	re        *regexp.Regexp
	path      []string // JSON path
	equals    string
	hasEquals bool
	text      string // as written, for the failure message
}

type capture struct {
	v      int
	path   []string
	re     *regexp.Regexp
	header string
	cookie string
	text   string
}

func splitPath(s string) []string { return strings.Split(s, ".") }

func (c *compiler) responseRules(p string, rq Request, r *Req) error {
	for i, ch := range rq.Check {
		cp := fmt.Sprintf("%s.check[%d]", p, i)
		k := check{contains: ch.Contains, equals: ch.Equals, hasEquals: ch.Equals != ""}
		n := 0
		if ch.Contains != "" {
			n++
			k.text = "contains " + strconv.Quote(ch.Contains)
		}
		if ch.Regex != "" {
			n++
			re, err := regexp.Compile(ch.Regex)
			if err != nil {
				return at(cp+".regex", "%v", err)
			}
			k.re, k.text = re, "matches "+ch.Regex
		}
		if ch.JSON != "" {
			n++
			k.path, k.text = splitPath(ch.JSON), "json "+ch.JSON
			if k.hasEquals {
				k.text += " = " + ch.Equals
			}
		} else if k.hasEquals {
			return at(cp+".equals", "equals goes with json")
		}
		if n != 1 {
			return at(cp, "a check is one of contains, regex, json")
		}
		r.Checks = append(r.Checks, k)
	}
	for i, cpt := range rq.Capture {
		cp := fmt.Sprintf("%s.capture[%d]", p, i)
		k := capture{v: c.names.Vars[cpt.Var], header: cpt.Header, cookie: cpt.Cookie}
		n := 0
		for _, set := range []string{cpt.JSON, cpt.Regex, cpt.Header, cpt.Cookie} {
			if set != "" {
				n++
			}
		}
		if n != 1 {
			return at(cp, "a capture takes one of json, regex, header, cookie")
		}
		switch {
		case cpt.JSON != "":
			k.path, k.text = splitPath(cpt.JSON), "json "+cpt.JSON
		case cpt.Regex != "":
			re, err := regexp.Compile(cpt.Regex)
			if err != nil {
				return at(cp+".regex", "%v", err)
			}
			k.re, k.text = re, "regex "+cpt.Regex
		case cpt.Header != "":
			k.text = "header " + cpt.Header
		default:
			k.text = "cookie " + cpt.Cookie
		}
		r.Captures = append(r.Captures, k)
	}
	return nil
}

// NeedsBody reports whether the request's checks or captures read the
// response body (otherwise it is discarded unread).
func (r *Req) NeedsBody() bool {
	if len(r.Checks) > 0 {
		return true
	}
	for _, c := range r.Captures {
		if c.header == "" && c.cookie == "" {
			return true
		}
	}
	return false
}

// Success reports whether status counts as a success of the request.
func (r *Req) Success(status int) bool {
	if len(r.Expect) == 0 {
		return status >= 200 && status < 400
	}
	for _, s := range r.Expect {
		if s == status {
			return true
		}
	}
	return false
}

// Meta is what checks and captures read of a response besides its body:
// a header, a cookie it set.
type Meta interface {
	Header(name string) string
	Cookie(name string) (string, bool)
}

// HeaderNames are the response headers the request's captures read.
func (r *Req) HeaderNames() []string {
	var out []string
	for _, c := range r.Captures {
		if c.header != "" {
			out = append(out, strings.ToLower(c.header))
		}
	}
	return out
}

// HTTPMeta is the Meta of a net/http response.
type HTTPMeta struct {
	H       http.Header
	Cookies []*http.Cookie
}

func (m HTTPMeta) Header(name string) string { return m.H.Get(name) }

func (m HTTPMeta) Cookie(name string) (string, bool) {
	for _, c := range m.Cookies {
		if c.Name == name {
			return c.Value, true
		}
	}
	return "", false
}

// ErrCheck is a check or capture that did not hold: a failure of class
// check.
var ErrCheck = errors.New("check failed")

// Apply runs the checks and the captures on a response, setting the
// user's variables; an error (wrapping ErrCheck) says which failed.
func (r *Req) Apply(meta Meta, body []byte, st *State) error {
	if len(r.Checks) == 0 && len(r.Captures) == 0 {
		return nil // most requests: nothing to look at, nothing allocated
	}
	var doc any
	parsed := false
	jsonAt := func(path []string) (string, bool) {
		if !parsed {
			parsed = true
			d := json.NewDecoder(bytes.NewReader(body))
			d.UseNumber()
			if d.Decode(&doc) != nil {
				doc = nil
			}
		}
		return walk(doc, path)
	}
	for _, c := range r.Checks {
		ok := false
		switch {
		case c.re != nil:
			ok = c.re.Match(body)
		case c.path != nil:
			v, found := jsonAt(c.path)
			ok = found && (!c.hasEquals || v == c.equals)
		default:
			ok = bytes.Contains(body, []byte(c.contains))
		}
		if !ok {
			return fmt.Errorf("%w: %s", ErrCheck, c.text)
		}
	}
	for _, c := range r.Captures {
		v, ok := "", false
		switch {
		case c.path != nil:
			v, ok = jsonAt(c.path)
		case c.re != nil:
			if m := c.re.FindSubmatch(body); m != nil {
				v, ok = string(m[min(1, len(m)-1)]), true
			}
		case c.header != "":
			v = meta.Header(c.header)
			ok = v != ""
		default:
			v, ok = meta.Cookie(c.cookie)
		}
		if !ok {
			return fmt.Errorf("%w: capture %s found nothing", ErrCheck, c.text)
		}
		st.Vars[c.v] = v
	}
	return nil
}

// walk follows a JSON path (object keys, array indexes) and prints the
// value it reaches: a string as is, anything else as JSON.
func walk(doc any, path []string) (string, bool) {
	cur := doc
	for _, k := range path {
		switch x := cur.(type) {
		case map[string]any:
			v, ok := x[k]
			if !ok {
				return "", false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(x) {
				return "", false
			}
			cur = x[i]
		default:
			return "", false
		}
	}
	switch x := cur.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case nil:
		return "null", cur == nil && len(path) > 0
	}
	b, err := json.Marshal(cur)
	return string(b), err == nil
}
