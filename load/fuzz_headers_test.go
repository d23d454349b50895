package load

import (
	"bufio"
	"bytes"
	"net/http"
	"testing"
)

// What ParseHeader accepts goes on the wire as given: a request carrying
// it is written and read back by net/http with the same name and value,
// and the flag form round-trips.
func FuzzParseHeader(f *testing.F) {
	for _, s := range []string{"Authorization: Bearer x", "X-A:b", "a b: c", "X: v\r\nY: w", ": v", "X-Tab:\tv",
		"N\x00: v", "Ä: v", "X: ä", "X:", "Cookie: a=b; c=d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, value, err := ParseHeader(s)
		if err != nil {
			return
		}
		n2, v2, err := ParseHeader(name + ": " + value)
		if err != nil || n2 != name || v2 != value {
			t.Fatalf("%q parsed to %q %q; its flag form to %q %q (%v)", s, name, value, n2, v2, err)
		}
		req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/", nil)
		req.Header[name] = []string{value} // as given, not canonicalised
		var wire bytes.Buffer
		if err := req.Write(&wire); err != nil {
			t.Fatalf("%q: write request: %v", s, err)
		}
		back, err := http.ReadRequest(bufio.NewReader(&wire))
		if err != nil {
			t.Fatalf("%q: the request written with it does not parse: %v\n%q", s, err, wire.String())
		}
		if got := back.Header.Get(name); got != value {
			t.Fatalf("%q: header %q came back as %q, want %q", s, name, got, value)
		}
	})
}
