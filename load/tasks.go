package load

import (
	"exp/input"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Task is one weighted request of the task mix, like a Locust @task.
type Task struct {
	Method string `json:"method"`
	Path   string `json:"path"` // path and query, e.g. "/io?ms=200"
	Weight int    `json:"weight"`
}

// DefaultTasks is the classic mix: the three endpoints of the target,
// equally weighted.
const DefaultTasks = "/health:1,/io:1,/cpu:1"

// ParseTasks parses a task mix "[METHOD ]/path[:weight],..." such as
// "/health:1,/io?ms=50:2". The weight follows the last colon and defaults
// to 1. Paths must start with "/".
func ParseTasks(s string) ([]Task, error) {
	tasks, err := parseTasks(s)
	return tasks, input.Wrap("tasks", err)
}

func parseTasks(s string) ([]Task, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, fmt.Errorf("is empty: want path:weight,... such as %q", DefaultTasks)
	}
	var tasks []Task
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		t := Task{Method: "GET", Weight: 1}
		if m, rest, ok := strings.Cut(item, " "); ok {
			t.Method, item = strings.ToUpper(m), strings.TrimSpace(rest)
			if !validMethod(t.Method) {
				return nil, fmt.Errorf("%q: unknown method %q", item, m)
			}
		}
		if i := strings.LastIndexByte(item, ':'); i >= 0 {
			w, err := strconv.Atoi(item[i+1:])
			if err != nil {
				return nil, fmt.Errorf("%q: weight %q is not a whole number", item, item[i+1:])
			}
			if w <= 0 {
				return nil, fmt.Errorf("%q: weight must be at least 1, got %d", item, w)
			}
			t.Weight, item = w, item[:i]
		}
		if !strings.HasPrefix(item, "/") {
			return nil, fmt.Errorf("%q: path must start with /", item)
		}
		// A space would split the request line; other bytes outside
		// visible ASCII are not valid in a request target either.
		if i := strings.IndexFunc(item, func(r rune) bool { return r <= ' ' || r >= 0x7f }); i >= 0 {
			return nil, fmt.Errorf("%q: path has %q at byte %d: percent-encode it", item, []rune(item[i:])[0], i)
		}
		if _, err := url.ParseRequestURI(item); err != nil {
			return nil, fmt.Errorf("%q: bad path: %v", item, err)
		}
		t.Path = item
		tasks = append(tasks, t)
	}
	if len(tasks) > 65535 {
		return nil, fmt.Errorf("has %d tasks, at most 65535", len(tasks))
	}
	return tasks, nil
}

func validMethod(m string) bool {
	switch m {
	case "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS":
		return true
	}
	return false
}

// FormatTasks is the inverse of ParseTasks.
func FormatTasks(tasks []Task) string {
	parts := make([]string, len(tasks))
	for i, t := range tasks {
		p := t.Path + ":" + strconv.Itoa(t.Weight)
		if t.Method != "GET" && t.Method != "" {
			p = t.Method + " " + p
		}
		parts[i] = p
	}
	return strings.Join(parts, ",")
}

// picker chooses a task index by weight from a random number, with no
// allocation: a cumulative table searched linearly (mixes are short).
type picker struct {
	cum   []uint32
	total uint32
}

func newPicker(tasks []Task) picker {
	p := picker{cum: make([]uint32, len(tasks))}
	for i, t := range tasks {
		p.total += uint32(t.Weight)
		p.cum[i] = p.total
	}
	return p
}

// pick maps r (uniform over uint32) to a task index.
func (p picker) pick(r uint32) int {
	x := uint32(uint64(r) * uint64(p.total) >> 32)
	for i, c := range p.cum {
		if x < c {
			return i
		}
	}
	return len(p.cum) - 1
}
