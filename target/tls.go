package target

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"strings"
	"time"

	"exp/input"
)

// selfSigned makes the certificate the target serves HTTPS with: ECDSA
// P-256, generated in memory at start and valid for a day, for localhost,
// 127.0.0.1, ::1 and the host it listens on. It is its own CA, so a
// client trusts it by its PEM (--ca-cert) or skips the check (--insecure).
func selfSigned(host string) (tls.Certificate, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("certificate key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("certificate serial: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "exp serve", Organization: []string{"exp built-in target"}},
		NotBefore:             now.Add(-time.Minute),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	if ip := net.ParseIP(host); ip != nil && !ip.IsUnspecified() && !ip.IsLoopback() {
		tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
	} else if ip == nil && host != "" && host != "localhost" {
		tmpl.DNSNames = append(tmpl.DNSNames, host)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("create certificate: %w", err)
	}
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pemBytes, nil
}

// Fingerprint is a certificate's SHA-256 fingerprint as browsers and
// openssl x509 -fingerprint -sha256 print it: hex pairs joined by colons.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(parts, ":")
}

// serverTLS is the TLS configuration of a target serving HTTPS: its
// certificate, and ALPN h2 when it speaks HTTP/2. The PEM is written to
// opts.CertOut when set, so that a client can trust it.
func serverTLS(opts Options) (*tls.Config, []byte, error) {
	host, _, _ := net.SplitHostPort(opts.Addr)
	cert, pemBytes, err := selfSigned(host)
	if err != nil {
		return nil, nil, err
	}
	if opts.CertOut != "" {
		if err := os.WriteFile(opts.CertOut, pemBytes, 0o644); err != nil {
			return nil, nil, input.Errorf(flagCertOut, "%w", err)
		}
	}
	protos := []string{"http/1.1"}
	if opts.HTTP2 {
		protos = []string{"h2", "http/1.1"}
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: protos, MinVersion: tls.VersionTLS12}, cert.Certificate[0], nil
}
