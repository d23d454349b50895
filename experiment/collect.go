package experiment

import "time"

// Recorder consumes samples, as vegeta's metrics and reporters do: Add for
// every sample, Flush now and then, Close at the end. Recorders are called
// from one goroutine and need no locks for it.
type Recorder interface {
	Add(Sample)
	Flush() error
	Close() error
}

// Collect drains in into the recorders, flushing them every interval (so
// the store commits at least once a second even when requests are rare),
// and closes them when in is closed. It returns the first error of a
// Flush or Close; samples keep flowing after a Flush error so the load
// engine never blocks on a failed consumer.
func Collect(in <-chan Sample, every time.Duration, recs ...Recorder) error {
	tick := time.NewTicker(every)
	defer tick.Stop()
	var first error
	keep := func(err error) {
		if first == nil {
			first = err
		}
	}
	for {
		select {
		case s, ok := <-in:
			if !ok {
				for _, r := range recs {
					if err := r.Close(); err != nil {
						keep(err)
					}
				}
				return first
			}
			for _, r := range recs {
				r.Add(s)
			}
		case <-tick.C:
			for _, r := range recs {
				if err := r.Flush(); err != nil {
					keep(err)
				}
			}
		}
	}
}
