package load

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"syscall"
	"testing"
	"time"
)

// failing is a server that fails in one way; url is where to send the load.
type failing struct {
	name    string
	want    string // the class name every sample must carry
	timeout time.Duration
	start   func(t *testing.T) (url string)
}

// Each failure class, produced for real over loopback and classified by
// both clients (the generator's own HTTP/1.1 client and net/http; https
// goes through net/http only).
func TestErrorClassesForReal(t *testing.T) {
	cases := []failing{
		{"refused", "refused", time.Second, closedPort},
		{"timeout", "timeout", 200 * time.Millisecond, handler(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		})},
		{"reset by RST", "reset", time.Second, resetServer},
		{"closed mid-response", "reset", time.Second, handler(func(w http.ResponseWriter, r *http.Request) {
			conn, buf, err := w.(http.Hijacker).Hijack()
			if err != nil {
				panic(err)
			}
			buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial")
			buf.Flush()
			conn.Close()
		})},
		{"dns", "dns", 2 * time.Second, func(*testing.T) string { return "http://exp-test.invalid:80" }},
		{"tls", "tls", time.Second, func(t *testing.T) string {
			srv := httptest.NewUnstartedServer(http.NotFoundHandler())
			srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshakes fail: that is the point
			srv.StartTLS()                                   // with a certificate nobody trusts
			t.Cleanup(srv.Close)
			return srv.URL
		}},
		{"http-404", "http-404", time.Second, handler(http.NotFound)},
		{"http-500", "http-500", time.Second, handler(func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "boom", http.StatusInternalServerError)
		})},
	}
	for _, netHTTP := range []bool{false, true} {
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s/nethttp=%v", c.name, netHTTP), func(t *testing.T) {
				forceNetHTTP = netHTTP
				defer func() { forceNetHTTP = false }()
				cfg := RunConfig{URL: c.start(t), Model: Closed, Users: 1, SpawnRate: 100,
					Duration: 300 * time.Millisecond, Tasks: []Task{{"GET", "/x", 1}}, Timeout: c.timeout, KeepAlive: true,
					// A few requests are enough, and a shared DNS resolver
					// must not be hammered into timing out.
					Wait: Wait{Min: 250 * time.Millisecond, Max: 250 * time.Millisecond}}
				got, _ := runEngine(t, cfg)
				if len(got) == 0 {
					t.Fatal("no samples")
				}
				for _, s := range got {
					if name := s.Class.Name(s.Status); name != c.want {
						t.Fatalf("sample classed %q (status %d), want %q", name, s.Status, c.want)
					}
				}
			})
		}
	}
}

// The open model records a request it could not send, all in-flight slots
// being busy, as dropped.
func TestDroppedForReal(t *testing.T) {
	srv, _ := newTestServer(t, 300*time.Millisecond)
	cfg := RunConfig{URL: srv.URL, Model: Open, Rate: 50, Arrivals: "uniform", MaxInflight: 1,
		Duration: 500 * time.Millisecond, Tasks: []Task{{"GET", "/x", 1}}, Timeout: time.Second, KeepAlive: true}
	got, _ := runEngine(t, cfg)
	dropped := 0
	for _, s := range got {
		if s.Class == Dropped {
			dropped++
		}
	}
	if dropped == 0 {
		t.Fatalf("no dropped sample among %d with one in-flight slot against 300 ms responses at 50/s", len(got))
	}
}

// A real EADDRNOTAVAIL, what a client gets when no local port is left:
// binding to an address this machine does not have fails with the same
// errno. (Ports running out for real is tested end to end in a network
// namespace, in cmd/exp.) Windows' WSAEADDRINUSE is checked by number.
func TestPortExhaustionErrno(t *testing.T) {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("192.0.2.1")}, Timeout: time.Second}
	_, err := d.Dial("tcp", "127.0.0.1:9")
	if err == nil || !errors.Is(err, syscall.EADDRNOTAVAIL) {
		t.Skipf("binding to 192.0.2.1 gave %v, not EADDRNOTAVAIL, here", err)
	}
	if c := Classify(err); c != PortExhaustion {
		t.Errorf("%v classed %s", err, c)
	}
	wsa := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connectex", syscall.Errno(wsaeaddrinuse))}
	if c := Classify(wsa); c != PortExhaustion {
		t.Errorf("WSAEADDRINUSE classed %s", c)
	}
	if c := Classify(fmt.Errorf("wrapped: %w", context.DeadlineExceeded)); c != Timeout {
		t.Errorf("a deadline classed %s", c)
	}
}

func closedPort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

func handler(h http.HandlerFunc) func(*testing.T) string {
	return func(t *testing.T) string {
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		return srv.URL
	}
}

// resetServer reads each request and closes with SO_LINGER 0, which sends
// a TCP RST instead of a FIN.
func resetServer(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				_, _ = http.ReadRequest(bufio.NewReader(c))
				c.(*net.TCPConn).SetLinger(0)
				c.Close()
			}()
		}
	}()
	return "http://" + l.Addr().String()
}
