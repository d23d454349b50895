package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"time"

	"exp/analysis"
	"exp/lab"
	"exp/locust"
	"exp/store"
	"exp/units"
	"exp/verdict"
)

// runRow is a line of the runs list.
type runRow struct {
	ID        int64   `json:"id"`
	Name      string  `json:"name"`
	Status    string  `json:"status"`
	StartedAt string  `json:"started_at"`
	Target    string  `json:"target"`
	Load      string  `json:"load"`
	Requests  int64   `json:"requests"`
	RPS       float64 `json:"rps"`
	P95MS     float64 `json:"p95_ms"`
	Failures  int64   `json:"failures"`
	FailPct   float64 `json:"fail_pct"`
	Verdict   string  `json:"verdict"`
	Group     string  `json:"group"`
}

type groupRow struct {
	Name string   `json:"name"`
	Kind string   `json:"kind"`
	Runs []string `json:"runs"`
}

type planRow struct {
	Name   string `json:"name"`
	Status string `json:"status"`
}

func (s *Server) listRuns(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	rows, err := s.cfg.DB.ListRuns(ctx)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "", err.Error())
		return
	}
	out := struct {
		Runs   []runRow   `json:"runs"`
		Groups []groupRow `json:"groups"`
		Plans  []planRow  `json:"plans"`
	}{Runs: []runRow{}, Groups: []groupRow{}, Plans: []planRow{}}
	groups := map[string]*groupRow{}
	var order []string
	for _, row := range rows {
		rr, err := s.row(ctx, row)
		if err != nil {
			writeError(w, http.StatusInternalServerError, "", err.Error())
			return
		}
		out.Runs = append(out.Runs, rr)
		if rr.Group != "" {
			g, ok := groups[rr.Group]
			if !ok {
				gr, err := s.cfg.DB.FindGroup(ctx, rr.Group)
				if err != nil {
					writeError(w, http.StatusInternalServerError, "", err.Error())
					return
				}
				g = &groupRow{Name: gr.Name, Kind: gr.Kind}
				groups[rr.Group] = g
				order = append(order, rr.Group)
			}
			g.Runs = append([]string{rr.Name}, g.Runs...) // newest first in rows: keep run order
		}
	}
	for _, n := range order {
		out.Groups = append(out.Groups, *groups[n])
	}
	plans, err := s.cfg.DB.ListPlans(ctx)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "", err.Error())
		return
	}
	for _, p := range plans {
		out.Plans = append(out.Plans, planRow{Name: p.Name, Status: p.Status})
	}
	writeJSON(w, http.StatusOK, out)
}

// row is one run of the list: its stored figures, and the verdict the
// store keeps with it (none while it runs).
func (s *Server) row(ctx context.Context, row store.RunRow) (runRow, error) {
	run, err := s.cfg.DB.RunByID(ctx, row.ID)
	if err != nil {
		return runRow{}, err
	}
	g, err := s.cfg.DB.GroupOfRun(ctx, row.ID)
	if err != nil {
		return runRow{}, err
	}
	rr := runRow{ID: row.ID, Name: row.Name, Status: row.Status, StartedAt: row.StartedAt.UTC().Format(time.RFC3339),
		Target: targetText(run), Load: lab.ModelText(run.Config), Requests: row.Requests, RPS: finite(row.RPS),
		P95MS: finite(row.P95MS), Failures: row.Failures, FailPct: finite(100 * row.FailRate), Group: g}
	if row.HasSummary {
		// One run whose verdict cannot be decided (its stored target
		// parameters unreadable, say) shows why instead of hiding the list.
		if v, err := s.verdictOf(ctx, run); err != nil {
			rr.Verdict = "n/a: " + err.Error()
		} else {
			rr.Verdict = string(v.Kind)
		}
	}
	return rr, nil
}

func (s *Server) verdictOf(ctx context.Context, run store.Run) (verdict.Verdict, error) {
	sum, err := s.cfg.DB.Summary(ctx, run.ID)
	if err != nil {
		return verdict.Verdict{}, err
	}
	us, err := s.cfg.DB.Usage(ctx, run.ID)
	if err != nil {
		return verdict.Verdict{}, err
	}
	in, err := lab.VerdictInput(run, sum, us)
	if err != nil {
		return verdict.Verdict{}, err
	}
	return verdict.Diagnose(in), nil
}

func targetText(r store.Run) string {
	if r.Variant != "" {
		return "built-in " + r.Variant
	}
	return r.TargetURL
}

// finite maps NaN and ±Inf, which JSON cannot hold, to 0.
func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

// statsRow is a line of the Locust-style table.
type statsRow struct {
	Method   string  `json:"method"`
	Name     string  `json:"name"`
	Requests int64   `json:"requests"`
	Failures int64   `json:"failures"`
	AvgMS    float64 `json:"avg_ms"`
	MinMS    float64 `json:"min_ms"`
	MaxMS    float64 `json:"max_ms"`
	P50MS    float64 `json:"p50_ms"`
	P95MS    float64 `json:"p95_ms"`
	P99MS    float64 `json:"p99_ms"`
	RPS      float64 `json:"rps"`
	FailPerS float64 `json:"fail_per_s"`
}

func statsOf(st analysis.Stats, d time.Duration) statsRow {
	ms := units.Millis
	row := statsRow{Method: st.Method, Name: st.Name, Requests: st.Requests, Failures: st.Failures,
		AvgMS: ms(st.Avg), MinMS: ms(st.Min), MaxMS: ms(st.Max), P50MS: ms(st.P50), P95MS: ms(st.P95),
		P99MS: ms(st.P99), RPS: finite(st.RPS)}
	if d > 0 {
		row.FailPerS = float64(st.Failures) / d.Seconds()
	}
	return row
}

func (s *Server) findRun(w http.ResponseWriter, r *http.Request) (store.Run, bool) {
	run, err := s.cfg.DB.FindRun(r.Context(), r.PathValue("name"))
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "", err.Error())
		return run, false
	}
	if err != nil {
		writeError(w, http.StatusInternalServerError, "", err.Error())
		return run, false
	}
	return run, true
}

func (s *Server) runDetail(w http.ResponseWriter, r *http.Request) {
	run, ok := s.findRun(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	out, err := s.detail(ctx, run)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "", err.Error())
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) detail(ctx context.Context, run store.Run) (map[string]any, error) {
	sum, err := s.cfg.DB.Summary(ctx, run.ID)
	if run.Status == store.StatusRunning {
		sum, err = lab.AnalyzeStored(ctx, s.cfg.DB, run.ID, run.Config, time.Since(run.StartedAt))
	}
	if err != nil {
		return nil, err
	}
	us, err := s.cfg.DB.Usage(ctx, run.ID)
	if err != nil {
		return nil, err
	}
	in, err := lab.VerdictInput(run, sum, us)
	if err != nil {
		return nil, err
	}
	v := verdict.Diagnose(in)
	var text bytes.Buffer
	if err := lab.PrintRun(ctx, &text, s.cfg.DB, run.ID); err != nil {
		return nil, err
	}
	rr, err := s.row(ctx, runRowOf(run, sum))
	if err != nil {
		return nil, err
	}
	cfg, _ := json.Marshal(run.Config.Redacted())
	var eps []statsRow
	for _, e := range sum.Endpoints {
		eps = append(eps, statsOf(e, sum.Duration))
	}
	var fails []map[string]any
	for _, f := range sum.Failures {
		fails = append(fails, map[string]any{"method": f.Method, "name": f.Name, "class": f.Class, "count": f.Count})
	}
	agg := statsOf(sum.Total, sum.Duration)
	agg.Name = "Aggregated"
	s.mu.Lock()
	_, here := s.active[run.Name]
	s.mu.Unlock()
	return map[string]any{
		"run": map[string]any{"id": rr.ID, "name": rr.Name, "status": rr.Status, "started_at": rr.StartedAt,
			"target": rr.Target, "load": rr.Load, "requests": rr.Requests, "rps": rr.RPS, "p95_ms": rr.P95MS,
			"failures": rr.Failures, "fail_pct": rr.FailPct, "verdict": string(v.Kind), "group": rr.Group,
			"config": json.RawMessage(cfg), "scenario": run.Config.ScenarioFile},
		"summary_text": text.String(), "endpoints": orEmpty(eps), "aggregated": agg, "failures": orEmpty(fails),
		"verdict": map[string]any{"kind": string(v.Kind), "plateau": v.Plateau.String(), "evidence": orEmpty(v.Evidence)},
		"series":  seriesOf(run.Config.Model, sum), "resources": resourcesOf(us), "started_here": here,
	}, nil
}

func orEmpty[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

// runRowOf is the list row of a run from its summary (for a running run,
// whose stored row has no figures yet).
func runRowOf(run store.Run, sum analysis.Summary) store.RunRow {
	t := sum.Total
	return store.RunRow{ID: run.ID, Name: run.Name, Status: run.Status, Variant: run.Variant, Model: run.Model,
		StartedAt: run.StartedAt, Requests: t.Requests, Failures: t.Failures, FailRate: t.FailRate(),
		RPS: t.RPS, P95MS: units.Millis(t.P95), HasSummary: run.Status != store.StatusRunning}
}

func (s *Server) exportCSV(w http.ResponseWriter, r *http.Request) {
	run, ok := s.findRun(w, r)
	if !ok {
		return
	}
	f, err := lab.ReadFigures(r.Context(), s.cfg.DB, run)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "", err.Error())
		return
	}
	w.Header().Set("Content-Type", "text/csv")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", lab.SafeName(run.Name)+"_stats.csv"))
	locust.WriteStats(w, locust.StatsRows(f.Summary, f.Ladders))
}

func (s *Server) exportJSON(w http.ResponseWriter, r *http.Request) {
	run, ok := s.findRun(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", lab.SafeName(run.Name)+".json"))
	if err := lab.EncodeRunJSON(r.Context(), w, s.cfg.DB, run); err != nil {
		fmt.Fprintf(w, "\n{\"error\":%q}\n", err.Error())
	}
}

// runPlot draws one chart of a run into a temporary directory and sends it.
func (s *Server) runPlot(w http.ResponseWriter, r *http.Request) {
	run, ok := s.findRun(w, r)
	if !ok {
		return
	}
	st, err := lab.Load(r.Context(), s.cfg.DB, run.ID)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "", err.Error())
		return
	}
	sendPlot(w, r.PathValue("file"), func(dir string) ([]string, []string, error) { return lab.WritePlots([]lab.Stored{st}, dir) })
}

func sendPlot(w http.ResponseWriter, file string, write func(dir string) ([]string, []string, error)) {
	if filepath.Base(file) != file || filepath.Ext(file) != ".png" {
		writeError(w, http.StatusBadRequest, "", "want a chart's .png file name")
		return
	}
	dir, err := os.MkdirTemp("", "exp-ui-plots")
	if err != nil {
		writeError(w, http.StatusInternalServerError, "", err.Error())
		return
	}
	defer os.RemoveAll(dir)
	written, _, err := write(dir)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "", err.Error())
		return
	}
	path := filepath.Join(dir, file)
	if !slices.Contains(written, path) {
		writeError(w, http.StatusNotFound, "", file+": no such chart, or nothing to draw in it")
		return
	}
	b, err := os.ReadFile(path)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "", err.Error())
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Write(b)
}
