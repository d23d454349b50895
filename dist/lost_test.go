package dist

import (
	"testing"
	"time"

	"exp/load"
	"exp/store"
)

// A worker's last sample is told in the form exp show's Workers lines
// use (units.RunLength): "1.5s", "347ms".
func TestWorkerLost(t *testing.T) {
	cfg := load.RunConfig{Model: load.Closed, Duration: 4 * time.Second}
	for _, tt := range []struct {
		w    store.RunWorker
		want string
	}{
		{store.RunWorker{Worker: 1, Status: store.StatusRunning, Host: "vm", PID: 7, Samples: 144, LastSampleMS: 1549},
			"worker 1 (pid 7 on vm) died mid-run: its last sample started at 1.5s of 4s, its 144 samples are kept and the rest of its share is missing"},
		{store.RunWorker{Worker: 2, Status: store.StatusAborted, Samples: 9, LastSampleMS: 347},
			"worker 2 (host unknown) ended aborted: its last sample started at 347ms of 4s (9 samples kept)"},
		{store.RunWorker{Worker: 3, Status: store.StatusCompleted, LastSampleMS: 3999}, ""},
	} {
		w := &worker{RunWorker: tt.w}
		if got := w.lost(cfg); got != tt.want {
			t.Errorf("lost() = %q\nwant      %q", got, tt.want)
		}
	}
}
