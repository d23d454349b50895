package ui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/spf13/pflag"

	"exp/lab"
	"exp/runflags"
	"exp/store"
)

// activePlan is a plan started here: its cells run one after the other,
// each a stored run that the live view follows from the store.
type activePlan struct {
	cancel context.CancelFunc
	done   chan struct{}
}

func newPlanFlagSet() (*pflag.FlagSet, *runflags.Plan) {
	fs := pflag.NewFlagSet("plan", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	p := &runflags.Plan{}
	p.Bind(fs)
	return fs, p
}

// startPlan starts a plan from the plan form (exp plan's flag names),
// checked by the CLI's code, and answers with its name once it is stored.
func (s *Server) startPlan(w http.ResponseWriter, r *http.Request) {
	var form map[string]string
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&form); err != nil {
		writeError(w, http.StatusBadRequest, "", "the form: "+err.Error())
		return
	}
	fs, pf := newPlanFlagSet()
	if field, err := setForm(fs, form); err != nil {
		writeError(w, http.StatusBadRequest, field, err.Error())
		return
	}
	spec, err := pf.Spec(fs)
	if err != nil {
		writeError(w, http.StatusBadRequest, runflags.Flag(err), runflags.ErrorText(err))
		return
	}
	if u := spec.Cell.Target.URL; u != "" && !s.cfg.AllowRemoteTargets && !loopbackURL(u) {
		writeError(w, http.StatusBadRequest, "url", fmt.Sprintf("--url %s: not a loopback address; exp ui --allow-remote-targets lets the form load other hosts", u))
		return
	}
	if err := lab.Preflight(spec.Cell.Target); err != nil {
		writeError(w, http.StatusBadRequest, runflags.Flag(err), runflags.ErrorText(err))
		return
	}
	spec.Reports = s.cfg.Plans
	name, err := s.launchPlan(spec)
	if err != nil {
		writeError(w, http.StatusBadRequest, runflags.Flag(err), runflags.ErrorText(err))
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"name": name})
}

// launchPlan runs the plan in the background and returns its name once
// it is stored, or the error that stopped it first.
func (s *Server) launchPlan(spec lab.PlanSpec) (string, error) {
	ctx, cancel := context.WithCancel(bg)
	a := &activePlan{cancel: cancel, done: make(chan struct{})}
	return s.inBackground(cancel, a.done, "plan", func(started func(string)) error {
		var mine string // the plan's name, as this goroutine learns it
		l := &lab.Lab{DB: s.cfg.DB, Exe: s.cfg.Exe, Version: s.cfg.Version, Events: func(e lab.Event) {
			if e.Kind == lab.PlanStarted {
				mine = e.Text
				s.mu.Lock()
				s.plans[mine] = a
				s.mu.Unlock()
				started(mine)
			}
		}}
		_, err := l.RunPlan(ctx, spec)
		s.mu.Lock()
		if s.plans[mine] == a {
			delete(s.plans, mine)
		}
		s.mu.Unlock()
		return err
	})
}

// planInfo says a plan's status, whether this UI runs it (and can stop
// it), and the flags it was started with, for the form that starts it
// again.
func (s *Server) planInfo(w http.ResponseWriter, r *http.Request) {
	p, err := s.cfg.DB.FindPlan(r.Context(), r.PathValue("name"))
	if err != nil {
		code := http.StatusInternalServerError
		if errors.Is(err, store.ErrNotFound) {
			code = http.StatusNotFound
		}
		writeError(w, code, "", err.Error())
		return
	}
	flags, err := lab.StoredFlags(p)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "", err.Error())
		return
	}
	if flags == nil {
		flags = map[string]string{}
	}
	s.mu.Lock()
	_, active := s.plans[p.Name]
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"name": p.Name, "status": p.Status, "active": active, "flags": flags})
}

// stopPlan stops a plan started here, as Ctrl-C stops `exp plan`: the
// running cell is kept as aborted and the report covers what ran.
func (s *Server) stopPlan(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	s.mu.Lock()
	a := s.plans[name]
	s.mu.Unlock()
	if a == nil {
		writeError(w, http.StatusConflict, "", fmt.Sprintf("plan %s is not running in this exp ui: stop it where it runs", name))
		return
	}
	a.cancel()
	writeJSON(w, http.StatusAccepted, map[string]string{"status": "stopping"})
}
