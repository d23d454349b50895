package load

import "time"

// Sample is the outcome of one request. It is a plain value sent on a
// channel; a failed request is data in it, not a Go error.
type Sample struct {
	// Start is the offset from the run's start of the intended send time
	// (open model) or of the actual send (closed model).
	Start time.Duration
	// Latency runs from Start to the end of the body read. In the open model
	// it includes any time the request waited for a free worker, so a server
	// stall is not hidden (no coordinated omission).
	Latency time.Duration
	// Service runs from the actual send to the end of the body read.
	Service  time.Duration
	Endpoint uint16 // index into RunConfig.Tasks
	Status   uint16 // HTTP status; 0 when there was no response
	Class    ErrorClass
	Reused   bool   // the request went over a kept-alive connection
	User     uint32 // virtual user (closed model) or worker (open model)
	Bytes    int64  // response body bytes
	Step     uint16 // scenario: the request's index in its flow (task or on_start); 0 otherwise
	// Phases split Service into DNS, connect, TLS, wait and read; they add
	// up to it. All zero for a request never sent.
	Phases Phases
	Proto  Protocol // the HTTP version it went over; ProtoNone if not sent
}

// Failed reports whether the sample counts as a failure.
func (s Sample) Failed() bool { return s.Class != OK }

// Responded reports whether the server answered: a whole HTTP response,
// of any status (a failed scenario check included). Latency statistics are over these; a request that was
// refused, reset, timed out, dropped or cancelled has no response.
func (s Sample) Responded() bool { return s.Class == OK || s.Class == HTTP || s.Class == Check }
