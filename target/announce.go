package target

import (
	"context"
	"fmt"
	"io"
)

// Announce writes the lines `exp serve` starts with: "listening on URL"
// first and exactly so (Start reads it), then over TLS the certificate's
// fingerprint and, when certOut is set, where its PEM went.
func (s *Server) Announce(w io.Writer, certOut string) error {
	if _, err := fmt.Fprintf(w, "%s%s\n", listeningPrefix, s.URL()); err != nil {
		return err
	}
	fp := s.Fingerprint()
	if fp == "" {
		return nil
	}
	fmt.Fprintf(w, "certificate SHA-256 fingerprint %s (self-signed, made at start)\n", fp)
	if certOut != "" {
		fmt.Fprintf(w, "certificate written to %s (trust it with --ca-cert %[1]s)\n", certOut)
	}
	return nil
}

// CancelOnEOF ends ctx when r reaches end of file: the server's parent
// (Start, with StdinEOFFlag) closed its stdin, or died and the OS closed
// it.
func CancelOnEOF(ctx context.Context, r io.Reader) context.Context {
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		_, _ = io.Copy(io.Discard, r)
		cancel()
	}()
	return ctx
}
