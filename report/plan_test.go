package report

import (
	"testing"

	"exp/analysis"
)

// A latency threshold's measured figure prints as every other latency
// does (units.Latency); the others in their own unit.
func TestThresholdMeasured(t *testing.T) {
	res := func(metric string, v float64) analysis.ThresholdResult {
		return analysis.ThresholdResult{Threshold: analysis.Threshold{Metric: metric}, Measured: v}
	}
	for _, tt := range []struct {
		r    analysis.ThresholdResult
		want string
	}{
		{res("p95", 0.3), "0.30 ms"},
		{res("p95", 203.4), "203 ms"},
		{res("p99", 1500), "1.50 s"},
		{res("avg", 12.34), "12.3 ms"},
		{res("fail_rate", 0.0125), "1.25%"},
		{res("rps", 150.34), "150.3"},
		{analysis.ThresholdResult{Missing: true}, "nothing (no such endpoint in the run)"},
	} {
		if got := ThresholdMeasured(tt.r); got != tt.want {
			t.Errorf("ThresholdMeasured(%s %v) = %q, want %q", tt.r.Metric, tt.r.Measured, got, tt.want)
		}
	}
}
