package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"exp/analysis"
	"exp/load"
	"exp/store"
)

// A worker's last sample reads as dist's merge warning tells it
// (units.RunLength): "last at 1.5s", "last at 347ms".
func TestWorkersLastSample(t *testing.T) {
	var buf bytes.Buffer
	ws := []store.RunWorker{
		{Worker: 1, Status: "completed", Host: "vm", PID: 7, Samples: 144, LastSampleMS: 1549, ClockSync: "ok"},
		{Worker: 2, Status: "aborted", Samples: 9, LastSampleMS: 347, ClockSync: "ok"},
	}
	if err := Workers(&buf, ws); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"144 samples, last at 1.5s, clock ok", "9 samples, last at 347ms, clock ok"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("Workers lacks %q:\n%s", want, buf.String())
		}
	}
}

// The progress line's rate (answered requests a second) prints with
// units.Rate, as the summary's observations do.
func TestLineRate(t *testing.T) {
	for _, tt := range []struct {
		rps  float64
		want string
	}{{3.333, "  3.33 answers/s  "}, {98.94, "  98.9 answers/s  "}, {12345.5, "  12346 answers/s  "}, {1e7, "  10000000 answers/s  "}} {
		got := Line(5*time.Second, 10*time.Second, 4, "users", load.Window{RPS: tt.rps})
		if !strings.Contains(got, tt.want) {
			t.Errorf("Line with %v req/s = %q, want it to hold %q", tt.rps, got, tt.want)
		}
	}
}

// The requests line tells the truth when the store lost samples: it
// starts from every request the run made and says the figures are of the
// stored ones, in both models; without a loss it reads as before.
func TestRequestsLineCountsLostSamples(t *testing.T) {
	closed := analysis.Stats{Requests: 9331, Responses: 9331, Successes: 9330}
	open := analysis.Stats{Requests: 9331, Dropped: 331, Responses: 9000, Successes: 9000, Cancelled: 2}
	for _, tt := range []struct {
		name string
		h    RunHeader
		t    analysis.Stats
		want string
	}{
		{"closed", RunHeader{Stored: 9331}, closed, "Requests: 9331 sent; 9331 answered (9330 successful)"},
		{"closed, lost", RunHeader{Stored: 9331, Lost: 4070}, closed,
			"Requests: 13401 sent, 4070 of them not stored (the figures are of the 9331 stored); of those, 9331 answered (9330 successful)"},
		{"open", RunHeader{Open: true, Scheduled: 9331, Stored: 9331}, open,
			"Requests: 9331 scheduled = 9000 sent + 331 dropped; 9000 answered (9000 successful), 2 cancelled at the end; all 9331 arrivals stored"},
		{"open, lost", RunHeader{Open: true, Scheduled: 13401, Stored: 9331, Lost: 4070}, open,
			"Requests: 13401 scheduled, 4070 of them not stored (the figures are of the 9331 stored: 9000 sent + 331 dropped); of those, 9000 answered (9000 successful), 2 cancelled at the end"},
		{"open, unaccounted", RunHeader{Open: true, Scheduled: 9400, Stored: 9331}, open,
			"Requests: 9331 scheduled = 9000 sent + 331 dropped; 9000 answered (9000 successful), 2 cancelled at the end; 9331 of 9400 arrivals stored"},
	} {
		if got := requestsLine(tt.h, tt.t, 0); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

// An open run that lost samples does not claim it achieved its offered
// rate from the stored ones: offered is over every scheduled arrival,
// achieved is unknown.
func TestThroughputLineOfALossyOpenRun(t *testing.T) {
	var buf bytes.Buffer
	h := RunHeader{Open: true, Scheduled: 7200, Stored: 3148, Lost: 4052, Duration: 9 * time.Second}
	s := analysis.Summary{Total: analysis.Stats{Requests: 3148, Responses: 3148, Successes: 3148, RPS: 349.78, SuccessRPS: 349.78}}
	accounting(&buf, h, s)
	if want := "; offered 800.00 req/s, achieved unknown (4052 samples not stored)"; !strings.Contains(buf.String(), want) {
		t.Errorf("accounting lacks %q:\n%s", want, buf.String())
	}
}
