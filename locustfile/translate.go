package locustfile

import (
	"fmt"

	"exp/scenario"
)

// Parse reads a locustfile and returns the scenario it describes, or a
// one-line *input.Error naming path, the line and what is outside the
// subset (see the package documentation).
func Parse(path string, src []byte) (*scenario.File, error) {
	r := reporter{path: path}
	toks, err := lex(string(src), r)
	if err != nil {
		return nil, err
	}
	mod, err := parse(toks, r)
	if err != nil {
		return nil, err
	}
	return translate(mod, r)
}

// translator walks the module in order, so a name must be imported
// before a class uses it, as when Python runs the file.
type translator struct {
	r       reporter
	locust  map[string]bool // names imported from locust
	random  bool            // import random
	classes map[string]int  // class name → line, to refuse a second definition
	hostSet bool
	file    *scenario.File
}

const importHint = "a locustfile imports only `from locust import HttpUser, task, between, constant, constant_pacing` and `import random`"

// locustNames are the names the subset imports from locust.
var locustNames = map[string]bool{"HttpUser": true, "task": true, "between": true,
	"constant": true, "constant_pacing": true}

// knownImports name what a refused import from locust is for.
var knownImports = map[string][2]string{
	"tag":                 {"@tag (imported from locust)", "exp runs every task: drop @tag, or split the file"},
	"TaskSet":             {"TaskSet", "put the @task methods in the HttpUser class itself"},
	"SequentialTaskSet":   {"SequentialTaskSet", "write the sequence as the steps of one @task method"},
	"User":                {"User (a user without HttpUser's client)", "subclass HttpUser"},
	"constant_throughput": {"constant_throughput", "write constant_pacing(S) with S = 1/N seconds instead of constant_throughput(N)"},
	"LoadTestShape":       {"LoadTestShape", "give exp's run its users and rate stages on the command line"},
}

func translate(mod []stmt, r reporter) (*scenario.File, error) {
	t := &translator{r: r, locust: map[string]bool{}, classes: map[string]int{}, file: &scenario.File{}}
	for _, s := range mod {
		if err := t.topLevel(s); err != nil {
			return nil, err
		}
	}
	if len(t.file.Users) == 0 {
		return nil, r.unsupported(1, "a locustfile without an HttpUser class",
			"define class NAME(HttpUser) with @task methods")
	}
	return t.file, nil
}

func (t *translator) topLevel(s stmt) error {
	switch s := s.(type) {
	case *fromImport:
		return t.fromImport(s)
	case *importStmt:
		return t.importStmt(s)
	case *classDef:
		return t.class(s)
	case *passStmt:
		return nil
	case *funcDef:
		for _, d := range s.decorators {
			if rootName(d) == "events" {
				return t.events(d.line())
			}
		}
		return t.r.unsupported(s.ln, "a function outside a class (def "+s.name+")",
			"put the requests in @task methods of an HttpUser class")
	case *exprStmt:
		if _, ok := s.x.(*strExpr); ok {
			return nil // a docstring
		}
		if rootName(s.x) == "events" {
			return t.events(s.ln)
		}
		return t.r.unsupported(s.ln, "the module-level statement "+describe(s.x),
			"a locustfile holds imports and HttpUser classes")
	case *assign:
		return t.r.unsupported(s.ln, "a module-level assignment", "write the values inline in the class")
	}
	return t.r.unsupported(s.pos(), "this statement", "a locustfile holds imports and HttpUser classes")
}

func (t *translator) events(line int) error {
	return t.r.unsupported(line, "a locust events hook",
		"exp has no event hooks: test_start, test_stop, request and init listeners are not run")
}

func (t *translator) fastHTTP(line int) error {
	return t.r.unsupported(line, "FastHttpUser",
		"subclass HttpUser: exp sends the requests with its own client either way")
}

func (t *translator) fromImport(s *fromImport) error {
	for _, a := range s.names {
		if a.name == "FastHttpUser" {
			return t.fastHTTP(a.ln)
		}
	}
	switch {
	case s.module != "locust":
		return t.r.unsupported(s.ln, "from "+s.module+" import", importHint)
	case s.star:
		return t.r.unsupported(s.ln, "from locust import *", "name the imports: "+importHint)
	}
	for _, a := range s.names {
		switch {
		case a.name == "events":
			return t.events(a.ln)
		case knownImports[a.name][0] != "":
			return t.r.unsupported(a.ln, knownImports[a.name][0], knownImports[a.name][1])
		case !locustNames[a.name]:
			return t.r.unsupported(a.ln, "importing "+a.name+" from locust", importHint)
		case a.as != "":
			return t.r.unsupported(a.ln, "import ... as", "import the names as they are")
		}
		t.locust[a.name] = true
	}
	return nil
}

func (t *translator) importStmt(s *importStmt) error {
	for _, a := range s.names {
		switch {
		case a.name == "random" && a.as == "":
			t.random = true
		case a.name == "random":
			return t.r.unsupported(a.ln, "import random as "+a.as, "write import random")
		case a.name == "requests":
			return t.r.unsupported(a.ln, "import requests",
				"exp sends the requests itself: use self.client in @task methods")
		default:
			return t.r.unsupported(a.ln, "import "+a.name, importHint)
		}
	}
	return nil
}

// userCtx is the state of one class while it is translated.
type userCtx struct {
	t        *translator
	spec     scenario.UserSpec
	self     map[string]bool // attributes some method of the class sets on self
	selfInts map[string]bool // attributes last set to an int, in file order
	attrs    map[string]int  // class attributes set so far, by line
	methods  map[string]int  // methods defined so far, by line
	host     string
	hasHost  bool
}

func (t *translator) class(c *classDef) error {
	if err := t.checkBase(c); err != nil {
		return err
	}
	if len(c.decorators) > 0 {
		return t.r.unsupported(c.decorators[0].line(), "a class decorator", "write the class without decorators")
	}
	if prev, dup := t.classes[c.name]; dup {
		return t.r.unsupported(c.ln, "defining class "+c.name+" twice", fmt.Sprintf("line %d defines it first", prev))
	}
	t.classes[c.name] = c.ln
	u := &userCtx{t: t, spec: scenario.UserSpec{Name: c.name}, self: selfAttrs(c.body),
		attrs: map[string]int{}, methods: map[string]int{}, selfInts: map[string]bool{}}
	for _, s := range c.body {
		if err := u.member(s); err != nil {
			return err
		}
	}
	if len(u.spec.Tasks) == 0 {
		return t.r.unsupported(c.ln, "a user class without @task methods ("+c.name+")",
			"decorate the methods that send requests with @task")
	}
	if u.hasHost && !t.hostSet {
		t.file.Host, t.hostSet = u.host, true
	}
	t.file.Users = append(t.file.Users, u.spec)
	return nil
}

func (t *translator) checkBase(c *classDef) error {
	switch {
	case len(c.keywords) > 0:
		return t.r.unsupported(c.ln, "class keyword arguments ("+c.keywords[0].name+"=)", "write class NAME(HttpUser):")
	case len(c.bases) == 0:
		return t.r.unsupported(c.ln, "a class without the HttpUser base ("+c.name+")",
			"every class is a user class: write class "+c.name+"(HttpUser):")
	case len(c.bases) > 1:
		return t.r.unsupported(c.ln, "a class with several base classes", "write class "+c.name+"(HttpUser):")
	}
	n, ok := c.bases[0].(*nameExpr)
	switch {
	case ok && n.id == "HttpUser" && t.locust["HttpUser"]:
		return nil
	case ok && n.id == "HttpUser":
		return t.r.notImported(n.ln, "HttpUser", "add it to `from locust import ...`")
	case ok && n.id == "FastHttpUser":
		return t.fastHTTP(n.ln)
	}
	return t.r.unsupported(c.ln, "the base class "+describe(c.bases[0]),
		"a user class subclasses HttpUser itself; User, TaskSet and classes of your own are not read")
}

// selfAttrs lists the attributes the methods of a class set on self, so
// that a task may use a value that on_start captured.
func selfAttrs(body []stmt) map[string]bool {
	out := map[string]bool{}
	for _, s := range body {
		f, ok := s.(*funcDef)
		if !ok {
			continue
		}
		for _, st := range f.body {
			if a, ok := st.(*assign); ok && len(a.targets) == 1 {
				if name, ok := selfAttr(a.targets[0]); ok {
					out[name] = true
				}
			}
		}
	}
	return out
}

// selfAttr tells whether e is self.NAME.
func selfAttr(e expr) (string, bool) {
	a, ok := e.(*attrExpr)
	if !ok {
		return "", false
	}
	if n, ok := a.x.(*nameExpr); ok && n.id == "self" {
		return a.name, true
	}
	return "", false
}

// rootName is the name an attribute or call chain starts from: events
// for events.test_start.add_listener(...).
func rootName(e expr) string {
	for {
		switch x := e.(type) {
		case *nameExpr:
			return x.id
		case *attrExpr:
			e = x.x
		case *callExpr:
			e = x.fn
		case *indexExpr:
			e = x.x
		default:
			return ""
		}
	}
}
