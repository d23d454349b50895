package analysis

import (
	"exp/input"
	"exp/units"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Threshold is a pass/fail criterion on a run's figures, like k6's:
// "p95<300ms", "fail_rate<1%", "rps>100", "/io:p99<400ms".
type Threshold struct {
	Text     string
	Endpoint string  // path; "" for the aggregate
	Metric   string  // avg min max p50 p90 p95 p99 p99.9 fail_rate rps requests failures
	Op       string  // < <= > >=
	Value    float64 // ms for latencies, a fraction for fail_rate, a count or rate otherwise
}

var latencyMetrics = map[string]func(Stats) time.Duration{
	"avg": func(s Stats) time.Duration { return s.Avg }, "min": func(s Stats) time.Duration { return s.Min },
	"max": func(s Stats) time.Duration { return s.Max }, "med": func(s Stats) time.Duration { return s.P50 },
	"p50": func(s Stats) time.Duration { return s.P50 }, "p90": func(s Stats) time.Duration { return s.P90 },
	"p95": func(s Stats) time.Duration { return s.P95 }, "p99": func(s Stats) time.Duration { return s.P99 },
	"p99.9": func(s Stats) time.Duration { return s.P999 },
}

var countMetrics = map[string]func(Stats) float64{
	"rps": func(s Stats) float64 { return s.RPS }, "success_rps": func(s Stats) float64 { return s.SuccessRPS },
	"requests": func(s Stats) float64 { return float64(s.Requests) },
	"failures": func(s Stats) float64 { return float64(s.Failures) }, "fail_rate": Stats.FailRate,
}

// ParseThreshold parses one criterion; errors say what was expected.
func ParseThreshold(s string) (Threshold, error) {
	t, err := parseThreshold(s)
	return t, input.Wrap("threshold", err)
}

func parseThreshold(s string) (Threshold, error) {
	t := Threshold{Text: strings.TrimSpace(s)}
	i := strings.IndexAny(t.Text, "<>")
	if i < 0 {
		return t, fmt.Errorf("%q: no comparison; want e.g. 'p95<300ms', 'fail_rate<1%%', 'rps>100', '/io:p99<400ms'", s)
	}
	left, right := strings.TrimSpace(t.Text[:i]), t.Text[i:]
	t.Op = right[:1]
	if strings.HasPrefix(right[1:], "=") {
		t.Op += "="
	}
	value := strings.TrimSpace(right[len(t.Op):])
	t.Metric = left
	if j := strings.LastIndexByte(left, ':'); j >= 0 {
		t.Endpoint, t.Metric = strings.TrimSpace(left[:j]), strings.TrimSpace(left[j+1:])
		if !strings.HasPrefix(t.Endpoint, "/") {
			return t, fmt.Errorf("%q: endpoint %q must be a path starting with /", s, t.Endpoint)
		}
	}
	t.Metric = strings.ToLower(t.Metric)
	var err error
	switch {
	case latencyMetrics[t.Metric] != nil:
		t.Value, err = parseMillis(value)
	case t.Metric == "fail_rate":
		t.Value, err = parseFraction(value)
	case countMetrics[t.Metric] != nil:
		t.Value, err = strconv.ParseFloat(value, 64)
		if err == nil && !finite(t.Value) {
			err = fmt.Errorf("must be a number ≥ 0")
		}
	default:
		return t, fmt.Errorf("%q: unknown metric %q (avg, min, max, med, p50, p90, p95, p99, p99.9, fail_rate, rps, success_rps, requests, failures)", s, t.Metric)
	}
	if err != nil {
		return t, fmt.Errorf("%q: value %q: %v", s, value, err)
	}
	return t, nil
}

// finite reports whether f is a usable threshold value: not negative,
// not NaN, not infinite.
func finite(f float64) bool { return f >= 0 && !math.IsInf(f, 1) }

func parseMillis(v string) (float64, error) {
	if f, err := strconv.ParseFloat(v, 64); err == nil && finite(f) {
		return f, nil // a bare number is milliseconds
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("want a duration such as 300ms")
	}
	return units.Millis(d), nil
}

func parseFraction(v string) (float64, error) {
	pct := strings.HasSuffix(v, "%")
	f, err := strconv.ParseFloat(strings.TrimSuffix(v, "%"), 64)
	if err != nil || !finite(f) {
		return 0, fmt.Errorf("want a rate such as 1%% or 0.01")
	}
	if pct {
		f /= 100
	}
	if f > 1 {
		return 0, fmt.Errorf("a failure rate cannot exceed 100%%")
	}
	return f, nil
}

// CheckAll checks each threshold of ts against s.
func CheckAll(ts []Threshold, s Summary) []ThresholdResult {
	out := make([]ThresholdResult, len(ts))
	for i, t := range ts {
		out[i] = t.Check(s)
	}
	return out
}

// ThresholdResult is a threshold checked against a run.
type ThresholdResult struct {
	Threshold
	Measured float64 // in the threshold's unit
	Passed   bool
	Missing  bool // the endpoint did not occur in the run
}

// Check evaluates t against a run's summary.
func (t Threshold) Check(s Summary) ThresholdResult {
	r := ThresholdResult{Threshold: t}
	st, ok := s.Total, true
	if t.Endpoint != "" {
		ok = false
		for _, e := range s.Endpoints {
			if e.Name == t.Endpoint {
				st, ok = e, true
			}
		}
	}
	if !ok {
		r.Missing = true
		return r
	}
	if f := latencyMetrics[t.Metric]; f != nil {
		r.Measured = units.Millis(f(st))
	} else {
		r.Measured = countMetrics[t.Metric](st)
	}
	switch t.Op {
	case "<":
		r.Passed = r.Measured < t.Value
	case "<=":
		r.Passed = r.Measured <= t.Value
	case ">":
		r.Passed = r.Measured > t.Value
	case ">=":
		r.Passed = r.Measured >= t.Value
	}
	return r
}

// ParseThresholds parses criteria (field "threshold").
func ParseThresholds(ss []string) ([]Threshold, error) {
	var out []Threshold
	for _, s := range ss {
		t, err := ParseThreshold(s)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}
