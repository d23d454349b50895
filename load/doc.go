// Package load generates the load of one run and streams what happened,
// one Sample per request.
//
// Data enters as a RunConfig (parsed with ParseTasks, ParseWait,
// ParseStages, ParseRateStages, ParseHeaders, checked by Validate; bad
// values are *input.Error naming the field). NewEngine(cfg).Run sends the
// load, closed model (virtual users following a UserSchedule, each with
// its own connection and think time, as Locust users) or open model
// (arrivals at the intended times of a RateSchedule, latency measured from
// the intended time, so a stalled server shows its full cost). Both
// schedules are pure functions of elapsed time (Schedule: Duration and
// Load at a time), tested without a clock.
//
// What leaves: every request as one plain Sample value on a channel; a
// failed request is data in it (an ErrorClass), never a Go error. A
// sample's Phases split its service time into DNS, connect, TLS, wait and
// read (they add up to it exactly), and Proto says which HTTP version
// carried it: h1Client takes them from the clock reads of its dial and of
// the read that brings the first byte, net/http clients from httptrace
// hooks bound once per client (netTracer). Nothing
// on the request path touches storage. Collect fans the channel out to
// Recorders (Add, Flush, Close: the store's writer, the Live window of the
// progress line). SampleEncoder writes samples as CSV or JSON lines, the
// public export format, beside the type it encodes.
//
// http:// and https:// targets are loaded through h1Client, the
// generator's own HTTP/1.1 client (no allocation, goroutine or timer per
// request); over https it speaks crypto/tls with the run's TLSConfig
// (--insecure, --ca-cert, --client-cert/--client-key, --tls-min, built
// once by Validate) and a session cache all users share, so reconnects
// resume. HTTP/2 (RunConfig.HTTP2: h2 by ALPN, h2c with prior knowledge)
// and unusual URLs go through net/http; with H2Streams > 1 that many
// users share one transport, one connection, as concurrent streams.
package load
