package load

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

// h1Client is the client of one user for plain http:// targets: HTTP/1.1
// over one net.Conn of its own, written for the generator's hot path. Each
// task's request is prebuilt as bytes and written as is, the response is
// parsed in place in a reused bufio.Reader and its body discarded, the
// timeout is the connection's deadline (moved only now and then, see
// extendDeadline): a request allocates nothing and starts no goroutine or
// timer. Over https it speaks TLS (crypto/tls) on the same connection,
// resuming sessions on reconnect. net/http (netClient) remains for HTTP/2
// and anything this client does not cover.
type h1Client struct {
	addr      string // host:port to dial
	reqs      []h1Request
	timeout   time.Duration
	slack     time.Duration // how far a deadline may run past start+timeout
	keepAlive bool
	dialer    net.Dialer
	ctx       context.Context // cancels a request in progress at the end of a run
	byName    bool            // addr's host is a name to resolve, not an IP address
	dialMu    sync.Mutex      // dialControl may run on two goroutines at once (Happy Eyeballs: ::1 and 127.0.0.1)
	tlsConf   *tls.Config     // https: the run's, for this host; nil for http

	// tr is the last request's phase boundaries: the dial marks the end of
	// DNS (dialControl) and of the connect, connReader the first byte.
	tr trace

	conn     net.Conn
	cr       connReader
	br       *bufio.Reader // reads cr; kept across connections
	used     bool          // conn has carried a request: the next is a reuse
	deadline time.Time     // conn's current deadline

	mu        sync.Mutex // guards cancelled and the conn handed to cancel
	cancelled bool
	stopWatch func() bool
}

// h1Request is one task's request, ready to write.
type h1Request struct {
	wire       []byte
	head       bool // a HEAD response has no body, whatever its headers say
	replayable bool // may be sent again if a kept-alive conn was closed under it
}

// h1BufSize is the read buffer of one user; a response header line longer
// than this is skipped in pieces, never needed whole.
const h1BufSize = 8 << 10

// errMalformed is a response that is not HTTP/1.x (classified Other).
var errMalformed = errors.New("malformed HTTP response")

// newH1Client builds the client of one user for base (an http:// URL
// without user info, checked by h1Supports).
func newH1Client(ctx context.Context, cfg *RunConfig, base *url.URL) (*h1Client, error) {
	addr := base.Host
	if base.Port() == "" {
		port := "80"
		if base.Scheme == "https" {
			port = "443"
		}
		addr = net.JoinHostPort(base.Hostname(), port)
	}
	c := &h1Client{addr: addr, timeout: cfg.Timeout, keepAlive: cfg.KeepAlive, ctx: ctx,
		slack:  min(cfg.Timeout/10, 100*time.Millisecond),
		dialer: net.Dialer{KeepAlive: 30 * time.Second}}
	if base.Scheme == "https" {
		conf := cfg.tlsClient
		if conf == nil {
			conf = &tls.Config{}
		}
		// Clone shares the session cache: a user's new connection resumes
		// a session any user made.
		c.tlsConf = conf.Clone()
		c.tlsConf.ServerName = base.Hostname()
		c.tlsConf.NextProtos = []string{"http/1.1"}
	}
	prefix := strings.TrimRight(base.Path, "/")
	for _, t := range cfg.Tasks {
		u, err := url.Parse(base.Scheme + "://" + base.Host + prefix + t.Path)
		if err != nil {
			return nil, fmt.Errorf("task %s %s: %w", t.Method, t.Path, err)
		}
		c.reqs = append(c.reqs, h1Request{
			wire:       buildRequest(t.Method, u.RequestURI(), base.Host, cfg.Headers),
			head:       t.Method == "HEAD",
			replayable: t.Method == "GET" || t.Method == "HEAD" || t.Method == "OPTIONS",
		})
	}
	c.byName = net.ParseIP(strings.Trim(base.Hostname(), "[]")) == nil
	c.dialer.ControlContext = c.dialControl
	c.cr.readFn, c.cr.writeFn = c.cr.rawRead, c.cr.rawWrite
	c.cr.tr = &c.tr
	c.stopWatch = context.AfterFunc(ctx, c.cancel)
	return c, nil
}

// buildRequest writes the bytes of a request without a body, with the
// headers net/http would send (User-Agent exp, no Accept-Encoding: the
// client does not decompress) and the user's headers. Without keep-alive
// it sends no "Connection: close" but closes the connection itself after
// the response, as a client opening a connection per request does (curl in
// a loop, a script without a session): the client closes first, so the
// TIME_WAIT sockets hold the client's ephemeral ports, which is how a real
// client runs out of them.
func buildRequest(method, uri, host string, headers map[string]string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\n", method, uri)
	hasUA := false
	keys := make([]string, 0, len(headers))
	for k := range headers {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := headers[k]
		switch strings.ToLower(k) {
		case "host":
			host = v
			continue
		case "user-agent":
			hasUA = true
		}
		fmt.Fprintf(&b, "%s: %s\r\n", k, v)
	}
	fmt.Fprintf(&b, "Host: %s\r\n", host)
	if !hasUA {
		b.WriteString("User-Agent: exp\r\n")
	}
	switch method {
	case "POST", "PUT", "PATCH":
		b.WriteString("Content-Length: 0\r\n")
	}
	b.WriteString("\r\n")
	return []byte(b.String())
}

// do sends task i, started at start, and reads the whole response. A
// request that a kept-alive connection lost before any byte of the
// response came back is sent once more on a new connection, as net/http
// does for requests that are safe to repeat.
func (c *h1Client) do(i int, start time.Time) (int, int64, bool, error) {
	r := &c.reqs[i]
	c.tr.reset()
	status, n, reused, answered, err := c.roundTrip(r, start)
	if err != nil && reused && !answered && r.replayable && !errors.Is(err, os.ErrDeadlineExceeded) {
		status, n, reused, _, err = c.roundTrip(r, start)
	}
	return status, n, reused, err
}

// roundTrip sends r once. answered reports whether any byte of a response
// was read: if not, on a kept-alive connection, the server most likely
// closed it as idle before it saw the request.
func (c *h1Client) roundTrip(r *h1Request, start time.Time) (status int, n int64, reused, answered bool, err error) {
	return c.roundTripKeep(r, start, nil)
}

// send sends r (a scenario's request, built by the caller) as do sends a
// task, keeping in k what the scenario needs of the response.
func (c *h1Client) send(r *h1Request, start time.Time, k *h1Keep) (int, int64, bool, error) {
	c.tr.reset()
	status, n, reused, answered, err := c.roundTripKeep(r, start, k)
	if err != nil && reused && !answered && r.replayable && !errors.Is(err, os.ErrDeadlineExceeded) {
		status, n, reused, _, err = c.roundTripKeep(r, start, k)
	}
	return status, n, reused, err
}

func (c *h1Client) roundTripKeep(r *h1Request, start time.Time, k *h1Keep) (status int, n int64, reused, answered bool, err error) {
	if c.conn == nil {
		if err := c.dial(start); err != nil {
			return 0, 0, false, false, err
		}
	} else if err := c.extendDeadline(start); err != nil {
		return 0, 0, false, false, err
	}
	reused = c.used
	c.used = true
	c.tr.proto = HTTP11
	if err := c.cr.write(r.wire); err != nil {
		c.drop()
		return 0, 0, reused, false, err
	}
	c.cr.waitFirst = true
	if c.br.Buffered() > 0 {
		c.cr.markFirst() // the answer came before it was asked for
	}
	status, n, keep, answered, err := readResponseKeep(c.br, r.head, k)
	if err != nil || !keep || !c.keepAlive {
		c.drop()
	}
	return status, n, reused, answered, err
}

// dial opens the user's connection, within the request's timeout, with
// its TLS handshake for https (resuming the session of an earlier
// connection when the server allows).
func (c *h1Client) dial(start time.Time) error {
	c.deadline = start.Add(c.timeout + c.slack)
	d := c.dialer
	d.Deadline = c.deadline
	conn, err := d.DialContext(c.ctx, "tcp", c.addr)
	if err != nil {
		return err
	}
	c.tr.connDone = time.Now()
	if err := conn.SetDeadline(c.deadline); err != nil {
		conn.Close()
		return err
	}
	if c.tlsConf != nil {
		tc := tls.Client(conn, c.tlsConf)
		if err := tc.HandshakeContext(c.ctx); err != nil {
			conn.Close()
			return err
		}
		c.tr.tlsDone = time.Now()
		conn = tc
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cancelled {
		conn.Close()
		return context.Canceled
	}
	c.conn, c.used = conn, false
	c.cr.conn, c.cr.raw = conn, rawConnOf(conn)
	if c.br == nil {
		c.br = bufio.NewReaderSize(&c.cr, h1BufSize)
	} else {
		c.br.Reset(&c.cr)
	}
	return nil
}

// dialControl runs as the dialer creates a socket, after the name was
// resolved: the first call ends the DNS phase (bound once in newH1Client,
// so the dial allocates nothing more for it).
func (c *h1Client) dialControl(context.Context, string, string, syscall.RawConn) error {
	c.dialMu.Lock()
	if c.byName && c.tr.dnsDone.IsZero() {
		c.tr.dnsDone = time.Now()
	}
	c.dialMu.Unlock()
	return nil
}

// trace gives the phase boundaries of the last request.
func (c *h1Client) trace() *trace { return &c.tr }

// extendDeadline moves the connection's deadline to at least
// start+timeout. Setting a deadline reads the clock and touches the
// runtime's timer heap, so it is moved by timeout+slack at once and left
// alone while it still covers a request: a request is abandoned between
// --timeout and --timeout plus min(10%, 100 ms) after it started.
func (c *h1Client) extendDeadline(start time.Time) error {
	want := start.Add(c.timeout)
	if !want.After(c.deadline) {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cancelled {
		return context.Canceled
	}
	c.deadline = want.Add(c.slack)
	return c.conn.SetDeadline(c.deadline)
}

// cancel ends the request in progress, if any: its read or write fails at
// once with a deadline error. Called once, when the client's context ends.
func (c *h1Client) cancel() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cancelled = true
	if c.conn != nil {
		c.conn.SetDeadline(time.Unix(1, 0))
	}
}

// drop closes the connection; the next request dials a new one.
func (c *h1Client) drop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
}

func (c *h1Client) close() {
	c.stopWatch()
	c.drop()
}

// connReader is the connection as h1Client uses it: the reader under its
// bufio.Reader, and its writer. Where rawConnOf gives the descriptor it
// reads and writes with raw system calls (see client_h1_linux.go), else
// through net.Conn.
type connReader struct {
	conn    net.Conn
	raw     syscall.RawConn // nil: use conn
	readFn  func(fd uintptr) bool
	writeFn func(fd uintptr) bool

	// waitFirst: a request was written and no byte of its answer read yet;
	// the read that brings one marks tr.firstByte.
	waitFirst bool
	tr        *trace

	// the call in progress, for readFn and writeFn
	buf  []byte
	wbuf []byte
	n    int
	err  error
}

func (r *connReader) Read(p []byte) (int, error) {
	if r.raw == nil {
		n, err := r.conn.Read(p)
		if n > 0 && r.waitFirst {
			r.markFirst()
		}
		return n, err
	}
	r.buf = p
	err := r.raw.Read(r.readFn)
	r.buf = nil
	if err != nil {
		return 0, err
	}
	if r.n > 0 && r.waitFirst {
		r.markFirst()
	}
	return r.n, r.err
}

// markFirst records the first byte of an answer: the one clock read a
// request adds to the generator's hot path.
func (r *connReader) markFirst() {
	r.tr.firstByte, r.waitFirst = time.Now(), false
}

// write writes all of p.
func (r *connReader) write(p []byte) error {
	if r.raw == nil {
		_, err := r.conn.Write(p)
		return err
	}
	r.wbuf, r.err = p, nil
	err := r.raw.Write(r.writeFn)
	r.wbuf = nil
	if err != nil {
		return err
	}
	return r.err
}
