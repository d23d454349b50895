package load

import (
	"crypto/tls"
	"crypto/x509"
	"os"
	"strings"

	"exp/input"
)

// TLSConfig is how the run's clients speak TLS to an https:// target. It
// is stored with the run (file names, never their content).
type TLSConfig struct {
	// Insecure skips verifying the server's certificate (--insecure).
	Insecure bool `json:"insecure,omitempty"`
	// CACert is a PEM file of the certificates to trust instead of the
	// system's (--ca-cert).
	CACert string `json:"ca_cert,omitempty"`
	// ClientCert and ClientKey are a PEM certificate and key sent to a
	// server that asks for one (--client-cert, --client-key).
	ClientCert string `json:"client_cert,omitempty"`
	ClientKey  string `json:"client_key,omitempty"`
	// MinVersion is the lowest TLS version offered: "1.2" (the default)
	// or "1.3" (--tls-min).
	MinVersion string `json:"min_version,omitempty"`
}

// ParseTLSVersion reads a --tls-min value: 1.0, 1.1, 1.2 or 1.3 ("" is
// 1.2, crypto/tls's own floor for clients).
func ParseTLSVersion(s string) (uint16, error) {
	switch strings.TrimPrefix(strings.ToLower(strings.TrimSpace(s)), "tls") {
	case "", "1.2":
		return tls.VersionTLS12, nil
	case "1.3":
		return tls.VersionTLS13, nil
	case "1.0":
		return tls.VersionTLS10, nil
	case "1.1":
		return tls.VersionTLS11, nil
	}
	return 0, input.Errorf("tls-min", "%q: want 1.0, 1.1, 1.2 or 1.3", s)
}

// sessionCacheSize bounds the TLS sessions kept for resumption: one per
// server name is what a run needs; a few spare for redirects' hosts.
const sessionCacheSize = 64

// build reads the files the configuration names and gives the client
// configuration every connection of the run starts from, with a session
// cache shared by the run's users, so that a new connection resumes a
// session instead of a full handshake, as a browser does. Its errors are
// *input.Error naming the flag at fault.
func (c TLSConfig) build(http2 bool) (*tls.Config, error) {
	minV, err := ParseTLSVersion(c.MinVersion)
	if err != nil {
		return nil, err
	}
	conf := &tls.Config{MinVersion: minV, InsecureSkipVerify: c.Insecure,
		ClientSessionCache: tls.NewLRUClientSessionCache(sessionCacheSize), NextProtos: []string{"http/1.1"}}
	if http2 {
		conf.NextProtos = []string{"h2", "http/1.1"}
	}
	if c.CACert != "" {
		pemBytes, err := os.ReadFile(c.CACert)
		if err != nil {
			return nil, input.Errorf("ca-cert", "%w", err)
		}
		conf.RootCAs = x509.NewCertPool()
		if !conf.RootCAs.AppendCertsFromPEM(pemBytes) {
			return nil, input.Errorf("ca-cert", "%s: no PEM certificate in it", c.CACert)
		}
	}
	switch {
	case c.ClientCert != "" && c.ClientKey == "":
		return nil, input.Errorf("client-key", "is missing: %v needs its key", input.Name("client-cert"))
	case c.ClientKey != "" && c.ClientCert == "":
		return nil, input.Errorf("client-cert", "is missing: %v needs its certificate", input.Name("client-key"))
	case c.ClientCert != "":
		pair, err := tls.LoadX509KeyPair(c.ClientCert, c.ClientKey)
		if err != nil {
			return nil, input.Errorf("client-cert", "%s with key %s: %w", c.ClientCert, c.ClientKey, err)
		}
		conf.Certificates = []tls.Certificate{pair}
	}
	return conf, nil
}

// String says how the run speaks TLS, for its header.
func (c TLSConfig) String() string {
	var parts []string
	switch {
	case c.Insecure:
		parts = append(parts, "certificate not verified (--insecure)")
	case c.CACert != "":
		parts = append(parts, "trusting "+c.CACert)
	}
	if c.ClientCert != "" {
		parts = append(parts, "client certificate "+c.ClientCert)
	}
	if c.MinVersion != "" {
		parts = append(parts, "TLS ≥ "+c.MinVersion)
	}
	return strings.Join(parts, ", ")
}
