package locustfile

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"exp/input"
	"exp/scenario"
)

func get(path string) scenario.Request { return scenario.Request{Method: "GET", Path: path} }

func TestParseFixtures(t *testing.T) {
	auth := map[string]string{"Authorization": "Bearer {{token}}"}
	tests := []struct {
		file string
		want *scenario.File
	}{
		{"seed_locustfile.py", &scenario.File{Users: []scenario.UserSpec{{
			Name: "SeedUser", Wait: "100ms-500ms",
			Tasks: []scenario.TaskSpec{
				{Name: "health", Weight: 1, Step: scenario.Step{Request: get("/health")}},
				{Name: "io", Weight: 1, Step: scenario.Step{Request: get("/io")}},
				{Name: "cpu", Weight: 1, Step: scenario.Step{Request: get("/cpu")}},
			},
		}}}},
		{"shop_locustfile.py", &scenario.File{Host: "http://127.0.0.1:8000", Users: []scenario.UserSpec{
			{
				Name: "Shopper", Wait: "500ms-2s",
				OnStart: []scenario.Step{{Request: scenario.Request{
					Method: "POST", Path: "/api/login",
					JSON:    map[string]any{"user": "alice", "password": "s3cret"},
					Capture: []scenario.Capture{{Var: "token", JSON: "token"}},
				}}},
				Tasks: []scenario.TaskSpec{
					{Name: "browse", Weight: 10, Step: scenario.Step{Request: scenario.Request{
						Method: "GET", Path: "/api/products?page=1", Headers: auth}}},
					{Name: "product", Weight: 5, Steps: []scenario.Step{
						{Set: "pid", Value: "{{randint 1 100}}"},
						{Request: scenario.Request{Method: "GET", Path: "/api/products/{{pid}}",
							Name: "/api/products/[id]", Headers: auth}},
					}},
					{Name: "checkout", Weight: 1, Step: scenario.Step{Request: scenario.Request{
						Method: "POST", Path: "/api/cart", Headers: auth,
						JSON: map[string]any{"product": int64(7), "qty": int64(1)}}}},
				},
			},
			{
				Name: "Visitor", Weight: 3, Wait: "pace:1s",
				Tasks: []scenario.TaskSpec{{Name: "home", Weight: 1, Step: scenario.Step{Request: get("/")}}},
			},
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got, err := Parse(tt.file, src)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse:\n got %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

// oneTask wraps a method body in a class of one task and returns what
// the task became.
func oneTask(t *testing.T, body string) scenario.TaskSpec {
	t.Helper()
	src := "import random\nfrom locust import (HttpUser,\n    task)\n\nclass U(HttpUser):\n" +
		"    def on_start(self):\n        self.token = 'T'\n        self.sid = 'S'\n\n" +
		"    @task\n    def t(self):\n" + body
	f, err := Parse("t.py", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, src)
	}
	return f.Users[0].Tasks[0]
}

func TestParseForms(t *testing.T) {
	req := func(r scenario.Request) scenario.Step { return scenario.Step{Request: r} }
	tests := []struct {
		name, body string
		want       []scenario.Step
	}{
		{"escapes and quotes",
			"        self.client.get('/a\\tb', headers={\"X\": r'\\d', 'Y': \"\\u00e9\\\"\"})\n",
			[]scenario.Step{req(scenario.Request{Method: "GET", Path: "/a\tb", Headers: map[string]string{"X": `\d`, "Y": "é\""}})}},
		{"f-string with self and concatenation",
			"        self.client.put(f'/s/{self.sid}/' + 'x' 'y', data=\"\"\"{\"a\": 1}\"\"\")\n",
			[]scenario.Step{req(scenario.Request{Method: "PUT", Path: "/s/{{sid}}/xy", Body: `{"a": 1}`})}},
		{"json nested, params ints, str()",
			"        n = random.choice(['a', 'b', 3])\n        self.client.patch('/p', params={'page': 2, 'q': str(n)},\n" +
				"            json={'l': [1.5, -2, None, True, (False,)], 'd': {'k': self.token}})\n",
			[]scenario.Step{{Set: "n", Value: "{{choice a b 3}}"}, req(scenario.Request{Method: "PATCH", Path: "/p",
				Query: map[string]string{"page": "2", "q": "{{n}}"},
				JSON:  map[string]any{"l": []any{1.5, int64(-2), nil, true, []any{false}}, "d": map[string]any{"k": "{{token}}"}}})}},
		{"captures of json, header and cookie",
			"        \"\"\"Doc.\"\"\"\n        r = self.client.post('/login')\n        tok = r.json()['data']['items'][0]\n" +
				"        self.csrf = r.headers['X-CSRF']\n        self.c = r.cookies['sess']; pass\n        self.client.delete('/x/' + tok + self.csrf + str(self.c))\n",
			[]scenario.Step{req(scenario.Request{Method: "POST", Path: "/login", Capture: []scenario.Capture{
				{Var: "tok", JSON: "data.items.0"}, {Var: "csrf", Header: "X-CSRF"}, {Var: "c", Cookie: "sess"}}}),
				req(scenario.Request{Method: "DELETE", Path: "/x/{{tok}}{{csrf}}{{c}}"})}},
		{"set values and head/options",
			"        a = 'lit'\n        b = f'{a}-{self.token}'\n        c = 42\n        self.client.head('/' + b)\n        self.client.options('/' + str(c))\n",
			[]scenario.Step{{Set: "a", Value: "lit"}, {Set: "b", Value: "{{a}}-{{token}}"}, {Set: "c", Value: "42"},
				req(scenario.Request{Method: "HEAD", Path: "/{{b}}"}), req(scenario.Request{Method: "OPTIONS", Path: "/{{c}}"})}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task := oneTask(t, tt.body)
			got := task.Steps
			if len(got) == 0 {
				got = []scenario.Step{task.Step}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("steps:\n got %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestParseWait(t *testing.T) {
	for expr, want := range map[string]string{
		"between(0.1, 0.5)": "100ms-500ms", "between(0.5, 2)": "500ms-2s", "between(1, 1)": "1s",
		"constant(1)": "1s", "constant(0.25)": "250ms", "constant(0)": "0", "constant_pacing(1)": "pace:1s",
		"constant_pacing(0)": "0", "between(0, 90)": "0-1m30s", "constant(0.0004)": "0",
	} {
		src := "from locust import HttpUser, task, between, constant, constant_pacing\nclass U(HttpUser):\n" +
			"    wait_time = " + expr + "\n    @task\n    def t(self): self.client.get('/')\n"
		f, err := Parse("w.py", []byte(src))
		if err != nil {
			t.Errorf("%s: %v", expr, err)
		} else if got := f.Users[0].Wait; got != want {
			t.Errorf("%s: Wait %q, want %q", expr, got, want)
		}
	}
}

const head = "from locust import HttpUser, task\n\nclass U(HttpUser):\n    @task\n    def t(self):\n"

// refusal is a locustfile outside the subset and the start of its error.
type refusal struct {
	name, src string
	line      int
	want      string // in the message
}

func refusals() []refusal {
	return []refusal{
		{"FastHttpUser", "from locust import FastHttpUser, task\n", 1, "FastHttpUser is not supported"},
		{"fasthttp module", "from locust.contrib.fasthttp import FastHttpUser\n", 1, "FastHttpUser is not supported"},
		{"other base", "from locust import task\nfrom locust import HttpUser\n\nclass U(User):\n    pass\n", 4, "the base class User is not supported"},
		{"client.request", head + "        self.client.request('GET', '/')\n", 6, "self.client.request(...) is not supported"},
		{"for", head + "        for i in range(3):\n            self.client.get('/')\n", 6, "a for loop is not supported"},
		{"while", head + "        while True:\n            pass\n", 6, "a while loop is not supported"},
		{"if", head + "        self.client.get('/')\n        if x:\n            pass\n", 7, "an if statement is not supported"},
		{"try", head + "        try:\n            pass\n        except Exception:\n            pass\n", 6, "a try statement is not supported"},
		{"with", head + "        with self.client.get('/', catch_response=True) as r:\n            pass\n", 6, "a with statement is not supported"},
		{"import requests", "import random\nimport requests\n", 2, "import requests is not supported"},
		{"lambda", "from locust import HttpUser, task\nclass U(HttpUser):\n    wait_time = lambda self: 1\n", 3, "lambda is not supported"},
		{"def outside class", "from locust import HttpUser\n\ndef helper():\n    pass\n", 3, "a function outside a class (def helper) is not supported"},
		{"method params", "from locust import HttpUser, task\nclass U(HttpUser):\n    @task\n    def t(self, n):\n        pass\n", 4, "a method with parameters besides self (t) is not supported"},
		{"cookies=", head + "        self.client.get('/',\n            cookies={'a': 'b'})\n", 7, "the keyword argument cookies= of self.client.get is not supported"},
		{"catch_response=", head + "        self.client.post('/', catch_response=True)\n", 6, "the keyword argument catch_response= of self.client.post"},
		{"@tag", "from locust import HttpUser, task, tag\n", 1, "@tag (imported from locust) is not supported"},
		{"other locust import", "from locust import HttpUser, run_single_user\n", 1, "importing run_single_user from locust is not supported"},
		{"@tag decorator", "from locust import HttpUser, task\nclass U(HttpUser):\n    @tag('a')\n    @task\n    def t(self): pass\n", 3, "the decorator @tag is not supported"},
		{"events import", "from locust import HttpUser, events\n", 1, "a locust events hook is not supported"},
		{"events decorator", "import random\n\n@events.test_start.add_listener\ndef on_test_start(environment, **kw):\n    pass\n", 3, "a locust events hook is not supported"},
		{"wait_time function", "from locust import HttpUser, task\nclass U(HttpUser):\n    wait_time = my_function\n", 3, "wait_time = my_function is not supported"},
		{"tasks list", "from locust import HttpUser\nclass U(HttpUser):\n    tasks = [a, b]\n", 3, "tasks = [...] is not supported"},
		{"tasks dict", "from locust import HttpUser\nclass U(HttpUser):\n    tasks = {a: 1}\n", 3, "tasks = {...} is not supported"},
		{"no task", "from locust import HttpUser\n\nclass U(HttpUser):\n    def on_start(self):\n        self.client.get('/')\n", 3, "a user class without @task methods (U) is not supported"},
		{"no user class", "# nothing\nimport random\n", 1, "a locustfile without an HttpUser class is not supported"},
		{"unterminated string", head + "        self.client.get('/x)\n", 6, "syntax error: unterminated string literal"},
		{"unterminated triple", "'''doc\n\nmore\n", 1, "syntax error: unterminated string literal"},
		{"bad dedent", head + "        self.client.get('/')\n      self.client.get('/')\n", 7, "syntax error: unindent does not match"},
		{"unexpected indent", "import random\n    import random\n", 2, "syntax error: unexpected indent"},
		{"unclosed paren", head + "        self.client.get('/',\n", 6, "syntax error: '(' is never closed"},
		{"helper method", "from locust import HttpUser, task\nclass U(HttpUser):\n    def login(self):\n        pass\n", 3, "the helper method login"},
		{"on_stop", "from locust import HttpUser, task\nclass U(HttpUser):\n    def on_stop(self):\n        pass\n", 3, "on_stop is not supported"},
		{"unset self", head + "        self.client.get('/', headers={'A': 'Bearer ' + self.token})\n", 6, "using self.token, which no method of U sets, is not supported"},
		{"unset local", head + "        self.client.get(f'/p/{pid}')\n        pid = '1'\n", 6, "using pid before it is set"},
		{"literal braces", head + "        self.client.get('/{{x}}')\n", 6, `a literal "{{" in a string is not supported`},
		{"stale response", head + "        r = self.client.get('/a')\n        self.client.get('/b')\n        self.x = r.json()['id']\n", 8, "reading r after a later request"},
		{"response text", head + "        r = self.client.get('/a')\n        self.x = r.text\n", 7, "reading r.text is not supported"},
		{"not imported", "from locust import task\nclass U(HttpUser):\n    pass\n", 2, "HttpUser is used but not imported"},
		{"reserved var", head + "        user = 'bob'\n        self.client.get('/' + user)\n", 6, "a variable named user is not supported"},
		{"relative path", head + "        self.client.get('health')\n", 6, "a path that does not start with / is not supported"},
		{"format spec", head + "        x = '1'\n        self.client.get(f'/{x:>3}')\n", 7, "a conversion or format spec in the f-string field"},
		{"bytes", head + "        self.client.post('/', data=b'raw')\n", 6, "a bytes literal is not supported"},
		{"time.sleep", "import time\n", 1, "import time is not supported"},
		{"print", head + "        print('hi')\n", 6, "calling print is not supported"},
		{"number in concatenation", head + "        c = 42\n        self.client.get('/' + c)\n", 7, "adding the int c to a string is not supported"},
		{"number literal in concatenation", head + "        self.client.get('/' + 5)\n", 6, "adding a number to a string is not supported"},
		{"random.uniform", "import random\n" + head + "        x = random.uniform(1, 2)\n", 7, "random.uniform is not supported"},
		{"f-string expression", head + "        self.client.get(f'/{1 + 2}')\n", 6, "the f-string field {1 + 2} is not supported"},
		{"set literal", head + "        self.client.post('/', json={1, 2})\n", 6, "a set literal is not supported"},
		{"data dict", head + "        self.client.post('/', data={'a': 'b'})\n", 6, "data= with a dict (a form body) is not supported"},
		{"local beside self", "from locust import HttpUser, task\nclass U(HttpUser):\n    def on_start(self):\n        self.x = 'a'\n    @task\n    def t(self):\n        x = 'b'\n", 7, "a local variable x beside self.x"},
		{"augmented", head + "        self.n += 1\n", 6, "the augmented assignment += is not supported"},
		{"tabs", "from locust import HttpUser, task\nclass U(HttpUser):\n\t@task\n        def t(self):\n\t    pass\n", 4, "inconsistent use of tabs and spaces"},
	}
}

func TestParseRefusals(t *testing.T) {
	for _, tt := range refusals() {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("bad.py", []byte(tt.src))
			if err == nil {
				t.Fatalf("Parse accepted it: %+v", f)
			}
			msg := checkError(t, "bad.py", err)
			prefix := "bad.py:" + strconv.Itoa(tt.line) + ": "
			if !strings.HasPrefix(msg, prefix) || !strings.Contains(msg, tt.want) {
				t.Errorf("error %q\nwant prefix %q and %q", msg, prefix, tt.want)
			}
		})
	}
}

// checkError checks that err is a one-line *input.Error of field
// locustfile whose message starts with the path, and returns the message.
func checkError(t testing.TB, path string, err error) string {
	t.Helper()
	var e *input.Error
	if !errors.As(err, &e) || e.Field != "locustfile" {
		t.Fatalf("error %v (%T) is not an *input.Error of field locustfile", err, err)
	}
	msg := e.Err.Error()
	if strings.ContainsAny(err.Error(), "\n\r") || !strings.HasPrefix(msg, path+":") {
		t.Fatalf("error %q is not one line starting with %q", msg, path+":")
	}
	return msg
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"seed_locustfile.py", "shop_locustfile.py"} {
		src, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	for _, s := range []string{head + "        self.client.get('/x)\n", head + "        for i in x:\n",
		"class U(HttpUser):\n\tpass\n  pass\n", "x = (((((1\n", "f'{'", "'\\N{DASH}'", "1e999 0x 08 1_",
		head + "        r = self.client.get(f'/{{{a}}}', json={'a': [1, -2.5, None]})\n        self.x = r.json()[0]\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file, err := Parse("fuzz.py", src)
		if err != nil {
			checkError(t, "fuzz.py", err)
			return
		}
		if file == nil || len(file.Users) == 0 {
			t.Fatalf("Parse gave %+v and no error", file)
		}
	})
}
