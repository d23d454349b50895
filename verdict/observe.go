package verdict

import (
	"exp/analysis"
	"time"
)

// Cell holds the figures of one cell of a plan (one run of one server
// variant at one load level) that observations are written from.
type Cell struct {
	Variant string // "" for an external target
	Users   int
	Status  string  // the run's status: completed, aborted, ...
	RPS     float64 // responses per second over the whole run, ramp included (Locust's Requests/s)
	// SuccessRPS: successful responses per second over the whole run.
	SuccessRPS float64
	// SteadyRPS: successful responses per steady second at full load
	// (SteadySeconds): the throughput the observations compare, so a
	// server answering 503 at once does not "scale".
	SteadyRPS float64
	Avg, P95  time.Duration
	Requests  int64
	Failures  int64
	TopClass  string // the most frequent failure class; "" without failures
	HasTarget bool   // the target's CPU and memory were measured
	CPUMean   float64
	CPUMax    float64          // % of one core
	RSSMax    uint64           // bytes
	Endpoints []analysis.Stats // per endpoint, for the tail
	Verdict   Kind             // the bottleneck verdict
}

// Throughput is the cell's successful throughput at full load, or over
// the whole run when it had no steady second.
func (c Cell) Throughput() float64 {
	if c.SteadyRPS > 0 {
		return c.SteadyRPS
	}
	return c.SuccessRPS
}

// Scaling says how throughput followed a rise in load, from one level to
// the next.
type Scaling int

const (
	ScaledLinearly Scaling = iota // the added load turned into throughput
	ScaledSlowly                  // part of it did
	Plateaued                     // next to none did
	Fell                          // throughput dropped
)

// Thresholds of the scaling wording: the share of the added load that
// became added throughput, (rps ratio − 1) / (users ratio − 1).
const (
	LinearShare  = 0.75 // from here on: near-linear
	PlateauShare = 0.15 // below: plateaued
	// FallRatio: throughput below this share of the level before fell;
	// a smaller dip at a plateau is the noise of a shared machine.
	FallRatio = 0.90
	// SameRPS: variants within this share of the best served "about the
	// same".
	SameRPS = 0.95
	// TailRatio: an endpoint dominates the tail when its p95 is at least
	// this many times the next slowest endpoint's.
	TailRatio = 2.0
	// SameLatency: two p95s within this ratio of each other are "about
	// the same".
	SameLatency = 1.2
)

// Step is the change of a variant's figures from one load level to the
// next.
type Step struct {
	From, To   Cell
	UsersRatio float64
	RPSRatio   float64
	Kind       Scaling
}

// NewStep compares two levels of a variant, a the lower.
func NewStep(a, b Cell) Step {
	s := Step{From: a, To: b, UsersRatio: float64(b.Users) / float64(max(a.Users, 1))}
	if a.Throughput() > 0 {
		s.RPSRatio = b.Throughput() / a.Throughput()
	}
	share := 0.0
	if s.UsersRatio > 1 {
		share = (s.RPSRatio - 1) / (s.UsersRatio - 1)
	}
	switch {
	case a.Throughput() == 0:
		s.Kind = ScaledLinearly
		if b.Throughput() == 0 {
			s.Kind = Plateaued
		}
	case s.RPSRatio < FallRatio:
		s.Kind = Fell
	case share < PlateauShare:
		s.Kind = Plateaued
	case share < LinearShare:
		s.Kind = ScaledSlowly
	default:
		s.Kind = ScaledLinearly
	}
	return s
}
