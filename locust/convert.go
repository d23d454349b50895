package locust

import (
	"exp/analysis"
	"exp/load"
	"exp/units"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Import is what exp makes of a Locust run's files.
type Import struct {
	Tasks   []load.Task // one per endpoint row, in file order, weight 1
	Summary analysis.Summary
	Ladders map[int]Ladder // by endpoint index; -1 for the Aggregated row
	Started time.Time      // the first history row; zero without a history
	Users   int            // the highest user count of the history
}

// statsOf reads a stats row as exp's figures. Locust times every request,
// failures included, and does not tell answered failures from others: an
// import counts every request as answered and the ones that did not fail
// as successes, and takes the fastest request as the latency floor.
func statsOf(r StatsRow, endpoint int) analysis.Stats {
	return analysis.Stats{Endpoint: endpoint, Method: r.Type, Name: r.Name, Requests: r.Requests,
		Failures: r.Failures, Responses: r.Requests, Successes: r.Requests - r.Failures,
		RPS: r.RPS, SuccessRPS: max(r.RPS-r.FailPerSec, 0), FailPerSec: r.FailPerSec, AvgBytes: r.AvgSize,
		Avg: units.FromMillis(r.Avg), Min: units.FromMillis(r.Min), Max: units.FromMillis(r.Max), P50: units.FromMillis(r.Median), P90: units.FromMillis(r.Pct[4]),
		P95: units.FromMillis(r.Pct[5]), P99: units.FromMillis(r.Pct[7]), P999: units.FromMillis(r.Pct[8]),
		Floor: units.FromMillis(r.Min), SuccessP50: units.FromMillis(r.Median)}
}

// ToSummary turns Locust's rows into a run's summary: the stats rows give
// the endpoints and the Aggregated row, the history's running totals the
// requests and failures of each second, the failures file the failure
// classes. hist and fails may be empty.
func ToSummary(stats []StatsRow, hist []HistoryRow, fails []FailureRow) (Import, error) {
	im := Import{Ladders: map[int]Ladder{}}
	var total *StatsRow
	for i := range stats {
		r := stats[i]
		if r.Name == Aggregated && r.Type == "" {
			total = &stats[i]
			continue
		}
		n := len(im.Tasks)
		im.Tasks = append(im.Tasks, load.Task{Method: r.Type, Path: r.Name, Weight: 1})
		im.Summary.Endpoints = append(im.Summary.Endpoints, statsOf(r, n))
		im.Ladders[n] = r.Pct
	}
	if total == nil {
		return im, fmt.Errorf("no Aggregated row in the stats file")
	}
	if len(im.Tasks) == 0 {
		return im, fmt.Errorf("no endpoint rows in the stats file")
	}
	im.Summary.Total = statsOf(*total, -1)
	im.Summary.Total.Name = Aggregated
	im.Ladders[-1] = total.Pct
	agg := aggregatedRows(hist)
	if len(agg) > 0 {
		im.Started = time.Unix(agg[0].Timestamp, 0)
	}
	im.Summary.Seconds, im.Users = seconds(agg)
	im.Summary.Duration = duration(*total, agg)
	im.Summary.Failures = failureCounts(fails, im.Summary.Endpoints)
	return im, nil
}

func aggregatedRows(hist []HistoryRow) []HistoryRow {
	var out []HistoryRow
	for _, h := range hist {
		if h.Name == Aggregated && h.Type == "" {
			out = append(out, h)
		}
	}
	return out
}

// duration is how long Locust measured: its Requests/s is the request
// count over that time; the history's span without a rate.
func duration(total StatsRow, agg []HistoryRow) time.Duration {
	if total.RPS > 0 && total.Requests > 0 {
		return time.Duration(float64(total.Requests) / total.RPS * float64(time.Second))
	}
	if len(agg) > 1 {
		return time.Duration(agg[len(agg)-1].Timestamp-agg[0].Timestamp) * time.Second
	}
	return 0
}

// seconds turns the history's running totals into per-second counts. A
// row at time ts holds what completed up to ts, so its increase is the
// second before it. Percentiles are the row's window figures.
func seconds(agg []HistoryRow) ([]analysis.Second, int) {
	if len(agg) == 0 {
		return nil, 0
	}
	by := map[int]*analysis.Second{}
	last, users := 0, 0
	var prevReq, prevFail int64
	for _, h := range agg {
		t := max(int(h.Timestamp-agg[0].Timestamp)-1, 0)
		s := by[t]
		if s == nil {
			s = &analysis.Second{T: t}
			by[t] = s
		}
		s.ActiveUsers = h.UserCount
		s.Requests += max(h.TotalRequests-prevReq, 0)
		s.Failures += max(h.TotalFailures-prevFail, 0)
		s.Responses, s.Successes = s.Requests, s.Requests-s.Failures
		s.P50, s.P95, s.P99 = units.FromMillis(h.Pct[0]), units.FromMillis(h.Pct[5]), units.FromMillis(h.Pct[7])
		prevReq, prevFail = h.TotalRequests, h.TotalFailures
		last, users = max(last, t), max(users, h.UserCount)
	}
	out := make([]analysis.Second, last+1)
	for t := range out {
		if s := by[t]; s != nil {
			out[t] = *s
			continue
		}
		out[t] = analysis.Second{T: t}
		if t > 0 {
			out[t].ActiveUsers = out[t-1].ActiveUsers
		}
	}
	return out, users
}

var httpError = regexp.MustCompile(`\b([45]\d\d) (Client|Server) Error`)

// Class maps a Locust error text to exp's failure class.
func Class(text string) string {
	if m := httpError.FindStringSubmatch(text); m != nil {
		return "http-" + m[1]
	}
	lower := strings.ToLower(text)
	for _, c := range []struct{ class, needle string }{
		{"refused", "refused"},
		{"port-exhaustion", "cannot assign requested address"},
		{"port-exhaustion", "10048"},
		{"timeout", "timeout"}, {"timeout", "timed out"},
		{"reset", "reset"}, {"reset", "remotedisconnected"}, {"reset", "connection aborted"},
		{"dns", "name resolution"}, {"dns", "nameresolution"}, {"dns", "getaddrinfo"}, {"dns", "name or service not known"},
		{"tls", "ssl"},
	} {
		if strings.Contains(lower, c.needle) {
			return c.class
		}
	}
	return "other"
}

// failureCounts groups the failures file by endpoint and class. Without
// one, each endpoint's failures count as "other".
func failureCounts(fails []FailureRow, eps []analysis.Stats) []analysis.FailureCount {
	find := func(method, name string) int {
		for _, e := range eps {
			if e.Method == method && e.Name == name {
				return e.Endpoint
			}
		}
		return -1
	}
	type key struct {
		ep    int
		class string
	}
	counts := map[key]*analysis.FailureCount{}
	add := func(ep int, method, name, class string, n int64) {
		k := key{ep, class}
		if counts[k] == nil {
			counts[k] = &analysis.FailureCount{Endpoint: ep, Method: method, Name: name, Class: class}
		}
		counts[k].Count += n
	}
	for _, f := range fails {
		add(find(f.Method, f.Name), f.Method, f.Name, Class(f.Error), f.Occurrences)
	}
	if len(fails) == 0 {
		for _, e := range eps {
			if e.Failures > 0 {
				add(e.Endpoint, e.Method, e.Name, "other", e.Failures)
			}
		}
	}
	out := make([]analysis.FailureCount, 0, len(counts))
	for _, c := range counts {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Endpoint != b.Endpoint {
			return a.Endpoint < b.Endpoint
		}
		return a.Class < b.Class
	})
	return out
}

// LadderOf gives the percentiles a Stats holds (50, 90, 95, 99, 99.9 and
// the maximum as 100); the others are N/A, and all of them for an
// endpoint none of whose requests got a response.
func LadderOf(st analysis.Stats) Ladder {
	l := NoLadder()
	if st.Responses == 0 {
		return l
	}
	l[0], l[4], l[5], l[7], l[8], l[10] = units.Millis(st.P50), units.Millis(st.P90), units.Millis(st.P95), units.Millis(st.P99), units.Millis(st.P999), units.Millis(st.Max)
	return l
}

// StatsRows gives a run's rows of PREFIX_stats.csv: its endpoints in task
// order, then the Aggregated row. ladders (by endpoint index, -1 for the
// total) give the percentile columns; an endpoint without one gets
// LadderOf its Stats.
func StatsRows(sum analysis.Summary, ladders map[int]Ladder) []StatsRow {
	row := func(st analysis.Stats) StatsRow {
		l, ok := ladders[st.Endpoint]
		if !ok {
			l = LadderOf(st)
		}
		return StatsRow{Type: st.Method, Name: st.Name, Requests: st.Requests, Failures: st.Failures,
			Median: units.Millis(st.P50), Avg: units.Millis(st.Avg), Min: units.Millis(st.Min), Max: units.Millis(st.Max),
			AvgSize: st.AvgBytes, RPS: st.RPS, FailPerSec: st.FailPerSec, Pct: l}
	}
	out := make([]StatsRow, 0, len(sum.Endpoints)+1)
	for _, e := range sum.Endpoints {
		out = append(out, row(e))
	}
	total := sum.Total
	total.Endpoint, total.Method, total.Name = -1, "", Aggregated
	return append(out, row(total))
}

// FailureRows gives a run's rows of PREFIX_failures.csv; Error is exp's
// failure class.
func FailureRows(fs []analysis.FailureCount) []FailureRow {
	out := make([]FailureRow, len(fs))
	for i, f := range fs {
		out[i] = FailureRow{Method: f.Method, Name: f.Name, Error: f.Class, Occurrences: f.Count}
	}
	return out
}
