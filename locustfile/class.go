package locustfile

import (
	"fmt"
	"math"
	"time"

	"exp/scenario"
)

// member translates one statement of a class body.
func (u *userCtx) member(s stmt) error {
	r := u.t.r
	switch s := s.(type) {
	case *passStmt:
		return nil
	case *exprStmt:
		if _, ok := s.x.(*strExpr); ok {
			return nil // a docstring
		}
		return r.unsupported(s.ln, "the statement "+describe(s.x)+" in a class body",
			"a user class sets weight, host and wait_time and defines methods")
	case *assign:
		return u.attribute(s)
	case *funcDef:
		return u.method(s)
	case *classDef:
		return r.unsupported(s.ln, "a nested class ("+s.name+")", "put the @task methods in the HttpUser class itself")
	case *importStmt, *fromImport:
		return r.unsupported(s.pos(), "an import inside a class", "import at the top of the file")
	}
	return r.unsupported(s.pos(), "this statement in a class body", "a user class sets weight, host and wait_time and defines methods")
}

// attribute translates a class attribute: weight, host or wait_time.
func (u *userCtx) attribute(s *assign) error {
	r := u.t.r
	var n *nameExpr
	if len(s.targets) == 1 && s.op == "" {
		n, _ = s.targets[0].(*nameExpr)
	}
	if n == nil {
		return r.unsupported(s.ln, "this class attribute assignment", "write weight = N, host = \"...\" or wait_time = between(a, b)")
	}
	if prev, dup := u.attrs[n.id]; dup {
		return r.unsupported(s.ln, "setting "+n.id+" twice", fmt.Sprintf("line %d sets it first", prev))
	}
	u.attrs[n.id] = s.ln
	var err error
	switch n.id {
	case "weight":
		u.spec.Weight, err = u.t.positiveInt(s.value, "weight")
	case "host":
		u.host, err = u.t.plainString(s.value, "host =")
		u.hasHost = true
	case "wait_time":
		u.spec.Wait, err = u.t.waitTime(s.value)
	case "tasks":
		shape := "..."
		switch v := s.value.(type) {
		case *listExpr:
			shape = map[bool]string{false: "[...]", true: "(...)"}[v.tuple]
		case *dictExpr:
			shape = "{...}"
		}
		err = r.unsupported(s.ln, "tasks = "+shape, "decorate the task methods with @task or @task(weight) instead")
	default:
		err = r.unsupported(s.ln, "the class attribute "+n.id, "a user class sets only weight, host and wait_time")
	}
	return err
}

// positiveInt reads a whole number literal of at least 1.
func (t *translator) positiveInt(e expr, what string) (int, error) {
	n, ok := e.(*numExpr)
	if !ok || !n.num.isInt || n.num.overflow || n.num.i < 1 || n.num.i > math.MaxInt32 {
		return 0, t.r.unsupported(e.line(), what+" "+describe(e), "write a whole number of at least 1")
	}
	return int(n.num.i), nil
}

// plainString reads a string literal without f-string fields.
func (t *translator) plainString(e expr, what string) (string, error) {
	if s, ok := e.(*strExpr); ok {
		if text, ok := s.text(); ok {
			return text, nil
		}
	}
	return "", t.r.unsupported(e.line(), what+" "+describe(e), "write a plain string literal")
}

var waitFuncs = map[string]int{"between": 2, "constant": 1, "constant_pacing": 1}

// waitTime turns between/constant/constant_pacing into --wait's syntax.
func (t *translator) waitTime(e expr) (string, error) {
	c, _ := e.(*callExpr)
	var fn *nameExpr
	if c != nil {
		fn, _ = c.fn.(*nameExpr)
	}
	if fn == nil || waitFuncs[fn.id] == 0 {
		return "", t.r.unsupported(e.line(), "wait_time = "+describe(e),
			"write between(a, b), constant(s) or constant_pacing(s) with numbers of seconds")
	}
	switch {
	case !t.locust[fn.id]:
		return "", t.r.notImported(fn.ln, fn.id, "add it to `from locust import ...`")
	case len(c.kwargs) > 0:
		return "", t.r.unsupported(c.ln, "keyword arguments to "+fn.id, "pass the seconds positionally")
	case len(c.args) != waitFuncs[fn.id]:
		return "", t.r.unsupported(c.ln, fmt.Sprintf("%s with %d arguments", fn.id, len(c.args)),
			fmt.Sprintf("%s takes %d numbers of seconds", fn.id, waitFuncs[fn.id]))
	}
	secs := make([]float64, len(c.args))
	for i, a := range c.args {
		var err error
		if secs[i], err = t.seconds(a); err != nil {
			return "", err
		}
	}
	switch fn.id {
	case "between":
		lo, hi := duration(secs[0]), duration(secs[1])
		switch {
		case secs[0] > secs[1]:
			return "", t.r.unsupported(c.ln, "between(a, b) with a above b", "write the shorter wait first")
		case lo == hi:
			return lo, nil // between(1, 1) is constant(1)
		}
		return lo + "-" + hi, nil
	case "constant_pacing":
		if d := duration(secs[0]); d != "0" {
			return "pace:" + d, nil
		}
	}
	// constant_pacing(0) waits nothing, as constant(0) does; exp's pace
	// must be above zero.
	return duration(secs[0]), nil
}

// maxWait keeps a wait far inside time.Duration's range.
const maxWait = 365 * 24 * 3600

func (t *translator) seconds(e expr) (float64, error) {
	n, ok := e.(*numExpr)
	if !ok || n.num.overflow {
		return 0, t.r.unsupported(e.line(), "the wait "+describe(e), "write a number of seconds of at least 0")
	}
	v := n.num.f
	if n.num.isInt {
		v = float64(n.num.i)
	}
	if v > maxWait {
		return 0, t.r.unsupported(e.line(), "a wait over a year", "write a number of seconds up to 31536000")
	}
	return v, nil
}

// duration prints seconds as a Go duration rounded to the millisecond,
// "0" for zero.
func duration(secs float64) string {
	d := time.Duration(math.Round(secs * 1e9)).Round(time.Millisecond)
	if d == 0 {
		return "0"
	}
	return d.String()
}

// method translates a def in a user class: a task or on_start.
func (u *userCtx) method(f *funcDef) error {
	r := u.t.r
	if prev, dup := u.methods[f.name]; dup {
		return r.unsupported(f.ln, "defining "+f.name+" twice", fmt.Sprintf("line %d defines it first", prev))
	}
	u.methods[f.name] = f.ln
	if len(f.params) != 1 || f.params[0] != (param{name: "self"}) || f.returns != nil {
		return r.unsupported(f.ln, "a method with parameters besides self ("+f.name+")", "write def "+f.name+"(self):")
	}
	weight, isTask, err := u.t.taskDecorator(f)
	if err != nil {
		return err
	}
	switch {
	case f.name == "on_start" && isTask:
		return r.unsupported(f.ln, "@task on on_start", "on_start runs once per user; tasks are the other methods")
	case f.name == "on_stop":
		return r.unsupported(f.ln, "on_stop", "exp has no per-user teardown step")
	case f.name == "on_start":
		u.spec.OnStart, err = u.steps(f)
		return err
	case !isTask:
		return r.unsupported(f.ln, "the helper method "+f.name+" (a method without @task)",
			"only @task methods and on_start are read: write the helper's requests in each task")
	}
	steps, err := u.steps(f)
	if err != nil {
		return err
	}
	return u.addTask(f, weight, steps)
}

// addTask adds a task; a task of one step holds it inline, as a YAML
// task of one request does.
func (u *userCtx) addTask(f *funcDef, weight int, steps []scenario.Step) error {
	sends := false
	for _, s := range steps {
		sends = sends || s.Set == ""
	}
	if !sends {
		return u.t.r.unsupported(f.ln, "a task without a request ("+f.name+")", "a task sends at least one request with self.client")
	}
	task := scenario.TaskSpec{Name: f.name, Weight: weight}
	if len(steps) == 1 {
		task.Step = steps[0]
	} else {
		task.Steps = steps
	}
	u.spec.Tasks = append(u.spec.Tasks, task)
	return nil
}

// taskDecorator reads @task / @task(n) / @task(weight=n) and refuses
// any other decorator.
func (t *translator) taskDecorator(f *funcDef) (weight int, isTask bool, err error) {
	for _, d := range f.decorators {
		c, isCall := d.(*callExpr)
		name := d
		if isCall {
			name = c.fn
		}
		if n, ok := name.(*nameExpr); !ok || n.id != "task" {
			return 0, false, t.refuseDecorator(d)
		}
		switch {
		case isTask:
			return 0, false, t.r.unsupported(d.line(), "a second @task", "decorate a task once")
		case !t.locust["task"]:
			return 0, false, t.r.notImported(d.line(), "task", "add it to `from locust import ...`")
		}
		isTask, weight = true, 1
		if isCall {
			if weight, err = t.taskWeight(c); err != nil {
				return 0, false, err
			}
		}
	}
	return weight, isTask, nil
}

func (t *translator) taskWeight(c *callExpr) (int, error) {
	switch {
	case len(c.args) == 0 && len(c.kwargs) == 0:
		return 1, nil // @task() is @task
	case len(c.args) == 1 && len(c.kwargs) == 0:
		return t.positiveInt(c.args[0], "@task")
	case len(c.args) == 0 && len(c.kwargs) == 1 && c.kwargs[0].name == "weight":
		return t.positiveInt(c.kwargs[0].value, "@task")
	}
	return 0, t.r.unsupported(c.ln, "@task with these arguments", "write @task or @task(weight)")
}

func (t *translator) refuseDecorator(d expr) error {
	name := d
	if c, ok := d.(*callExpr); ok {
		name = c.fn
	}
	switch {
	case rootName(d) == "events":
		return t.events(d.line())
	case describe(name) == "tag":
		return t.r.unsupported(d.line(), "the decorator @tag", "exp runs every task: drop @tag or split the file")
	}
	return t.r.unsupported(d.line(), "the decorator @"+describe(name), "a method's only decorator is @task or @task(weight)")
}
