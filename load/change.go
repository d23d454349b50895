package load

import (
	"time"

	"exp/input"
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
	if e.started.IsZero() {
		return input.Errorf("users", "the run has not started")
	}
	at := time.Since(e.started).Truncate(time.Second) + time.Second
	cur := e.userSchedule()
	if at >= cur.Duration() {
		return input.Errorf("users", "the run ends within the second: nothing to change")
	}
	e.stages = CutStages(cur.Stages, at, n)
	e.changed = true
	select {
	case e.kick <- struct{}{}:
	default:
	}
	return nil
}

// CutStages is stages up to at, then a stage of n users to their end.
func CutStages(stages []Stage, at time.Duration, n int) []Stage {
	var out []Stage
	start := time.Duration(0)
	total := StagesDuration(stages)
	for _, st := range stages {
		if start+st.Duration <= at {
			out = append(out, st)
			start += st.Duration
			continue
		}
		if at > start {
			out = append(out, Stage{Duration: at - start, Users: st.Users})
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
