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
		in   []Stage
		at   time.Duration
		n    int
		want []Stage
	}{
		{[]Stage{{10 * s, 5}}, 3 * s, 8, []Stage{{3 * s, 5}, {7 * s, 8}}},
		{[]Stage{{2 * s, 5}, {8 * s, 9}}, 2 * s, 1, []Stage{{2 * s, 5}, {8 * s, 1}}},
		{[]Stage{{2 * s, 5}, {8 * s, 9}}, 4 * s, 0, []Stage{{2 * s, 5}, {2 * s, 9}, {6 * s, 0}}},
	}
	for _, tt := range tests {
		if got := CutStages(tt.in, tt.at, tt.n); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("CutStages(%v, %v, %d) = %v, want %v", tt.in, tt.at, tt.n, got, tt.want)
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
