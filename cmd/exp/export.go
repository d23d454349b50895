package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"exp/analysis"
	"exp/load"
	"exp/units"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"exp/locust"
	"exp/monitor"
	"exp/store"
)

func newExportCmd() *cobra.Command {
	var format, out string
	var samples bool
	cmd := &cobra.Command{
		Use:   "export RUN",
		Short: "Export a stored run as Locust-compatible CSV or as JSON",
		Long: `Export a stored run (by name or id).

--format csv writes Locust's files, with Locust's exact column names: the
per-endpoint statistics (PREFIX_stats.csv), one row per second
(PREFIX_stats_history.csv) and the failures by class (PREFIX_failures.csv).
Without --out the statistics go to stdout, with --out FILE.csv to that
file. --out PREFIX writes the three files as Locust's --csv PREFIX does;
--out DIR/ (an existing directory, or a path ending in /) writes them as
DIR/RUN_stats.csv and so on. In the
history, Requests/s, Failures/s and the percentile columns are those of
the requests that started in that second (Locust's are moving windows);
the Total columns are running totals.

--format json writes everything stored about the run as one JSON document.

--samples streams every stored request instead, one line each: CSV with a
header (--format csv) or JSON lines (--format json).`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "csv" && format != "json" {
				return badInput(fmt.Errorf("--format %q: want csv or json", format))
			}
			db, r, err := openRun(cmd, args[0])
			if err != nil {
				return err
			}
			defer db.Close()
			e := exporter{ctx: cmd.Context(), db: db, run: r, stdout: cmd.OutOrStdout()}
			switch {
			case samples && r.Status == store.StatusImported:
				return badInput(fmt.Errorf("--samples of run %s: %w", r.Name, errNoSamples))
			case samples:
				return e.toFile(out, func(w io.Writer) error { return e.samples(w, format == "json") })
			case format == "json":
				return e.toFile(out, e.json)
			}
			return e.csv(out)
		},
	}
	cmd.Flags().StringVar(&format, "format", "csv", "csv (Locust's columns) or json")
	cmd.Flags().BoolVar(&samples, "samples", false, "stream every stored request instead of the statistics")
	cmd.Flags().StringVar(&out, "out", "", "FILE, or for the CSV files a PREFIX or DIR/ (default: stdout)")
	return cmd
}

// exporter writes one stored run.
type exporter struct {
	ctx    context.Context
	db     *store.DB
	run    store.Run
	stdout io.Writer
}

// toFile runs write on the file at path, or on stdout when path is "".
func (e exporter) toFile(path string, write func(io.Writer) error) error {
	if path == "" {
		bw := bufio.NewWriter(e.stdout)
		if err := write(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	f, err := os.Create(path)
	if err != nil {
		return badInput(fmt.Errorf("--out: %w", err))
	}
	bw := bufio.NewWriter(f)
	err = write(bw)
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("export run %s to %s: %w", e.run.Name, path, err)
	}
	fmt.Fprintln(e.stdout, path)
	return nil
}

// figures is what the CSV and JSON exports hold of a run.
type figures struct {
	sum     analysis.Summary
	ladders map[int]locust.Ladder
	history []locust.HistoryRow
}

// figures reads the run's summary, and its percentile ladders and history
// either as imported or computed from its samples in one pass.
func (e exporter) figures() (figures, error) {
	var f figures
	var err error
	if f.sum, err = e.db.Summary(e.ctx, e.run.ID); err != nil {
		return f, err
	}
	if f.ladders, err = e.db.Ladders(e.ctx, e.run.ID); err != nil {
		return f, err
	}
	if e.run.Status == store.StatusImported {
		f.history, err = e.db.LocustHistory(e.ctx, e.run.ID)
		return f, err
	}
	acc := locust.NewAccumulator(len(e.run.Config.Tasks))
	if err := e.db.EachSample(e.ctx, e.run.ID, func(s load.Sample) error { acc.Add(s); return nil }); err != nil {
		return f, err
	}
	if f.ladders == nil {
		f.ladders = acc.Ladders()
	}
	f.history = acc.History(e.run.StartedAt, f.sum.Seconds)
	return f, nil
}

// csv writes the Locust files: the stats to stdout, or all three under
// the --out prefix.
func (e exporter) csv(out string) error {
	f, err := e.figures()
	if err != nil {
		return err
	}
	stats := locust.StatsRows(f.sum, f.ladders)
	if out == "" || (strings.HasSuffix(out, ".csv") && !strings.HasSuffix(out, "_stats.csv")) {
		return e.toFile(out, func(w io.Writer) error { return locust.WriteStats(w, stats) })
	}
	prefix := strings.TrimSuffix(out, "_stats.csv")
	if st, err := os.Stat(out); (err == nil && st.IsDir()) || strings.HasSuffix(out, "/") || strings.HasSuffix(out, string(filepath.Separator)) {
		if err := os.MkdirAll(out, 0o755); err != nil {
			return badInput(fmt.Errorf("--out: %w", err))
		}
		prefix = filepath.Join(out, safeName(e.run.Name))
	}
	for _, file := range []struct {
		suffix string
		write  func(io.Writer) error
	}{
		{"_stats.csv", func(w io.Writer) error { return locust.WriteStats(w, stats) }},
		{"_stats_history.csv", func(w io.Writer) error { return locust.WriteHistory(w, f.history) }},
		{"_failures.csv", func(w io.Writer) error { return locust.WriteFailures(w, locust.FailureRows(f.sum.Failures)) }},
	} {
		if err := e.toFile(prefix+file.suffix, file.write); err != nil {
			return err
		}
	}
	return nil
}

// safeName makes a run name usable as a file name.
func safeName(name string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r < ' ' {
			return '_'
		}
		return r
	}, name)
}

// samples streams every stored sample of the run, CSV or JSON lines,
// never holding more than one in memory.
func (e exporter) samples(w io.Writer, jsonLines bool) error {
	tasks := e.run.Config.Tasks
	if !jsonLines {
		io.WriteString(w, "t_us,latency_us,service_us,method,path,status,error_class,bytes,user,reused\n")
	}
	var buf []byte
	return e.db.EachSample(e.ctx, e.run.ID, func(s load.Sample) error {
		method, path := "", ""
		if int(s.Endpoint) < len(tasks) {
			method, path = tasks[s.Endpoint].Method, tasks[s.Endpoint].Path
		}
		if jsonLines {
			b, err := json.Marshal(sampleJSON{s.Start.Microseconds(), s.Latency.Microseconds(),
				s.Service.Microseconds(), method, path, s.Status, s.Class.Name(s.Status), s.Bytes, s.User, s.Reused})
			if err != nil {
				return err
			}
			_, err = w.Write(append(b, '\n'))
			return err
		}
		buf = buf[:0]
		buf = strconv.AppendInt(buf, s.Start.Microseconds(), 10)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, s.Latency.Microseconds(), 10)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, s.Service.Microseconds(), 10)
		buf = append(buf, ',')
		buf = append(buf, method...)
		buf = append(buf, ',')
		buf = appendCSVField(buf, path)
		buf = append(buf, ',')
		buf = strconv.AppendUint(buf, uint64(s.Status), 10)
		buf = append(buf, ',')
		buf = append(buf, s.Class.Name(s.Status)...)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, s.Bytes, 10)
		buf = append(buf, ',')
		buf = strconv.AppendUint(buf, uint64(s.User), 10)
		buf = append(buf, ',')
		buf = strconv.AppendBool(buf, s.Reused)
		buf = append(buf, '\n')
		_, err := w.Write(buf)
		return err
	})
}

// appendCSVField quotes a field that holds a comma or a quote.
func appendCSVField(buf []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\n") {
		return append(buf, s...)
	}
	return append(append(append(buf, '"'), strings.ReplaceAll(s, `"`, `""`)...), '"')
}

type sampleJSON struct {
	TUS       int64  `json:"t_us"`
	LatencyUS int64  `json:"latency_us"`
	ServiceUS int64  `json:"service_us"`
	Method    string `json:"method"`
	Path      string `json:"path"`
	Status    uint16 `json:"status"`
	Class     string `json:"error_class"`
	Bytes     int64  `json:"bytes"`
	User      uint32 `json:"user"`
	Reused    bool   `json:"reused"`
}

// json writes the run as one document: its settings, figures per
// endpoint (with the percentile ladder), per second, failures and
// resources.
func (e exporter) json(w io.Writer) error {
	f, err := e.figures()
	if err != nil {
		return err
	}
	us, err := e.db.Usage(e.ctx, e.run.ID)
	if err != nil {
		return err
	}
	r := e.run
	doc := runJSON{Name: r.Name, Status: r.Status, StartedAt: r.StartedAt, DurationS: r.DurationS,
		TargetURL: r.TargetURL, Variant: r.Variant, VariantParams: rawOrNull(r.VariantParams),
		Config: r.Config, Host: r.Host, Warnings: r.Warnings, Notes: r.Notes,
		Total: statsJSONOf(f.sum.Total, f.ladders), Resources: resourcesJSONOf(us)}
	for _, fc := range f.sum.Failures {
		doc.Failures = append(doc.Failures, failureJSON{fc.Method, fc.Name, fc.Class, fc.Count})
	}
	if !r.EndedAt.IsZero() {
		doc.EndedAt = &r.EndedAt
	}
	for _, st := range f.sum.Endpoints {
		doc.Endpoints = append(doc.Endpoints, statsJSONOf(st, f.ladders))
	}
	for _, s := range f.sum.Seconds {
		doc.Seconds = append(doc.Seconds, secondJSON{s.T, s.ActiveUsers, s.TargetRate, s.Requests,
			s.Failures, units.Millis(s.P50), units.Millis(s.P95), units.Millis(s.P99)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

type runJSON struct {
	Name          string          `json:"name"`
	Status        string          `json:"status"`
	StartedAt     time.Time       `json:"started_at"`
	EndedAt       *time.Time      `json:"ended_at"`
	DurationS     float64         `json:"duration_s"`
	TargetURL     string          `json:"target_url"`
	Variant       string          `json:"variant,omitempty"`
	VariantParams json.RawMessage `json:"variant_params"`
	Config        load.RunConfig  `json:"config"`
	Host          store.Host      `json:"host"`
	Warnings      []string        `json:"warnings"`
	Notes         string          `json:"notes,omitempty"`
	Endpoints     []statsJSON     `json:"endpoints"`
	Total         statsJSON       `json:"aggregated"`
	Seconds       []secondJSON    `json:"seconds"`
	Failures      []failureJSON   `json:"failures"`
	Resources     *resourcesJSON  `json:"resources"`
}

type statsJSON struct {
	Method      string             `json:"method"`
	Name        string             `json:"name"`
	Requests    int64              `json:"requests"`
	Failures    int64              `json:"failures"`
	FailRate    float64            `json:"fail_rate"`
	RPS         float64            `json:"rps"`
	FailPerS    float64            `json:"fail_per_s"`
	AvgBytes    float64            `json:"avg_bytes"`
	AvgMS       float64            `json:"avg_ms"`
	MinMS       float64            `json:"min_ms"`
	MaxMS       float64            `json:"max_ms"`
	Percentiles map[string]float64 `json:"percentiles_ms"`
}

type secondJSON struct {
	T          int     `json:"t_s"`
	Users      int     `json:"active_users"`
	TargetRate float64 `json:"target_rate"`
	Requests   int64   `json:"requests"`
	Failures   int64   `json:"failures"`
	P50        float64 `json:"p50_ms"`
	P95        float64 `json:"p95_ms"`
	P99        float64 `json:"p99_ms"`
}

func statsJSONOf(st analysis.Stats, ladders map[int]locust.Ladder) statsJSON {
	l, ok := ladders[st.Endpoint]
	if !ok {
		l = locust.LadderOf(st)
	}
	pcts := map[string]float64{}
	for i, p := range locust.Percentiles {
		if !math.IsNaN(l[i]) {
			pcts[strconv.FormatFloat(p, 'f', -1, 64)] = l[i]
		}
	}
	return statsJSON{Method: st.Method, Name: st.Name, Requests: st.Requests, Failures: st.Failures,
		FailRate: st.FailRate(), RPS: st.RPS, FailPerS: st.FailPerSec, AvgBytes: st.AvgBytes,
		AvgMS: units.Millis(st.Avg), MinMS: units.Millis(st.Min), MaxMS: units.Millis(st.Max), Percentiles: pcts}
}

func rawOrNull(s string) json.RawMessage {
	if s == "" || !json.Valid([]byte(s)) {
		return json.RawMessage("null")
	}
	return json.RawMessage(s)
}

type failureJSON struct {
	Method string `json:"method"`
	Name   string `json:"name"`
	Class  string `json:"error_class"`
	Count  int64  `json:"count"`
}

// resourcesJSON is analysis.Resources under snake_case names.
type resourcesJSON struct {
	TargetCPUMeanPct    float64 `json:"target_cpu_mean_pct"`
	TargetCPUMaxPct     float64 `json:"target_cpu_max_pct"`
	TargetRSSMaxBytes   uint64  `json:"target_rss_max_bytes"`
	GeneratorCPUMeanPct float64 `json:"generator_cpu_mean_pct"`
	GeneratorCPUMaxPct  float64 `json:"generator_cpu_max_pct"`
	GeneratorRSSMax     uint64  `json:"generator_rss_max_bytes"`
	SystemCPUMaxPct     float64 `json:"system_cpu_max_pct"`
	PeakTimeWait        int     `json:"peak_time_wait"`
	PeakEstablished     int     `json:"peak_established"`
	Readings            int     `json:"readings"`
}

// resourcesJSONOf sums up the readings; nil (null) when there were none.
func resourcesJSONOf(us []monitor.Usage) *resourcesJSON {
	r := analysis.SummarizeResources(us)
	if len(us) == 0 {
		return nil
	}
	return &resourcesJSON{r.TargetCPUMean, r.TargetCPUMax, r.TargetRSSMax, r.GeneratorCPUMean,
		r.GeneratorCPUMax, r.GeneratorRSSMax, r.SystemCPUMax, r.PeakTimeWait, r.PeakEstablished, r.Readings}
}

// errNoSamples: an imported run has figures but no requests to list.
var errNoSamples = errors.New("n/a: imported run has no samples")
