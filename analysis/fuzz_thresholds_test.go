package analysis

import (
	"math"
	"testing"
)

// ParseThreshold never panics, accepts only known metrics and operators
// with finite values ≥ 0, and parses its own Text back to the same.
func FuzzParseThreshold(f *testing.F) {
	for _, s := range []string{"p95<300ms", "fail_rate<1%", "rps>100", "/io:p99<400ms", "p95<<1", "avg<=1.5s",
		"requests>=0", "p99.9 < 2", "x:p50<1", "rps>inf", "fail_rate<NaN%", "<", ":<1", "/a:b:p95<1ms"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		th, err := ParseThreshold(s)
		if err != nil {
			return
		}
		known := latencyMetrics[th.Metric] != nil || countMetrics[th.Metric] != nil
		op := th.Op == "<" || th.Op == "<=" || th.Op == ">" || th.Op == ">="
		if !known || !op || th.Value < 0 || math.IsNaN(th.Value) || math.IsInf(th.Value, 0) {
			t.Fatalf("%q accepted as %+v", s, th)
		}
		if th.Endpoint != "" && th.Endpoint[0] != '/' {
			t.Fatalf("%q accepted with endpoint %q", s, th.Endpoint)
		}
		again, err := ParseThreshold(th.Text)
		if err != nil || again != th {
			t.Fatalf("%q parsed to %+v, its text to %+v (%v)", s, th, again, err)
		}
		th.Check(Summary{}) // must not panic on an empty run
	})
}
