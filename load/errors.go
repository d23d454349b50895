package load

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// ErrorClass classifies a failed request. Failures are counted by class,
// never dumped as raw error strings.
type ErrorClass uint8

const (
	OK             ErrorClass = iota
	Refused                   // connection refused: nothing listens
	Timeout                   // the request took longer than --timeout
	Reset                     // connection reset or closed mid-request
	PortExhaustion            // no local port left (EADDRNOTAVAIL, WSAEADDRINUSE)
	DNS                       // the host name did not resolve
	TLS                       // handshake or certificate failure
	HTTP                      // the server answered 4xx or 5xx; see Status
	Dropped                   // open model: max in-flight reached, not sent
	Other                     // anything else
	// Cancelled: still in flight when the run ended (its grace passed, or
	// an interrupt); its latency is the time it had taken so far.
	Cancelled
	// Check: a scenario's check on the response did not hold, or a capture
	// found nothing (the server answered; its latency counts).
	Check
	// NoData: a scenario's queue data file had no row left (on_end fail);
	// not sent.
	NoData
	// LastClass is the highest class, for tables over all of them.
	LastClass = NoData
)

var classNames = [...]string{"", "refused", "timeout", "reset", "port-exhaustion", "dns", "tls", "http", "dropped", "other", "cancelled", "check", "data"}

// String gives the stored name of the class; HTTP failures are named by
// code with Name.
func (c ErrorClass) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return "other"
}

// Name gives the class as stored and printed: "http-503" for an HTTP failure,
// "refused", "timeout", ... otherwise, and "" for success.
func (c ErrorClass) Name(status uint16) string {
	if c == HTTP {
		return "http-" + strconv.Itoa(int(status))
	}
	return c.String()
}

// ParseErrorClass is the inverse of Name (the status is lost for "http-NNN"
// and returned separately).
func ParseErrorClass(name string) (ErrorClass, uint16) {
	if code, ok := strings.CutPrefix(name, "http-"); ok {
		n, _ := strconv.Atoi(code)
		return HTTP, uint16(n)
	}
	for i, n := range classNames {
		if n == name {
			return ErrorClass(i), 0
		}
	}
	return Other, 0
}

// wsaeaddrinuse is Windows' "only one usage of each socket address" error,
// what a client sees there when ephemeral ports run out.
const wsaeaddrinuse = 10048

// Classify maps a transport error to its class. It never returns OK for a
// non-nil error.
func Classify(err error) ErrorClass {
	if err == nil {
		return OK
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		switch {
		case errno == syscall.ECONNREFUSED:
			return Refused
		case errno == syscall.ECONNRESET || errno == syscall.EPIPE || errno == syscall.ECONNABORTED:
			return Reset
		case errno == syscall.EADDRNOTAVAIL || errno == wsaeaddrinuse:
			return PortExhaustion
		case errno == syscall.ETIMEDOUT:
			return Timeout
		}
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return DNS
	}
	var certErr *tls.CertificateVerificationError
	var recErr tls.RecordHeaderError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	if errors.As(err, &certErr) || errors.As(err, &recErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr) {
		return TLS
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return Timeout
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return Timeout
	}
	var alert tls.AlertError
	switch {
	case errors.As(err, &alert):
		return TLS // the server refused the handshake (version, certificate)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return Reset // the connection closed under the request
	}
	// What net/http returns unwrapped (its errors are not exported): its
	// text is all there is to go by.
	msg := err.Error()
	switch {
	case strings.Contains(msg, "connection refused"):
		return Refused
	case strings.Contains(msg, "connection reset"), strings.Contains(msg, "broken pipe"),
		strings.Contains(msg, "EOF"), strings.Contains(msg, "server closed"):
		return Reset
	case strings.Contains(msg, "cannot assign requested address"),
		strings.Contains(msg, "Only one usage of each socket address"):
		return PortExhaustion
	case strings.Contains(msg, "tls:"), strings.Contains(msg, "x509:"):
		return TLS
	case strings.Contains(msg, "timeout"):
		return Timeout
	}
	return Other
}
