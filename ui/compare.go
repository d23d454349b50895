package ui

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"exp/analysis"
	"exp/input"
	"exp/lab"
	"exp/report"
	"exp/runflags"
	"exp/store"
	"exp/units"
)

// sides loads the comparison's sides from ?names=a,b (runs or groups),
// the first the baseline.
func (s *Server) sides(w http.ResponseWriter, r *http.Request) ([]lab.Side, bool) {
	var names []string
	for _, n := range strings.Split(r.URL.Query().Get("names"), ",") {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	if len(names) < 2 {
		writeError(w, http.StatusBadRequest, "names", "compare needs at least two different runs or groups: ?names=a,b")
		return nil, false
	}
	sides, err := lab.LoadSides(r.Context(), s.cfg.DB, names)
	if err != nil {
		code, field := http.StatusInternalServerError, ""
		if errors.Is(err, store.ErrNotFound) {
			code, field = http.StatusNotFound, "names"
		} else if _, bad := input.As(err); bad {
			code, field = http.StatusBadRequest, "names"
		}
		writeError(w, code, field, err.Error())
		return nil, false
	}
	return sides, true
}

type overlay struct {
	Name     string           `json:"name"`
	Series   series           `json:"series"`
	Plateau  []map[string]any `json:"plateau"`
	ByLoad   []map[string]any `json:"latency_by_load"`
	Spectrum []map[string]any `json:"spectrum"`
}

func (s *Server) compare(w http.ResponseWriter, r *http.Request) {
	sides, ok := s.sides(w, r)
	if !ok {
		return
	}
	c := lab.Comparison(sides[0], sides[1:], nil, nil)
	var text, js bytes.Buffer
	if err := report.Compare(&text, c); err != nil {
		writeError(w, http.StatusInternalServerError, "", err.Error())
		return
	}
	if err := report.CompareJSON(&js, c); err != nil {
		writeError(w, http.StatusInternalServerError, "", err.Error())
		return
	}
	var runs []overlay
	for _, st := range lab.SideRuns(sides) {
		o := overlay{Name: st.Run.Name, Series: seriesOf(st.Run.Config.Model, st.Summary),
			Plateau: []map[string]any{}, ByLoad: []map[string]any{}, Spectrum: []map[string]any{}}
		for _, l := range st.Verdict.Plateau.Levels {
			o.Plateau = append(o.Plateau, map[string]any{"load": l.Load, "rps": finite(l.RPS)})
			o.ByLoad = append(o.ByLoad, map[string]any{"load": l.Load, "p50_ms": units.Millis(l.P50),
				"p95_ms": units.Millis(l.P95), "p99_ms": units.Millis(l.P99)})
		}
		for _, q := range analysis.Spectrum(st.Latencies) {
			o.Spectrum = append(o.Spectrum, map[string]any{"p": q.P, "ms": units.Millis(q.Latency)})
		}
		runs = append(runs, o)
	}
	plots := append([]string{}, chartFiles...)
	writeJSON(w, http.StatusOK, map[string]any{"text": text.String(), "comparison": json.RawMessage(js.Bytes()),
		"runs": runs, "plots": plots})
}

var chartFiles = []string{"throughput.png", "plateau.png", "latency.png", "percentiles.png", "endpoints.png", "resources.png", "changes.png"}

func (s *Server) comparePlot(w http.ResponseWriter, r *http.Request) {
	sides, ok := s.sides(w, r)
	if !ok {
		return
	}
	c := lab.Comparison(sides[0], sides[1:], nil, nil)
	sendPlot(w, r.PathValue("file"), func(dir string) ([]string, []string, error) {
		return lab.WriteComparePlots(sides, c, dir)
	})
}

// planReport writes a plan's report from the store, as `exp plan show`
// does, and sends its HTML (charts inlined).
func (s *Server) planReport(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	dir, err := os.MkdirTemp("", "exp-ui-plan")
	if err != nil {
		writeError(w, http.StatusInternalServerError, "", err.Error())
		return
	}
	defer os.RemoveAll(dir)
	if _, err := lab.WritePlanReport(r.Context(), s.cfg.DB, name, dir, nil); err != nil {
		code := http.StatusInternalServerError
		if errors.Is(err, store.ErrNotFound) {
			code = http.StatusNotFound
		}
		writeError(w, code, "", err.Error())
		return
	}
	b, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		writeError(w, http.StatusInternalServerError, "", err.Error())
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b)
}

// changeLoad changes a running run's users (closed model) or arrival rate
// (open model) from the next whole second, kept in the run as a stage.
func (s *Server) changeLoad(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	s.mu.Lock()
	a := s.active[name]
	s.mu.Unlock()
	if a == nil {
		writeError(w, http.StatusConflict, "", fmt.Sprintf("run %s was not started by this exp ui (or has ended): its load cannot be changed here", name))
		return
	}
	var in struct {
		Users *int     `json:"users"`
		Rate  *float64 `json:"rate"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&in); err != nil || (in.Users == nil) == (in.Rate == nil) {
		writeError(w, http.StatusBadRequest, "", `want {"users": N} or {"rate": R}`)
		return
	}
	a.mu.Lock()
	c := a.control
	a.mu.Unlock()
	var err error
	out := map[string]any{"from_second": "next"}
	if in.Rate != nil {
		err, out["rate"] = c.SetRate(*in.Rate), *in.Rate
	} else {
		err, out["users"] = c.SetUsers(*in.Users), *in.Users
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, runflags.Flag(err), runflags.ErrorText(err))
		return
	}
	writeJSON(w, http.StatusOK, out)
}
