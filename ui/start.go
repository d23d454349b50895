package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/spf13/pflag"

	"exp/lab"
	"exp/load"
	"exp/runflags"
	"exp/target"
)

// activeRun is a run started here.
type activeRun struct {
	name     string
	cancel   context.CancelFunc
	done     chan struct{}
	mu       sync.Mutex
	progress lab.Progress // the latest, for the live view
	control  *lab.Control
	agg      *secAgg // every sample, by second, for the live view
}

func (a *activeRun) latest() lab.Progress {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.progress
}

// formGroups places each flag of the form in a fieldset.
var formGroups = map[string]string{
	"variant": "target", "url": "target", "pool-size": "target", "queue": "target", "server-keepalive": "target",
	"idle-timeout": "target", "cpu-work": "target", "stall-every": "target", "stall-for": "target",
	"target-pid": "target", "target-cmd": "target",
	"users": "load", "spawn-rate": "load", "duration": "load", "stages": "load",
	"rate": "open", "rate-stages": "open", "arrivals": "open", "max-inflight": "open", "seed": "open",
	"tasks": "requests", "wait": "requests", "timeout": "requests", "keepalive": "requests",
	"scenario": "requests", "locustfile": "requests", "header": "requests",
	"variants": "plan", "levels": "plan", "repeat": "plan",
}

// formSkip are flags the form does not offer: the address of the
// built-in target is picked by the UI, and a form has no stdout.
// A plan's report is rendered from the store, so its --out is not asked.
var formSkip = map[string]bool{"addr": true, "print-scenario": true, "sample-every": false, "out": true}

func newFlagSet() (*pflag.FlagSet, *runflags.Flags) {
	fs := pflag.NewFlagSet("run", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := &runflags.Flags{}
	f.Bind(fs)
	return fs, f
}

// form describes the fields of the run form, or of the plan form with
// ?kind=plan: exp run's (exp plan's) flags with their defaults and usage.
func (s *Server) form(w http.ResponseWriter, r *http.Request) {
	fs, _ := newFlagSet()
	if r.URL.Query().Get("kind") == "plan" {
		fs, _ = newPlanFlagSet()
	}
	type field struct {
		Name    string `json:"name"`
		Default string `json:"default"`
		Usage   string `json:"usage"`
		Group   string `json:"group"`
	}
	var fields []field
	fs.VisitAll(func(fl *pflag.Flag) {
		if formSkip[fl.Name] {
			return
		}
		g := formGroups[fl.Name]
		if g == "" {
			g = "other"
		}
		def := fl.DefValue
		if def == "[]" {
			def = ""
		}
		fields = append(fields, field{Name: fl.Name, Default: def, Usage: fl.Usage, Group: g})
	})
	sort.SliceStable(fields, func(i, j int) bool { return groupOrder(fields[i].Group) < groupOrder(fields[j].Group) })
	variants := []string{}
	for _, v := range target.Variants() {
		variants = append(variants, string(v))
	}
	writeJSON(w, http.StatusOK, map[string]any{"variants": variants, "fields": fields,
		"allow_remote_targets": s.cfg.AllowRemoteTargets})
}

func groupOrder(g string) int {
	for i, n := range []string{"plan", "target", "load", "open", "requests", "other"} {
		if n == g {
			return i
		}
	}
	return 9
}

// startRun starts a run from the form's fields (exp run's flag names),
// checked by exactly the CLI's code, and answers with its name once it is
// stored (or the one-line error and the flag it is about).
func (s *Server) startRun(w http.ResponseWriter, r *http.Request) {
	var form map[string]string
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&form); err != nil {
		writeError(w, http.StatusBadRequest, "", "the form: "+err.Error())
		return
	}
	spec, field, err := specOf(form)
	if err != nil {
		writeError(w, http.StatusBadRequest, field, err.Error())
		return
	}
	if u := spec.Target.URL; u != "" && !s.cfg.AllowRemoteTargets && !loopbackURL(u) {
		writeError(w, http.StatusBadRequest, "url", fmt.Sprintf("--url %s: not a loopback address; exp ui --allow-remote-targets lets the form load other hosts", u))
		return
	}
	if err := lab.Preflight(spec.Target); err != nil {
		writeError(w, http.StatusBadRequest, runflags.Flag(err), runflags.ErrorText(err))
		return
	}
	name, err := s.launch(spec)
	if err != nil {
		writeError(w, http.StatusBadRequest, runflags.Flag(err), runflags.ErrorText(err))
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"name": name})
}

// specOf parses the form as the CLI parses its flags.
func specOf(form map[string]string) (lab.RunSpec, string, error) {
	fs, f := newFlagSet()
	if field, err := setForm(fs, form); err != nil {
		return lab.RunSpec{}, field, err
	}
	spec, err := f.Spec(fs)
	if err != nil {
		return spec, runflags.Flag(err), fmt.Errorf("%s", runflags.ErrorText(err))
	}
	return spec, "", nil
}

// setForm sets the form's fields on fs as the command line would, and
// says which field an error is about.
func setForm(fs *pflag.FlagSet, form map[string]string) (string, error) {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := form[k]
		if v == "" {
			continue
		}
		if fs.Lookup(k) == nil || formSkip[k] {
			return k, fmt.Errorf("unknown flag: --%s", k)
		}
		// A repeatable flag (header, threshold) takes one value a line.
		vals := []string{v}
		if fl := fs.Lookup(k); fl.Value.Type() == "stringArray" {
			vals = strings.Split(strings.TrimSpace(v), "\n")
		}
		for _, one := range vals {
			if err := fs.Set(k, strings.TrimSpace(one)); err != nil {
				// pflag says it as the CLI does: invalid argument "abc" for "--duration" flag: ...
				return k, err
			}
		}
	}
	return "", nil
}

func loopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Hostname() == "localhost" || loopbackHost(u.Hostname()))
}

// launch starts the run in the background and returns its name once the
// target is up and the run stored, or the error that stopped it first.
func (s *Server) launch(spec lab.RunSpec) (string, error) {
	ctx, cancel := context.WithCancel(bg)
	a := &activeRun{cancel: cancel, done: make(chan struct{}), agg: newSecAgg(spec.Load)}
	return s.inBackground(cancel, a.done, "run", func(started func(string)) error {
		l := &lab.Lab{DB: s.cfg.DB, Exe: s.cfg.Exe, Version: s.cfg.Version, Recorders: []load.Recorder{a.agg}, Events: func(e lab.Event) {
			switch e.Kind {
			case lab.RunStarted:
				a.mu.Lock()
				a.control = e.Control
				a.mu.Unlock()
				a.agg.follow(e.Control.LoadAt)
				s.mu.Lock()
				a.name = e.Run
				s.active[e.Run] = a
				s.mu.Unlock()
				started(e.Run)
			case lab.Progressed:
				a.mu.Lock()
				a.progress = e.Progress
				a.mu.Unlock()
			}
		}}
		_, err := l.Run(ctx, spec)
		s.mu.Lock()
		if s.active[a.name] == a {
			delete(s.active, a.name)
		}
		s.mu.Unlock()
		return err
	})
}

// inBackground runs fn on a goroutine of its own (Close waits for it) and
// returns the name fn passes to started, or fn's error when it ends
// first. fn registers what it runs itself, on its goroutine, before it
// calls started, and unregisters it before it returns, so that the end
// always finds what the start put there. cancel and done are released
// when fn returns.
func (s *Server) inBackground(cancel context.CancelFunc, done chan struct{}, what string, fn func(started func(string)) error) (string, error) {
	names := make(chan string, 1)
	failed := make(chan error, 1)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer cancel()
		defer close(done)
		failed <- fn(func(name string) {
			select {
			case names <- name:
			default:
			}
		})
	}()
	select {
	case name := <-names:
		return name, nil
	case err := <-failed:
		if err == nil {
			err = fmt.Errorf("the %s ended before it started", what)
		}
		return "", err
	}
}

// stopRun stops a run started here, as Ctrl-C stops `exp run`: it is kept
// as aborted, with every sample taken.
func (s *Server) stopRun(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	s.mu.Lock()
	a := s.active[name]
	s.mu.Unlock()
	if a == nil {
		if _, err := s.cfg.DB.FindRun(r.Context(), name); err != nil {
			writeError(w, http.StatusNotFound, "", err.Error())
			return
		}
		writeError(w, http.StatusConflict, "", fmt.Sprintf("run %s was not started by this exp ui (or has ended): stop it where it runs", name))
		return
	}
	a.cancel()
	writeJSON(w, http.StatusAccepted, map[string]string{"status": "stopping"})
}
