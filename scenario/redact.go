package scenario

import (
	"encoding/json"
	"strings"
)

// Redacted is a copy of f for storing: a literal value under a secret
// name (a header, a query parameter, a JSON field or a variable, as
// secret tells) is replaced; a templated one ("Bearer {{token}}") shows
// its template, never the value the run captured.
func Redacted(f *File, secret func(name string) bool) *File {
	b, err := json.Marshal(f)
	if err != nil {
		return &File{}
	}
	var c File
	if json.Unmarshal(b, &c) != nil {
		return &File{}
	}
	red := func(name, v string) string {
		if secret(name) && v != "" && !strings.Contains(v, "{{") {
			return "[redacted]"
		}
		return v
	}
	step := func(s *Step) {
		s.Value = red(s.Set, s.Value)
		for k, v := range s.Headers {
			s.Headers[k] = red(k, v)
		}
		for k, v := range s.Query {
			s.Query[k] = red(k, v)
		}
		s.JSON = redactJSON(s.JSON, red)
	}
	for i := range c.Users {
		u := &c.Users[i]
		for j := range u.OnStart {
			step(&u.OnStart[j])
		}
		for j := range u.Tasks {
			step(&u.Tasks[j].Step)
			for k := range u.Tasks[j].Steps {
				step(&u.Tasks[j].Steps[k])
			}
		}
	}
	return &c
}

func redactJSON(v any, red func(name, v string) string) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok {
				x[k] = red(k, s)
			} else {
				x[k] = redactJSON(e, red)
			}
		}
	case []any:
		for i, e := range x {
			x[i] = redactJSON(e, red)
		}
	}
	return v
}
