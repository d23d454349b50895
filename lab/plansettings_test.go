package lab

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"exp/store"
	"exp/target"
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

// A plan stored before the target's settings were typed (a JSON object
// written from a map, without the variant) reads as it did; a plan stored
// now writes the same object and reads back the same line.
func TestPlanSettingsTarget(t *testing.T) {
	old := `{"tasks":"/health:1","wait":"0s","timeout":"10s","keepalive":true,` +
		`"target":{"cpu_work":5000000,"http2":true,"idle_timeout_s":2.5,"keepalive":true,"pool_size":8,"queue":16,"stall_every_s":10,"stall_for_s":1,"tls":true}}`
	want := "cpu_work 5000000, http2 true, idle_timeout_s 2.5, keepalive true, pool_size 8, queue 16, stall_every_s 10, stall_for_s 1, tls true"
	if got := settingsOf(t, nil, old)["built-in target"]; got != want {
		t.Errorf("old plan: built-in target %q\nwant %q", got, want)
	}
	minimal := `{"target":{"cpu_work":0,"idle_timeout_s":60,"keepalive":false}}`
	if got := settingsOf(t, nil, minimal)["built-in target"]; got != "cpu_work 0, idle_timeout_s 60, keepalive false" {
		t.Errorf("old plan, goroutine: built-in target %q", got)
	}

	spec := PlanSpec{Variants: []target.Variant{target.Pooled, target.Single}, Levels: []store.PlanLevel{{Users: 1, SpawnRate: 1}}, Cell: baseSpec(t)}
	spec.Cell.Target.Builtin.Variant, spec.Cell.Target.Builtin.PoolSize, spec.Cell.Target.Builtin.Queue = target.Pooled, 8, 16
	spec.Cell.Target.Builtin.IdleTimeout, spec.Cell.Target.Builtin.CPUWork = 2500*time.Millisecond, 5000000
	cfg, err := spec.config()
	if err != nil {
		t.Fatal(err)
	}
	var stored struct{ Target map[string]any }
	if err := json.Unmarshal(cfg, &stored); err != nil {
		t.Fatal(err)
	}
	if _, ok := stored.Target["variant"]; ok || stored.Target["pool_size"] != 8.0 {
		t.Errorf("stored target %v: want the shared settings without a variant", stored.Target)
	}
	got := settingsOf(t, nil, string(cfg))["built-in target"]
	if want := "cpu_work 5000000, idle_timeout_s 2.5, keepalive true, pool_size 8, queue 16"; got != want {
		t.Errorf("new plan: built-in target %q\nwant %q", got, want)
	}
}
