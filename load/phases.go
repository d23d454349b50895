package load

import (
	"math"
	"time"
)

// Phases split a request's service time into where it went, one after the
// other: DNS (resolving the host name), Connect (the TCP handshake), TLS
// (the TLS handshake), Wait (writing the request and waiting for the first
// byte of the response) and Read (from the first byte to the end of the
// body). A phase that did not happen is zero: a request over a kept-alive
// connection has no DNS, Connect or TLS, a request to an IP address no
// DNS. The phases partition the service time: they add up to it exactly.
type Phases struct {
	DNS, Connect, TLS, Wait, Read time.Duration
}

// PhaseCount is the number of phases; PhaseNames names them in order, as
// the store's columns do without their _us.
const PhaseCount = 5

var PhaseNames = [PhaseCount]string{"dns", "connect", "tls", "wait", "read"}

// Array gives the phases in the order of PhaseNames.
func (p Phases) Array() [PhaseCount]time.Duration {
	return [PhaseCount]time.Duration{p.DNS, p.Connect, p.TLS, p.Wait, p.Read}
}

// Micros gives the phases in whole microseconds, as the store keeps them,
// cut at whole microseconds of their running total: so they add up to
// the service time truncated to microseconds, as service_us is, where
// truncating each phase alone could lose up to 4 µs.
func (p Phases) Micros() [PhaseCount]uint32 {
	var out [PhaseCount]uint32
	var total time.Duration
	prev := int64(0)
	for i, d := range p.Array() {
		total += max(d, 0)
		cum := min(int64(total/time.Microsecond), math.MaxUint32)
		out[i] = uint32(cum - prev)
		prev = cum
	}
	return out
}

// PhasesFromMicros is the inverse of Micros.
func PhasesFromMicros(us [PhaseCount]uint32) Phases {
	d := func(i int) time.Duration { return time.Duration(us[i]) * time.Microsecond }
	return Phases{DNS: d(0), Connect: d(1), TLS: d(2), Wait: d(3), Read: d(4)}
}

// Protocol is the HTTP version a request went over; None when it was not
// sent (dropped, refused before any connection).
type Protocol uint8

const (
	ProtoNone Protocol = iota
	HTTP11             // HTTP/1.1 (or a 1.0 answer)
	HTTP2              // HTTP/2, over TLS (ALPN h2) or cleartext (h2c)
)

var protoNames = [...]string{"", "HTTP/1.1", "HTTP/2"}

// String gives the protocol as stored in samples.protocol ("" for None).
func (p Protocol) String() string {
	if int(p) < len(protoNames) {
		return protoNames[p]
	}
	return ""
}

// ParseProtocol is the inverse of String.
func ParseProtocol(s string) Protocol {
	for i, n := range protoNames {
		if n == s && i > 0 {
			return Protocol(i)
		}
	}
	return ProtoNone
}

// trace records when one request crossed the boundaries between its
// phases; a zero time is a boundary it did not cross. A client keeps one
// and resets it per request, so recording allocates nothing.
type trace struct {
	dnsDone   time.Time // the host name resolved (zero for an IP address)
	connDone  time.Time // TCP connected
	tlsDone   time.Time // TLS handshake done
	firstByte time.Time // the first byte of the response read
	proto     Protocol
}

func (t *trace) reset() { *t = trace{} }

// phases cuts [t0, t1] at the boundaries crossed: each phase that
// happened runs from the previous boundary to its own, Wait to the first
// byte (or to t1 when none came) and Read from there to t1. Boundaries out
// of order (a parallel dial) are clamped, so the phases always partition
// t1-t0.
func (t *trace) phases(t0, t1 time.Time) Phases {
	var p Phases
	mark := t0
	cut := func(b time.Time) time.Duration {
		if b.IsZero() {
			return 0
		}
		if b.Before(mark) {
			b = mark
		}
		if b.After(t1) {
			b = t1
		}
		d := b.Sub(mark)
		mark = b
		return d
	}
	p.DNS = cut(t.dnsDone)
	p.Connect = cut(t.connDone)
	p.TLS = cut(t.tlsDone)
	if t.firstByte.IsZero() {
		p.Wait = cut(t1)
	} else {
		p.Wait = cut(t.firstByte)
		p.Read = cut(t1)
	}
	return p
}
