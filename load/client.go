package load

import (
	"context"
	"crypto/tls"
	"exp/input"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"time"
)

// client sends the requests of one virtual user (or one open-model
// worker). Each has its own connection(s), like a Locust user's session.
type client interface {
	// do sends task i and reads the whole body. start is when the caller
	// read the clock before it: the request's timeout counts from there.
	do(i int, start time.Time) (status int, bytes int64, reused bool, err error)
	// trace gives the phase boundaries the last request crossed.
	trace() *trace
	close()
}

// newClient builds the client of one user. ctx cancels its in-flight
// request when the run is stopped. Plain http:// targets get h1Client,
// the generator's own HTTP/1.1 client; the others get net/http (see
// usesNetHTTP), with tr as transport if not nil.
func newClient(ctx context.Context, cfg *RunConfig, tr *http.Transport) (client, error) {
	if !usesNetHTTP(cfg) {
		base, err := url.Parse(strings.TrimRight(cfg.URL, "/"))
		if err != nil {
			return nil, input.Errorf("url", "%q: %w", cfg.URL, err)
		}
		return newH1Client(ctx, cfg, base)
	}
	if tr == nil {
		tr = newTransport(cfg, 1)
	}
	return newNetClient(ctx, cfg, tr)
}

// usesNetHTTP tells whether the run's clients are net/http ones: for
// HTTP/2, user info in the URL and non-ASCII hosts, which h1Client does
// not handle.
func usesNetHTTP(cfg *RunConfig) bool {
	base, err := url.Parse(strings.TrimRight(cfg.URL, "/"))
	return forceNetHTTP || cfg.HTTP2 || err != nil || !h1Supports(base)
}

// forceNetHTTP makes every client a net/http one, for benchmarks and tests
// that compare the two.
var forceNetHTTP bool

// h1Supports tells whether h1Client can load base.
func h1Supports(base *url.URL) bool {
	if (base.Scheme != "http" && base.Scheme != "https") || base.User != nil || base.Host == "" {
		return false
	}
	for _, c := range []byte(base.Host) {
		if c >= 0x80 {
			return false // an IDN: net/http converts it to punycode
		}
	}
	return true
}

// newNetClient builds a net/http client of one user.
func newNetClient(ctx context.Context, cfg *RunConfig, tr *http.Transport) (client, error) {
	c := &netClient{hc: &http.Client{Transport: tr, Timeout: cfg.Timeout,
		// A load test measures the response it asked for, not where it leads.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	ctx = httptrace.WithClientTrace(ctx, c.tracer.clientTrace())
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

// newTransport is a transport for conns concurrent requests to one host,
// over HTTP/1.1, or over HTTP/2 when the run asks (h2 by ALPN for https,
// h2c with prior knowledge for http).
func newTransport(cfg *RunConfig, conns int) *http.Transport {
	conf := cfg.tlsClient
	if conf == nil {
		conf = &tls.Config{}
	}
	tr := &http.Transport{
		Proxy:               nil, // never route a load test through a proxy
		DialContext:         (&net.Dialer{Timeout: cfg.Timeout, KeepAlive: 30 * time.Second}).DialContext,
		DisableKeepAlives:   !cfg.KeepAlive,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		TLSClientConfig:     conf.Clone(),
		ForceAttemptHTTP2:   cfg.HTTP2,
	}
	if cfg.HTTP2 {
		tr.Protocols = new(http.Protocols)
		if strings.HasPrefix(cfg.URL, "https:") {
			// ALPN offers h2 first; a server without it answers over
			// HTTP/1.1, which each sample's protocol then shows.
			tr.Protocols.SetHTTP2(true)
			tr.Protocols.SetHTTP1(true)
		} else {
			tr.Protocols.SetUnencryptedHTTP2(true)
		}
		// One dial at a time: requests of a new transport wait for its
		// connection and share it, instead of racing a dial each.
		tr.MaxConnsPerHost = 1
	}
	return tr
}

type netClient struct {
	hc     *http.Client
	reqs   []*http.Request // one prebuilt request per task, reused
	tracer netTracer
}

func (c *netClient) do(i int, _ time.Time) (int, int64, bool, error) {
	c.tracer.reset()
	resp, err := c.hc.Do(c.reqs[i])
	if err != nil {
		return 0, 0, c.tracer.wasReused(), err
	}
	c.tracer.setProto(resp.ProtoMajor)
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, n, c.tracer.wasReused(), err
}

func (c *netClient) trace() *trace { return c.tracer.snapshot() }

func (c *netClient) close() { c.hc.CloseIdleConnections() }
