package load

import (
	"bufio"
	"context"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// scripted is a raw TCP server on 127.0.0.1 that answers the n-th request
// of each connection with reply(n, request), byte for byte, and closes
// the connection after it when the reply says so.
type scripted struct {
	ln   net.Listener
	mu   sync.Mutex
	reqs []string // every request head received
	// conns counts accepted connections.
	conns int
}

type reply struct {
	raw   string
	close bool          // close the connection after writing raw
	stall time.Duration // wait before answering
}

func newScripted(t *testing.T, answer func(n int, req string) reply) *scripted {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &scripted{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns++
			s.mu.Unlock()
			go s.serve(c, answer)
		}
	}()
	return s
}

func (s *scripted) serve(c net.Conn, answer func(int, string) reply) {
	defer c.Close()
	br := bufio.NewReader(c)
	for n := 0; ; n++ {
		var head strings.Builder
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				return
			}
			head.WriteString(line)
			if line == "\r\n" {
				break
			}
		}
		s.mu.Lock()
		s.reqs = append(s.reqs, head.String())
		s.mu.Unlock()
		r := answer(n, head.String())
		time.Sleep(r.stall)
		if _, err := c.Write([]byte(r.raw)); err != nil || r.close {
			return
		}
	}
}

func (s *scripted) url() string { return "http://" + s.ln.Addr().String() }

func (s *scripted) connCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

func testH1Client(t *testing.T, base string, tasks []Task, timeout time.Duration, keepAlive bool) *h1Client {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	cfg := RunConfig{URL: base, Tasks: tasks, Timeout: timeout, KeepAlive: keepAlive,
		Headers: map[string]string{"X-Test": "1"}}
	c, err := newH1Client(context.Background(), &cfg, u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.close)
	return c
}

type outcome struct {
	status int
	bytes  int64
	reused bool
	class  ErrorClass
}

func doOnce(c *h1Client, task int) outcome {
	status, n, reused, err := c.do(task, time.Now())
	return outcome{status, n, reused, Classify(err)}
}

// Each framing of a response, twice on one client: the body is counted as
// net/http would count it, and the connection is kept or dropped as the
// response says.
func TestH1ClientFraming(t *testing.T) {
	for _, tt := range []struct {
		name    string
		method  string
		raw     string
		close   bool
		want    outcome // first request
		reused2 bool    // second request went over the same connection
	}{
		{"content-length", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", false, outcome{200, 5, false, OK}, true},
		{"chunked with extension and trailer", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
			"3;x=y\r\nabc\r\n A \r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n", false, outcome{200, 13, false, OK}, true},
		{"connection close", "GET", "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", true, outcome{200, 2, false, OK}, false},
		{"http/1.0 body until close", "GET", "HTTP/1.0 200 OK\r\n\r\nuntil the end", true, outcome{200, 13, false, OK}, false},
		{"http/1.0 keep-alive", "GET", "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 1\r\n\r\nx", false, outcome{200, 1, false, OK}, true},
		{"no length means until close", "GET", "HTTP/1.1 200 OK\r\n\r\nrest", true, outcome{200, 4, false, OK}, false},
		{"head has no body", "HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", false, outcome{200, 0, false, OK}, true},
		{"204 has no body", "GET", "HTTP/1.1 204 No Content\r\n\r\n", false, outcome{204, 0, false, OK}, true},
		{"interim 100 then 200", "GET", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" +
			"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false, outcome{200, 2, false, OK}, true},
		{"503 is a response", "GET", "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 3\r\n\r\nno\n", false, outcome{503, 3, false, OK}, true},
		{"header line longer than the buffer", "GET", "HTTP/1.1 200 OK\r\nX-Long: " + strings.Repeat("a", 3*h1BufSize) +
			"\r\nContent-Length: 1\r\n\r\n!", false, outcome{200, 1, false, OK}, true},
		{"body larger than the buffer", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + strings.Repeat("b", 100000),
			false, outcome{200, 100000, false, OK}, true},
		{"chunk larger than the buffer", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n186a0\r\n" +
			strings.Repeat("c", 100000) + "\r\n0\r\n\r\n", false, outcome{200, 100000, false, OK}, true},
		{"malformed", "GET", "SPDY/9 200 OK\r\n\r\n", true, outcome{0, 0, false, Other}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newScripted(t, func(int, string) reply { return reply{raw: tt.raw, close: tt.close} })
			c := testH1Client(t, srv.url(), []Task{{tt.method, "/x", 1}}, 2*time.Second, true)
			if got := doOnce(c, 0); got != tt.want {
				t.Errorf("first request: %+v, want %+v", got, tt.want)
			}
			got := doOnce(c, 0)
			want := tt.want
			want.reused = tt.reused2
			if got != want {
				t.Errorf("second request: %+v, want %+v", got, want)
			}
		})
	}
}

// The request is what net/http would send: method, path and query, Host,
// User-Agent and the user's headers. Without keep-alive the bytes are the
// same: the client closes the connection itself after the response.
func TestH1ClientRequestBytes(t *testing.T) {
	srv := newScripted(t, func(int, string) reply {
		return reply{raw: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"}
	})
	for _, keep := range []bool{true, false} {
		c := testH1Client(t, srv.url()+"/base/", []Task{{"GET", "/p?q=1", 1}, {"POST", "/post", 1}}, time.Second, keep)
		for i := range 2 {
			if got := doOnce(c, i); got.class != OK || got.status != 200 {
				t.Fatalf("request %d: %+v", i, got)
			}
		}
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	host := srv.ln.Addr().String()
	want := []string{
		"GET /base/p?q=1 HTTP/1.1\r\nX-Test: 1\r\nHost: " + host + "\r\nUser-Agent: exp\r\n\r\n",
		"POST /base/post HTTP/1.1\r\nX-Test: 1\r\nHost: " + host + "\r\nUser-Agent: exp\r\nContent-Length: 0\r\n\r\n",
		"GET /base/p?q=1 HTTP/1.1\r\nX-Test: 1\r\nHost: " + host + "\r\nUser-Agent: exp\r\n\r\n",
	}
	for i, w := range want {
		if srv.reqs[i] != w {
			t.Errorf("request %d:\n%q\nwant\n%q", i, srv.reqs[i], w)
		}
	}
}

// Failures are classified as net/http's would be, and a kept-alive
// connection the server closed while idle costs no failure: the request
// goes again on a new connection.
func TestH1ClientFailures(t *testing.T) {
	t.Run("idle close is retried", func(t *testing.T) {
		srv := newScripted(t, func(n int, _ string) reply {
			return reply{raw: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", close: true}
		})
		c := testH1Client(t, srv.url(), []Task{{"GET", "/", 1}}, time.Second, true)
		for i := range 3 {
			// The server closed without saying so: the client learns it on
			// the next request, which must still succeed.
			if got := doOnce(c, 0); got != (outcome{200, 2, false, OK}) {
				t.Fatalf("request %d: %+v", i, got)
			}
		}
		if n := srv.connCount(); n != 3 {
			t.Errorf("%d connections for 3 requests on a server that closes each", n)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		srv := newScripted(t, func(int, string) reply { return reply{raw: "HTTP/1.1 200 OK\r\n\r\n", stall: time.Second} })
		c := testH1Client(t, srv.url(), []Task{{"GET", "/", 1}}, 100*time.Millisecond, true)
		t0 := time.Now()
		got := doOnce(c, 0)
		if got.class != Timeout || time.Since(t0) > 900*time.Millisecond {
			t.Errorf("stalled server: %+v after %v", got, time.Since(t0))
		}
	})
	t.Run("reset mid-body", func(t *testing.T) {
		srv := newScripted(t, func(int, string) reply {
			return reply{raw: "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort", close: true}
		})
		c := testH1Client(t, srv.url(), []Task{{"GET", "/", 1}}, time.Second, true)
		if got := doOnce(c, 0); got.class != Reset || got.status != 200 {
			t.Errorf("truncated body: %+v", got)
		}
	})
	t.Run("refused", func(t *testing.T) {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := ln.Addr().String()
		ln.Close()
		c := testH1Client(t, "http://"+addr, []Task{{"GET", "/", 1}}, time.Second, true)
		if got := doOnce(c, 0); got.class != Refused {
			t.Errorf("closed port: %+v", got)
		}
	})
}

// Cancelling the client's context ends a request in progress at once.
func TestH1ClientCancel(t *testing.T) {
	srv := newScripted(t, func(int, string) reply { return reply{raw: "HTTP/1.1 200 OK\r\n\r\n", stall: 3 * time.Second} })
	u, _ := url.Parse(srv.url())
	ctx, cancel := context.WithCancel(context.Background())
	cfg := RunConfig{URL: srv.url(), Tasks: []Task{{"GET", "/", 1}}, Timeout: 5 * time.Second, KeepAlive: true}
	c, err := newH1Client(ctx, &cfg, u)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	time.AfterFunc(100*time.Millisecond, cancel)
	t0 := time.Now()
	if _, _, _, err := c.do(0, t0); err == nil || time.Since(t0) > 2*time.Second {
		t.Errorf("cancelled request: err %v after %v", err, time.Since(t0))
	}
}

// Plain http gets the generator's client; https and URLs with user info
// keep net/http.
func TestNewClientChoosesH1ForPlainHTTP(t *testing.T) {
	for _, tt := range []struct {
		url   string
		http2 bool
		h1    bool
	}{
		{"http://127.0.0.1:8080", false, true},
		{"http://localhost/", false, true},
		{"https://127.0.0.1:8443", false, true}, // TLS over our own client
		{"https://127.0.0.1:8443", true, false}, // HTTP/2: net/http
		{"http://127.0.0.1:8080", true, false},  // h2c: net/http
		{"http://user:pw@127.0.0.1:8080", false, false},
	} {
		cfg := RunConfig{URL: tt.url, Tasks: []Task{{"GET", "/", 1}}, Timeout: time.Second, HTTP2: tt.http2}
		c, err := newClient(context.Background(), &cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := c.(*h1Client); ok != tt.h1 {
			t.Errorf("%s: h1 client %v, want %v", tt.url, ok, tt.h1)
		}
		c.close()
	}
}
