package load

import (
	"sync"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// Live keeps the figures of the current window of a running test for the
// progress line, with the README's definitions: requests and failures
// (drops included), the answered requests (throughput) and an HDR
// histogram (3 significant digits) of their latency; a dropped, refused
// or cancelled request has none. It is a Recorder; Snapshot may be called
// from another goroutine.
type Live struct {
	mu       sync.Mutex
	hist     *hdrhistogram.Histogram
	requests int64
	failures int64
	answered int64
	total    int64
	totFail  int64
	since    time.Time
}

// NewLive returns an empty live window starting now.
func NewLive() *Live {
	return &Live{hist: hdrhistogram.New(1, int64(time.Hour/time.Microsecond), 3), since: time.Now()}
}

// Add accounts one sample in the window.
func (l *Live) Add(s Sample) {
	l.mu.Lock()
	if s.Responded() {
		_ = l.hist.RecordValue(max(s.Latency.Microseconds(), 1))
		l.answered++
	}
	l.requests++
	if s.Failed() {
		l.failures++
	}
	l.mu.Unlock()
}

// Flush does nothing: windows end at Snapshot.
func (l *Live) Flush() error { return nil }

// Close does nothing.
func (l *Live) Close() error { return nil }

// Window is what a progress line shows.
type Window struct {
	RPS           float64       // answered requests per second of the window
	P95           time.Duration // of the answered requests; 0 when none was
	Answered      int64         // in the window
	Requests      int64         // in the window
	Failures      int64         // in the window
	TotalRequests int64         // since the start
	TotalFailures int64
}

// Snapshot returns the current window and starts a new one.
func (l *Live) Snapshot() Window {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	w := Window{Requests: l.requests, Failures: l.failures, Answered: l.answered}
	if d := now.Sub(l.since).Seconds(); d > 0 {
		w.RPS = float64(l.answered) / d
	}
	w.P95 = time.Duration(l.hist.ValueAtQuantile(95)) * time.Microsecond
	l.total += l.requests
	l.totFail += l.failures
	w.TotalRequests, w.TotalFailures = l.total, l.totFail
	l.hist.Reset()
	l.requests, l.failures, l.answered, l.since = 0, 0, 0, now
	return w
}
