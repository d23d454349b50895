package report

import (
	"bytes"
	"strings"
	"testing"

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
