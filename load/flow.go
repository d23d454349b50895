package load

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptrace"
	"net/url"
	"strings"
	"time"

	"exp/input"
	"exp/scenario"
)

// ScenarioTasks are a scenario's endpoints as tasks: what the store lists
// as a run's endpoints and the figures group by (the path is the display
// name).
func ScenarioTasks(sc *scenario.Scenario) []Task {
	out := make([]Task, len(sc.Endpoints))
	for i, e := range sc.Endpoints {
		out[i] = Task{Method: e.Method, Path: e.Name, Weight: 1}
	}
	return out
}

func (c *RunConfig) validateScenario() error {
	if c.Model != Closed {
		return input.Errorf("scenario", "runs in the closed model (%v or %v): %v and %v do not take one",
			input.Name("users"), input.Name("stages"), input.Name("rate"), input.Name("rate-stages"))
	}
	if len(c.Tasks) != len(c.Scenario.Endpoints) {
		return input.Errorf("scenario", "has %d endpoints but the run lists %d (set Tasks from ScenarioTasks)",
			len(c.Scenario.Endpoints), len(c.Tasks))
	}
	for _, cl := range c.Scenario.Classes {
		if _, err := ParseWait(cl.Wait); err != nil {
			return input.Errorf("scenario", "user class %s: wait %q: %v", cl.Name, cl.Wait, err)
		}
	}
	return nil
}

// maxCaptureBody bounds what is read of a body for checks and captures;
// the rest is counted and discarded.
const maxCaptureBody = 1 << 20

// classCycle spreads users over classes by weight, interleaved (smooth
// weighted round robin): weights 1 and 3 give A B B B, then again.
func classCycle(cls []scenario.Class) []int {
	total := 0
	for _, c := range cls {
		total += c.Weight
	}
	cur := make([]int, len(cls))
	out := make([]int, 0, total)
	for range total {
		best := 0
		for i, c := range cls {
			cur[i] += c.Weight
			if cur[i] > cur[best] {
				best = i
			}
		}
		cur[best] -= total
		out = append(out, best)
	}
	return out
}

// flowUser is one virtual user of a scenario, with its own connections,
// cookie jar and variables.
type flowUser struct {
	e        *Engine
	id       uint32
	ctx      context.Context // inflight, with the trace that tells reuse
	inflight context.Context
	hc       *http.Client
	base     string
	st       scenario.State
	path     []byte
	body     []byte
	tracer   netTracer
	h1       *h1Flow // plain http://: the generator's own client; nil: net/http
}

func newFlowUser(e *Engine, inflight context.Context, id uint32, rng *rand.Rand) *flowUser {
	sc := e.cfg.Scenario
	jar, _ := cookiejar.New(nil) // never fails without options
	u := &flowUser{e: e, id: id, base: strings.TrimRight(e.cfg.URL, "/"),
		st: scenario.State{User: int(id), Vars: make([]string, len(sc.Vars)), Rows: make([][]string, len(sc.Feeders)), Rand: rng}}
	u.hc = &http.Client{Transport: newTransport(&e.cfg, 1), Timeout: e.cfg.Timeout, Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	u.ctx, u.inflight = httptrace.WithClientTrace(inflight, u.tracer.clientTrace()), inflight
	if !usesNetHTTP(&e.cfg) {
		if f, err := newH1Flow(inflight, &e.cfg); err == nil {
			u.h1 = f
		}
	}
	return u
}

func (u *flowUser) close() {
	if u.h1 != nil {
		u.h1.c.close()
	}
	u.hc.CloseIdleConnections()
}

// scenarioUser runs one user of the scenario: its class by its index,
// on_start once, then tasks by weight with the class's think time, until
// stopped. A stopped user finishes its current request.
func (e *Engine) scenarioUser(load, inflight context.Context, stop <-chan struct{}, id uint32, out chan<- Sample) {
	e.active.Add(1)
	defer e.active.Add(-1)
	sc := e.cfg.Scenario
	ci := e.classes[int(id)%len(e.classes)]
	cl := &sc.Classes[ci]
	rng := rand.New(rand.NewPCG(uint64(id), uint64(e.started.UnixNano())))
	u := newFlowUser(e, inflight, id, rng)
	defer u.close()
	done := func() bool {
		select {
		case <-load.Done():
			return true
		case <-stop:
			return true
		default:
			return !time.Now().Before(e.end)
		}
	}
	if u.run(&cl.OnStart, done, out) {
		return
	}
	pick := flowPicker(cl.Tasks)
	wait := time.NewTimer(time.Hour)
	defer wait.Stop()
	for !done() {
		t0 := time.Now()
		if u.run(&cl.Tasks[pick.pick(rng.Uint32())], done, out) {
			return
		}
		if !think(wait, e.waits[ci].next(rng.Uint32(), time.Since(t0)), load, stop) {
			return
		}
	}
}

func flowPicker(fs []scenario.Flow) picker {
	ts := make([]Task, len(fs))
	for i, f := range fs {
		ts[i].Weight = f.Weight
	}
	return newPicker(ts)
}

// run runs one flow; true when the user must stop (the run ended, a queue
// of data is used up, a request was cancelled).
func (u *flowUser) run(f *scenario.Flow, done func() bool, out chan<- Sample) bool {
	noData := false
	for _, d := range f.Data {
		fd := u.e.cfg.Scenario.Feeders[d]
		row, err := fd.Row(&u.st)
		if errors.Is(err, scenario.ErrDataUsedUp) {
			if fd.Stop {
				return true
			}
			noData = true
			continue
		}
		u.st.Rows[d] = row
	}
	for i := range f.Steps {
		st := &f.Steps[i]
		if done() {
			return true
		}
		if st.Req == nil {
			u.st.Vars[st.Set] = string(st.Value.Append(u.path[:0], &u.st))
			continue
		}
		var s Sample
		if noData {
			s = Sample{Start: time.Since(u.e.started), Class: NoData, User: u.id}
		} else {
			s = u.send(st.Req)
		}
		s.Endpoint, s.Step = uint16(st.Req.Endpoint), uint16(st.Req.Step)
		out <- s
		if s.Class == Cancelled {
			return true
		}
	}
	return false
}

// send makes one request of the scenario and records it.
func (u *flowUser) send(r *scenario.Req) Sample {
	if u.h1 != nil {
		return u.sendH1(r)
	}
	u.path = r.Path.Append(append(u.path[:0], u.base...), &u.st)
	for i, q := range r.Query {
		sep := byte('&')
		if i == 0 && bytes.IndexByte(u.path, '?') < 0 {
			sep = '?'
		}
		u.path = append(append(append(u.path, sep), url.QueryEscape(q.Name)...), '=')
		u.path = append(u.path, url.QueryEscape(string(q.Value.Append(nil, &u.st)))...)
	}
	body := r.BodyBytes
	if !r.Body.Empty() {
		u.body = r.Body.Append(u.body[:0], &u.st)
		body = u.body
	}
	ctx := u.ctx
	if r.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, r.Timeout)
		defer cancel()
	}
	t0 := time.Now()
	req, err := http.NewRequestWithContext(ctx, r.Method, string(u.path), bytes.NewReader(body))
	if err != nil {
		return Sample{Start: t0.Sub(u.e.started), Class: Other, User: u.id}
	}
	u.headers(req, r)
	u.tracer.reset()
	status, n, err := u.roundTrip(req, r)
	s := u.sample(r, t0, time.Now(), status, n, u.tracer.wasReused(), err)
	s.traced(u.tracer.snapshot(), t0, t0.Add(s.Service))
	return s
}

func (u *flowUser) headers(req *http.Request, r *scenario.Req) {
	req.Header.Set("User-Agent", "exp")
	for k, v := range u.e.cfg.Headers {
		req.Header.Set(k, v)
	}
	if r.ContentType != "" {
		req.Header.Set("Content-Type", r.ContentType)
	}
	for _, h := range r.Headers {
		req.Header.Set(h.Name, string(h.Value.Append(nil, &u.st)))
	}
	if h := req.Header.Get("Host"); h != "" {
		req.Host = h
	}
}

// roundTrip sends req, reads its body (what checks and captures need of
// it, the rest discarded) and applies them. A check that fails gives an
// error wrapping scenario.ErrCheck.
func (u *flowUser) roundTrip(req *http.Request, r *scenario.Req) (int, int64, error) {
	resp, err := u.hc.Do(req)
	if err != nil {
		return 0, 0, err
	}
	u.tracer.setProto(resp.ProtoMajor)
	defer resp.Body.Close()
	var kept []byte
	var n int64
	if r.NeedsBody() {
		kept, err = io.ReadAll(io.LimitReader(resp.Body, maxCaptureBody))
		n = int64(len(kept))
		if err != nil {
			return resp.StatusCode, n, err
		}
	}
	rest, err := io.Copy(io.Discard, resp.Body)
	n += rest
	if err != nil {
		return resp.StatusCode, n, err
	}
	if !r.Success(resp.StatusCode) {
		return resp.StatusCode, n, nil
	}
	if err := r.Apply(scenario.HTTPMeta{H: resp.Header, Cookies: resp.Cookies()}, kept, &u.st); err != nil {
		return resp.StatusCode, n, fmt.Errorf("%w", err)
	}
	return resp.StatusCode, n, nil
}

// sendH1 is send on the generator's own client.
func (u *flowUser) sendH1(r *scenario.Req) Sample {
	t0 := time.Now()
	status, n, reused, err := u.h1.do(r, &u.st, t0)
	if err == nil && r.Success(status) {
		if aerr := r.Apply(&u.h1.keep, u.h1.keep.body, &u.st); aerr != nil {
			err = aerr
		}
	}
	t1 := time.Now()
	s := u.sample(r, t0, t1, status, n, reused, err)
	s.traced(u.h1.c.trace(), t0, t1)
	return s
}

// sample records a scenario request's outcome.
func (u *flowUser) sample(r *scenario.Req, t0, t1 time.Time, status int, n int64, reused bool, err error) Sample {
	s := sampleOf(r.Endpoint, status, n, reused, err, u.inflight)
	switch {
	case errors.Is(err, scenario.ErrCheck):
		s.Class = Check
	case err == nil && !r.Success(status):
		s.Class = HTTP
	case err == nil:
		s.Class = OK
	}
	s.Start, s.Latency, s.Service, s.User = t0.Sub(u.e.started), t1.Sub(t0), t1.Sub(t0), u.id
	return s
}
