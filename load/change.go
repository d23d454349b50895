package load

import (
	"time"

	"exp/input"
	"exp/units"
)

// SetUsers changes a running closed-model run's users from the next whole
// second on, as Locust's "edit running test" does: the change becomes a
// stage of the schedule (users ramp to n at the spawn rate and hold until
// the planned end), so the stages the engine followed, which Stages
// returns and the store keeps, say what load ran when.
func (e *Engine) SetUsers(n int) error {
	if e.cfg.Model != Closed {
		return input.Errorf("users", "the run is in the open model: change its rate instead")
	}
	if n < 0 || n > MaxUsers {
		return input.Errorf("users", "must be from 0 to %d, got %d", MaxUsers, n)
	}
	e.schedMu.Lock()
	defer e.schedMu.Unlock()
	at := e.nextSecond()
	cur := e.userSchedule()
	if at >= cur.Duration() {
		return input.Errorf("users", "the run ends within the second: nothing to change")
	}
	e.stages = CutStages(cur, at, n)
	e.changed = true
	select {
	case e.kick <- struct{}{}:
	default:
	}
	return nil
}

// nextSecond is the next whole second of the run, at which a change
// takes effect: second 1 when the run has not started yet (a change made
// as it starts, from a page that showed it running). Call with schedMu
// held.
func (e *Engine) nextSecond() time.Duration {
	if e.started.IsZero() {
		return time.Second
	}
	return time.Since(e.started).Truncate(time.Second) + time.Second
}

// CutStages is the schedule's stages up to at, then a stage of n users
// to their end. A stage running across at ends there with the users it
// had reached (mid-ramp, not its target), so the new stage ramps from the
// users actually running.
func CutStages(s UserSchedule, at time.Duration, n int) []Stage {
	var out []Stage
	start := time.Duration(0)
	total := StagesDuration(s.Stages)
	for _, st := range s.Stages {
		if start+st.Duration <= at {
			out = append(out, st)
			start += st.Duration
			continue
		}
		if at > start {
			// Up to at, a ramp towards At(at) counts as the ramp towards
			// the stage's target did: it had not gone further.
			out = append(out, Stage{Duration: at - start, Users: s.At(at - time.Nanosecond)})
		}
		break
	}
	return append(out, Stage{Duration: total - at, Users: n})
}

// userSchedule is the schedule the closed model follows now (the
// config's, or as SetUsers changed it); call with schedMu held.
func (e *Engine) userSchedule() UserSchedule {
	s := e.cfg.UserSchedule()
	if e.stages != nil {
		s.Stages = e.stages
	}
	return s
}

// Stages are the stages the run followed when its users were changed
// while it ran (nil otherwise): what to store as its load.
func (e *Engine) Stages() []Stage {
	e.schedMu.Lock()
	defer e.schedMu.Unlock()
	if !e.changed {
		return nil
	}
	return append([]Stage(nil), e.stages...)
}

// SetRate changes a running open-model run's arrival rate from the next
// whole second on: the rate steps to r there and holds until the planned
// end. The change becomes rate stages (a step is a stage of no duration),
// which RateStages returns for the store. Arrivals before that second are
// those of the old schedule, so none is repeated or skipped.
func (e *Engine) SetRate(r float64) error {
	if e.cfg.Model != Open {
		return input.Errorf("rate", "the run is in the closed model: change its users instead")
	}
	if r != r || r < 0 || r > MaxRate {
		return input.Errorf("rate", "must be a number of requests per second from 0 to %s, got %s", units.Exact(MaxRate), units.Exact(r))
	}
	e.schedMu.Lock()
	defer e.schedMu.Unlock()
	at := e.nextSecond()
	cur := e.rateSchedule()
	if at >= cur.Duration() {
		return input.Errorf("rate", "the run ends within the second: nothing to change")
	}
	next := RateSchedule{Stages: CutRateStages(cur, at, r)}
	e.rates.Store(&next)
	e.changed = true
	return nil
}

// CutRateStages is the schedule's stages up to at (a stage running across
// at ends there at the rate it had reached), then a step to r held to the
// schedule's end. A schedule that starts at a rate (From) begins with a
// step to it, so the stages alone say the whole load.
func CutRateStages(s RateSchedule, at time.Duration, r float64) []RateStage {
	var out []RateStage
	if s.From != 0 {
		out = append(out, RateStage{Rate: s.From})
	}
	start, total := time.Duration(0), s.Duration()
	for _, st := range s.Stages {
		if start+st.Duration <= at {
			out = append(out, st)
			start += st.Duration
			continue
		}
		if at > start {
			out = append(out, RateStage{Duration: at - start, Rate: s.RateAt(at)})
		}
		break
	}
	return append(out, RateStage{Rate: r}, RateStage{Duration: total - at, Rate: r})
}

// rateSchedule is the schedule the open model follows now.
func (e *Engine) rateSchedule() RateSchedule {
	if p := e.rates.Load(); p != nil {
		return *p
	}
	return e.cfg.RateSchedule()
}

// RateStages are the rate stages the run followed when its rate was
// changed while it ran (nil otherwise): what to store as its load.
func (e *Engine) RateStages() []RateStage {
	if p := e.rates.Load(); p != nil {
		return append([]RateStage(nil), p.Stages...)
	}
	return nil
}

// LoadAt is the load the run's current schedule asks for at elapsed time
// t: users or arrivals per second, changes included.
func (e *Engine) LoadAt(t time.Duration) float64 {
	if e.cfg.Model == Open {
		return e.rateSchedule().RateAt(t)
	}
	e.schedMu.Lock()
	defer e.schedMu.Unlock()
	return e.userSchedule().Load(t)
}
