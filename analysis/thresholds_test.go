package analysis

import (
	"strings"
	"testing"
	"time"
)

func TestParseThreshold(t *testing.T) {
	tests := []struct {
		in      string
		want    Threshold // Text is the input, trimmed
		wantErr string    // part of the error; "" when it parses
	}{
		{in: "p95<300ms", want: Threshold{Metric: "p95", Op: "<", Value: 300}},
		{in: " p95 < 1.5s ", want: Threshold{Metric: "p95", Op: "<", Value: 1500}},
		{in: "avg<=250", want: Threshold{Metric: "avg", Op: "<=", Value: 250}},
		{in: "P99.9<2s", want: Threshold{Metric: "p99.9", Op: "<", Value: 2000}},
		{in: "med<50ms", want: Threshold{Metric: "med", Op: "<", Value: 50}},
		{in: "fail_rate<1%", want: Threshold{Metric: "fail_rate", Op: "<", Value: 0.01}},
		{in: "fail_rate<=0.05", want: Threshold{Metric: "fail_rate", Op: "<=", Value: 0.05}},
		{in: "rps>100", want: Threshold{Metric: "rps", Op: ">", Value: 100}},
		{in: "requests>=1000", want: Threshold{Metric: "requests", Op: ">=", Value: 1000}},
		{in: "failures<1", want: Threshold{Metric: "failures", Op: "<", Value: 1}},
		{in: "/io:p99<400ms", want: Threshold{Endpoint: "/io", Metric: "p99", Op: "<", Value: 400}},
		{in: "/io?ms=200:p95<1s", want: Threshold{Endpoint: "/io?ms=200", Metric: "p95", Op: "<", Value: 1000}},
		{in: "p95", wantErr: "no comparison"},
		{in: "p42<3ms", wantErr: `unknown metric "p42"`},
		{in: "latency<3ms", wantErr: "unknown metric"},
		{in: "io:p99<400ms", wantErr: "must be a path starting with /"},
		{in: "p95<fast", wantErr: "want a duration"},
		{in: "p95<-3ms", wantErr: "want a duration"},
		{in: "fail_rate<200%", wantErr: "cannot exceed 100%"},
		{in: "fail_rate<lots", wantErr: "want a rate"},
		{in: "rps>-1", wantErr: "≥ 0"},
		{in: "rps>many", wantErr: "value"},
	}
	for _, tt := range tests {
		got, err := ParseThreshold(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseThreshold(%q): error %v, want one saying %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		tt.want.Text = strings.TrimSpace(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseThreshold(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

func TestThresholdCheck(t *testing.T) {
	io := Stats{Endpoint: 0, Name: "/io", Requests: 100, Failures: 2, RPS: 10, P95: 250 * time.Millisecond, P99: 450 * time.Millisecond}
	sum := Summary{Endpoints: []Stats{io},
		Total: Stats{Endpoint: -1, Name: "Aggregated", Requests: 400, Failures: 2, RPS: 40, Avg: 90 * time.Millisecond, P95: 240 * time.Millisecond}}
	tests := []struct {
		th       string
		passed   bool
		measured float64
		missing  bool
	}{
		{"p95<300ms", true, 240, false},
		{"p95<200ms", false, 240, false},
		{"p95<=240", true, 240, false},
		{"avg>100ms", false, 90, false},
		{"fail_rate<1%", true, 0.005, false},
		{"/io:fail_rate<1%", false, 0.02, false},
		{"rps>=40", true, 40, false},
		{"rps>100", false, 40, false},
		{"/io:p99<400ms", false, 450, false},
		{"/cpu:p99<400ms", false, 0, true},
		{"requests>399", true, 400, false},
	}
	for _, tt := range tests {
		th, err := ParseThreshold(tt.th)
		if err != nil {
			t.Fatal(err)
		}
		r := th.Check(sum)
		if r.Passed != tt.passed || r.Missing != tt.missing || r.Measured != tt.measured {
			t.Errorf("%s: passed %v missing %v measured %g; want %v %v %g", tt.th, r.Passed, r.Missing, r.Measured,
				tt.passed, tt.missing, tt.measured)
		}
	}
}
