package load

import (
	"crypto/tls"
	"net/http/httptrace"
	"sync"
	"time"
)

// netTracer records the phases of net/http requests through httptrace.
// Its ClientTrace is built once and attached to the client's context, so
// a request allocates nothing for it. The transport may call a hook from
// a dialing goroutine after the request that started the dial returned
// (another request took an idle connection first), so the hooks take a
// lock and the client reads a snapshot.
type netTracer struct {
	mu     sync.Mutex
	tr     trace
	reused bool
	copy   trace // the snapshot trace() hands out
	hooks  *httptrace.ClientTrace
}

func (t *netTracer) clientTrace() *httptrace.ClientTrace {
	if t.hooks != nil {
		return t.hooks
	}
	mark := func(at *time.Time) {
		t.mu.Lock()
		*at = time.Now()
		t.mu.Unlock()
	}
	t.hooks = &httptrace.ClientTrace{
		DNSDone: func(httptrace.DNSDoneInfo) { mark(&t.tr.dnsDone) },
		ConnectDone: func(_, _ string, err error) {
			if err == nil {
				mark(&t.tr.connDone)
			}
		},
		TLSHandshakeDone: func(_ tls.ConnectionState, err error) {
			if err == nil {
				mark(&t.tr.tlsDone)
			}
		},
		GotConn: func(i httptrace.GotConnInfo) {
			t.mu.Lock()
			t.reused = i.Reused
			t.mu.Unlock()
		},
		GotFirstResponseByte: func() { mark(&t.tr.firstByte) },
	}
	return t.hooks
}

func (t *netTracer) reset() {
	t.mu.Lock()
	t.tr, t.reused = trace{}, false
	t.mu.Unlock()
}

func (t *netTracer) wasReused() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.reused
}

// setProto records the protocol of the response (its major version).
func (t *netTracer) setProto(major int) {
	t.mu.Lock()
	t.tr.proto = HTTP11
	if major == 2 {
		t.tr.proto = HTTP2
	}
	t.mu.Unlock()
}

func (t *netTracer) snapshot() *trace {
	t.mu.Lock()
	t.copy = t.tr
	t.mu.Unlock()
	return &t.copy
}
