package load

import (
	"testing"
	"time"
)

func TestUserScheduleAt(t *testing.T) {
	s := UserSchedule{Stages: []Stage{{10 * time.Second, 10}, {10 * time.Second, 20}, {10 * time.Second, 5}}, SpawnRate: 2}
	tests := []struct {
		t    time.Duration
		want int
	}{
		{0, 1},
		{499 * time.Millisecond, 1},
		{500 * time.Millisecond, 2},
		{4 * time.Second, 9},
		{4500 * time.Millisecond, 10},
		{9 * time.Second, 10},
		{10 * time.Second, 11},
		{14 * time.Second, 19},
		{15 * time.Second, 20},
		{20 * time.Second, 19},
		{27 * time.Second, 5},
		{30 * time.Second, 0},
	}
	for _, tt := range tests {
		if got := s.At(tt.t); got != tt.want {
			t.Errorf("At(%v) = %d, want %d", tt.t, got, tt.want)
		}
	}
}

func TestUserScheduleNextVisitsEveryChange(t *testing.T) {
	s := UserSchedule{Stages: []Stage{{3 * time.Second, 4}, {2 * time.Second, 1}}, SpawnRate: 2}
	var got []int
	for at := time.Duration(0); at < s.Duration(); at = s.Next(at) {
		got = append(got, s.At(at))
	}
	want := []int{1, 2, 3, 4, 3, 2, 1}
	if len(got) != len(want) {
		t.Fatalf("counts %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("counts %v, want %v", got, want)
		}
	}
}

func TestRateScheduleTimeOf(t *testing.T) {
	constant := RateSchedule{Stages: []RateStage{{5 * time.Second, 100}}, From: 100}
	ramp := RateSchedule{Stages: []RateStage{{10 * time.Second, 100}, {10 * time.Second, 100}}}
	tests := []struct {
		name string
		r    RateSchedule
		h    float64
		want time.Duration
		ok   bool
	}{
		{"first", constant, 0, 0, true},
		{"constant", constant, 250, 2500 * time.Millisecond, true},
		{"last", constant, 499, 4990 * time.Millisecond, true},
		{"past end", constant, 500, 5 * time.Second, false},
		// A ramp from 0 to 100/s over 10 s has produced 500 arrivals at 10 s
		// and 125 at 5 s.
		{"ramp start", ramp, 0, 0, true},
		{"ramp quarter", ramp, 125, 5 * time.Second, true},
		{"ramp end", ramp, 500, 10 * time.Second, true},
		{"flat after ramp", ramp, 600, 11 * time.Second, true},
	}
	for _, tt := range tests {
		got, ok := tt.r.TimeOf(tt.h)
		if ok != tt.ok || (got-tt.want).Abs() > time.Microsecond {
			t.Errorf("%s: TimeOf(%g) = %v, %v; want %v, %v", tt.name, tt.h, got, ok, tt.want, tt.ok)
		}
	}
	// Whole count: 100/s for 5 s schedules exactly 500 arrivals.
	n := 0
	for h := 0.0; ; h++ {
		if _, ok := constant.TimeOf(h); !ok {
			break
		}
		n++
	}
	if n != 500 {
		t.Errorf("constant 100/s for 5s schedules %d arrivals, want 500", n)
	}
}

func TestRateAt(t *testing.T) {
	r := RateSchedule{Stages: []RateStage{{10 * time.Second, 100}, {10 * time.Second, 300}}}
	for _, tt := range []struct {
		t    time.Duration
		want float64
	}{{0, 0}, {5 * time.Second, 50}, {10 * time.Second, 100}, {15 * time.Second, 200}, {25 * time.Second, 0}} {
		if got := r.RateAt(tt.t); got != tt.want {
			t.Errorf("RateAt(%v) = %g, want %g", tt.t, got, tt.want)
		}
	}
}

// TestScheduleByModel: each model's config gives its own schedule, and
// Load follows At and RateAt.
func TestScheduleByModel(t *testing.T) {
	closed := RunConfig{Model: Closed, Users: 4, SpawnRate: 2, Duration: 10 * time.Second}
	open := RunConfig{Model: Open, Rate: 50, Duration: 3 * time.Second}
	cs, ok := closed.Schedule().(UserSchedule)
	if !ok || cs.Duration() != 10*time.Second || closed.Schedule().Load(1600*time.Millisecond) != 4 ||
		closed.Schedule().Load(0) != 1 || closed.Schedule().Load(11*time.Second) != 0 {
		t.Errorf("closed schedule %+v", cs)
	}
	os, ok := open.Schedule().(RateSchedule)
	if !ok || os.Duration() != 3*time.Second || open.Schedule().Load(time.Second) != 50 || open.Schedule().Load(4*time.Second) != 0 {
		t.Errorf("open schedule %+v", os)
	}
}
