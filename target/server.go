package target

import (
	"context"
	"crypto/tls"
	"errors"
	"exp/input"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"
)

// ShutdownGrace is how long Run lets in-flight requests finish after its
// context ends before it closes every connection. It is shorter than the
// 3 s after which Process.Stop kills the child, so a stop stays graceful.
const ShutdownGrace = 2 * time.Second

// Server is the target bound to its address, ready to Run.
type Server struct {
	http *http.Server
	ln   net.Listener
	cert []byte // DER of the certificate served over TLS; nil for http://
}

// Listen validates opts and binds opts.Addr. Its error for an address that
// cannot be bound (in use, not local, malformed) names --addr.
func Listen(opts Options) (*Server, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		var op *net.OpError
		if errors.As(err, &op) {
			err = op.Err // drop "listen tcp <addr>:", which repeats the address
		}
		return nil, input.Errorf("addr", "%s: cannot listen: %w", opts.Addr, err)
	}
	hs := &http.Server{
		Handler:           NewHandler(opts),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       opts.IdleTimeout,
	}
	hs.SetKeepAlivesEnabled(opts.KeepAlive)
	srv := &Server{http: hs, ln: ln}
	hs.Protocols = new(http.Protocols)
	hs.Protocols.SetHTTP1(true)
	if opts.HTTP2 {
		hs.Protocols.SetHTTP2(true)
		hs.Protocols.SetUnencryptedHTTP2(!opts.TLS)
	}
	if opts.TLS {
		conf, der, err := serverTLS(opts)
		if err != nil {
			ln.Close()
			return nil, err
		}
		hs.TLSConfig, srv.cert = conf, der
		srv.ln = tls.NewListener(ln, conf)
	}
	return srv, nil
}

// Fingerprint is the SHA-256 fingerprint of the certificate served over
// TLS, "" over plain HTTP.
func (s *Server) Fingerprint() string {
	if s.cert == nil {
		return ""
	}
	return Fingerprint(s.cert)
}

// Addr is the bound address, with the real port when :0 was asked.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// URL is the base URL clients use, such as http://127.0.0.1:40123.
// An all-interfaces address is reached through loopback.
func (s *Server) URL() string {
	scheme := "http://"
	if s.cert != nil {
		scheme = "https://"
	}
	a, ok := s.ln.Addr().(*net.TCPAddr)
	if !ok {
		return scheme + s.ln.Addr().String()
	}
	ip := a.IP
	switch {
	case ip.IsUnspecified() && ip.To4() != nil:
		ip = net.IPv4(127, 0, 0, 1)
	case ip.IsUnspecified():
		ip = net.IPv6loopback
	}
	return scheme + net.JoinHostPort(ip.String(), strconv.Itoa(a.Port))
}

// Run serves until ctx ends, then shuts down: in-flight requests get
// ShutdownGrace to finish, after which connections are closed. It returns
// nil after a shutdown and an error only if serving failed.
func (s *Server) Run(ctx context.Context) error {
	done := make(chan error, 1)
	go func() { done <- s.http.Serve(s.ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("serve %s: %w", s.URL(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), ShutdownGrace)
	defer cancel()
	if err := s.http.Shutdown(sctx); err != nil {
		_ = s.http.Close() // grace over: drop whoever is still connected
	}
	<-done // http.ErrServerClosed
	return nil
}
