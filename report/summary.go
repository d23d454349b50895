package report

import (
	"exp/analysis"
	"exp/load"
	"exp/store"
	"exp/units"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// RunHeader is what the summary says about a run above its table.
type RunHeader struct {
	Name     string
	Status   string
	Target   string        // URL, and the variant when built in
	Model    string        // "closed: 10 users, spawn 2/s" ...
	Duration time.Duration // how long the load ran
	Started  time.Time
	// Open: the load was an arrival rate; Scheduled its arrivals (0 when
	// not recorded) and Stored the samples the store holds, which the
	// accounting line checks against each other.
	Open              bool
	Scheduled, Stored int64
	// Lost is the samples the store could not write (runs.lost_samples):
	// requests that ran but are in none of the figures.
	Lost     int64
	Imported bool // figures of another tool: no accounting of samples
}

// Summary prints a run's statistics like Locust's end-of-run table: one
// row per endpoint, then the Aggregated row, then failures by class.
func Summary(w io.Writer, h RunHeader, s analysis.Summary) error {
	ew := &ErrWriter{W: w}
	w = ew
	fmt.Fprintf(w, "Run %s (%s): %s\n", h.Name, h.Status, h.Target)
	fmt.Fprintf(w, "Load: %s; ran %s", h.Model, units.RunLength(h.Duration))
	if !h.Started.IsZero() {
		fmt.Fprintf(w, " from %s", h.Started.Local().Format("2006-01-02 15:04:05"))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w)
	if err := StatsTable(w, s); err != nil {
		return err
	}
	fmt.Fprintln(w)
	if !h.Imported {
		accounting(w, h, s)
		fmt.Fprintln(w)
	}
	if s.Phases.Known() {
		if err := Phases(w, s); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	if err := Failures(w, s); err != nil {
		return err
	}
	return ew.Err
}

// StatsTable prints the per-endpoint table with the Aggregated row, names
// left-aligned and figures right-aligned as Locust prints them.
func StatsTable(w io.Writer, s analysis.Summary) error {
	ew := &ErrWriter{W: w}
	w = ew
	nameW := len("Aggregated")
	for _, e := range s.Endpoints {
		nameW = max(nameW, len(e.Name))
	}
	head := fmt.Sprintf("%-6s %-*s %8s %14s | %7s %7s %7s %7s %7s %7s | %8s %10s", "Type", nameW, "Name",
		"# reqs", "# fails", "Avg", "Min", "Max", "Med", "p95", "p99", "req/s", "failures/s")
	fmt.Fprintln(w, head)
	fmt.Fprintf(w, "%-6s %-*s %8s %14s | %7s %7s %7s %7s %7s %7s | %8s %10s\n", "", nameW, "", "", "",
		"(ms)", "(ms)", "(ms)", "(ms)", "(ms)", "(ms)", "", "")
	rule := strings.Repeat("-", len(head))
	fmt.Fprintln(w, rule)
	for _, e := range s.Endpoints {
		statsRow(w, nameW, e)
	}
	fmt.Fprintln(w, rule)
	statsRow(w, nameW, s.Total)
	return ew.Err
}

func statsRow(w io.Writer, nameW int, e analysis.Stats) {
	fmt.Fprintf(w, "%-6s %-*s %8d %14s | %7s %7s %7s %7s %7s %7s | %8.2f %10.2f\n",
		e.Method, nameW, e.Name, e.Requests, fmtFails(e), units.Ms(e.Avg), units.Ms(e.Min), units.Ms(e.Max), units.Ms(e.P50), units.Ms(e.P95), units.Ms(e.P99), e.RPS, e.FailPerSec)
}

func fmtFails(e analysis.Stats) string {
	return fmt.Sprintf("%d(%.2f%%)", e.Failures, 100*e.FailRate())
}

// Failures prints failures grouped by endpoint and class, largest first.
func Failures(w io.Writer, s analysis.Summary) error {
	ew := &ErrWriter{W: w}
	w = ew
	if len(s.Failures) == 0 {
		fmt.Fprintln(w, "Failures: none")
		return ew.Err
	}
	fmt.Fprintln(w, "Failures by class:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  # occurrences\tClass\tEndpoint\tMean (ms)")
	for _, f := range s.Failures {
		mean := units.Ms(f.Latency)
		if f.Class == load.Dropped.String() || f.Class == load.NoData.String() {
			mean = "-" // never sent
		}
		fmt.Fprintf(tw, "  %d\t%s\t%s %s\t%s\n", f.Count, f.Class, f.Method, f.Name, mean)
	}
	tw.Flush()
	return ew.Err
}

// accounting says where every request went and what the rates are over:
// requests sent (and dropped), answered, successful and cancelled; the
// throughput by completion over the time the load ran; in the open model
// the offered rate, achieved ÷ offered, and whether every scheduled
// arrival is stored.
func accounting(w io.Writer, h RunHeader, s analysis.Summary) {
	t := s.Total
	fmt.Fprintln(w, requestsLine(h, t, classTotal(s.Failures, load.NoData)))
	secs := h.Duration.Seconds()
	tp := fmt.Sprintf("Throughput: %.2f answers/s, %.2f successful/s, by completion over %s of load", t.RPS, t.SuccessRPS,
		units.RunLength(h.Duration))
	switch {
	case h.Open && secs > 0 && h.Lost > 0:
		// The lost samples were answered or not: nobody knows.
		tp += fmt.Sprintf("; offered %.2f req/s, achieved unknown (%d samples not stored)",
			float64(max(h.Scheduled, t.Requests+h.Lost))/secs, h.Lost)
	case h.Open && secs > 0:
		offered := float64(t.Requests) / secs
		tp += fmt.Sprintf("; offered %.2f req/s, achieved %s of it", offered, units.Pct(100*t.SuccessRPS/max(offered, 1e-9)))
	}
	fmt.Fprintln(w, tp)
	if l := s.Lateness; l.Requests > 0 {
		fmt.Fprintf(w, "Generator lateness (intended time to actual send, %d sent): p50 %s, p99 %s, max %s\n",
			l.Requests, units.Latency(l.P50), units.Latency(l.P99), units.Latency(l.Max))
	}
	if t.Responses < t.Requests {
		fmt.Fprintf(w, "Latency figures are over the %d answered requests; failures without an answer are counted by class below\n", t.Responses)
	}
}

// requestsLine counts the run's requests. The figures are of the stored
// samples; when the store lost some, the line starts from every request
// the run made (stored + lost, or the open model's scheduled arrivals) and
// says how many of them the figures miss. noData requests (a scenario's
// queue ran out) were never sent.
func requestsLine(h RunHeader, t analysis.Stats, noData int64) string {
	sent := t.Requests - t.Dropped - noData
	var line string
	switch {
	case h.Lost > 0 && h.Open:
		line = fmt.Sprintf("Requests: %d scheduled, %d of them not stored (the figures are of the %d stored: %d sent + %d dropped); of those, ",
			max(h.Scheduled, t.Requests+h.Lost), h.Lost, t.Requests, sent, t.Dropped)
	case h.Lost > 0:
		line = fmt.Sprintf("Requests: %d sent, %d of them not stored (the figures are of the %d stored); of those, ",
			sent+h.Lost, h.Lost, sent)
	case h.Open:
		line = fmt.Sprintf("Requests: %d scheduled = %d sent + %d dropped; ", t.Requests, sent, t.Dropped)
	default:
		line = fmt.Sprintf("Requests: %d sent; ", sent)
	}
	if noData > 0 {
		line = strings.TrimSuffix(line, "; ") + fmt.Sprintf(", %d not sent (no data row left); ", noData)
	}
	line += fmt.Sprintf("%d answered (%d successful)", t.Responses, t.Successes)
	if t.Cancelled > 0 {
		line += fmt.Sprintf(", %d cancelled at the end", t.Cancelled)
	}
	switch {
	case !h.Open || h.Scheduled == 0:
	case h.Stored == h.Scheduled:
		line += fmt.Sprintf("; all %d arrivals stored", h.Stored)
	case h.Stored+h.Lost != h.Scheduled:
		// Neither stored nor counted lost: say so rather than hide it.
		line += fmt.Sprintf("; %d of %d arrivals stored", h.Stored, h.Scheduled)
	}
	return line
}

// Line is a progress line of a running test.
func Line(elapsed, total time.Duration, active int, activeLabel string, w load.Window) string {
	// In-flight requests may finish a moment after the planned end.
	elapsed = min(elapsed, total)
	pct := 0.0
	if total > 0 {
		pct = 100 * float64(elapsed) / float64(total)
	}
	return strings.TrimSpace(fmt.Sprintf("[%5.1f%%] %s/%s  %s %d  %s answers/s  p95 %s ms  failures %d (total %d of %d)",
		pct, fmtSec(elapsed), fmtSec(total), activeLabel, active, units.Rate(w.RPS), units.Ms(w.P95), w.Failures, w.TotalFailures, w.TotalRequests))
}

func fmtSec(d time.Duration) string { return fmt.Sprintf("%ds", int(d.Round(time.Second)/time.Second)) }

// Workers prints the workers of a run merged from a split test (nothing
// for a run of one machine).
func Workers(w io.Writer, ws []store.RunWorker) error {
	if len(ws) == 0 {
		return nil
	}
	ew := &ErrWriter{W: w}
	fmt.Fprintf(ew, "\nWorkers (%d): the resources above are their machines' readings taken together (means over every worker's readings, maxima of any one)\n", len(ws))
	for _, x := range ws {
		where := "host unknown"
		if x.Host != "" {
			where = fmt.Sprintf("pid %d on %s", x.PID, x.Host)
		}
		fmt.Fprintf(ew, "  %-3d %-10s  %-24s  %d samples, last at %s, clock %s\n", x.Worker, x.Status, where,
			x.Samples, units.RunLength(time.Duration(x.LastSampleMS)*time.Millisecond), x.ClockSync)
	}
	return ew.Err
}

// classTotal counts the failures of one class over every endpoint.
func classTotal(fs []analysis.FailureCount, c load.ErrorClass) int64 {
	var n int64
	for _, f := range fs {
		if f.Class == c.String() {
			n += f.Count
		}
	}
	return n
}
