package lab

import (
	"time"

	"exp/analysis"
	"exp/load"
)

// EventKind says what happened in a running run.
type EventKind int

const (
	// RunStarted: the target is up and the run stored; Text says what
	// runs against what ("built-in target, variant pooled, at ...; closed
	// model, 10 users, ...").
	RunStarted EventKind = iota
	// Progressed: the live figures, every ProgressEvery.
	Progressed
	// ProgressEnded: the load stopped; no Progressed follows.
	ProgressEnded
	// Warned: a warning was raised (and stored with the run).
	Warned
	// TargetExited: the target process exited mid-run; Err says how.
	TargetExited
	// StoreFailed: a resource reading could not be stored; Err says why.
	StoreFailed
	// CellStarted: a plan begins a cell; Text says which and how far the
	// plan is.
	CellStarted
	// CellFinished: a cell's run ended; Cell holds its figures.
	CellFinished
	// PlanNotice: a plan has something to say (a cell failed, the plan was
	// interrupted); Err says what. The plan goes on unless interrupted.
	PlanNotice
	// PlanStarted: a plan is stored and its cells are about to run; Text
	// is its name.
	PlanStarted
)

// ProgressEvery is how often a running run reports its live figures.
const ProgressEvery = 2 * time.Second

// Progress is the live state of a run.
type Progress struct {
	Elapsed, Total time.Duration
	Active         int    // users (closed model) or requests in flight (open)
	ActiveLabel    string // "users" or "in flight"
	Window         load.Window
}

// Event is one thing that happened while a run or a plan went; the fields
// that do not belong to its Kind are zero.
type Event struct {
	Kind EventKind
	// Control changes the load of the run while it goes (RunStarted only;
	// nil for other kinds).
	Control  *Control
	Run      string // the run's name
	Text     string
	Progress Progress
	Warning  analysis.Warning
	Err      error
	Cell     CellResult
}

// CellResult is a finished cell of a plan, for its progress line.
type CellResult struct {
	Cell, Of int
	Label    string // "pooled at 50 users"
	Outcome  Outcome
}

// emit sends e to the lab's listener, if any.
func (l *Lab) emit(e Event) {
	if l.Events != nil {
		l.Events(e)
	}
}

// Control changes a running run's load, as Locust's "edit running test"
// does; the change is kept in the run as a stage.
type Control struct{ e *load.Engine }

// SetUsers sets a closed-model run's users from the next whole second on.
func (c *Control) SetUsers(n int) error { return c.e.SetUsers(n) }

// SetRate sets an open-model run's arrival rate from the next whole second on.
func (c *Control) SetRate(r float64) error { return c.e.SetRate(r) }

// LoadAt is the users or arrival rate the run's schedule asks for at
// elapsed time t, changes included.
func (c *Control) LoadAt(t time.Duration) float64 { return c.e.LoadAt(t) }
