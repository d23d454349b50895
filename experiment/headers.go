package experiment

import (
	"fmt"
	"strings"
)

// ParseHeader parses a -H 'Name: value' flag.
func ParseHeader(s string) (name, value string, err error) {
	name, value, ok := strings.Cut(s, ":")
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	if !ok || name == "" || strings.ContainsAny(name, " \t\r\n") || strings.ContainsAny(value, "\r\n") {
		return "", "", fmt.Errorf("-H %q: want 'Name: value'", s)
	}
	return name, value, nil
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
		if secretHeader(k) {
			v = "[redacted]"
		}
		h[k] = v
	}
	c.Headers = h
	return c
}

func secretHeader(name string) bool {
	n := strings.ToLower(name)
	for _, s := range []string{"auth", "cookie", "token", "secret", "key", "password", "session", "credential"} {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}
