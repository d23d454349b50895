// Package locustfile reads a Locust locustfile (Python) written within the
// subset most locustfiles stay within, so that `exp run --locustfile`
// runs an existing Locust plan without Python.
//
// What enters is a locustfile's bytes and its path (Parse). What leaves is
// the *scenario.File a YAML scenario file would give (the caller compiles
// it as it compiles YAML), or an *input.Error of field "locustfile" whose
// message is one line:
//
//	FILE:LINE: CONSTRUCT is not supported by exp's locustfile reader (HINT)
//
// FILE is the path as given and LINE the 1-based line of the construct.
// Text that is not Python gives "FILE:LINE: syntax error: ...", and a
// name used without its import "FILE:LINE: NAME is used but not imported
// (...)". Nothing outside the subset is skipped: the first such
// construct, in file order (syntax first, as the file is parsed whole
// before it is translated), is the error.
//
// The file is read by a real, small Python front end: a tokenizer with
// INDENT and DEDENT (lex.go, literals.go), a recursive-descent parser
// building a tiny tree (parse*.go, ast.go) and a translation of that tree
// (translate.go, class.go, steps.go, value.go).
//
// # The subset
//
// Module level: `from locust import ...` of HttpUser, task, between,
// constant and constant_pacing (any of them, in any order, parenthesized
// or not); `import random`; classes; comments, blank lines and
// docstrings. A name must be imported before it is used.
//
// `class NAME(HttpUser):` is a scenario.UserSpec named NAME. Its body
// may set
//
//	weight = N                  UserSpec.Weight; left 0 (the default, 1) when absent
//	host = "http://..."         File.Host, from the first class that sets it
//	wait_time = between(a, b)   Wait "A-B" (between(0.5, 2) is "500ms-2s")
//	wait_time = constant(s)     Wait "S" ("1s", "250ms", "0")
//	wait_time = constant_pacing(s)  Wait "pace:S" ("pace:1s"; pacing 0 is "0")
//
// with seconds as number literals, printed as Go durations rounded to the
// millisecond. Methods take only self:
//
//	@task / @task(n) / @task(weight=n)  a TaskSpec named after the method, Weight 1 or n
//	def on_start(self):                 UserSpec.OnStart
//
// A task of one step holds it inline (TaskSpec.Step), as a YAML task of
// one request does; a longer task lists TaskSpec.Steps.
//
// Statements of a method, in order, are its steps:
//
//	self.client.get(PATH, name=, json=, data=, headers=, params=)
//	    a request (also post, put, delete, patch, head, options), as a
//	    statement or assigned to a local: resp = self.client.post(...).
//	    PATH is text (below) starting with "/"; name= a plain string;
//	    json= a literal of dicts, lists, tuples, numbers (int64 when
//	    whole, float64 otherwise), text, True, False and None; data=
//	    text (Body); headers= and params= dict literals of plain string
//	    keys and text values (Headers, Query).
//	self.X = resp.json()["a"]["b"][0]   Capture{Var: X, JSON: "a.b.0"}
//	self.X = resp.headers["Name"]       Capture{Var: X, Header: "Name"}
//	self.X = resp.cookies["name"]       Capture{Var: X, Cookie: "name"}
//	    added to the request whose response resp holds, which must be
//	    the method's latest request; x = ... (a local) works the same.
//	x = random.randint(A, B)            Step{Set: x, Value: "{{randint A B}}"}
//	x = random.choice(["a", "b"])       Step{Set: x, Value: "{{choice a b}}"}
//	x = TEXT                            Step{Set: x, Value: TEXT as a template}
//	pass                                nothing
//
// Locals and self attributes are one namespace of per-user scenario
// variables, so a local may not share a self attribute's name, and the
// names user, randint, randstr and choice (template words) are refused.
//
// Text (a path, a header or query value, a JSON string, a value) is a
// string literal (both quote styles, triple quotes, r"raw", Python's
// escapes); an f-string whose fields are {name} or {self.name}; + of
// those, of names and of self.names; str(x); a bare name or self.name
// (each becomes {{name}}); or an integer literal (its decimal text). A
// name must be a local set earlier in the same method, or a self
// attribute that some method of the class sets. A literal "{{" is
// refused: the scenario would read it as a template.
//
// Among what is refused, each by name: FastHttpUser and any base but
// HttpUser, self.client.request, for and while loops, if, try, with
// (catch_response=True blocks), imports other than the two above,
// lambda, functions outside a class, helper methods and on_stop, methods
// with parameters besides self, client keyword arguments other than the
// five above, @tag and other decorators, events hooks, wait_time other
// than the three functions, tasks = [...] or {...}, a class without
// @task, a file without an HttpUser class.
package locustfile
