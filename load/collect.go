package load

import "time"

// Recorder consumes samples, as vegeta's metrics and reporters do: Add for
// every sample, Flush now and then, Close at the end. Recorders are called
// from one goroutine and need no locks for it.
type Recorder interface {
	Add(Sample)
	Flush() error
	Close() error
}

// collectPoll is how often Collect takes the samples waiting on its
// channel. Waking on every sample instead would cost a goroutine switch per
// request on the generator's core (the sender hands the CPU to the woken
// collector): at 50k requests/s, more than the whole HTTP client. The
// channel must hold what arrives in one poll.
const collectPoll = 10 * time.Millisecond

// Collect drains in into the recorders, flushing them every interval (so
// the store commits at least once a second even when requests are rare),
// and closes them when in is closed. It returns the first error of a
// Flush or Close; samples keep flowing after a Flush error so the load
// engine never blocks on a failed consumer. It is the only reader of in.
func Collect(in <-chan Sample, every time.Duration, recs ...Recorder) error {
	poll := time.NewTicker(min(collectPoll, every))
	defer poll.Stop()
	var first error
	keep := func(err error) {
		if first == nil && err != nil {
			first = err
		}
	}
	lastFlush := time.Now()
	for {
		now := <-poll.C
		// Only this goroutine receives, so the len(in) samples there now
		// are taken without blocking or a select per sample.
		for n := len(in); n > 0; n-- {
			s := <-in
			for _, r := range recs {
				r.Add(s)
			}
		}
		if closed := drain(in, recs); closed {
			for _, r := range recs {
				keep(r.Close())
			}
			return first
		}
		if now.Sub(lastFlush) >= every {
			lastFlush = now
			for _, r := range recs {
				keep(r.Flush())
			}
		}
	}
}

// drain takes the samples that came meanwhile (all of them when in is
// unbuffered) until in is empty, and reports whether it is closed.
func drain(in <-chan Sample, recs []Recorder) (closed bool) {
	for {
		select {
		case s, ok := <-in:
			if !ok {
				return true
			}
			for _, r := range recs {
				r.Add(s)
			}
		default:
			return false
		}
	}
}
