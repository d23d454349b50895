package lab

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"time"

	"exp/analysis"
	"exp/load"
	"exp/locust"
	"exp/monitor"
	"exp/store"
	"exp/units"
)

// ErrNoSamples: an imported run has figures but no requests to list.
var ErrNoSamples = errors.New("n/a: imported run has no samples")

// Figures is what the CSV and JSON exports hold of a run: its summary, the
// percentile ladder of each endpoint and Locust's per-second history.
type Figures struct {
	Summary analysis.Summary
	Ladders map[int]locust.Ladder
	History []locust.HistoryRow
}

// ReadFigures reads the run's summary, and its percentile ladders and
// history either as imported or computed from its samples in one pass.
func ReadFigures(ctx context.Context, db *store.DB, r store.Run) (Figures, error) {
	var f Figures
	var err error
	if f.Summary, err = db.Summary(ctx, r.ID); err != nil {
		return f, err
	}
	stored, err := db.Ladders(ctx, r.ID)
	if err != nil {
		return f, err
	}
	if stored != nil {
		f.Ladders = map[int]locust.Ladder{}
		for id, l := range stored {
			f.Ladders[id] = ladderOf(l)
		}
	}
	if r.Status == store.StatusImported {
		h, err := db.History(ctx, r.ID)
		for _, row := range h {
			f.History = append(f.History, historyRow(row))
		}
		return f, err
	}
	acc := locust.NewAccumulator(len(r.Config.Tasks))
	if err := db.EachSample(ctx, r.ID, func(s load.Sample) error { acc.Add(s); return nil }); err != nil {
		return f, err
	}
	if f.Ladders == nil {
		f.Ladders = acc.Ladders()
	}
	f.History = acc.History(r.StartedAt, f.Summary.Seconds)
	return f, nil
}

// EncodeSamples streams every stored sample of the run, CSV or JSON lines,
// never holding more than one in memory.
func EncodeSamples(ctx context.Context, w io.Writer, db *store.DB, r store.Run, jsonLines bool) error {
	if r.Status == store.StatusImported {
		return ErrNoSamples
	}
	enc, err := load.NewSampleEncoder(w, r.Config.Tasks, jsonLines)
	if err != nil {
		return err
	}
	return db.EachSample(ctx, r.ID, enc.Encode)
}

// EncodeRunJSON writes the run as one JSON document: its settings, figures
// per endpoint (with the percentile ladder), per second, failures and
// resources.
func EncodeRunJSON(ctx context.Context, w io.Writer, db *store.DB, r store.Run) error {
	f, err := ReadFigures(ctx, db, r)
	if err != nil {
		return err
	}
	us, err := db.Usage(ctx, r.ID)
	if err != nil {
		return err
	}
	doc := runJSON{Name: r.Name, Status: r.Status, StartedAt: r.StartedAt, DurationS: r.DurationS,
		TargetURL: r.TargetURL, Variant: r.Variant, VariantParams: rawOrNull(r.VariantParams),
		Config: r.Config, Host: r.Host, Warnings: r.Warnings, Notes: r.Notes,
		Total: statsJSONOf(f.Summary.Total, f.Ladders), Resources: resourcesJSONOf(us)}
	if doc.Warnings == nil {
		doc.Warnings = []analysis.Warning{}
	}
	for _, fc := range f.Summary.Failures {
		doc.Failures = append(doc.Failures, failureJSON{fc.Method, fc.Name, fc.Class, fc.Count})
	}
	if !r.EndedAt.IsZero() {
		doc.EndedAt = &r.EndedAt
	}
	for _, st := range f.Summary.Endpoints {
		doc.Endpoints = append(doc.Endpoints, statsJSONOf(st, f.Ladders))
	}
	for _, s := range f.Summary.Seconds {
		doc.Seconds = append(doc.Seconds, secondJSON{s.T, s.ActiveUsers, s.TargetRate, s.Requests,
			s.Failures, s.Dropped, s.Responses, s.Successes, units.Millis(s.P50), units.Millis(s.P95), units.Millis(s.P99)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

type runJSON struct {
	Name          string             `json:"name"`
	Status        string             `json:"status"`
	StartedAt     time.Time          `json:"started_at"`
	EndedAt       *time.Time         `json:"ended_at"`
	DurationS     float64            `json:"duration_s"`
	TargetURL     string             `json:"target_url"`
	Variant       string             `json:"variant,omitempty"`
	VariantParams json.RawMessage    `json:"variant_params"`
	Config        load.RunConfig     `json:"config"`
	Host          store.Host         `json:"host"`
	Warnings      []analysis.Warning `json:"warnings"`
	Notes         string             `json:"notes,omitempty"`
	Endpoints     []statsJSON        `json:"endpoints"`
	Total         statsJSON          `json:"aggregated"`
	Seconds       []secondJSON       `json:"seconds"`
	Failures      []failureJSON      `json:"failures"`
	Resources     *resourcesJSON     `json:"resources"`
}

// statsJSON holds the README's definitions: requests are every request
// (dropped and cancelled ones included, counted apart), rps the responses
// completed per second of load and success_rps the successful ones, the
// latencies those of the answered requests.
type statsJSON struct {
	Method      string             `json:"method"`
	Name        string             `json:"name"`
	Requests    int64              `json:"requests"`
	Failures    int64              `json:"failures"`
	Responses   int64              `json:"responses"`
	Successes   int64              `json:"successes"`
	Dropped     int64              `json:"dropped"`
	Cancelled   int64              `json:"cancelled"`
	FailRate    float64            `json:"fail_rate"`
	RPS         float64            `json:"rps"`
	SuccessRPS  float64            `json:"success_rps"`
	FailPerS    float64            `json:"fail_per_s"`
	AvgBytes    float64            `json:"avg_bytes"`
	AvgMS       float64            `json:"avg_ms"`
	MinMS       float64            `json:"min_ms"`
	MaxMS       float64            `json:"max_ms"`
	Percentiles map[string]float64 `json:"percentiles_ms"`
}

// secondJSON is a row of seconds: requests, failures, drops and
// percentiles by the second requests started in; responses and successes
// by the second they completed in (the throughput).
type secondJSON struct {
	T          int     `json:"t_s"`
	Users      int     `json:"active_users"`
	TargetRate float64 `json:"target_rate"`
	Requests   int64   `json:"requests"`
	Failures   int64   `json:"failures"`
	Dropped    int64   `json:"dropped"`
	Responses  int64   `json:"responses"`
	Successes  int64   `json:"successes"`
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
			pcts[units.Exact(p)] = l[i]
		}
	}
	return statsJSON{Method: st.Method, Name: st.Name, Requests: st.Requests, Failures: st.Failures,
		Responses: st.Responses, Successes: st.Successes, Dropped: st.Dropped, Cancelled: st.Cancelled,
		FailRate: st.FailRate(), RPS: st.RPS, SuccessRPS: st.SuccessRPS, FailPerS: st.FailPerSec, AvgBytes: st.AvgBytes,
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
