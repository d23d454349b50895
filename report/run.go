package report

import (
	"fmt"
	"io"

	"exp/analysis"
	"exp/store"
	"exp/verdict"
)

// RunPage is everything `exp run` prints at its end and `exp show` shows
// of a stored run.
type RunPage struct {
	Header    RunHeader
	Summary   analysis.Summary
	Resources analysis.Resources
	Cores     int // the generator host's cores
	// TLSFailures counts the requests that failed their TLS handshake.
	TLSFailures int64
	// Dropped are the requests never sent, by endpoint, for want of one of
	// the MaxInflight slots (open model).
	Dropped     []analysis.FailureCount
	MaxInflight int
	Warnings    []analysis.Warning
	Workers     []store.RunWorker // a merged run's
	Verdict     verdict.Verdict
}

// Run prints the run page: header, statistics, failures, phases,
// resources, notes, warnings, workers and verdict.
func Run(w io.Writer, p RunPage) error {
	ew := &ErrWriter{W: w}
	fmt.Fprintln(ew)
	if err := Summary(ew, p.Header, p.Summary); err != nil {
		return err
	}
	fmt.Fprintln(ew)
	if err := Resources(ew, p.Resources, p.Cores); err != nil {
		return err
	}
	if p.TLSFailures > 0 {
		fmt.Fprintf(ew, "TLS: %d requests failed their TLS handshake: the server's certificate was not trusted (wrong or missing --ca-cert), did not name the host, or the server refused the version (--tls-min); --insecure skips the check\n", p.TLSFailures)
	}
	for _, f := range p.Dropped {
		fmt.Fprintf(ew, "Note: %d requests to %s were dropped: all %d in-flight slots were busy when they were due (the verdict says whether the server or the cap was the limit)\n", f.Count, f.Name, p.MaxInflight)
	}
	for _, warn := range p.Warnings {
		fmt.Fprintf(ew, "Warning: %s\n", warn.Text)
	}
	if err := Workers(ew, p.Workers); err != nil {
		return err
	}
	fmt.Fprintln(ew)
	if err := Verdict(ew, "Verdict", p.Verdict); err != nil {
		return err
	}
	return ew.Err
}
