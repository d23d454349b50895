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

	"github.com/spf13/pflag"
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

// runSpecErr is the error of Flags.Spec for args.
func runSpecErr(t *testing.T, args ...string) error {
	t.Helper()
	fs := pflag.NewFlagSet("run", pflag.ContinueOnError)
	var f Flags
	f.Bind(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	_, err := f.Spec(fs)
	return err
}

// Flags that do not go together are refused with the field the web UI
// shows the message beside, and the CLI's text names each flag.
func TestSpecErrorsNameTheField(t *testing.T) {
	run := func(args ...string) error { return runSpecErr(t, args...) }
	fs := pflag.NewFlagSet("plan", pflag.ContinueOnError)
	var p Plan
	p.Bind(fs)
	if err := fs.Parse([]string{"--url", "http://127.0.0.1:9", "--variants", "single"}); err != nil {
		t.Fatal(err)
	}
	_, planErr := p.Spec(fs)
	const url = "http://127.0.0.1:9"
	checkErrors(t, []errorCase{
		{"open and closed", run("--rate", "5", "--users", "3"), "rate", "--rate (open model) and --users (closed model) cannot be used together"},
		{"open and closed stages", run("--rate-stages", "5s:5", "--spawn-rate", "3"), "rate-stages",
			"--rate-stages (open model) and --spawn-rate (closed model) cannot be used together"},
		{"stages and users", run("--stages", "5s:5", "--duration", "5s"), "stages", "--stages replaces --users and --duration: give one or the other"},
		{"rate and rate-stages", run("--rate", "5", "--rate-stages", "5s:5"), "rate-stages", "--rate-stages replaces --rate: give one or the other"},
		{"seed closed", run("--seed", "7"), "seed", "--seed seeds the open model's arrivals: it goes with --rate or --rate-stages"},
		{"rate-stages and duration", run("--rate-stages", "5s:5", "--duration", "5s"), "rate-stages", "--rate-stages replaces --duration: give one or the other"},
		{"scenario and locustfile", run("--scenario", "a.yaml", "--locustfile", "b.py"), "scenario", "--scenario and --locustfile: give one"},
		{"scenario and tasks", run("--scenario", "a.yaml", "--tasks", "/:1"), "tasks", "--tasks comes from the scenario (its tasks): drop it"},
		{"scenario and wait", run("--locustfile", "b.py", "--wait", "1s"), "wait", "--wait comes from the scenario (each user class's wait): drop it"},
		{"scenario open", run("--locustfile", "b.py", "--rate", "5"), "locustfile",
			"--locustfile runs in the closed model (--users or --stages): --rate does not take it"},
		{"target-pid 0", run("--url", url, "--target-pid", "0"), "target-pid", "--target-pid 0 is not a process ID"},
		{"target-pid built-in", run("--target-pid", "42"), "target-pid", "--target-pid goes with --url; the built-in target is monitored already"},
		{"target-cmd built-in", run("--target-cmd", "srv"), "target-cmd", "--target-cmd goes with --url; the built-in target is monitored already"},
		{"built-in flag with url", run("--url", url, "--pool-size", "4"), "pool-size", "--pool-size configures the built-in target and cannot be used with --url"},
		{"server-keepalive with url", run("--url", url, "--server-keepalive=false"), "server-keepalive",
			"--server-keepalive configures the built-in target and cannot be used with --url"},
		{"target-pid and target-cmd", run("--url", url, "--target-pid", "42", "--target-cmd", "srv"), "target-pid",
			"--target-pid and --target-cmd cannot be used together"},
		{"plan variants with url", planErr, "variants", "--variants sweeps the built-in target and cannot be used with --url"},
	})
}
