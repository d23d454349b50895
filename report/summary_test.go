package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

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
