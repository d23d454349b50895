package load

import (
	"exp/input"
	"exp/units"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Stage holds Users virtual users for Duration (closed model). Users are
// added or removed at the run's spawn rate at the start of the stage.
type Stage struct {
	Duration time.Duration `json:"duration_ns"`
	Users    int           `json:"users"`
}

// RateStage ramps the arrival rate linearly from the previous stage's rate
// (0 before the first) to Rate over Duration, like k6's
// ramping-arrival-rate. A stage of no duration is a step: the rate is
// Rate from there on ("0s:100,30s:100" holds 100/s from the start).
type RateStage struct {
	Duration time.Duration `json:"duration_ns"`
	Rate     float64       `json:"rate"`
}

// ParseStages parses "30s:10,30s:50,30s:100".
func ParseStages(s string) ([]Stage, error) {
	var out []Stage
	err := parseStageList(s, "stages", "30s:10,30s:50", false, func(d time.Duration, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return fmt.Errorf("user count %q is not a whole number ≥ 0", v)
		}
		out = append(out, Stage{Duration: d, Users: n})
		return nil
	})
	if err == nil && StagesPeak(out) == 0 {
		err = input.Errorf("stages", "%q: every stage has 0 users", s)
	}
	return out, err
}

// ParseRateStages parses "30s:100,30s:200" (requests per second).
func ParseRateStages(s string) ([]RateStage, error) {
	var out []RateStage
	var peak float64
	err := parseStageList(s, "rate-stages", "30s:100,30s:200", true, func(d time.Duration, v string) error {
		r, err := strconv.ParseFloat(v, 64)
		if err != nil || r < 0 || r != r || r > MaxRate {
			return fmt.Errorf("rate %q is not a number of requests per second ≥ 0", v)
		}
		peak = max(peak, r)
		out = append(out, RateStage{Duration: d, Rate: r})
		return nil
	})
	switch {
	case err != nil:
	case peak == 0:
		err = input.Errorf("rate-stages", "%q: every stage has rate 0", s)
	case RateStagesDuration(out) == 0:
		err = input.Errorf("rate-stages", "%q: every stage lasts 0s: the run would send nothing", s)
	}
	return out, err
}

// parseStageList calls add for each duration:value of s; a duration of
// 0s is a step where zeroOK.
func parseStageList(s, field, example string, zeroOK bool, add func(time.Duration, string) error) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return input.Errorf(field, "is empty: want duration:value,... such as %s", example)
	}
	for _, item := range strings.Split(s, ",") {
		ds, v, ok := strings.Cut(strings.TrimSpace(item), ":")
		if !ok {
			return input.Errorf(field, "%q: stage %q is not duration:value (such as %s)", s, item, example)
		}
		d, err := time.ParseDuration(strings.TrimSpace(ds))
		if err != nil || d < 0 || d == 0 && !zeroOK {
			return input.Errorf(field, "%q: stage %q: %q is not a positive duration", s, item, ds)
		}
		if err := add(d, strings.TrimSpace(v)); err != nil {
			return input.Errorf(field, "%q: stage %q: %w", s, item, err)
		}
	}
	return nil
}

// StagesDuration is the sum of the stages' durations.
func StagesDuration(st []Stage) time.Duration {
	var d time.Duration
	for _, s := range st {
		d += s.Duration
	}
	return d
}

// StagesPeak is the largest user count of the stages.
func StagesPeak(st []Stage) int {
	n := 0
	for _, s := range st {
		n = max(n, s.Users)
	}
	return n
}

// RateStagesDuration is the sum of the stages' durations.
func RateStagesDuration(st []RateStage) time.Duration {
	var d time.Duration
	for _, s := range st {
		d += s.Duration
	}
	return d
}

// FormatStages is the inverse of ParseStages.
func FormatStages(st []Stage) string {
	parts := make([]string, len(st))
	for i, s := range st {
		parts[i] = s.Duration.String() + ":" + strconv.Itoa(s.Users)
	}
	return strings.Join(parts, ",")
}

// FormatRateStages is the inverse of ParseRateStages.
func FormatRateStages(st []RateStage) string {
	parts := make([]string, len(st))
	for i, s := range st {
		parts[i] = s.Duration.String() + ":" + units.Exact(s.Rate)
	}
	return strings.Join(parts, ",")
}
