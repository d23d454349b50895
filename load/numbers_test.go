package load

import (
	"strings"
	"testing"
	"time"
)

// Rates and spawn rates print as people write them, never "1e+07", in
// the messages that refuse them and in the stages `exp show` prints.
func TestLargeNumbersPrintWithoutExponent(t *testing.T) {
	open := RunConfig{URL: "http://127.0.0.1:1", Tasks: []Task{{"GET", "/", 1}}, Timeout: time.Second,
		Model: Open, Duration: time.Second, MaxInflight: 10, Arrivals: Uniform}
	closed := RunConfig{URL: "http://127.0.0.1:1", Tasks: []Task{{"GET", "/", 1}}, Timeout: time.Second,
		Model: Closed, Users: 1, Duration: time.Second}
	text := func(err error) string {
		if err == nil {
			return "no error"
		}
		return err.Error()
	}
	rate := func(r float64) string { c := open; c.Rate = r; return text(c.Validate()) }
	spawn := func(r float64) string { c := closed; c.SpawnRate = r; return text(c.Validate()) }
	set := func(r float64) string { e := &Engine{cfg: RunConfig{Model: Open}}; return text(e.SetRate(r)) }
	stages := func(rs ...float64) string {
		var st []RateStage
		for _, r := range rs {
			st = append(st, RateStage{Duration: 10 * time.Second, Rate: r})
		}
		return FormatRateStages(st)
	}
	tests := []struct{ name, got, want string }{
		{"rate", rate(2e7), "at most 10000000, got 20000000"},
		{"rate", rate(12345678.5), "got 12345678.5"},
		{"spawn-rate", spawn(2e6), "at most 1000000, got 2000000"},
		{"spawn-rate", spawn(1234567.5), "got 1234567.5"},
		{"SetRate", set(2e7), "from 0 to 10000000, got 20000000"},
		{"SetRate", set(12345678.5), "got 12345678.5"},
		{"FormatRateStages", stages(1e6, 1e7, 12345.5), "10s:1000000,10s:10000000,10s:12345.5"},
	}
	for _, tt := range tests {
		if !strings.Contains(tt.got, tt.want) || strings.Contains(tt.got, "e+") {
			t.Errorf("%s: %q, want it to hold %q and no exponent", tt.name, tt.got, tt.want)
		}
	}
}

// The parser's bound is MaxRate: 1e7 parses, just above it does not, and
// what FormatRateStages writes parses back to the same rates.
func TestRateStagesBound(t *testing.T) {
	st, err := ParseRateStages("10s:1000000,10s:10000000,10s:12345.5")
	if err != nil || len(st) != 3 || st[1].Rate != MaxRate || st[2].Rate != 12345.5 {
		t.Fatalf("ParseRateStages: %v, %v", st, err)
	}
	if back := FormatRateStages(st); back != "10s:1000000,10s:10000000,10s:12345.5" {
		t.Errorf("FormatRateStages = %q", back)
	}
	if _, err := ParseRateStages("10s:10000001"); err == nil {
		t.Error("a rate above MaxRate parsed")
	}
}
