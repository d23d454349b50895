package report

import (
	"encoding/json"
	"exp/compare"
	"fmt"
	"io"
	"math"
)

// CompareJSON prints the comparison's changes and gates as one JSON
// object, for CI: the same figures and judgements as the text.
func CompareJSON(w io.Writer, c Comparison) error {
	type change struct {
		Figure    string   `json:"figure"`
		Unit      string   `json:"unit"`
		Base      float64  `json:"base"`
		Value     float64  `json:"value"`
		ChangePct *float64 `json:"change_pct"`
		CILowPct  *float64 `json:"ci_low_pct"`
		CIHighPct *float64 `json:"ci_high_pct"`
		Noise     string   `json:"noise"`
		Judgement string   `json:"judgement"`
		Worse     bool     `json:"worse"`
	}
	type gate struct {
		Gate   string `json:"gate"`
		Failed bool   `json:"failed"`
		Why    string `json:"why"`
	}
	type side struct {
		Name    string   `json:"name"`
		Group   bool     `json:"group"`
		Runs    []string `json:"runs"`
		Changes []change `json:"changes,omitempty"`
		Gates   []gate   `json:"gates,omitempty"`
	}
	num := func(v float64) *float64 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return &v
	}
	out := struct {
		Baseline   side   `json:"baseline"`
		Candidates []side `json:"candidates"`
		Noise      string `json:"calibration,omitempty"`
		GateFailed bool   `json:"gate_failed"`
	}{Baseline: side{Name: c.Base.Name, Group: c.Base.Group, Runs: c.Base.Runs}, GateFailed: c.GateFailed()}
	if c.Noise != nil {
		out.Noise = c.Noise.Group
	}
	for i, o := range c.Others {
		s := side{Name: o.Name, Group: o.Group, Runs: o.Runs}
		for _, ch := range c.Changes[i] {
			s.Changes = append(s.Changes, change{Figure: string(ch.Figure), Unit: ch.Figure.Unit(), Base: ch.Base,
				Value: ch.Value, ChangePct: num(ch.Pct), CILowPct: num(ch.Lo), CIHighPct: num(ch.Hi),
				Noise: source(ch, c.Noise), Judgement: ch.Judgement.String(), Worse: ch.Worse()})
		}
		if i < len(c.Gates) {
			for _, g := range c.Gates[i] {
				s.Gates = append(s.Gates, gate{Gate: g.Gate.String(), Failed: g.Failed, Why: g.Why})
			}
		}
		out.Candidates = append(out.Candidates, s)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// CompareMarkdown prints the changes and gates as Markdown, for a pull
// request comment.
func CompareMarkdown(w io.Writer, c Comparison) error {
	ew := &ErrWriter{W: w}
	w = ew
	status := ""
	if len(c.Gates) > 0 {
		status = " — gate passed"
		if c.GateFailed() {
			status = " — **gate FAILED**"
		}
	}
	fmt.Fprintf(w, "### exp compare: against %s%s\n\n", sideLabel(c.Base), status)
	fmt.Fprintf(w, "| side | figure | %s | this side | change | 95%% CI | noise from | judgement |\n", c.Base.Name)
	fmt.Fprintln(w, "| --- | --- | ---: | ---: | ---: | --- | --- | --- |")
	for i, cs := range c.Changes {
		for _, ch := range cs {
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", sideLabel(c.Others[i]), ch.Figure.Label(),
				figure(ch, ch.Base), figure(ch, ch.Value), pctOrDash(ch.Pct), ci(ch), source(ch, c.Noise), judgementOf(ch, c.Base, c.Others[i]))
		}
	}
	if len(c.Gates) > 0 {
		fmt.Fprintln(w)
		for i, gs := range c.Gates {
			for _, g := range gs {
				mark := "✅"
				if g.Failed {
					mark = "❌"
				}
				fmt.Fprintf(w, "- %s `%s` %s: %s\n", mark, g.Gate, c.Others[i].Name, g.Why)
			}
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Real: the 95% interval excludes 0 and the run-to-run noise was measured (repeats or a calibration); with one run a side it is unknown, and a change beyond the within-run interval is undecided.")
	return ew.Err
}

// Noise prints what a calibration measured: each figure's run-to-run
// spread as a share of it, and how to use it.
func Noise(w io.Writer, n compare.Noise) error {
	fmt.Fprintf(w, "Calibration %s: run-to-run noise over %d runs (standard deviation of each figure, as a share of it):\n", n.Group, n.Runs)
	for _, fig := range compare.Figures {
		if sd, ok := n.SDLog[fig]; ok {
			fmt.Fprintf(w, "  %-15s ±%.1f%%\n", fig.Label(), 100*(math.Exp(sd)-1))
		} else {
			fmt.Fprintf(w, "  %-15s too little data\n", fig.Label())
		}
	}
	_, err := fmt.Fprintf(w, "Use it: exp compare --noise %s BASELINE CANDIDATE\n", n.Group)
	return err
}
