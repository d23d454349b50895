package scenario

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// ParseTemplate never panics; a template it accepts renders, and one of
// literal text renders as itself.
func FuzzParseTemplate(f *testing.F) {
	for _, s := range []string{"/a/{{x}}", "{{randint 1 9}}-{{randstr 4}}", "{{d.id}}", "{{", "}}{{}}", "{{choice a b}}", "{{user}}"} {
		f.Add(s)
	}
	names := &Names{Vars: map[string]int{"x": 0}, Data: map[string]dataNames{"d": {index: 0, cols: map[string]int{"id": 0}}}}
	f.Fuzz(func(t *testing.T, s string) {
		tpl, err := ParseTemplate(s, names)
		if err != nil {
			return
		}
		st := &State{Vars: []string{"v"}, Rows: [][]string{{"7"}}, Rand: rand.New(rand.NewPCG(1, 1))}
		out := string(tpl.Append(nil, st))
		if tpl.Constant() && out != s {
			t.Fatalf("%q is literal but renders %q", s, out)
		}
	})
}

// Decode and Compile never panic, and an error is one line naming the
// file.
func FuzzScenario(f *testing.F) {
	f.Add("users:\n  - name: a\n    tasks:\n      - path: /\n")
	f.Add("users:\n  - name: a\n    on_start: [{method: POST, path: /l, json: {a: 1}, capture: [{var: t, json: t}]}]\n    tasks: [{path: \"/{{t}}\"}]\n")
	f.Add("users: [\n")
	f.Add("data: [{name: d, file: x.csv}]\n")
	f.Fuzz(func(t *testing.T, src string) {
		fl, err := Decode("f.yaml", []byte(src))
		if err == nil {
			_, err = Compile(fl, Options{Dir: t.TempDir()})
			if err != nil {
				err = Located("f.yaml", []byte(src), err)
			}
		}
		if err != nil && (strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "f.yaml")) {
			t.Fatalf("error %q: want one line naming f.yaml", err)
		}
	})
}
