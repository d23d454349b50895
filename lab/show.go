package lab

import (
	"cmp"
	"context"
	"exp/scenario"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"exp/analysis"
	"exp/load"
	"exp/report"
	"exp/store"
	"exp/target"
	"exp/units"
	"exp/verdict"
)

// PrintRun prints a stored run as `exp run` ends and `exp show` shows it
// (report.Run): header, statistics table, failures, resources, warnings
// and verdict.
func PrintRun(ctx context.Context, w io.Writer, db *store.DB, id int64) error {
	r, err := db.RunByID(ctx, id)
	if err != nil {
		return err
	}
	sum, err := db.Summary(ctx, id)
	if r.Status == store.StatusRunning {
		// Still being written: its figures are computed at its end, so
		// take them from the samples stored so far.
		sum, err = AnalyzeStored(ctx, db, id, r.Config, time.Since(r.StartedAt))
	}
	if err != nil {
		return err
	}
	return printRun(ctx, w, db, r, sum)
}

// PrintOutcome prints a run as `exp run` ends: as stored (PrintRun), or,
// when the store could not take its end (Outcome.NotSaved), its row as
// stored with the status, counts, warnings and summary held in memory.
func PrintOutcome(ctx context.Context, w io.Writer, db *store.DB, out Outcome) error {
	if out.NotSaved == nil {
		return PrintRun(ctx, w, db, out.RunID)
	}
	r, err := db.RunByID(ctx, out.RunID)
	if err != nil {
		return err
	}
	r.Status, r.LostSamples, r.Scheduled = out.Status, out.Lost, out.Scheduled
	for _, x := range out.Warnings {
		if !slices.ContainsFunc(r.Warnings, func(y analysis.Warning) bool { return y.Text == x.Text }) {
			r.Warnings = append(r.Warnings, x)
		}
	}
	return printRun(ctx, w, db, r, out.Summary)
}

// printRun prints run r with its figures sum; the rest (resources, sample
// count, workers) is read from the store.
func printRun(ctx context.Context, w io.Writer, db *store.DB, r store.Run, sum analysis.Summary) error {
	id := r.ID
	us, err := db.Usage(ctx, id)
	if err != nil {
		return err
	}
	p := report.RunPage{Header: runHeader(r, sum), Summary: sum, Resources: analysis.SummarizeResources(us),
		Cores: r.Host.Cores, TLSFailures: classCount(sum.Failures, load.TLS), MaxInflight: r.Config.MaxInflight,
		Warnings: r.Warnings}
	in, err := VerdictInput(r, sum, us)
	if err != nil {
		return err
	}
	p.Verdict = verdict.Diagnose(in)
	for _, f := range sum.Failures {
		if f.Class == load.Dropped.String() {
			p.Dropped = append(p.Dropped, f)
		}
	}
	if p.Header.Stored, err = db.SampleCount(ctx, id); err != nil {
		return err
	}
	if p.Workers, err = db.RunWorkers(ctx, id); err != nil {
		return err
	}
	return report.Run(w, p)
}

// runHeader is the head of a run's page: what ran against what, when.
func runHeader(r store.Run, sum analysis.Summary) report.RunHeader {
	tgt, model := r.TargetURL, ModelText(r.Config)
	switch {
	case r.Status == store.StatusImported:
		// Locust's CSV files say how many users ran, not how they came.
		tgt, model = r.Notes, fmt.Sprintf("closed model (Locust), %d users; no samples, so figures are Locust's own", r.Config.Users)
	case r.Variant != "":
		tgt = fmt.Sprintf("built-in target, variant %s %s", r.Variant, r.VariantParams)
	}
	return report.RunHeader{Name: r.Name, Status: r.Status, Target: tgt, Model: model,
		Duration: sum.Duration, Started: r.StartedAt, Open: r.Config.Model == load.Open, Scheduled: r.Scheduled,
		Lost: r.LostSamples, Imported: r.Status == store.StatusImported}
}

// connText says how the run spoke to its target beyond plain HTTP/1.1:
// TLS verification and HTTP/2 ("" for neither).
func connText(c load.RunConfig) string {
	var parts []string
	if strings.HasPrefix(c.URL, "https://") {
		t := c.TLS
		verify := "the system's roots"
		switch {
		case t.Insecure:
			verify = "no verification (--insecure)"
		case t.CACert != "":
			verify = "CA " + t.CACert
		}
		tl := "TLS " + cmp.Or(t.MinVersion, "1.2") + "+, " + verify
		if t.ClientCert != "" {
			tl += ", client certificate " + t.ClientCert
		}
		parts = append(parts, tl)
	}
	if c.HTTP2 {
		mode := "h2c prior knowledge"
		if strings.HasPrefix(c.URL, "https://") {
			mode = "h2 by ALPN"
		}
		streams := "one stream a connection"
		if n := c.H2Streams; n > 1 {
			streams = fmt.Sprintf("%d streams a connection at most", n)
		}
		parts = append(parts, fmt.Sprintf("HTTP/2 (%s, %s)", mode, streams))
	}
	return strings.Join(parts, "; ")
}

// ModelText says which model ran, for a run's header, and how it spoke
// to the target when that was HTTPS or HTTP/2.
func ModelText(c load.RunConfig) string {
	if t := connText(c); t != "" {
		plain := c
		plain.HTTP2, plain.URL = false, ""
		return ModelText(plain) + "; " + t
	}
	if !c.Segment.Whole() {
		whole := c
		whole.Segment = load.Segment{}
		return fmt.Sprintf("worker %d of %d, its share of: %s", c.Segment.Index, c.Segment.Count, ModelText(whole))
	}
	if c.ScenarioFile != "" {
		return scenarioModelText(c)
	}
	switch {
	case c.Model == load.Open && len(c.RateStages) > 0:
		return fmt.Sprintf("open model, rate stages %s, %s arrivals, max in-flight %d", load.FormatRateStages(c.RateStages), c.Arrivals, c.MaxInflight)
	case c.Model == load.Open:
		return fmt.Sprintf("open model, %s req/s, %s arrivals, max in-flight %d", units.Exact(c.Rate), c.Arrivals, c.MaxInflight)
	case len(c.Stages) > 0:
		return fmt.Sprintf("closed model, stages %s, spawn %s/s, wait %s", load.FormatStages(c.Stages), units.Exact(c.SpawnRate), c.Wait)
	}
	return fmt.Sprintf("closed model, %d users, spawn %s/s, wait %s", c.Users, units.Exact(c.SpawnRate), c.Wait)
}

// scenarioModelText says how a scenario's users came and which classes
// they belong to, with each class's weight and think time.
func scenarioModelText(c load.RunConfig) string {
	users := fmt.Sprintf("%d users", c.Users)
	if len(c.Stages) > 0 {
		users = "stages " + load.FormatStages(c.Stages)
	}
	text := fmt.Sprintf("closed model, %s, spawn %s/s, scenario", users, units.Exact(c.SpawnRate))
	f, err := scenario.Decode("stored scenario", []byte(c.ScenarioFile))
	if err != nil {
		return text
	}
	var cls []string
	for _, u := range f.Users {
		w, wait := max(u.Weight, 1), u.Wait
		if wait == "" {
			wait = "0"
		}
		cls = append(cls, fmt.Sprintf("%s (weight %d, wait %s)", u.Name, w, wait))
	}
	return text + ": " + strings.Join(cls, ", ")
}

// TargetText says what a run loads: the URL of an external server, or the
// built-in target's variant and address; with the process ID when there
// is a process (0: none).
func TargetText(url string, v target.Variant, pid int) string {
	p := ""
	if pid != 0 {
		p = fmt.Sprintf(" (pid %d)", pid)
	}
	if v == "" {
		return url + p
	}
	return fmt.Sprintf("built-in target, variant %s, at %s%s", v, strings.TrimPrefix(url, "http://"), p)
}

// classCount counts the failures of one class over every endpoint.
func classCount(fs []analysis.FailureCount, c load.ErrorClass) int64 {
	var n int64
	for _, f := range fs {
		if f.Class == c.String() {
			n += f.Count
		}
	}
	return n
}
