package verdict

import (
	"testing"
	"time"

	"exp/load"
)

// The open model's saturation: behind the offered rate, dropping, or
// latency rising over the seconds of one constant rate, not of a ramp
// (a stored run of rate stages that never held a rate 3 s fell back to
// its last seconds, and "rose over the seconds of one constant rate"
// was printed for a ramp).
func TestOpenSaturation(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name                    string
		steps                   []step
		behind, failing, rising bool
	}{
		{"keeps up at one rate", []step{{100, 6, 100, 11 * ms}}, false, false, false},
		{"latency rises at one rate", []step{{100, 2, 100, 11 * ms}, {100, 2, 100, 30 * ms}, {100, 2, 100, 60 * ms}},
			false, false, true},
		{"a ramp whose latency grows with its rate", []step{{20, 1, 20, 11 * ms}, {40, 1, 40, 20 * ms},
			{60, 1, 60, 30 * ms}, {80, 1, 80, 40 * ms}}, false, false, false},
		{"behind and dropping", []step{{100, 6, 50, 900 * ms}}, true, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := FindPlateau(load.Open, synthetic(load.Open, 10*ms, tt.steps...))
			if p.Behind != tt.behind || p.Failing != tt.failing || p.Rising != tt.rising {
				t.Errorf("behind %v failing %v rising %v, want %v %v %v (%s)", p.Behind, p.Failing, p.Rising,
					tt.behind, tt.failing, tt.rising, p)
			}
		})
	}
}
