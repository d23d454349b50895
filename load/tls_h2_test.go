package load

import (
	"context"
	"encoding/pem"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"exp/input"
)

// writeCertPEM writes the certificate of a TLS test server to a file, for
// --ca-cert.
func writeCertPEM(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(path, pemBytes, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Over https, the generator's own client makes a TLS handshake per new
// connection and resumes the session of an earlier one (a cache shared by
// the run's users): without keep-alive every request has a TLS phase, and
// every handshake after the first is resumed.
func TestH1TLSResumesSessions(t *testing.T) {
	var full, resumed atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.TLS.DidResume {
			resumed.Add(1)
		} else {
			full.Add(1)
		}
		w.Write([]byte("ok"))
	}))
	srv.StartTLS()
	t.Cleanup(srv.Close)
	ca := writeCertPEM(t, srv)
	for _, tc := range []struct {
		name    string
		netHTTP bool
		minV    string
	}{{"h1", false, ""}, {"h1-tls13", false, "1.3"}, {"nethttp", true, ""}} {
		t.Run(tc.name, func(t *testing.T) {
			full.Store(0)
			resumed.Store(0)
			forceNetHTTP = tc.netHTTP
			defer func() { forceNetHTTP = false }()
			got, _ := runEngine(t, RunConfig{URL: srv.URL, Model: Closed, Users: 2, SpawnRate: 100, Duration: 300 * time.Millisecond,
				Tasks: []Task{{"GET", "/", 1}}, Timeout: time.Second, KeepAlive: false,
				TLS: TLSConfig{CACert: ca, MinVersion: tc.minV}})
			if len(got) < 4 {
				t.Fatalf("%d samples", len(got))
			}
			for _, s := range got {
				checkPartition(t, s)
				if s.Class != OK || s.Proto != HTTP11 || s.Phases.TLS <= 0 || s.Phases.Connect <= 0 {
					t.Fatalf("sample %+v", s)
				}
			}
			// Each user's first handshake may be full (both may start before
			// a session is cached); every later one resumes.
			if f := full.Load(); f > 2 || resumed.Load() < int64(len(got))-2 {
				t.Errorf("%d full handshakes, %d resumed, of %d requests", f, resumed.Load(), len(got))
			}
		})
	}
}

// A certificate the run does not trust fails every request with class
// tls; --insecure skips the check.
func TestTLSUntrusted(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes, expected
	srv.StartTLS()
	t.Cleanup(srv.Close)
	for _, tc := range []struct {
		name    string
		conf    TLSConfig
		netHTTP bool
		want    ErrorClass
	}{{"h1 system roots", TLSConfig{}, false, TLS}, {"nethttp system roots", TLSConfig{}, true, TLS},
		{"h1 insecure", TLSConfig{Insecure: true}, false, OK}, {"nethttp insecure", TLSConfig{Insecure: true}, true, OK}} {
		t.Run(tc.name, func(t *testing.T) {
			forceNetHTTP = tc.netHTTP
			defer func() { forceNetHTTP = false }()
			got, _ := runEngine(t, RunConfig{URL: srv.URL, Model: Closed, Users: 1, SpawnRate: 100, Duration: 200 * time.Millisecond,
				Tasks: []Task{{"GET", "/", 1}}, Timeout: time.Second, KeepAlive: true, TLS: tc.conf})
			if len(got) == 0 {
				t.Fatal("no samples")
			}
			for _, s := range got {
				checkPartition(t, s)
				if s.Class != tc.want {
					t.Fatalf("class %v, want %v: %+v", s.Class, tc.want, s)
				}
			}
		})
	}
}

// TLS settings that cannot work are refused before any load, naming the
// flag.
func TestTLSConfigRefused(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "x.pem")
	os.WriteFile(notPEM, []byte("not a certificate"), 0o644)
	for _, tc := range []struct {
		conf  TLSConfig
		field string
	}{
		{TLSConfig{CACert: filepath.Join(dir, "missing.pem")}, "ca-cert"},
		{TLSConfig{CACert: notPEM}, "ca-cert"},
		{TLSConfig{ClientCert: notPEM}, "client-key"},
		{TLSConfig{ClientKey: notPEM}, "client-cert"},
		{TLSConfig{ClientCert: notPEM, ClientKey: notPEM}, "client-cert"},
		{TLSConfig{MinVersion: "1.4"}, "tls-min"},
	} {
		cfg := RunConfig{URL: "https://127.0.0.1:1", Model: Closed, Users: 1, SpawnRate: 1, Duration: time.Second,
			Tasks: []Task{{"GET", "/", 1}}, Timeout: time.Second, TLS: tc.conf}
		err := cfg.Validate()
		if err == nil || !containsField(err, tc.field) {
			t.Errorf("%+v: error %v, want one naming %s", tc.conf, err, tc.field)
		}
	}
}

// HTTP/2, over TLS (ALPN h2) and cleartext (h2c prior knowledge): every
// request goes over HTTP/2, and H2Streams users share each connection, so
// the server sees users/H2Streams connections carrying up to H2Streams
// requests at once.
func TestHTTP2StreamsPerConnection(t *testing.T) {
	for _, tc := range []struct {
		name    string
		tls     bool
		streams int
	}{{"h2c", false, 2}, {"h2", true, 2}, {"h2c one each", false, 1}, {"h2 four", true, 4}} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			conns, inFlight, most := map[any]bool{}, map[any]int{}, 0
			type connKey struct{}
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				c := r.Context().Value(connKey{})
				mu.Lock()
				conns[c] = true
				inFlight[c]++
				most = max(most, inFlight[c])
				mu.Unlock()
				time.Sleep(20 * time.Millisecond)
				mu.Lock()
				inFlight[c]--
				mu.Unlock()
				if r.ProtoMajor != 2 {
					http.Error(w, "want HTTP/2", http.StatusHTTPVersionNotSupported)
				}
			}))
			srv.Config.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
				return context.WithValue(ctx, connKey{}, c)
			}
			srv.Config.Protocols = new(http.Protocols)
			srv.Config.Protocols.SetHTTP1(true)
			srv.Config.Protocols.SetHTTP2(true)
			srv.Config.Protocols.SetUnencryptedHTTP2(true)
			cfg := RunConfig{Model: Closed, Users: 4, SpawnRate: 20, Duration: 600 * time.Millisecond,
				Tasks: []Task{{"GET", "/", 1}}, Timeout: 2 * time.Second, KeepAlive: true, HTTP2: true, H2Streams: tc.streams}
			if tc.tls {
				srv.EnableHTTP2 = true
				srv.StartTLS()
				cfg.TLS.CACert = writeCertPEM(t, srv)
			} else {
				srv.Start()
			}
			t.Cleanup(srv.Close)
			cfg.URL = srv.URL
			got, _ := runEngine(t, cfg)
			opened := 0
			for _, s := range got {
				checkPartition(t, s)
				if s.Class != OK || s.Proto != HTTP2 {
					t.Fatalf("sample %+v", s)
				}
				if !s.Reused {
					opened++
					if tc.tls && s.Phases.TLS <= 0 {
						t.Errorf("new TLS connection without a TLS phase: %+v", s.Phases)
					}
				}
			}
			mu.Lock()
			defer mu.Unlock()
			want := (4 + tc.streams - 1) / tc.streams
			if len(conns) != want || opened != want {
				t.Errorf("%d streams a connection: server saw %d connections, samples opened %d, want %d", tc.streams, len(conns), opened, want)
			}
			if most > tc.streams || (tc.streams > 1 && most < 2) {
				t.Errorf("at most %d requests at once on a connection, want 2..%d", most, tc.streams)
			}
		})
	}
}

// containsField reports whether err is an *input.Error naming field.
func containsField(err error, field string) bool {
	e, ok := input.As(err)
	return ok && e.Field == field
}

// FuzzParseTLSVersion: --tls-min is user input; any text gives a known
// version or an error naming the flag, never a panic.
func FuzzParseTLSVersion(f *testing.F) {
	for _, s := range []string{"", "1.2", "1.3", "TLS1.3", " 1.0 ", "1.4", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseTLSVersion(s)
		if err != nil {
			if !containsField(err, "tls-min") {
				t.Fatalf("%q: error %v does not name tls-min", s, err)
			}
			return
		}
		if v < 0x0301 || v > 0x0304 {
			t.Fatalf("%q: version %#x", s, v)
		}
	})
}
