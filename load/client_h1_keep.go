package load

import (
	"bufio"
	"bytes"
	"io"
	"slices"
	"strings"
)

// h1Keep is what h1Client keeps of a response for a scenario: its
// Set-Cookie lines, the headers its captures name, and, when wanted, its
// body. A nil *h1Keep keeps nothing (the plain path discards it all).
// Its buffers are reused from response to response.
type h1Keep struct {
	wantBody bool
	names    []string // lower-case names of headers to keep
	body     []byte
	cookies  []string // Set-Cookie values of this response
	values   []string // by names
}

func (k *h1Keep) reset() {
	if k == nil {
		return
	}
	k.body, k.cookies = k.body[:0], k.cookies[:0]
	k.values = slices.Grow(k.values[:0], len(k.names))[:len(k.names)]
	clear(k.values)
}

// header looks at one header line.
func (k *h1Keep) header(line []byte) {
	if k == nil {
		return
	}
	name, value, ok := bytes.Cut(line, []byte(":"))
	if !ok {
		return
	}
	value = bytes.TrimSpace(value)
	if equalFold(name, "set-cookie") {
		k.cookies = append(k.cookies, string(value))
	}
	for i, n := range k.names {
		if equalFold(name, n) && k.values[i] == "" {
			k.values[i] = string(value)
		}
	}
}

// Header is a kept header's value ("" when absent or not kept).
func (k *h1Keep) Header(name string) string {
	for i, n := range k.names {
		if strings.EqualFold(n, name) {
			return k.values[i]
		}
	}
	return ""
}

// Cookie is the value of a cookie the response set.
func (k *h1Keep) Cookie(name string) (string, bool) {
	for _, c := range k.cookies {
		if n, v, ok := cookiePair(c); ok && n == name {
			return v, true
		}
	}
	return "", false
}

// cookiePair is the name and value of a Set-Cookie value.
func cookiePair(setCookie string) (name, value string, ok bool) {
	pair, _, _ := strings.Cut(setCookie, ";")
	name, value, ok = strings.Cut(pair, "=")
	name, value = strings.TrimSpace(name), strings.Trim(strings.TrimSpace(value), `"`)
	return name, value, ok && name != ""
}

// takeN reads n bytes of body: discarded, or with k.wantBody kept up to
// maxCaptureBody (the rest discarded).
func takeN(br *bufio.Reader, n int64, k *h1Keep) (int64, error) {
	if k == nil || !k.wantBody {
		return discardN(br, n)
	}
	var done int64
	for done < n {
		room := maxCaptureBody - len(k.body)
		if room <= 0 {
			d, err := discardN(br, n-done)
			return done + d, err
		}
		chunk := int(min(n-done, int64(room), 32<<10))
		start := len(k.body)
		k.body = slices.Grow(k.body, chunk)[:start+chunk]
		m, err := io.ReadFull(br, k.body[start:])
		k.body = k.body[:start+m]
		done += int64(m)
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		if err != nil {
			return done, err
		}
	}
	return done, nil
}

// takeAll reads a body that ends with the connection, as takeN does.
func takeAll(br *bufio.Reader, k *h1Keep) (int64, error) {
	if k == nil || !k.wantBody {
		return discardAll(br)
	}
	var done int64
	for {
		d, err := takeN(br, 32<<10, k)
		done += d
		if err == io.ErrUnexpectedEOF {
			return done, nil
		}
		if err != nil {
			return done, err
		}
	}
}
