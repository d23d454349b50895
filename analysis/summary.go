package analysis

import "time"

// Stats are the figures of one endpoint of a run, or of all of them
// (Name "Aggregated", Method ""), as in Locust's statistics table.
type Stats struct {
	Endpoint int    // task index; -1 for the aggregate
	Method   string // "" for the aggregate
	Name     string // path, or "Aggregated"
	Requests int64  // every request: sent or dropped (scheduled arrivals in the open model)
	Failures int64  // requests that failed, of any class (dropped and cancelled included)
	// Responses got an HTTP answer (any status); Successes a 2xx or 3xx.
	Responses, Successes int64
	Dropped              int64 // open model: never sent (every in-flight slot busy)
	Cancelled            int64 // still in flight when the run ended
	// RPS is completed responses per second and SuccessRPS successful
	// ones, by completion time, over the time the load ran (Duration).
	RPS, SuccessRPS float64
	FailPerSec      float64
	AvgBytes        float64 // over responses
	// The latencies of responses.
	Avg, Min, Max      time.Duration
	P50, P90, P95, P99 time.Duration
	P999               time.Duration
	// Of successful requests: the latency floor (FloorPercentile) and the
	// median, which the verdict's queueing test compares.
	Floor, SuccessP50 time.Duration
}

// FailRate is failures over requests, 0 when there were none.
func (s Stats) FailRate() float64 {
	if s.Requests == 0 {
		return 0
	}
	return float64(s.Failures) / float64(s.Requests)
}

// Second holds the figures of one second of a run: requests, failures,
// drops and latency percentiles (over responses) by the second in which
// each request started (was scheduled, in the open model); responses and
// successes by the second in which they completed, which is throughput.
type Second struct {
	T           int     // seconds since run start
	ActiveUsers int     // scheduled virtual users (closed model)
	TargetRate  float64 // scheduled arrival rate (open model): offered load
	Requests    int64
	Failures    int64
	Dropped     int64
	// Responses and Successes completed in this second.
	Responses, Successes int64
	P50, P95, P99        time.Duration
}

// FailureCount counts failures of one class at one endpoint.
type FailureCount struct {
	Endpoint int
	Method   string
	Name     string
	Class    string // ErrorClass.Name: "refused", "http-503", ...
	Count    int64
	Latency  time.Duration // their mean latency; 0 for dropped (never sent)
}

// Summary is the analysis of one run's samples.
type Summary struct {
	Duration  time.Duration // how long the load ran: the rates' denominator
	Endpoints []Stats       // in task order
	Total     Stats         // the Aggregated row
	Seconds   []Second
	Failures  []FailureCount // largest first
	// Lateness is the generator's own delay in the open model: from each
	// sent request's intended time to its actual send (latency − service
	// time). Near zero when the generator keeps up; latency counts from
	// the intended time all the same (no coordinated omission).
	Lateness Lateness
	// Phases is where the time went: DNS, connect, TLS, wait and read, and
	// the connections opened and reused.
	Phases PhaseStats
}

// Lateness sums up the generator's delays behind its schedule.
type Lateness struct {
	P50, P99, Max time.Duration
	Requests      int64 // the sent requests it is over; 0 in the closed model
}

// Meaningful reports whether the generator's lateness is a real share of
// the latency it measured (p50 or p99 over LateShare of the latency's and
// over LateMin): then the run measured the generator, not the server.
func (l Lateness) Meaningful(latP50, latP99 time.Duration) bool {
	big := func(late, lat time.Duration) bool {
		return late > LateMin && float64(late) > LateShare*float64(lat)
	}
	return l.Requests > 0 && (big(l.P50, latP50) || big(l.P99, latP99))
}

// Bounds of a meaningful lateness.
const (
	LateShare = 0.10
	LateMin   = 500 * time.Microsecond
)
