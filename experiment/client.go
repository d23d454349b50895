package experiment

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"strings"
	"time"
)

// client sends the requests of one virtual user (or one open-model
// worker). Each has its own connection(s), like a Locust user's session.
type client interface {
	// do sends task i and reads the whole body.
	do(i int) (status int, bytes int64, reused bool, err error)
	close()
}

// newClient builds the client of one user. ctx cancels its in-flight
// request when the run is stopped.
func newClient(ctx context.Context, cfg *RunConfig, tr *http.Transport) (client, error) {
	if tr == nil {
		tr = newTransport(cfg, 1)
	}
	c := &netClient{hc: &http.Client{Transport: tr, Timeout: cfg.Timeout,
		// A load test measures the response it asked for, not where it leads.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	// The trace is attached once; its callback writes into the client, so no
	// per-request allocation is needed to learn about connection reuse.
	trace := &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) { c.reused = i.Reused }}
	ctx = httptrace.WithClientTrace(ctx, trace)
	base := strings.TrimRight(cfg.URL, "/")
	for _, t := range cfg.Tasks {
		req, err := http.NewRequestWithContext(ctx, t.Method, base+t.Path, nil)
		if err != nil {
			return nil, err
		}
		for k, v := range cfg.Headers {
			req.Header.Set(k, v)
		}
		req.Header.Set("User-Agent", "exp")
		c.reqs = append(c.reqs, req)
	}
	return c, nil
}

// newTransport is a transport for conns concurrent requests to one host.
func newTransport(cfg *RunConfig, conns int) *http.Transport {
	return &http.Transport{
		Proxy:               nil, // never route a load test through a proxy
		DialContext:         (&net.Dialer{Timeout: cfg.Timeout, KeepAlive: 30 * time.Second}).DialContext,
		DisableKeepAlives:   !cfg.KeepAlive,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		TLSClientConfig:     &tls.Config{},
		ForceAttemptHTTP2:   false,
	}
}

type netClient struct {
	hc     *http.Client
	reqs   []*http.Request // one prebuilt request per task, reused
	reused bool
}

func (c *netClient) do(i int) (int, int64, bool, error) {
	c.reused = false
	resp, err := c.hc.Do(c.reqs[i])
	if err != nil {
		return 0, 0, c.reused, err
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, n, c.reused, err
}

func (c *netClient) close() { c.hc.CloseIdleConnections() }
