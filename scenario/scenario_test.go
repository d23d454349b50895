package scenario

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"exp/input"
)

func TestReadShop(t *testing.T) {
	sc, _, err := Read("testdata/shop.yaml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Classes) != 2 || sc.Classes[1].Weight != 3 || len(sc.Classes[0].Tasks) != 3 {
		t.Fatalf("classes %+v", sc.Classes)
	}
	want := []Endpoint{{"POST", "/api/login"}, {"GET", "/api/products?page=1"}, {"GET", "/api/products/[id]"}, {"POST", "/api/cart"}, {"GET", "/"}}
	if len(sc.Endpoints) != len(want) {
		t.Fatalf("endpoints %v, want %v", sc.Endpoints, want)
	}
	for i := range want {
		if sc.Endpoints[i] != want[i] {
			t.Errorf("endpoint %d: %v, want %v", i, sc.Endpoints[i], want[i])
		}
	}
	st := &State{User: 4, Vars: make([]string, len(sc.Vars)), Rows: make([][]string, len(sc.Feeders)), Rand: rand.New(rand.NewPCG(1, 2))}
	checkout := sc.Classes[0].Tasks[2]
	if len(checkout.Data) != 1 {
		t.Fatalf("checkout uses data %v", checkout.Data)
	}
	row, err := sc.Feeders[0].Row(st)
	if err != nil {
		t.Fatal(err)
	}
	st.Rows[0] = row
	body := string(checkout.Steps[0].Req.Body.Append(nil, st))
	if body != `{"note":"user 4","product":7,"qty":1}` {
		t.Errorf("json body %s", body)
	}
	login := sc.Classes[0].OnStart.Steps[0].Req
	if got := string(login.Body.Append(nil, st)); got != `{"password":"s3cret","user":"alice"}` || login.ContentType != "application/json" {
		t.Errorf("login body %s (%s)", got, login.ContentType)
	}
	if err := login.Apply(HTTPMeta{}, []byte(`{"token":"abc\"d"}`), st); err != nil || st.Vars[0] != `abc"d` {
		t.Errorf("capture: %v, vars %q", err, st.Vars)
	}
	prod := sc.Classes[0].Tasks[1]
	st.Vars[1] = "42"
	if got := string(prod.Steps[1].Req.Path.Append(nil, st)); got != "/api/products/42" {
		t.Errorf("path %s", got)
	}
	if err := prod.Steps[1].Req.Apply(HTTPMeta{}, []byte(`{"name":"x"}`), st); !errors.Is(err, ErrCheck) {
		t.Errorf("check of a missing id: %v", err)
	}
}

// A JSON value of one template is a number when it renders as one.
func TestJSONNumbers(t *testing.T) {
	names := &Names{Vars: map[string]int{"v": 0}, Data: map[string]dataNames{}}
	tpl, err := jsonTemplate(map[string]any{"a": "{{v}}", "b": "x{{v}}", "c": "{{randint 5 5}}"}, names)
	if err != nil {
		t.Fatal(err)
	}
	for v, want := range map[string]string{
		"12":     `{"a":12,"b":"x12","c":5}`,
		"-1.5e3": `{"a":-1.5e3,"b":"x-1.5e3","c":5}`,
		"01234":  `{"a":"01234","b":"x01234","c":5}`,
		"a\"b":   `{"a":"a\"b","b":"xa\"b","c":5}`,
		"":       `{"a":"","b":"x","c":5}`,
	} {
		st := &State{Vars: []string{v}, Rand: rand.New(rand.NewPCG(1, 1))}
		if got := string(tpl.Append(nil, st)); got != want {
			t.Errorf("v=%q: %s, want %s", v, got, want)
		}
	}
}

func TestBadScenarios(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"unknown key", "users:\n  - name: a\n    taks: []\n", ":3:"},
		{"no users", "host: x\n", "users"},
		{"no tasks", "users:\n  - name: a\n", "tasks"},
		{"undefined variable", "users:\n  - name: a\n    tasks:\n      - path: /x/{{id}}\n", ":4:"},
		{"capture var referenced but never set", "users:\n  - name: a\n    tasks:\n      - path: /a\n        headers: {X: \"{{tok}}\"}\n", "never set"},
		{"bad method", "users:\n  - name: a\n    tasks:\n      - method: FETCH\n        path: /\n", "method"},
		{"path without slash", "users:\n  - name: a\n    tasks:\n      - path: x\n", "starts with /"},
		{"two bodies", "users:\n  - name: a\n    tasks:\n      - path: /\n        body: x\n        json: {a: 1}\n", "one of them"},
		{"bad regex", "users:\n  - name: a\n    tasks:\n      - path: /\n        check: [{regex: \"(\"}]\n", "regex"},
		{"check of two kinds", "users:\n  - name: a\n    tasks:\n      - path: /\n        check: [{contains: a, regex: b}]\n", "one of"},
		{"capture of nothing", "users:\n  - name: a\n    tasks:\n      - path: /\n        capture: [{var: x}]\n", "capture takes one"},
		{"bad var name", "users:\n  - name: a\n    tasks:\n      - set: 1x\n        value: a\n", "variable"},
		{"set and request", "users:\n  - name: a\n    tasks:\n      - set: x\n        value: a\n        path: /\n", "not both"},
		{"bad timeout", "users:\n  - name: a\n    tasks:\n      - path: /\n        timeout: soon\n", "timeout"},
		{"bad status", "users:\n  - name: a\n    tasks:\n      - path: /\n        expect: [42]\n", "status"},
		{"unterminated template", "users:\n  - name: a\n    tasks:\n      - path: /{{x\n", "without }}"},
		{"unknown function", "users:\n  - name: a\n    tasks:\n      - path: /{{rand 1 2}}\n", "unknown function"},
		{"missing data file", "data: [{name: d, file: nope.csv}]\nusers:\n  - name: a\n    tasks:\n      - path: /\n", "nope.csv"},
		{"bad strategy", "data: [{name: d, file: testdata/products.csv, strategy: shuffle}]\nusers:\n  - name: a\n    tasks:\n      - path: /\n", "strategy"},
		{"unknown column", "data: [{name: d, file: testdata/products.csv}]\nusers:\n  - name: a\n    tasks:\n      - path: /{{d.price}}\n", "no column"},
		{"duplicate class", "users:\n  - name: a\n    tasks: [{path: /}]\n  - name: a\n    tasks: [{path: /}]\n", "name of its own"},
		{"negative weight", "users:\n  - name: a\n    weight: -1\n    tasks: [{path: /}]\n", "weight"},
		{"not yaml", "users: [\n", "scenario.yaml:"},
		{"empty step", "users:\n  - name: a\n    tasks:\n      - task: x\n", "no request"},
	}
	for _, tt := range tests {
		f, err := Decode("scenario.yaml", []byte(tt.yaml))
		if err == nil {
			_, err = Compile(f, Options{Dir: "."})
			if err != nil {
				err = Located("scenario.yaml", []byte(tt.yaml), err)
			}
		}
		var ie *input.Error
		if err == nil || !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") ||
			!strings.Contains(err.Error(), "scenario.yaml:") {
			t.Errorf("%s: %v; want one line of an input error with %q", tt.name, err, tt.want)
		}
	}
}
