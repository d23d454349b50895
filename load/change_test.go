package load

import (
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"
)

func TestCutStages(t *testing.T) {
	s := time.Second
	tests := []struct {
		in   UserSchedule
		at   time.Duration
		n    int
		want []Stage
	}{
		{UserSchedule{Stages: []Stage{{10 * s, 5}}, SpawnRate: 100}, 3 * s, 8, []Stage{{3 * s, 5}, {7 * s, 8}}},
		{UserSchedule{Stages: []Stage{{2 * s, 5}, {8 * s, 9}}, SpawnRate: 100}, 2 * s, 1, []Stage{{2 * s, 5}, {8 * s, 1}}},
		{UserSchedule{Stages: []Stage{{2 * s, 5}, {8 * s, 9}}, SpawnRate: 100}, 4 * s, 0, []Stage{{2 * s, 5}, {2 * s, 9}, {6 * s, 0}}},
		// Mid-ramp (0 to 100 at 1/s): at 10 s 10 users run, and the cut
		// stage ends with them, not with its target of 100.
		{UserSchedule{Stages: []Stage{{100 * s, 100}}, SpawnRate: 1}, 10 * s, 50, []Stage{{10 * s, 10}, {90 * s, 50}}},
	}
	for _, tt := range tests {
		got := CutStages(tt.in, tt.at, tt.n)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("CutStages(%v, %v, %d) = %v, want %v", tt.in, tt.at, tt.n, got, tt.want)
		}
		// Before the change the users are those of the old schedule, and
		// from it they move from there by the spawn rate: no jump.
		cut := UserSchedule{Stages: got, SpawnRate: tt.in.SpawnRate}
		for at := time.Duration(0); at < tt.at; at += 100 * time.Millisecond {
			if cut.At(at) != tt.in.At(at) {
				t.Errorf("%v: at %v %d users, the old schedule had %d", tt.in, at, cut.At(at), tt.in.At(at))
			}
		}
		if d := cut.At(tt.at) - tt.in.At(tt.at-time.Nanosecond); d > 1 || d < -1 {
			t.Errorf("%v: the users jump by %d at the change", tt.in, d)
		}
	}
}

// Users changed while a run goes: the engine follows, and its stages say
// when, so the samples' users match the stored schedule.
func TestSetUsers(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { time.Sleep(5 * time.Millisecond) }))
	defer srv.Close()
	cfg := RunConfig{URL: srv.URL, Model: Closed, Users: 2, SpawnRate: 1000, Duration: 4 * time.Second,
		Tasks: []Task{{"GET", "/", 1}}, Timeout: time.Second, KeepAlive: true}
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	out := make(chan Sample, 1<<16)
	users := map[int]map[uint32]bool{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for s := range out {
			sec := int(s.Start / time.Second)
			if users[sec] == nil {
				users[sec] = map[uint32]bool{}
			}
			users[sec][s.User] = true
		}
	}()
	go func() {
		time.Sleep(1200 * time.Millisecond)
		if err := e.SetUsers(6); err != nil {
			t.Error(err)
		}
	}()
	e.Run(context.Background(), time.Now(), out)
	<-done
	st := e.Stages()
	want := []Stage{{2 * time.Second, 2}, {2 * time.Second, 6}}
	if !reflect.DeepEqual(st, want) {
		t.Fatalf("stages %v, want %v", st, want)
	}
	if len(users[0]) != 2 || len(users[1]) != 2 || len(users[3]) != 6 {
		t.Errorf("users by second %v, want 2, 2, then 6", map[int]int{0: len(users[0]), 1: len(users[1]), 3: len(users[3])})
	}
	if err := e.SetUsers(3); err == nil {
		t.Error("SetUsers after the end accepted")
	}
}

func TestCutRateStages(t *testing.T) {
	s := time.Second
	tests := []struct {
		in   RateSchedule
		at   time.Duration
		r    float64
		want []RateStage
	}{
		// A constant rate: a step to it, held to the change, a step to r.
		{RateSchedule{Stages: []RateStage{{10 * s, 50}}, From: 50}, 3 * s, 80,
			[]RateStage{{0, 50}, {3 * s, 50}, {0, 80}, {7 * s, 80}}},
		// A ramp cut midway ends at the rate it had reached.
		{RateSchedule{Stages: []RateStage{{4 * s, 100}, {4 * s, 100}}}, 2 * s, 10,
			[]RateStage{{2 * s, 50}, {0, 10}, {6 * s, 10}}},
		// A change on a stage's edge keeps the stage whole.
		{RateSchedule{Stages: []RateStage{{2 * s, 20}, {2 * s, 40}}}, 2 * s, 0,
			[]RateStage{{2 * s, 20}, {0, 0}, {2 * s, 0}}},
	}
	for _, tt := range tests {
		got := CutRateStages(tt.in, tt.at, tt.r)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("CutRateStages(%v, %v, %g) = %v, want %v", tt.in, tt.at, tt.r, got, tt.want)
		}
		// Before the change the new schedule is the old one, arrival by arrival.
		cut := RateSchedule{Stages: got}
		for h := 0.0; ; h++ {
			old, ok := tt.in.TimeOf(h)
			if !ok || old >= tt.at {
				break
			}
			if now, _ := cut.TimeOf(h); absDur(now-old) > time.Microsecond {
				t.Errorf("%v: arrival %g moved from %v to %v", tt.in, h, old, now)
			}
		}
	}
}

func absDur(d time.Duration) time.Duration { return max(d, -d) }

// The rate changed while an open-model run goes: arrivals follow from the
// next whole second, and the rate stages say so.
func TestSetRate(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	cfg := RunConfig{URL: srv.URL, Model: Open, Rate: 50, Arrivals: Uniform, MaxInflight: 50, Duration: 4 * time.Second,
		Tasks: []Task{{"GET", "/", 1}}, Timeout: time.Second, KeepAlive: true}
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	out := make(chan Sample, 1<<16)
	bySecond := map[int]int{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for s := range out {
			bySecond[int(s.Start/time.Second)]++
		}
	}()
	go func() {
		time.Sleep(1200 * time.Millisecond)
		if err := e.SetRate(200); err != nil {
			t.Error(err)
		}
		if err := e.SetUsers(3); err == nil {
			t.Error("SetUsers on an open-model run accepted")
		}
	}()
	res := e.Run(context.Background(), time.Now(), out)
	<-done
	want := []RateStage{{0, 50}, {2 * time.Second, 50}, {0, 200}, {2 * time.Second, 200}}
	if st := e.RateStages(); !reflect.DeepEqual(st, want) {
		t.Fatalf("rate stages %v, want %v", st, want)
	}
	if got := (map[int]int{0: bySecond[0], 1: bySecond[1], 2: bySecond[2], 3: bySecond[3]}); !reflect.DeepEqual(got, map[int]int{0: 50, 1: 50, 2: 200, 3: 200}) {
		t.Errorf("arrivals by second %v, want 50, 50, 200, 200", got)
	}
	if res.Scheduled != 500 {
		t.Errorf("scheduled %d arrivals, want 500", res.Scheduled)
	}
	if e.LoadAt(3500*time.Millisecond) != 200 {
		t.Errorf("LoadAt(3.5s) = %g, want 200", e.LoadAt(3500*time.Millisecond))
	}
	if err := e.SetRate(10); err == nil {
		t.Error("SetRate after the end accepted")
	}
}

// A change asked for before the engine started (the page showed the run
// as soon as it was stored) takes effect from second 1.
func TestChangeBeforeStart(t *testing.T) {
	cfg := RunConfig{URL: "http://127.0.0.1:9", Model: Closed, Users: 2, SpawnRate: 10, Duration: 4 * time.Second,
		Tasks: []Task{{"GET", "/", 1}}, Timeout: time.Second}
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.SetUsers(3); err != nil {
		t.Fatal(err)
	}
	if st, want := e.Stages(), []Stage{{time.Second, 2}, {3 * time.Second, 3}}; !reflect.DeepEqual(st, want) {
		t.Errorf("stages %v, want %v", st, want)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	cfg.URL, cfg.Model, cfg.Rate, cfg.Arrivals, cfg.MaxInflight, cfg.Duration = srv.URL, Open, 10, Uniform, 10, 2*time.Second
	if e, err = NewEngine(cfg); err != nil {
		t.Fatal(err)
	}
	if err := e.SetRate(30); err != nil {
		t.Fatal(err)
	}
	if st, want := e.RateStages(), []RateStage{{0, 10}, {time.Second, 10}, {0, 30}, {time.Second, 30}}; !reflect.DeepEqual(st, want) {
		t.Errorf("rate stages %v, want %v", st, want)
	}
	// ... and the scheduler follows it from its first arrival on.
	out := make(chan Sample, 256)
	bySecond := map[int]int{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for s := range out {
			bySecond[int(s.Start/time.Second)]++
		}
	}()
	e.Run(context.Background(), time.Now(), out)
	<-done
	if bySecond[0] != 10 || bySecond[1] != 30 {
		t.Errorf("arrivals by second %v, want 10 then 30", bySecond)
	}
}

// A rate set to 0 holds the run, with no arrivals, to its planned end (it
// does not end it), and a rate set later brings arrivals again; a low
// rate's run lasts its planned duration, which its rates are over.
func TestSetRateZeroHolds(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	cfg := RunConfig{URL: srv.URL, Model: Open, Rate: 20, Arrivals: Uniform, MaxInflight: 10, Duration: 4 * time.Second,
		Tasks: []Task{{"GET", "/", 1}}, Timeout: time.Second, KeepAlive: true}
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	out := make(chan Sample, 1<<12)
	bySecond := map[int]int{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for s := range out {
			bySecond[int(s.Start/time.Second)]++
		}
	}()
	go func() {
		time.Sleep(300 * time.Millisecond)
		if err := e.SetRate(0); err != nil {
			t.Error(err)
		}
		time.Sleep(1500 * time.Millisecond)
		if err := e.SetRate(10); err != nil {
			t.Error(err)
		}
	}()
	res := e.Run(context.Background(), time.Now(), out)
	<-done
	if res.Load != 4*time.Second || res.Interrupted {
		t.Errorf("load ran %v (interrupted %v), want the planned 4s", res.Load, res.Interrupted)
	}
	if got := (map[int]int{0: bySecond[0], 1: bySecond[1], 2: bySecond[2], 3: bySecond[3]}); !reflect.DeepEqual(got, map[int]int{0: 20, 1: 0, 2: 10, 3: 10}) {
		t.Errorf("arrivals by second %v, want 20, 0, 10, 10 (0 from second 1, 10 from second 2)", got)
	}

	cfg.Rate = 0.5
	if e, err = NewEngine(cfg); err != nil {
		t.Fatal(err)
	}
	out = make(chan Sample, 16)
	go func() {
		for range out {
		}
	}()
	if res := e.Run(context.Background(), time.Now(), out); res.Load != 4*time.Second {
		t.Errorf("a run of 0.5 req/s for 4s: load %v, want 4s (its last arrival is at 2s)", res.Load)
	}
}
