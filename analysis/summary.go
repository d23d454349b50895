package analysis

import "time"

// Stats are the figures of one endpoint of a run, or of all of them
// (Name "Aggregated", Method ""), as in Locust's statistics table.
type Stats struct {
	Endpoint           int    // task index; -1 for the aggregate
	Method             string // "" for the aggregate
	Name               string // path, or "Aggregated"
	Requests           int64
	Failures           int64
	RPS                float64 // requests per second over the run's duration
	FailPerSec         float64
	AvgBytes           float64
	Avg, Min, Max      time.Duration
	P50, P90, P95, P99 time.Duration
	P999               time.Duration
}

// FailRate is failures over requests, 0 when there were none.
func (s Stats) FailRate() float64 {
	if s.Requests == 0 {
		return 0
	}
	return float64(s.Failures) / float64(s.Requests)
}

// Second holds the figures of one second of a run (by the second in which
// each request started).
type Second struct {
	T             int     // seconds since run start
	ActiveUsers   int     // scheduled virtual users (closed model)
	TargetRate    float64 // scheduled arrival rate (open model)
	Requests      int64
	Failures      int64
	P50, P95, P99 time.Duration
}

// FailureCount counts failures of one class at one endpoint.
type FailureCount struct {
	Endpoint int
	Method   string
	Name     string
	Class    string // ErrorClass.Name: "refused", "http-503", ...
	Count    int64
}

// Summary is the analysis of one run's samples.
type Summary struct {
	Duration  time.Duration // the time the run actually lasted
	Endpoints []Stats       // in task order
	Total     Stats         // the Aggregated row
	Seconds   []Second
	Failures  []FailureCount // largest first
}
