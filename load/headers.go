package load

import (
	"exp/input"
	"strings"
)

// ParseHeader parses a header 'Name: value' (field "header"). The name must be an HTTP
// token and the value free of control characters (tab aside), so that what
// is accepted goes on the wire as it was given, by either client.
func ParseHeader(s string) (name, value string, err error) {
	name, value, ok := strings.Cut(s, ":")
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	if !ok || name == "" {
		return "", "", input.Errorf("header", "%q: want 'Name: value'", s)
	}
	if !isToken(name) {
		return "", "", input.Errorf("header", "%q: header name %q may hold only letters, digits and !#$%%&'*+-.^_`|~", s, name)
	}
	for _, c := range []byte(value) {
		if (c < ' ' && c != '\t') || c == 0x7f {
			return "", "", input.Errorf("header", "%q: header value holds control character %#02x", s, c)
		}
	}
	return name, value, nil
}

// isToken reports whether s is an HTTP token (RFC 9110 section 5.6.2).
func isToken(s string) bool {
	for _, c := range []byte(s) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
		if !ok {
			return false
		}
	}
	return s != ""
}

// Redacted returns a copy of cfg whose secret header values (credentials,
// cookies, tokens, keys) are replaced, for storing: a database is shared
// more freely than a shell history.
func (c RunConfig) Redacted() RunConfig {
	if len(c.Headers) == 0 {
		return c
	}
	h := make(map[string]string, len(c.Headers))
	for k, v := range c.Headers {
		if IsSecret(k) {
			v = "[redacted]"
		}
		h[k] = v
	}
	c.Headers = h
	return c
}

// IsSecret reports a header (or field) name whose value is a secret:
// credentials, cookies, tokens, keys, passwords, sessions.
func IsSecret(name string) bool {
	n := strings.ToLower(name)
	for _, s := range []string{"auth", "cookie", "token", "secret", "key", "password", "session", "credential"} {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

// ParseHeaders parses headers 'Name: value' into a map; nil for none.
func ParseHeaders(hs []string) (map[string]string, error) {
	if len(hs) == 0 {
		return nil, nil
	}
	m := map[string]string{}
	for _, h := range hs {
		k, v, err := ParseHeader(h)
		if err != nil {
			return nil, err
		}
		m[k] = v
	}
	return m, nil
}
