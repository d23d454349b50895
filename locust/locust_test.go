package locust

import (
	"bytes"
	"exp/analysis"
	"exp/load"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The fixtures are real Locust 2.12 output (testdata/README.md).
func open(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func firstLine(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return strings.TrimRight(line, "\r")
}

func TestHeadersAreLocusts(t *testing.T) {
	for _, tt := range []struct {
		file   string
		header []string
	}{
		{"classic_u10_stats.csv", StatsHeader},
		{"classic_u10_stats_history.csv", HistoryHeader},
		{"classic_u10_serverdown_failures.csv", FailuresHeader},
	} {
		if got, want := strings.Join(tt.header, ","), firstLine(t, tt.file); got != want {
			t.Errorf("header of %s:\n got %s\nwant %s", tt.file, got, want)
		}
	}
}

func readAll(t *testing.T, prefix string) ([]StatsRow, []HistoryRow, []FailureRow) {
	t.Helper()
	stats, err := ReadStats(open(t, prefix+"_stats.csv"), prefix+"_stats.csv")
	if err != nil {
		t.Fatal(err)
	}
	hist, err := ReadHistory(open(t, prefix+"_stats_history.csv"), prefix+"_stats_history.csv")
	if err != nil {
		t.Fatal(err)
	}
	fails, err := ReadFailures(open(t, prefix+"_failures.csv"), prefix+"_failures.csv")
	if err != nil {
		t.Fatal(err)
	}
	return stats, hist, fails
}

func TestToSummary(t *testing.T) {
	for _, prefix := range []string{"classic_u10", "classic_u100", "classic_u10_serverdown"} {
		stats, hist, fails := readAll(t, prefix)
		im, err := ToSummary(stats, hist, fails)
		if err != nil {
			t.Fatalf("%s: %v", prefix, err)
		}
		total := stats[len(stats)-1]
		if im.Summary.Total.Requests != total.Requests || im.Summary.Total.Name != Aggregated || len(im.Tasks) != len(stats)-1 {
			t.Errorf("%s: total %+v, %d tasks", prefix, im.Summary.Total, len(im.Tasks))
		}
		var req, failed int64
		for _, s := range im.Summary.Seconds {
			req += s.Requests
			failed += s.Failures
		}
		last := hist[len(hist)-1]
		if req != last.TotalRequests || failed != last.TotalFailures {
			t.Errorf("%s: seconds hold %d requests, %d failures; the history's last totals %d, %d",
				prefix, req, failed, last.TotalRequests, last.TotalFailures)
		}
		if want := float64(total.Requests) / total.RPS; math.Abs(im.Summary.Duration.Seconds()-want) > 1e-6 {
			t.Errorf("%s: duration %v, want %.3fs", prefix, im.Summary.Duration, want)
		}
		var failCount int64
		for _, f := range im.Summary.Failures {
			failCount += f.Count
		}
		if failCount != total.Failures {
			t.Errorf("%s: failure classes count %d, stats %d", prefix, failCount, total.Failures)
		}
	}
}

func TestServerDownFailuresAreRefused(t *testing.T) {
	im, err := ToSummary(readAll(t, "classic_u10_serverdown"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"/io": 92, "/health": 81, "/cpu": 79}
	for _, f := range im.Summary.Failures {
		if f.Class != "refused" || want[f.Name] != f.Count || im.Tasks[f.Endpoint].Path != f.Name {
			t.Errorf("failure %+v", f)
		}
	}
	if len(im.Summary.Failures) != 3 {
		t.Errorf("%d failure rows, want 3", len(im.Summary.Failures))
	}
}

func TestClass(t *testing.T) {
	tests := map[string]string{
		"ConnectionRefusedError(111, 'Connection refused')":                                         "refused",
		"HTTPError('503 Server Error: SERVICE UNAVAILABLE for url: http://127.0.0.1:5000/io')":      "http-503",
		"HTTPError('404 Client Error: NOT FOUND for url: /x')":                                      "http-404",
		"ReadTimeout(ReadTimeoutError(\"HTTPConnectionPool(host='x', port=80): Read timed out.\"))": "timeout",
		"ConnectionResetError(104, 'Connection reset by peer')":                                     "reset",
		"RemoteDisconnected('Remote end closed connection without response')":                       "reset",
		"OSError(99, 'Cannot assign requested address')":                                            "port-exhaustion",
		"NameResolutionError(...)":                                                                  "dns",
		"SSLError(...)":                                                                             "tls",
		"CatchResponseError('bad body')":                                                            "other",
	}
	for text, want := range tests {
		if got := Class(text); got != want {
			t.Errorf("Class(%q) = %q, want %q", text, got, want)
		}
	}
}

// near is equal within Locust's rounding of its figures to 1e-6 ms.
func near(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= 1e-6*max(1, math.Abs(a))
}

// Stats read, turned into a summary, written back and read again give
// the same rows: what an import and an export do.
func TestStatsRoundTrip(t *testing.T) {
	for _, prefix := range []string{"classic_u10", "classic_u100", "classic_u10_serverdown"} {
		stats, hist, fails := readAll(t, prefix)
		im, err := ToSummary(stats, hist, fails)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := WriteStats(&buf, StatsRows(im.Summary, im.Ladders)); err != nil {
			t.Fatal(err)
		}
		again, err := ReadStats(&buf, "written")
		if err != nil {
			t.Fatal(err)
		}
		if len(again) != len(stats) {
			t.Fatalf("%s: %d rows back, want %d", prefix, len(again), len(stats))
		}
		for i, a := range again {
			b := stats[i]
			same := a.Type == b.Type && a.Name == b.Name && a.Requests == b.Requests && a.Failures == b.Failures &&
				near(a.Median, b.Median) && near(a.Avg, b.Avg) && near(a.Min, b.Min) && near(a.Max, b.Max) &&
				near(a.AvgSize, b.AvgSize) && near(a.RPS, b.RPS) && near(a.FailPerSec, b.FailPerSec)
			for j := range a.Pct {
				same = same && near(a.Pct[j], b.Pct[j])
			}
			if !same {
				t.Errorf("%s row %d:\n got %+v\nwant %+v", prefix, i, a, b)
			}
		}
	}
}

func TestHistoryRoundTrip(t *testing.T) {
	_, hist, _ := readAll(t, "classic_u10_serverdown")
	var buf bytes.Buffer
	if err := WriteHistory(&buf, hist); err != nil {
		t.Fatal(err)
	}
	again, err := ReadHistory(&buf, "written")
	if err != nil {
		t.Fatal(err)
	}
	for i := range hist {
		a, b := again[i], hist[i]
		for j := range a.Pct {
			if !near(a.Pct[j], b.Pct[j]) {
				t.Errorf("row %d percentile %g: %g, want %g", i, Percentiles[j], a.Pct[j], b.Pct[j])
			}
			a.Pct[j], b.Pct[j] = 0, 0
		}
		if a != b {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, a, b)
		}
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "empty file"},
		{"Type,Name\nGET,/x\n", `no column "Request Count`},
		{strings.Join(StatsHeader, ",") + "\nGET,/x,many,0,1,1,1,1,1,1,0,1,1,1,1,1,1,1,1,1,1,1\n", `line 2, column "Request Count": "many" is not a whole number`},
	}
	for _, tt := range tests {
		_, err := ReadStats(strings.NewReader(tt.in), "f.csv")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ReadStats(%q): %v, want %q", tt.in, err, tt.want)
		}
	}
	if _, err := ToSummary(nil, nil, nil); err == nil {
		t.Error("ToSummary of nothing: no error")
	}
}

// The accumulator's ladders and history agree with a naive recomputation
// that holds to the README's definitions: latencies of answered requests
// only (a dropped request has none, a refused or cancelled one none that
// counts), every request and failure counted, Requests/s the responses
// completed in each second.
func TestAccumulator(t *testing.T) {
	a := NewAccumulator(2)
	var answered []uint32
	var samples []load.Sample
	start := time.Unix(1_700_000_000, 0)
	for i := range 1000 {
		s := load.Sample{Start: time.Duration(i) * 3 * time.Millisecond, Latency: time.Duration(1000+i*7%900) * time.Microsecond,
			Endpoint: uint16(i % 2), Bytes: 10, Status: 200}
		switch {
		case i%50 == 0:
			s.Class, s.Status, s.Bytes = load.Refused, 0, 0
		case i%7 == 0:
			s.Class, s.Status, s.Latency, s.Bytes = load.Dropped, 0, 0, 0
		case i%11 == 0:
			s.Class, s.Status, s.Latency, s.Bytes = load.Cancelled, 0, 5*time.Second, 0
		case i%13 == 0:
			s.Class, s.Status = load.HTTP, 503 // answered: its latency counts
		}
		a.Add(s)
		samples = append(samples, s)
		if s.Responded() {
			answered = append(answered, uint32(s.Latency.Microseconds()))
		}
	}
	ladders := a.Ladders()
	slices.Sort(answered)
	for i, p := range Percentiles {
		if want := float64(analysis.Percentile(answered, p)) / 1000; ladders[-1][i] != want {
			t.Errorf("aggregate p%g = %g, want %g (answered requests only)", p, ladders[-1][i], want)
		}
	}
	secs := []analysis.Second{{T: 0, ActiveUsers: 5}, {T: 1, ActiveUsers: 10}, {T: 2, ActiveUsers: 10}}
	h := a.History(start, secs)
	if len(h) != 3 || h[0].Timestamp != start.Unix()+1 || h[1].UserCount != 10 {
		t.Fatalf("history %+v", h)
	}
	for sec, r := range h {
		var done, fails int64
		for _, s := range samples {
			if s.Responded() && int((s.Start+s.Latency)/time.Second) == sec {
				done++
			}
			if s.Failed() && int(s.Start/time.Second) == sec {
				fails++
			}
		}
		if int64(r.RPS) != done || int64(r.FailPerSec) != fails {
			t.Errorf("second %d: %g req/s, %g failures/s; want %d responses completed, %d failures started", sec, r.RPS, r.FailPerSec, done, fails)
		}
	}
	last := h[len(h)-1]
	if last.TotalRequests != 1000 || last.TotalFailures != countFailed(samples) || last.TotalAvgSize != 10 {
		t.Errorf("history totals: last %+v, want 1000 requests, %d failures, 10 bytes", last, countFailed(samples))
	}
	if want := float64(answered[0]) / 1000; last.TotalMin != want {
		t.Errorf("total min %g, want %g", last.TotalMin, want)
	}
	if want := float64(answered[len(answered)-1]) / 1000; last.TotalMax != want {
		t.Errorf("total max %g, want %g: a cancelled request's time is no latency", last.TotalMax, want)
	}
	if med := float64(analysis.Percentile(answered, 50)) / 1000; math.Abs(last.TotalMedian-med) > med*1e-3 {
		t.Errorf("total median %g, want %g within 3 significant digits", last.TotalMedian, med)
	}
}

func countFailed(ss []load.Sample) int64 {
	var n int64
	for _, s := range ss {
		if s.Failed() {
			n++
		}
	}
	return n
}
