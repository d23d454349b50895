package verdict

import (
	"exp/analysis"
	"exp/load"
	"strings"
	"testing"
	"time"
)

// A run whose target died is judged as such, before any other rule (its
// refused failures would otherwise read as connection-bound), and an empty
// summary (a run cut in its first second) gives a verdict, not a panic.
func TestVerdictTargetStoppedAndEmptyRun(t *testing.T) {
	dead := synthetic(load.Closed, 100*time.Millisecond, growing...)
	dead.Failures = []analysis.FailureCount{{Class: load.Refused.String(), Name: "/x", Count: dead.Total.Requests / 2}}
	cases := []struct {
		name     string
		in       VerdictInput
		want     Kind
		evidence string
	}{
		{"target died", VerdictInput{Model: load.Closed, Summary: dead, GeneratorLimit: 200,
			Warnings: []analysis.Warning{{Code: analysis.TargetStopped, Text: "the target stopped answering: target (pid 7) exited: signal: killed"}}},
			TargetStopped, "refused"},
		{"refused without the warning", VerdictInput{Model: load.Closed, Summary: dead, GeneratorLimit: 200},
			ConnectionBound, "refused"},
		{"empty run", VerdictInput{Model: load.Closed, GeneratorLimit: 200}, NotSaturated, "nothing to judge"},
		{"empty open run", VerdictInput{Model: load.Open, GeneratorLimit: 200}, NotSaturated, "nothing to judge"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := Diagnose(c.in)
			if v.Kind != c.want || !strings.Contains(strings.Join(v.Evidence, "\n"), c.evidence) {
				t.Errorf("verdict %q %q, want %q with %q", v.Kind, v.Evidence, c.want, c.evidence)
			}
		})
	}
}
