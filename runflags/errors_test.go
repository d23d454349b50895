package runflags

import (
	"fmt"
	"testing"
	"time"

	"exp/dist"
	"exp/lab"
	"exp/load"
	"exp/scenario"
	"exp/target"
)

// errorCase is an error and how the CLI (and the web UI beside the field
// Flag names) says it.
type errorCase struct {
	name string
	err  error
	flag string // runflags.Flag(err)
	text string // runflags.ErrorText(err)
}

func checkErrors(t *testing.T, cases []errorCase) {
	t.Helper()
	for _, c := range cases {
		if c.err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if got := Flag(c.err); got != c.flag {
			t.Errorf("%s: Flag = %q, want %q (%v)", c.name, got, c.flag, c.err)
		}
		if got := ErrorText(c.err); got != c.text {
			t.Errorf("%s: ErrorText =\n\t%q\nwant\n\t%q", c.name, got, c.text)
		}
	}
}

// The libraries' errors name fields by their spec names, other fields too
// (input.Name); the CLI's text names each by its flag.
func TestLibraryErrorsByFlag(t *testing.T) {
	cfg := func(change func(*load.RunConfig)) error {
		c := load.RunConfig{URL: "http://127.0.0.1:1", Model: load.Closed, Users: 1, SpawnRate: 1, Duration: time.Second,
			Timeout: time.Second, Tasks: []load.Task{{Method: "GET", Path: "/", Weight: 1}}}
		change(&c)
		return c.Validate()
	}
	serve := target.DefaultOptions()
	serve.CertOut = "x.pem"
	checkErrors(t, []errorCase{
		{"h2-streams", cfg(func(c *load.RunConfig) { c.H2Streams = 4 }), "h2-streams", "--h2-streams 4 needs --http2"},
		{"client-cert", cfg(func(c *load.RunConfig) { c.TLS.ClientCert = "c.pem" }), "client-key",
			"--client-key is missing: --client-cert needs its key"},
		{"client-key", cfg(func(c *load.RunConfig) { c.TLS.ClientKey = "k.pem" }), "client-cert",
			"--client-cert is missing: --client-key needs its certificate"},
		{"open scenario", cfg(func(c *load.RunConfig) { c.Model, c.Scenario = load.Open, &scenario.Scenario{} }), "scenario",
			"--scenario runs in the closed model (--users or --stages): --rate and --rate-stages do not take one"},
		{"cert-out", serve.Validate(), "cert-out", `--cert-out "x.pem" needs --tls`},
		{"split built-in", dist.Worker{}.Check(lab.RunSpec{}), "url",
			"--url is needed: a split test loads one server that every worker reaches (the built-in target would be one per worker)"},
		{"late start", fmt.Errorf("worker 1: %w", &dist.LateStartError{Late: 1234567 * time.Microsecond, Margin: 2 * time.Second}), "",
			"worker 1: all workers were seen ready 1.235s after the common start: raise --start-margin (now 2s) or check the clocks"},
	})
}
