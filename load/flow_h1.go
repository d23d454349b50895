package load

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"exp/scenario"
)

// h1Flow sends a scenario user's requests on h1Client, the generator's own
// HTTP/1.1 client: each request is written into a reused buffer from the
// compiled templates, and only what the scenario reads of a response is
// kept (h1Keep). Its cookie jar holds the cookies of the one host the run
// loads, by name (no domain or path scoping: a run has one host; expiry
// by Max-Age=0 only).
type h1Flow struct {
	c      *h1Client
	prefix string // the base URL's path
	host   string
	fixed  []fixedHeader // -H headers, sorted
	keep   h1Keep
	jar    []jarCookie
	jarHdr []byte // "Cookie: a=1; b=2\r\n", or empty
	wire   []byte
	body   []byte
	req    h1Request // reused: a pointer to a local would escape
}

type fixedHeader struct{ name, value string }

type jarCookie struct{ name, value string }

func newH1Flow(ctx context.Context, cfg *RunConfig) (*h1Flow, error) {
	base, err := url.Parse(strings.TrimRight(cfg.URL, "/"))
	if err != nil {
		return nil, err
	}
	plain := *cfg
	plain.Tasks = nil // the scenario builds its requests itself
	c, err := newH1Client(ctx, &plain, base)
	if err != nil {
		return nil, err
	}
	f := &h1Flow{c: c, prefix: strings.TrimRight(base.Path, "/"), host: base.Host}
	for k, v := range cfg.Headers {
		f.fixed = append(f.fixed, fixedHeader{k, v})
	}
	sortFixed(f.fixed)
	return f, nil
}

func sortFixed(h []fixedHeader) {
	for i := 1; i < len(h); i++ {
		for j := i; j > 0 && h[j].name < h[j-1].name; j-- {
			h[j], h[j-1] = h[j-1], h[j]
		}
	}
}

// do sends r for the user st and reads its response.
func (f *h1Flow) do(r *scenario.Req, st *scenario.State, start time.Time) (int, int64, bool, error) {
	f.build(r, st)
	f.req = h1Request{wire: f.wire, head: r.Method == "HEAD",
		replayable: r.Method == "GET" || r.Method == "HEAD" || r.Method == "OPTIONS"}
	f.keep.wantBody, f.keep.names = r.NeedsBody(), r.HeaderNames()
	if r.Timeout > 0 {
		def := f.c.timeout
		f.c.timeout, f.c.deadline = r.Timeout, time.Time{}
		defer func() { f.c.timeout, f.c.deadline = def, time.Time{} }()
	}
	status, n, reused, err := f.c.send(&f.req, start, &f.keep)
	if err == nil && len(f.keep.cookies) > 0 {
		f.setCookies()
	}
	return status, n, reused, err
}

// build writes the request's bytes into f.wire.
func (f *h1Flow) build(r *scenario.Req, st *scenario.State) {
	w := append(f.wire[:0], r.Method...)
	w = append(append(w, ' '), f.prefix...)
	w = r.Path.Append(w, st)
	for i, q := range r.Query {
		if i == 0 && !hasQuery(w) {
			w = append(w, '?')
		} else {
			w = append(w, '&')
		}
		w = appendQueryEscape(w, q.Name)
		w = append(w, '=')
		start := len(w)
		w = q.Value.Append(w, st)
		w = append(w[:start], escapeTail(w[start:])...)
	}
	w = append(w, " HTTP/1.1\r\n"...)
	host, ua := f.host, true
	for _, h := range f.fixed {
		if overridden(r, h.name) {
			continue
		}
		switch {
		case strings.EqualFold(h.name, "host"):
			host = h.value
			continue
		case strings.EqualFold(h.name, "user-agent"):
			ua = false
		}
		w = appendHeader(w, h.name, h.value)
	}
	for _, h := range r.Headers {
		switch {
		case strings.EqualFold(h.Name, "host"):
			host = string(h.Value.Append(nil, st))
			continue
		case strings.EqualFold(h.Name, "user-agent"):
			ua = false
		}
		w = append(append(w, h.Name...), ": "...)
		w = append(h.Value.Append(w, st), "\r\n"...)
	}
	w = appendHeader(w, "Host", host)
	if ua {
		w = append(w, "User-Agent: exp\r\n"...)
	}
	if r.ContentType != "" && !overridden(r, "content-type") {
		w = appendHeader(w, "Content-Type", r.ContentType)
	}
	w = append(w, f.jarHdr...)
	body := r.BodyBytes
	if !r.Body.Empty() {
		f.body = r.Body.Append(f.body[:0], st)
		body = f.body
	}
	if len(body) > 0 || r.Method == "POST" || r.Method == "PUT" || r.Method == "PATCH" {
		w = append(w, "Content-Length: "...)
		w = append(strconv.AppendInt(w, int64(len(body)), 10), "\r\n"...)
	}
	w = append(append(w, "\r\n"...), body...)
	f.wire = w
}

func hasQuery(w []byte) bool {
	for i := len(w) - 1; i >= 0 && w[i] != ' '; i-- {
		if w[i] == '?' {
			return true
		}
	}
	return false
}

func overridden(r *scenario.Req, name string) bool {
	for _, h := range r.Headers {
		if strings.EqualFold(h.Name, name) {
			return true
		}
	}
	return false
}

func appendHeader(w []byte, name, value string) []byte {
	return append(append(append(append(w, name...), ": "...), value...), "\r\n"...)
}

// appendQueryEscape appends s escaped as url.QueryEscape does.
func appendQueryEscape(w []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		w = appendEscapedByte(w, s[i])
	}
	return w
}

// escapeTail escapes a rendered value in place of itself; it returns a
// copy only when something needs escaping.
func escapeTail(v []byte) []byte {
	clean := true
	for _, c := range v {
		if !unreserved(c) {
			clean = false
			break
		}
	}
	if clean {
		return v
	}
	out := make([]byte, 0, len(v)*3)
	for _, c := range v {
		out = appendEscapedByte(out, c)
	}
	return out
}

func unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~'
}

func appendEscapedByte(w []byte, c byte) []byte {
	switch {
	case unreserved(c):
		return append(w, c)
	case c == ' ':
		return append(w, '+')
	}
	const hex = "0123456789ABCDEF"
	return append(w, '%', hex[c>>4], hex[c&15])
}

// setCookies takes the response's Set-Cookie lines into the jar.
func (f *h1Flow) setCookies() {
	for _, sc := range f.keep.cookies {
		name, value, ok := cookiePair(sc)
		if !ok {
			continue
		}
		del := strings.Contains(strings.ToLower(sc), "max-age=0") || strings.Contains(strings.ToLower(sc), "max-age=-")
		i := 0
		for ; i < len(f.jar) && f.jar[i].name != name; i++ {
		}
		switch {
		case del && i < len(f.jar):
			f.jar = append(f.jar[:i], f.jar[i+1:]...)
		case del:
		case i < len(f.jar):
			f.jar[i].value = value
		default:
			f.jar = append(f.jar, jarCookie{name, value})
		}
	}
	f.jarHdr = f.jarHdr[:0]
	for i, c := range f.jar {
		if i == 0 {
			f.jarHdr = append(f.jarHdr, "Cookie: "...)
		} else {
			f.jarHdr = append(f.jarHdr, "; "...)
		}
		f.jarHdr = append(append(append(f.jarHdr, c.name...), '='), c.value...)
	}
	if len(f.jar) > 0 {
		f.jarHdr = append(f.jarHdr, "\r\n"...)
	}
}
