package lab

import (
	"strings"
	"testing"

	"exp/store"
)

// settingsOf is the report's settings of a plan stored with config.
func settingsOf(t *testing.T, levels []store.PlanLevel, config string) map[string]string {
	t.Helper()
	b := planBuilder{p: store.Plan{Name: "p", Levels: levels, Config: []byte(config)}}
	rows, err := b.settings()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rows {
		out[r[0]] = r[1]
	}
	return out
}

// A level's spawn rate prints as given, never in exponent form.
func TestPlanSettingsSpawnRates(t *testing.T) {
	levels := []store.PlanLevel{{Users: 10, SpawnRate: 2.5}, {Users: 100, SpawnRate: 12345.5}, {Users: 1000, SpawnRate: 1e6}}
	got := settingsOf(t, levels, `{}`)["levels"]
	want := "10 users (spawn 2.5/s), 100 users (spawn 12345.5/s), 1000 users (spawn 1000000/s)"
	if got != want || strings.Contains(got, "e+") {
		t.Errorf("levels %q, want %q", got, want)
	}
}
