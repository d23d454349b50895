package analysis

import (
	"exp/load"
	"time"
)

// PhaseStats is where a run's time went: its phases over the answered
// requests (those latency figures are over), and its connections.
type PhaseStats struct {
	// Responses is the number of answered requests the phases are over.
	Responses int64
	Phases    [load.PhaseCount]PhaseStat // in the order of load.PhaseNames
	// Sent requests (not dropped, not stopped for want of data); of them
	// NewConns dialled a connection and Reused went over a kept-alive one.
	Sent, NewConns, Reused int64
	// HTTP1 and HTTP2 count the requests by protocol (those that got one).
	HTTP1, HTTP2 int64
}

// PhaseStat is one phase: its mean and p95 over the answered requests
// (zero where it did not happen counts) and its share of their latency.
type PhaseStat struct {
	Name      string
	Mean, P95 time.Duration
	Share     float64 // the phase's sum over the latencies' sum, 0..1
}

// ReuseRate is the share of sent requests that went over a kept-alive
// connection, 0 when none was sent.
func (p PhaseStats) ReuseRate() float64 {
	if p.Sent == 0 {
		return 0
	}
	return float64(p.Reused) / float64(p.Sent)
}

// Known reports whether the run has phases at all: false for runs stored
// before they were measured and imported ones.
func (p PhaseStats) Known() bool {
	for _, ph := range p.Phases {
		if ph.Mean > 0 || ph.P95 > 0 {
			return true
		}
	}
	return false
}

// phaseAcc accumulates PhaseStats in the Analyzer.
type phaseAcc struct {
	counts                 [load.PhaseCount]latencyCounts
	sums                   [load.PhaseCount]uint64 // µs
	latSum                 uint64                  // µs, over responses
	responses              int64
	sent, newConns, reused int64
	http1, http2           int64
}

func (p *phaseAcc) add(s load.Sample, latUS uint32) {
	if s.Class != load.Dropped && s.Class != load.NoData {
		p.sent++
		if s.Reused {
			p.reused++
		} else {
			p.newConns++
		}
	}
	switch s.Proto {
	case load.HTTP11:
		p.http1++
	case load.HTTP2:
		p.http2++
	}
	if !s.Responded() {
		return
	}
	p.responses++
	p.latSum += uint64(latUS)
	for i, v := range s.Phases.Micros() {
		p.counts[i].add(v)
		p.sums[i] += uint64(v)
	}
}

func (p *phaseAcc) stats() PhaseStats {
	out := PhaseStats{Responses: p.responses, Sent: p.sent, NewConns: p.newConns, Reused: p.reused,
		HTTP1: p.http1, HTTP2: p.http2}
	for i := range p.counts {
		st := PhaseStat{Name: load.PhaseNames[i]}
		if p.responses > 0 {
			st.Mean = micros(float64(p.sums[i]) / float64(p.responses))
			_, _, ps := countedStats([]*latencyCounts{&p.counts[i]}, []float64{95})
			st.P95 = us(ps[0])
		}
		if p.latSum > 0 {
			st.Share = float64(p.sums[i]) / float64(p.latSum)
		}
		out.Phases[i] = st
	}
	return out
}
