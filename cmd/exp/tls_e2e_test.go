package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// HTTPS against `exp serve --tls`: trusted by its certificate (--ca-cert
// of the PEM it wrote) or unverified (--insecure) the requests succeed over
// our HTTP/1.1 client with a TLS phase on each new connection; a CA that
// did not sign it fails every request with class tls and one line saying
// so in the summary.
func TestHTTPSAgainstServeTLS(t *testing.T) {
	dir := t.TempDir()
	certPath := filepath.Join(dir, "target.pem")
	srv := startExp(t, "serve", "--tls", "--cert-out", certPath)
	url := waitStdout(t, srv, regexp.MustCompile(`listening on (https://\S+)`))[1]
	fp := waitStdout(t, srv, regexp.MustCompile(`certificate SHA-256 fingerprint ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})`))[1]
	if got := fingerprintOf(t, certPath); got != fp {
		t.Errorf("printed fingerprint %s, the written certificate's %s", fp, got)
	}
	wrongCA := filepath.Join(dir, "wrong.pem")
	writeOtherCA(t, wrongCA)
	dbPath := filepath.Join(dir, "exp.db")
	for _, tc := range []struct {
		name  string
		flags []string
		ok    bool
	}{
		{"ca-cert", []string{"--ca-cert", certPath}, true},
		{"insecure", []string{"--insecure"}, true},
		{"tls13", []string{"--ca-cert", certPath, "--tls-min", "1.3"}, true},
		{"wrong-ca", []string{"--ca-cert", wrongCA}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"run", "--db", dbPath, "--url", url, "--users", "2", "--spawn-rate", "100",
				"--duration", "1s", "--wait", "20ms", "--tasks", "/health", "--name", tc.name}, tc.flags...)
			r := mustExp(t, args...)
			db := openDB(t, dbPath)
			checkPhaseSums(t, db, tc.name)
			checkPhaseStats(t, db, tc.name)
			q := func(cond string) int64 {
				return queryInt(t, db, `select count(*) from samples s join runs r on r.id = s.run_id where r.name = ? and `+cond, tc.name)
			}
			total := q("1")
			tlsLine := regexp.MustCompile(`(?m)^TLS: (\d+) requests failed their TLS handshake`).FindStringSubmatch(r.stdout)
			if tc.ok {
				if bad := q("(error_class is not null or protocol is not 'HTTP/1.1')"); total == 0 || bad != 0 {
					t.Errorf("%d of %d requests failed or not over HTTP/1.1:\n%s", bad, total, r.stdout)
				}
				// Kept alive: a TLS phase on each user's first request only.
				if n := q("tls_us > 0"); n != 2 || q("reused = 0 and tls_us = 0") != 0 {
					t.Errorf("%d samples with a TLS phase, want one per user (2)", n)
				}
				if tlsLine != nil {
					t.Errorf("a TLS failure line in a run without one:\n%s", r.stdout)
				}
				return
			}
			if n := q("error_class = 'tls'"); total == 0 || n != total {
				t.Errorf("%d of %d requests failed with class tls", n, total)
			}
			if tlsLine == nil || tlsLine[1] != itoa(total) {
				t.Errorf("want one line counting the %d TLS failures:\n%s", total, r.stdout)
			}
		})
	}
}

// exp run --tls: the built-in target serves HTTPS with a certificate made
// for the run, which the run trusts; with --http2 it speaks h2 (and h2c
// without --tls), and --h2-streams users share each connection.
func TestBuiltinTLSAndHTTP2(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "exp.db")
	for _, tc := range []struct {
		name    string
		flags   []string
		proto   string
		tls     bool
		streams int
	}{
		{"builtin-https", []string{"--tls"}, "HTTP/1.1", true, 1},
		{"builtin-h2", []string{"--tls", "--http2", "--h2-streams", "2"}, "HTTP/2", true, 2},
		{"builtin-h2c", []string{"--http2", "--h2-streams", "4"}, "HTTP/2", false, 4},
		{"builtin-h2c-each", []string{"--http2"}, "HTTP/2", false, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Users start 100 ms apart, so each group's connection is open
			// before the group's next user sends.
			args := append([]string{"run", "--db", dbPath, "--users", "4", "--spawn-rate", "10", "--duration", "1500ms",
				"--wait", "10ms", "--tasks", "/health:1,/io?ms=20:1", "--name", tc.name}, tc.flags...)
			r := mustExp(t, args...)
			db := openDB(t, dbPath)
			checkPhaseSums(t, db, tc.name)
			checkPhaseStats(t, db, tc.name)
			q := func(cond string) int64 {
				return queryInt(t, db, `select count(*) from samples s join runs r on r.id = s.run_id where r.name = ? and `+cond, tc.name)
			}
			if total, bad := q("1"), q("(error_class is not null or protocol is not '"+tc.proto+"')"); total == 0 || bad != 0 {
				t.Errorf("%d of %d requests failed or not over %s:\n%s", bad, total, tc.proto, r.stdout)
			}
			if want := int64(4 / tc.streams); q("reused = 0") != want || q("connect_us > 0") != want {
				t.Errorf("%d streams a connection: %d requests opened one (%d with a connect phase), want %d",
					tc.streams, q("reused = 0"), q("connect_us > 0"), want)
			}
			if tc.tls != (q("tls_us > 0") > 0) {
				t.Errorf("tls %v, but %d samples with a TLS phase", tc.tls, q("tls_us > 0"))
			}
			if !strings.Contains(r.stdout, "protocol: "+tc.proto) {
				t.Errorf("summary does not say %s:\n%s", tc.proto, r.stdout)
			}
			t.Logf("%s summary:\n%s", tc.name, r.stdout)
		})
	}
}

func itoa(n int64) string { return fmt.Sprint(n) }

// waitStdout waits until the background exp's stdout matches re.
func waitStdout(t *testing.T, b *bgExp, re *regexp.Regexp) []string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(b.out.String()); m != nil {
			return m
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no %v on stdout:\n%s\nstderr:\n%s", re, b.out.String(), b.err.String())
	return nil
}

// fingerprintOf is the SHA-256 fingerprint of a PEM certificate, as
// openssl x509 -fingerprint -sha256 prints it.
func fingerprintOf(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(b)
	if block == nil {
		t.Fatalf("%s: no PEM", path)
	}
	return sha256Colons(block.Bytes)
}

// writeOtherCA writes a self-signed CA certificate that signed nothing the
// target serves.
func writeOtherCA(t *testing.T, path string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "other CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true,
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
}

func sha256Colons(der []byte) string {
	sum := sha256.Sum256(der)
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(parts, ":")
}
