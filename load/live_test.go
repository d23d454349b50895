package load

import (
	"testing"
	"time"
)

// The progress line's window holds to the README's definitions: its rate
// is of answered requests and its p95 over them; drops (latency 0),
// refusals and cancellations are requests and failures, not latencies.
func TestLiveWindow(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name             string
		samples          []Sample
		answered, failed int64
		p95Min, p95Max   time.Duration
		requestsInWindow int64
	}{
		{"drops beside slow answers", append(repeat(Sample{Class: Dropped}, 90),
			repeat(Sample{Latency: 300 * ms, Status: 200}, 10)...), 10, 90, 299 * ms, 301 * ms, 100},
		{"a 503 is answered, a cancelled request is not", append(repeat(Sample{Latency: 2 * ms, Status: 503, Class: HTTP}, 5),
			repeat(Sample{Latency: 4 * time.Second, Class: Cancelled}, 5)...), 5, 10, 1900 * time.Microsecond, 2100 * time.Microsecond, 10},
		{"nothing answered", repeat(Sample{Class: Refused, Latency: ms}, 4), 0, 4, 0, 0, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := NewLive()
			for _, s := range tt.samples {
				l.Add(s)
			}
			w := l.Snapshot()
			if w.Answered != tt.answered || w.Failures != tt.failed || w.Requests != tt.requestsInWindow ||
				w.P95 < tt.p95Min || w.P95 > tt.p95Max || (tt.answered == 0) != (w.RPS == 0) {
				t.Errorf("window %+v: want %d answered, %d failed of %d, p95 in [%v, %v]", w, tt.answered, tt.failed,
					tt.requestsInWindow, tt.p95Min, tt.p95Max)
			}
		})
	}
}

func repeat(s Sample, n int) []Sample {
	out := make([]Sample, n)
	for i := range out {
		out[i] = s
	}
	return out
}
