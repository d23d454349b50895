package main

import (
	"exp/analysis"
	"fmt"
	"io"

	"exp/report"
)

func parseThresholds(ss []string) ([]analysis.Threshold, error) {
	var out []analysis.Threshold
	for _, s := range ss {
		t, err := analysis.ParseThreshold(s)
		if err != nil {
			return nil, fmt.Errorf("--threshold: %w", err)
		}
		out = append(out, t)
	}
	return out, nil
}

// finishWithThresholds prints each threshold as passed or failed and
// turns a breach into exit status 4.
func finishWithThresholds(w io.Writer, out outcome, th []analysis.Threshold) error {
	if len(th) == 0 {
		return nil
	}
	failed := 0
	fmt.Fprintln(w, "\nThresholds:")
	for _, t := range th {
		r := t.Check(out.summary)
		mark := "passed"
		if !r.Passed {
			mark, failed = "FAILED", failed+1
		}
		fmt.Fprintf(w, "  %-6s %-24s measured %s\n", mark, t.Text, report.ThresholdMeasured(r))
	}
	if failed > 0 {
		return withCode(exitThreshold, fmt.Errorf("%d of %d thresholds breached in run %s", failed, len(th), out.name))
	}
	return nil
}
