package runflags

import (
	"exp/analysis"
	"exp/input"
	"exp/lab"
	"exp/load"
	"time"

	"github.com/spf13/pflag"

	"exp/target"
)

// Flags are the flags of `exp run` (and of each cell of `exp plan`, and
// the fields of the web UI's form): bound to a pflag.FlagSet, turned into
// a lab.RunSpec by Spec.
type Flags struct {
	url, name, tasks, wait, stages, rateStages, arrivals string
	users, maxInflight                                   int
	spawnRate, rate                                      float64
	duration, timeout, sampleEvery                       time.Duration
	keepAlive                                            bool
	targetPID                                            int
	targetCmd                                            string
	headers, thresholds                                  []string
	serve                                                target.Options
	scenario, locustfile                                 string
	tls                                                  load.TLSConfig
	http2                                                bool
	h2Streams                                            int
	seed                                                 uint64
}

// Bind defines the flags on fs.
func (f *Flags) Bind(fs *pflag.FlagSet) {
	fs.StringVar(&f.url, "url", "", "load an external server at this base URL instead of the built-in target")
	fs.StringVar(&f.name, "name", "", "unique name of the run (default: variant-users-N)")
	fs.IntVar(&f.users, "users", 10, "virtual users (closed model)")
	fs.Float64Var(&f.spawnRate, "spawn-rate", 2, "users started (or stopped) per second")
	fs.DurationVar(&f.duration, "duration", 30*time.Second, "length of the run, from the first user")
	fs.StringVar(&f.stages, "stages", "", "closed-model stages duration:users,... such as 30s:10,30s:50,30s:100 (replaces --users and --duration)")
	fs.Float64Var(&f.rate, "rate", 0, "open model: requests per second at fixed intended times")
	fs.StringVar(&f.rateStages, "rate-stages", "", "open model: duration:rate,... ramping linearly within each stage from the previous rate (0 at first)")
	fs.StringVar(&f.arrivals, "arrivals", string(load.Uniform), "open model: uniform or poisson arrivals")
	fs.IntVar(&f.maxInflight, "max-inflight", 1000, "open model: requests in flight at most; beyond, a request is counted as dropped")
	fs.Uint64Var(&f.seed, "seed", 0, "open model: seed of the arrivals (poisson) and the task picks, to send a stored run's schedule again (0: the start time; a run stores its own)")
	fs.StringVar(&f.tasks, "tasks", load.DefaultTasks, "task mix path:weight,... (optionally 'POST /path:weight')")
	fs.StringVar(&f.wait, "wait", load.DefaultWait, "think time: 0, 200ms (constant), 100ms-500ms (uniform) or pace:1s")
	fs.DurationVar(&f.timeout, "timeout", 10*time.Second, "per-request timeout")
	fs.BoolVar(&f.keepAlive, "keepalive", true, "client keep-alive (--keepalive=false opens a connection per request)")
	fs.StringArrayVarP(&f.headers, "header", "H", nil, "request header 'Name: value' (repeatable; secrets are redacted in the store)")
	fs.IntVar(&f.targetPID, "target-pid", 0, "with --url: PID of the server to monitor (its child processes count too)")
	fs.StringVar(&f.targetCmd, "target-cmd", "", "with --url: command that starts the server; it is monitored and stopped afterwards")
	fs.DurationVar(&f.sampleEvery, "sample-every", lab.DefaultSampleEvery, "resource sampling interval")
	fs.StringVar(&f.scenario, "scenario", "", "scenario file (YAML): user classes, flows, bodies, captures, data files; replaces --tasks and --wait")
	fs.StringVar(&f.locustfile, "locustfile", "", "a Locust locustfile.py to run as a scenario (its HttpUser classes); replaces --tasks and --wait")
	fs.StringArrayVar(&f.thresholds, "threshold", nil, "pass/fail criterion such as 'p95<300ms', 'fail_rate<1%', 'rps>100', '/io:p99<400ms' (repeatable)")
	fs.BoolVar(&f.tls.Insecure, "insecure", false, "https: do not verify the server's certificate")
	fs.StringVar(&f.tls.CACert, "ca-cert", "", "https: trust the certificates of this PEM file (e.g. exp serve --tls --cert-out's)")
	fs.StringVar(&f.tls.ClientCert, "client-cert", "", "https: client certificate (PEM) for a server that asks for one; with --client-key")
	fs.StringVar(&f.tls.ClientKey, "client-key", "", "https: the client certificate's private key (PEM)")
	fs.StringVar(&f.tls.MinVersion, "tls-min", "", "https: lowest TLS version offered: 1.2 (default) or 1.3")
	fs.BoolVar(&f.http2, "http2", false, "send the load over HTTP/2: h2 by ALPN for https, h2c (prior knowledge) for http; the built-in target speaks it too")
	fs.IntVar(&f.h2Streams, "h2-streams", 1, "with --http2: users (or open-model workers) sharing each connection, its concurrent streams")
	// The built-in target's flags; its keep-alive is the server's, named
	// apart from the client's; its HTTP/2 follows the run's --http2, its
	// certificate is made for the run and trusted by it.
	f.serve = target.DefaultOptions()
	serveFlags := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	f.serve.BindFlags(serveFlags)
	serveFlags.VisitAll(func(fl *pflag.Flag) {
		switch fl.Name {
		case "keepalive":
			fl.Name, fl.Usage = "server-keepalive", "built-in target: keep connections open (false: close after each response)"
		case "addr":
			fl.Usage = "built-in target: address to listen on"
		case "tls":
			fl.Usage = "built-in target: serve HTTPS (a self-signed certificate made for the run, which the run trusts)"
		case "http2", "cert-out":
			return
		}
		fs.AddFlag(fl)
	})
}

// Spec turns the flags into a RunSpec; every error is the user's input at
// fault. What depends on which flags were given is checked here; what
// the values must be, by the spec's own Check.
func (f *Flags) Spec(fl *pflag.FlagSet) (lab.RunSpec, error) {
	cfg := load.RunConfig{Name: f.name, URL: f.url, Users: f.users, SpawnRate: f.spawnRate,
		Duration: f.duration, Timeout: f.timeout, KeepAlive: f.keepAlive, Model: load.Closed,
		TLS: f.tls, HTTP2: f.http2, H2Streams: f.h2Streams}
	f.serve.HTTP2 = f.http2
	spec := lab.RunSpec{Target: lab.Target{URL: f.url, Builtin: f.serve, PID: f.targetPID, Command: f.targetCmd},
		SampleEvery: f.sampleEvery}
	var err error
	if cfg.Tasks, err = load.ParseTasks(f.tasks); err != nil {
		return spec, err
	}
	if cfg.Wait, err = load.ParseWait(f.wait); err != nil {
		return spec, err
	}
	cfg.WaitS = cfg.Wait.String()
	if err := checkModel(fl); err != nil {
		return spec, err
	}
	open := fl.Changed("rate") || fl.Changed("rate-stages")
	if fl.Changed("stages") {
		if cfg.Stages, err = load.ParseStages(f.stages); err != nil {
			return spec, err
		}
		cfg.Users = load.StagesPeak(cfg.Stages)
	}
	if open {
		cfg.Model, cfg.Users, cfg.SpawnRate = load.Open, 0, 0
		cfg.Rate, cfg.Arrivals, cfg.MaxInflight, cfg.Seed = f.rate, load.Arrivals(f.arrivals), f.maxInflight, f.seed
		if fl.Changed("rate-stages") {
			if cfg.RateStages, err = load.ParseRateStages(f.rateStages); err != nil {
				return spec, err
			}
		}
	}
	if err := f.checkTarget(fl); err != nil {
		return spec, err
	}
	if err := f.useScenario(fl, &cfg, &spec); err != nil {
		return spec, err
	}
	if cfg.Headers, err = load.ParseHeaders(f.headers); err != nil {
		return spec, err
	}
	if spec.Thresholds, err = analysis.ParseThresholds(f.thresholds); err != nil {
		return spec, err
	}
	spec.Load = cfg
	return spec, spec.Check()
}

// checkModel refuses flags of the open and the closed model together,
// and a flag with one that replaces it.
func checkModel(fl *pflag.FlagSet) error {
	openFlag := changed(fl, "rate", "rate-stages")
	switch closedFlag := changed(fl, "users", "stages", "spawn-rate"); {
	case openFlag != "" && closedFlag != "":
		return input.Errorf(openFlag, "(open model) and %v (closed model) cannot be used together", input.Name(closedFlag))
	case fl.Changed("stages") && (fl.Changed("users") || fl.Changed("duration")):
		return input.Errorf("stages", "replaces %v and %v: give one or the other", input.Name("users"), input.Name("duration"))
	case fl.Changed("rate") && fl.Changed("rate-stages"):
		return input.Errorf("rate-stages", "replaces %v: give one or the other", input.Name("rate"))
	case fl.Changed("seed") && openFlag == "":
		return input.Errorf("seed", "seeds the open model's arrivals: it goes with %v or %v", input.Name("rate"), input.Name("rate-stages"))
	case fl.Changed("rate-stages") && fl.Changed("duration"):
		return input.Errorf("rate-stages", "replaces %v: give one or the other", input.Name("duration"))
	}
	return nil
}

// changed is the first of names set on fl, "" for none.
func changed(fl *pflag.FlagSet, names ...string) string {
	for _, n := range names {
		if fl.Changed(n) {
			return n
		}
	}
	return ""
}

// useScenario reads --scenario or --locustfile into cfg. The file's host
// is the target when neither --url nor --variant says otherwise (as
// Locust's --host overrides a locustfile's host).
func (f *Flags) useScenario(fl *pflag.FlagSet, cfg *load.RunConfig, spec *lab.RunSpec) error {
	if f.scenario == "" && f.locustfile == "" {
		return nil
	}
	field, read, path := "scenario", lab.ReadScenario, f.scenario
	if f.locustfile != "" {
		field, read, path = "locustfile", lab.ReadLocustfile, f.locustfile
	}
	switch {
	case f.scenario != "" && f.locustfile != "":
		return input.Errorf("scenario", "and %v: give one", input.Name("locustfile"))
	case fl.Changed("tasks"):
		return input.Errorf("tasks", "comes from the scenario (its tasks): drop it")
	case fl.Changed("wait"):
		return input.Errorf("wait", "comes from the scenario (each user class's wait): drop it")
	case cfg.Model == load.Open:
		return input.Errorf(field, "runs in the closed model (%v or %v): %v does not take it",
			input.Name("users"), input.Name("stages"), input.Name(changed(fl, "rate", "rate-stages")))
	}
	sc, err := read(path)
	if err != nil {
		return err
	}
	if err := lab.UseScenario(cfg, sc); err != nil {
		return err
	}
	if f.url == "" && sc.Host != "" && !fl.Changed("variant") {
		f.url, cfg.URL, spec.Target.URL = sc.Host, sc.Host, sc.Host
	}
	return nil
}

// URL is the --url given ("" for the built-in target).
func (f *Flags) URL() string { return f.url }

// checkTarget refuses flags of one kind of target given with the other.
func (f *Flags) checkTarget(fl *pflag.FlagSet) error {
	if fl.Changed("target-pid") && f.targetPID <= 0 {
		return input.Errorf("target-pid", "%d is not a process ID", f.targetPID)
	}
	if f.url == "" {
		switch {
		case f.targetPID != 0:
			return input.Errorf("target-pid", "goes with %v; the built-in target is monitored already", input.Name("url"))
		case f.targetCmd != "":
			return input.Errorf("target-cmd", "goes with %v; the built-in target is monitored already", input.Name("url"))
		}
		return nil
	}
	if name := changed(fl, "variant", "pool-size", "queue", "server-keepalive", "idle-timeout", "addr", "stall-every", "stall-for", "cpu-work", "tls"); name != "" {
		return input.Errorf(name, "configures the built-in target and cannot be used with %v", input.Name("url"))
	}
	if f.targetPID != 0 && f.targetCmd != "" {
		return input.Errorf("target-pid", "and %v cannot be used together", input.Name("target-cmd"))
	}
	return nil
}
