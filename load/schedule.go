package load

import (
	"math"
	"time"
)

// Schedule is the shape of a run's load, a pure function of elapsed time
// (vegeta's Pacer shape), so it is tested without a clock and can be
// recomputed from a stored run. UserSchedule and RateSchedule are the two.
type Schedule interface {
	// Duration is the schedule's total length.
	Duration() time.Duration
	// Load is what the schedule asks for at elapsed time t: active users
	// (closed model) or arrivals per second (open model); 0 past its end.
	Load(t time.Duration) float64
}

// Schedule gives the config's schedule: a RateSchedule for the open
// model, a UserSchedule for the closed one.
func (c *RunConfig) Schedule() Schedule {
	if c.Model == Open {
		return c.RateSchedule()
	}
	return c.UserSchedule()
}

// UserSchedule is the closed model's pace: how many virtual users should be
// active at each elapsed time. It is a pure function of elapsed time, so it
// is tested without a clock and can be recomputed from a stored run.
type UserSchedule struct {
	Stages    []Stage
	SpawnRate float64 // users added or removed per second
}

// UserSchedule gives the user schedule of a closed-model config: its
// stages, or one stage of Users for Duration.
func (c *RunConfig) UserSchedule() UserSchedule {
	st := c.Stages
	if len(st) == 0 {
		st = []Stage{{Duration: c.Duration, Users: c.Users}}
	}
	return UserSchedule{Stages: st, SpawnRate: c.SpawnRate}
}

// Duration is the schedule's total length.
func (s UserSchedule) Duration() time.Duration { return StagesDuration(s.Stages) }

// Load is At as a Schedule gives it.
func (s UserSchedule) Load(t time.Duration) float64 { return float64(s.At(t)) }

// At returns the users that should be active at elapsed time t. At the
// start of a stage the count moves from the previous stage's (0 before the
// first) towards the stage's, one user at once and then one every
// 1/SpawnRate seconds.
func (s UserSchedule) At(t time.Duration) int {
	start, prev := time.Duration(0), 0
	for _, st := range s.Stages {
		if t < start+st.Duration {
			return s.ramp(prev, st.Users, t-start)
		}
		start += st.Duration
		prev = st.Users
	}
	return 0
}

// ramp is the user count dt into a stage moving from prev to target.
func (s UserSchedule) ramp(prev, target int, dt time.Duration) int {
	steps := int(math.Floor(dt.Seconds()*s.SpawnRate)) + 1
	if target > prev {
		return min(target, prev+steps)
	}
	return max(target, prev-steps)
}

// Next returns the first time after t at which At may change, or the
// schedule's end.
func (s UserSchedule) Next(t time.Duration) time.Duration {
	start, prev := time.Duration(0), 0
	for _, st := range s.Stages {
		end := start + st.Duration
		if t < end {
			if s.ramp(prev, st.Users, t-start) != st.Users {
				k := math.Floor((t-start).Seconds()*s.SpawnRate) + 1
				next := start + time.Duration(k/s.SpawnRate*float64(time.Second))
				if next <= t {
					next = t + time.Nanosecond
				}
				return min(next, end)
			}
			return end
		}
		start, prev = end, st.Users
	}
	return start
}

// RateSchedule is the open model's pace: the arrival rate over time, and
// the intended send time of each request.
type RateSchedule struct {
	Stages []RateStage
	// From is the rate at time 0 (the first stage ramps from it).
	From float64
}

// RateSchedule gives the arrival schedule of an open-model config: its rate
// stages ramping from 0, or a constant Rate for Duration.
func (c *RunConfig) RateSchedule() RateSchedule {
	if len(c.RateStages) > 0 {
		return RateSchedule{Stages: c.RateStages}
	}
	return RateSchedule{Stages: []RateStage{{Duration: c.Duration, Rate: c.Rate}}, From: c.Rate}
}

// Duration is the schedule's total length.
func (r RateSchedule) Duration() time.Duration { return RateStagesDuration(r.Stages) }

// Load is RateAt as a Schedule gives it.
func (r RateSchedule) Load(t time.Duration) float64 { return r.RateAt(t) }

// RateAt is the scheduled arrival rate (requests/s) at time t.
func (r RateSchedule) RateAt(t time.Duration) float64 {
	start, from := time.Duration(0), r.From
	for _, st := range r.Stages {
		if t < start+st.Duration {
			f := float64(t-start) / float64(st.Duration)
			return from + (st.Rate-from)*f
		}
		start += st.Duration
		from = st.Rate
	}
	return 0
}

// TimeOf returns the time at which the cumulative number of arrivals
// reaches h (the integral of the rate from 0), and false when the schedule
// ends first. Uniform arrivals ask for h = 0, 1, 2, ...; Poisson arrivals
// add exponential steps to h, which gives an exact non-homogeneous Poisson
// process.
func (r RateSchedule) TimeOf(h float64) (time.Duration, bool) {
	start, from := time.Duration(0), r.From
	for _, st := range r.Stages {
		d := st.Duration.Seconds()
		area := (from + st.Rate) / 2 * d
		if h < area {
			return start + seconds(solveRamp(from, st.Rate, d, h)), true
		}
		h -= area
		start += st.Duration
		from = st.Rate
	}
	return start, false
}

// solveRamp returns τ in [0, d] with a·τ + (b−a)·τ²/(2d) = h: the time at
// which a rate ramping from a to b over d seconds has produced h arrivals.
func solveRamp(a, b, d, h float64) float64 {
	if h <= 0 {
		return 0
	}
	k := (b - a) / d
	if math.Abs(k) < 1e-12 {
		return h / a
	}
	// Numerically stable root of k/2·τ² + a·τ − h = 0.
	disc := a*a + 2*k*h
	if disc < 0 {
		disc = 0
	}
	return 2 * h / (a + math.Sqrt(disc))
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
