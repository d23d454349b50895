package scenario

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Scenario is a File compiled: templates parsed, variables numbered,
// data files read, endpoints keyed by method and display name. The engine
// runs it; nothing in it is parsed again per request.
type Scenario struct {
	Host      string
	Classes   []Class
	Endpoints []Endpoint // every request's (method, name), in order of first use
	Vars      []string   // variable names by index
	Feeders   []*Feeder
	File      *File // as written
}

// Endpoint is what the figures group requests by.
type Endpoint struct{ Method, Name string }

// Class is a compiled user class.
type Class struct {
	Name    string
	Weight  int
	Wait    string // --wait syntax, checked by Options.CheckWait
	OnStart Flow
	Tasks   []Flow
}

// Flow is a task (or on_start): its steps in order and the data files it
// takes a row of when it starts.
type Flow struct {
	Name   string
	Weight int
	Steps  []CStep
	Data   []int
}

// CStep is a compiled step: a variable set (Req nil) or a request.
type CStep struct {
	Set   int // variable index; -1 with a request
	Value Template
	Req   *Req
}

// Req is a compiled request.
type Req struct {
	Method      string
	Endpoint    int // index in Scenario.Endpoints
	Step        int // index of the step in its flow
	Path        Template
	Query       []Param
	Headers     []Param
	Body        Template
	BodyBytes   []byte // body_file
	ContentType string
	Timeout     time.Duration // 0: the run's
	Expect      []int         // empty: 2xx and 3xx
	Checks      []check
	Captures    []capture
}

// Param is a header or query parameter: a name and a template value.
type Param struct {
	Name  string
	Value Template
}

// Options are what Compile needs from its caller.
type Options struct {
	Dir       string             // data and body files are relative to it
	CheckWait func(string) error // validates a class's wait (load.ParseWait)
}

// PathError is a compile error at a place of the file, a YAML path such as
// users[0].tasks[1].path; Load turns it into a line.
type PathError struct {
	Path string
	Err  error
}

func (e *PathError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *PathError) Unwrap() error { return e.Err }

func at(path string, format string, args ...any) error {
	return &PathError{Path: path, Err: fmt.Errorf(format, args...)}
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Compile checks f and compiles it.
func Compile(f *File, opt Options) (*Scenario, error) {
	if len(f.Users) == 0 {
		return nil, at("users", "is empty: a scenario needs a user class")
	}
	sc := &Scenario{Host: f.Host, File: f}
	names := &Names{Vars: map[string]int{}, Data: map[string]dataNames{}}
	if err := sc.compileData(f, opt, names); err != nil {
		return nil, err
	}
	if err := collectVars(f, names); err != nil {
		return nil, err
	}
	sc.Vars = make([]string, len(names.Vars))
	for n, i := range names.Vars {
		sc.Vars[i] = n
	}
	c := compiler{sc: sc, names: names, opt: opt, endpoints: map[Endpoint]int{}}
	seen := map[string]bool{}
	for i, u := range f.Users {
		p := fmt.Sprintf("users[%d]", i)
		if u.Name == "" || seen[u.Name] {
			return nil, at(p+".name", "%q: each user class needs a name of its own", u.Name)
		}
		seen[u.Name] = true
		cl, err := c.compileClass(i, u)
		if err != nil {
			return nil, err
		}
		sc.Classes = append(sc.Classes, cl)
	}
	return sc, nil
}

func (sc *Scenario) compileData(f *File, opt Options, names *Names) error {
	for i, d := range f.Data {
		p := fmt.Sprintf("data[%d]", i)
		if !identRE.MatchString(d.Name) || d.Name == "user" {
			return at(p+".name", "%q: want a name of letters, digits and _ (not user)", d.Name)
		}
		if _, dup := names.Data[d.Name]; dup {
			return at(p+".name", "%q: two data files of one name", d.Name)
		}
		switch d.Strategy {
		case "", Queue, Circular, Random, PerUser:
		default:
			return at(p+".strategy", "%q: want queue, circular, random or user", d.Strategy)
		}
		if d.OnEnd != "" && (d.Strategy != Queue || (d.OnEnd != "stop" && d.OnEnd != "fail")) {
			return at(p+".on_end", "%q: on_end is for a queue: stop or fail", d.OnEnd)
		}
		path := d.File
		if !filepath.IsAbs(path) {
			path = filepath.Join(opt.Dir, path)
		}
		fd, err := loadFeeder(d, path)
		if err != nil {
			return at(p+".file", "%v", err)
		}
		cols := map[string]int{}
		for j, c := range fd.Columns {
			cols[strings.TrimSpace(c)] = j
		}
		names.Data[d.Name] = dataNames{index: len(sc.Feeders), cols: cols}
		sc.Feeders = append(sc.Feeders, fd)
	}
	return nil
}

// collectVars numbers every variable a step sets or a capture fills.
func collectVars(f *File, names *Names) error {
	add := func(p, v string) error {
		if !identRE.MatchString(v) || v == "user" || slices.Contains([]string{"randint", "randstr", "choice"}, v) {
			return at(p, "%q: a variable is a name of letters, digits and _ (not user, randint, randstr, choice)", v)
		}
		if _, ok := names.Vars[v]; !ok {
			names.Vars[v] = len(names.Vars)
		}
		return nil
	}
	for i, u := range f.Users {
		for j, fl := range userFlows(u) {
			for k, st := range fl {
				p := stepPath(i, u, j, k)
				if st.Set != "" {
					if err := add(p+".set", st.Set); err != nil {
						return err
					}
				}
				for m, c := range st.Capture {
					if err := add(fmt.Sprintf("%s.capture[%d].var", p, m), c.Var); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

// userFlows are a class's flows as steps: on_start first, then each task.
func userFlows(u UserSpec) [][]Step {
	out := [][]Step{u.OnStart}
	for _, t := range u.Tasks {
		out = append(out, taskSteps(t))
	}
	return out
}

// stepPath is the YAML path of step k of flow j (of userFlows) of user
// class i.
func stepPath(i int, u UserSpec, j, k int) string {
	switch {
	case j == 0:
		return fmt.Sprintf("users[%d].on_start[%d]", i, k)
	case len(u.Tasks[j-1].Steps) == 0:
		return fmt.Sprintf("users[%d].tasks[%d]", i, j-1) // its single inline step
	}
	return fmt.Sprintf("users[%d].tasks[%d].steps[%d]", i, j-1, k)
}

func taskSteps(t TaskSpec) []Step {
	if len(t.Steps) > 0 {
		return t.Steps
	}
	return []Step{t.Step}
}

var errNoSteps = errors.New("has no request and no steps")

// readFile reads a body file relative to dir.
func readFile(dir, name string) ([]byte, error) {
	if !filepath.IsAbs(name) {
		name = filepath.Join(dir, name)
	}
	return os.ReadFile(name)
}
