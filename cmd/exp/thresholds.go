package main

import (
	"fmt"
	"io"

	"exp/analysis"
	"exp/lab"
	"exp/report"
)

// finishWithThresholds prints each threshold as passed or failed and
// turns a breach into exit status 4.
func finishWithThresholds(w io.Writer, out lab.Outcome, spec lab.RunSpec) error {
	results := analysis.CheckAll(spec.Thresholds, out.Summary)
	failed, err := report.Thresholds(w, results)
	if err != nil {
		return err
	}
	if failed > 0 {
		return withCode(exitThreshold, fmt.Errorf("%d of %d thresholds breached in run %s", failed, len(results), out.Name))
	}
	return nil
}
