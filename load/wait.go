package load

import (
	"exp/input"
	"fmt"
	"strings"
	"time"
)

// Wait is a virtual user's think time between requests, as Locust's
// wait_time: between(min, max), constant(d), or constant_pacing(d).
type Wait struct {
	Min, Max time.Duration
	// Pacing makes Min the period of a user's iterations: the wait is what
	// is left of it after the request (Locust's constant_pacing).
	Pacing bool
}

// DefaultWait is the classic think time, uniform between 100 and 500 ms.
const DefaultWait = "100ms-500ms"

// ParseWait parses "0" (no wait), "200ms" (constant), "100ms-500ms"
// (uniform between) or "pace:1s" (constant pacing).
func ParseWait(s string) (Wait, error) {
	w, err := parseWait(s)
	return w, input.Wrap("wait", err)
}

func parseWait(s string) (Wait, error) {
	s = strings.TrimSpace(s)
	if s == "0" || s == "" {
		return Wait{}, nil
	}
	if p, ok := strings.CutPrefix(s, "pace:"); ok {
		d, err := parsePositive(p)
		if err != nil {
			return Wait{}, fmt.Errorf("%q: %w", s, err)
		}
		return Wait{Min: d, Max: d, Pacing: true}, nil
	}
	lo, hi, between := strings.Cut(s, "-")
	a, err := parseNonNegative(lo)
	if err != nil {
		return Wait{}, fmt.Errorf("%q: %w (want 0, 200ms, 100ms-500ms or pace:1s)", s, err)
	}
	if !between {
		return Wait{Min: a, Max: a}, nil
	}
	b, err := parseNonNegative(hi)
	if err != nil {
		return Wait{}, fmt.Errorf("%q: %w (want 0, 200ms, 100ms-500ms or pace:1s)", s, err)
	}
	if b < a {
		return Wait{}, fmt.Errorf("%q: maximum %v is below minimum %v", s, b, a)
	}
	return Wait{Min: a, Max: b}, nil
}

// String is the inverse of ParseWait.
func (w Wait) String() string {
	switch {
	case w.Pacing:
		return "pace:" + w.Min.String()
	case w.Min == 0 && w.Max == 0:
		return "0"
	case w.Min == w.Max:
		return w.Min.String()
	}
	return w.Min.String() + "-" + w.Max.String()
}

// next returns the wait after a request that took elapsed, given r uniform
// over uint32.
func (w Wait) next(r uint32, elapsed time.Duration) time.Duration {
	d := w.Min
	if w.Max > w.Min {
		d += time.Duration(uint64(r) * uint64(w.Max-w.Min) >> 32)
	}
	if w.Pacing {
		d -= elapsed
		if d < 0 {
			d = 0
		}
	}
	return d
}

func parseNonNegative(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "0" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration such as 200ms", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("%q is negative", s)
	}
	return d, nil
}

func parsePositive(s string) (time.Duration, error) {
	d, err := parseNonNegative(s)
	if err == nil && d == 0 {
		err = fmt.Errorf("%q must be above zero", s)
	}
	return d, err
}
