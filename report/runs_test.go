package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"exp/load"
	"exp/store"
)

// exp list prints a run's length, throughput and p95 with the summary's
// formatters (units.RunLength, units.Rate, units.Ms), and an open-model
// run's load as its rate, never in exponent form.
func TestRunsColumns(t *testing.T) {
	at := time.Date(2026, 5, 28, 20, 26, 40, 0, time.UTC)
	rows := []store.RunRow{
		{Name: "a", Variant: "pooled", Model: load.Closed, Users: 10, StartedAt: at, DurationS: 20.04,
			Requests: 2000, Failures: 47, FailRate: 0.0235, RPS: 98.94, P95MS: 256.9, Status: "completed"},
		{Name: "b", Model: load.Open, Rate: 1e7, StartedAt: at, DurationS: 0.5,
			Requests: 5, RPS: 12345.5, P95MS: 3.961, Status: "completed"},
	}
	var buf bytes.Buffer
	if err := Runs(&buf, rows); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	want := [][]string{
		{"a", "pooled", "10", "users", "20s", "2000", "98.9", "257", "47", "(2.35%)", "completed"},
		{"b", "-", "10000000/s", "open", "500ms", "5", "12346", "3.96", "0", "(0.00%)", "completed"},
	}
	if len(lines) != 3 {
		t.Fatalf("want a header and 2 lines:\n%s", buf.String())
	}
	for i, w := range want {
		if got := strings.Fields(lines[i+1])[:len(w)]; strings.Join(got, " ") != strings.Join(w, " ") {
			t.Errorf("line %d: %q, want %q", i+1, got, w)
		}
	}
}
