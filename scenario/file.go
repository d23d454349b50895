package scenario

// File is a scenario as its author wrote it: decoded from YAML (Load) or
// translated from a locustfile (package locustfile). Compile checks it
// and turns it into the Scenario the engine runs. Its YAML form is the
// documented format (README, "Scenarios"); Marshal prints it.
type File struct {
	// Host is the base URL the scenario was written for; --url overrides
	// it (as --host overrides a locustfile's host in Locust).
	Host  string     `yaml:"host,omitempty" json:"host,omitempty"`
	Data  []DataSpec `yaml:"data,omitempty" json:"data,omitempty"`
	Users []UserSpec `yaml:"users" json:"users"`
}

// DataSpec is a CSV file of test data (a header row names the columns),
// used in templates as {{NAME.COLUMN}}. A user takes a row at the start
// of every task (and of on_start) that uses the data, by Strategy:
//   - queue: each row once across all users; when none is left, OnEnd
//     says what happens: "stop" (the user stops: default) or "fail" (the
//     task's requests fail, class data);
//   - circular: the rows in order, again from the first;
//   - random: a row at random each time;
//   - user: a fixed row per user (user index modulo the rows).
type DataSpec struct {
	Name     string `yaml:"name" json:"name"`
	File     string `yaml:"file" json:"file"` // relative to the scenario file
	Strategy string `yaml:"strategy,omitempty" json:"strategy,omitempty"`
	OnEnd    string `yaml:"on_end,omitempty" json:"on_end,omitempty"`
}

// UserSpec is a user class, like one of Locust's HttpUser classes.
type UserSpec struct {
	Name   string `yaml:"name" json:"name"`
	Weight int    `yaml:"weight,omitempty" json:"weight,omitempty"` // share of the users; default 1
	// Wait is the think time after each task, in --wait's syntax: "0",
	// "1s" (constant), "500ms-2s" (uniform between: Locust's between),
	// "pace:1s" (a task every second: Locust's constant_pacing).
	// Default "0".
	Wait    string     `yaml:"wait,omitempty" json:"wait,omitempty"`
	OnStart []Step     `yaml:"on_start,omitempty" json:"on_start,omitempty"` // once, when the user starts
	Tasks   []TaskSpec `yaml:"tasks" json:"tasks"`
}

// TaskSpec is a weighted task: one request (written inline) or a
// sequence of steps. Its own name is the key task (name, inline, is the
// request's display name).
type TaskSpec struct {
	Name   string `yaml:"task,omitempty" json:"task,omitempty"`
	Weight int    `yaml:"weight,omitempty" json:"weight,omitempty"` // default 1
	Steps  []Step `yaml:"steps,omitempty" json:"steps,omitempty"`
	// Step is the task's single step when Steps is empty.
	Step `yaml:",inline" json:",inline"`
}

// Step is one request, or one variable set from a template (Set and
// Value, no request).
type Step struct {
	Set     string `yaml:"set,omitempty" json:"set,omitempty"`     // a per-user variable to set ...
	Value   string `yaml:"value,omitempty" json:"value,omitempty"` // ... to this template
	Request `yaml:",inline" json:",inline"`
}

// Request is one HTTP request. Path, header values, Body and the strings
// of JSON are templates: literal text with {{...}} in it (see Template).
type Request struct {
	Method   string            `yaml:"method,omitempty" json:"method,omitempty"` // default GET
	Path     string            `yaml:"path,omitempty" json:"path,omitempty"`     // path and query, from the base URL
	Query    map[string]string `yaml:"query,omitempty" json:"query,omitempty"`   // added to the path's query, keys sorted
	Name     string            `yaml:"name,omitempty" json:"name,omitempty"`     // groups the endpoint in the figures; default the path
	Headers  map[string]string `yaml:"headers,omitempty" json:"headers,omitempty"`
	Body     string            `yaml:"body,omitempty" json:"body,omitempty"`           // raw text
	BodyFile string            `yaml:"body_file,omitempty" json:"body_file,omitempty"` // a file's bytes, as is (no templates)
	JSON     any               `yaml:"json,omitempty" json:"json,omitempty"`           // sent as JSON, Content-Type application/json
	Timeout  string            `yaml:"timeout,omitempty" json:"timeout,omitempty"`     // default --timeout
	// Expect lists the statuses that count as success; default any 2xx or
	// 3xx. Another status fails as http-NNN.
	Expect  []int     `yaml:"expect,omitempty" json:"expect,omitempty"`
	Check   []Check   `yaml:"check,omitempty" json:"check,omitempty"`
	Capture []Capture `yaml:"capture,omitempty" json:"capture,omitempty"`
}

// Check is a condition on a response's body; one that does not hold makes
// the request a failure of class check. One of its fields is set.
type Check struct {
	Contains string `yaml:"contains,omitempty" json:"contains,omitempty"` // the body contains this text
	Regex    string `yaml:"regex,omitempty" json:"regex,omitempty"`       // the body matches
	JSON     string `yaml:"json,omitempty" json:"json,omitempty"`         // a JSON path (a.b.0.c) that exists ...
	Equals   string `yaml:"equals,omitempty" json:"equals,omitempty"`     // ... and, when given, whose value prints as this
}

// Capture takes a value from a response into the user's variable Var.
// One of JSON, Regex, Header, Cookie is set. A capture that finds nothing
// fails the request (class check) and leaves the variable as it was.
type Capture struct {
	Var    string `yaml:"var" json:"var"`
	JSON   string `yaml:"json,omitempty" json:"json,omitempty"`     // a JSON path: token, data.items.0.id
	Regex  string `yaml:"regex,omitempty" json:"regex,omitempty"`   // the first group of the first match in the body (the whole match without a group)
	Header string `yaml:"header,omitempty" json:"header,omitempty"` // a response header
	Cookie string `yaml:"cookie,omitempty" json:"cookie,omitempty"` // a cookie the response set
}
