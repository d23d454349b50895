package load

import (
	"testing"
	"time"
)

func TestParseTasks(t *testing.T) {
	tests := []struct {
		in      string
		want    []Task
		wantErr bool
	}{
		{"/health:1,/io:1,/cpu:1", []Task{{"GET", "/health", 1}, {"GET", "/io", 1}, {"GET", "/cpu", 1}}, false},
		{"/io?ms=50:3", []Task{{"GET", "/io?ms=50", 3}}, false},
		{"/health", []Task{{"GET", "/health", 1}}, false},
		{"POST /x:2, /y", []Task{{"POST", "/x", 2}, {"GET", "/y", 1}}, false},
		{"", nil, true},
		{"health:1", nil, true},
		{"/io:0", nil, true},
		{"/io:-1", nil, true},
		{"/io:x", nil, true},
		{"/a,,/b", nil, true},
		{"FETCH /a", nil, true},
		// Found by FuzzParseTasks: a space in the path broke the request
		// line and did not round-trip.
		{"GET /a b", nil, true},
		{"GET /a :1", nil, true},
		{"/caf\u00e9", nil, true},
		{"/caf%C3%A9", []Task{{"GET", "/caf%C3%A9", 1}}, false},
	}
	for _, tt := range tests {
		got, err := ParseTasks(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseTasks(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if len(got) != len(tt.want) {
			t.Errorf("ParseTasks(%q) = %v, want %v", tt.in, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("ParseTasks(%q)[%d] = %v, want %v", tt.in, i, got[i], tt.want[i])
			}
		}
		if err == nil {
			if again, _ := ParseTasks(FormatTasks(got)); len(again) != len(got) {
				t.Errorf("FormatTasks does not round-trip %q", tt.in)
			}
		}
	}
}

func TestParseWait(t *testing.T) {
	tests := []struct {
		in      string
		want    Wait
		wantErr bool
	}{
		{"0", Wait{}, false},
		{"200ms", Wait{Min: 200 * time.Millisecond, Max: 200 * time.Millisecond}, false},
		{"100ms-500ms", Wait{Min: 100 * time.Millisecond, Max: 500 * time.Millisecond}, false},
		{"pace:1s", Wait{Min: time.Second, Max: time.Second, Pacing: true}, false},
		{"500ms-100ms", Wait{}, true},
		{"-1s", Wait{}, true},
		{"fast", Wait{}, true},
		{"1s-", Wait{}, true},
		{"pace:0", Wait{}, true},
	}
	for _, tt := range tests {
		got, err := ParseWait(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseWait(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err == nil {
			if again, err := ParseWait(got.String()); err != nil || again != got {
				t.Errorf("Wait %v does not round-trip: %v %v", got, again, err)
			}
		}
	}
}

func TestWaitNextStaysInRange(t *testing.T) {
	w := Wait{Min: 100 * time.Millisecond, Max: 500 * time.Millisecond}
	for _, r := range []uint32{0, 1 << 31, 1<<32 - 1} {
		if d := w.next(r, 0); d < w.Min || d > w.Max {
			t.Errorf("next(%d) = %v outside %v", r, d, w)
		}
	}
	p := Wait{Min: time.Second, Max: time.Second, Pacing: true}
	if d := p.next(0, 300*time.Millisecond); d != 700*time.Millisecond {
		t.Errorf("pacing wait after 300ms = %v, want 700ms", d)
	}
}

func TestParseStages(t *testing.T) {
	st, err := ParseStages("30s:10, 1m:50,30s:0")
	if err != nil || len(st) != 3 || st[1] != (Stage{time.Minute, 50}) || StagesDuration(st) != 2*time.Minute {
		t.Fatalf("ParseStages = %v, %v", st, err)
	}
	for _, bad := range []string{"", "30s", "10:30s", "30s:-1", "0s:10", "30s:0", "x:1", "30s:1.5", "30s:10,"} {
		if _, err := ParseStages(bad); err == nil {
			t.Errorf("ParseStages(%q) accepted", bad)
		}
	}
	rs, err := ParseRateStages("10s:100,10s:2.5")
	if err != nil || len(rs) != 2 || rs[1].Rate != 2.5 {
		t.Fatalf("ParseRateStages = %v, %v", rs, err)
	}
	if rs, err := ParseRateStages("0s:50,10s:50"); err != nil || len(rs) != 2 || rs[0].Duration != 0 {
		t.Fatalf("ParseRateStages(a step, then a hold) = %v, %v", rs, err)
	}
	for _, bad := range []string{"", "10s", "10s:-1", "10s:NaN", "10s:0", "1s:abc", "0s:50", "-1s:5,1s:5"} {
		if _, err := ParseRateStages(bad); err == nil {
			t.Errorf("ParseRateStages(%q) accepted", bad)
		}
	}
}

func TestPickerFollowsWeights(t *testing.T) {
	p := newPicker([]Task{{Weight: 1}, {Weight: 3}})
	counts := [2]int{}
	for i := 0; i < 4000; i++ {
		counts[p.pick(uint32(i)*1073741)]++ // spread over uint32
	}
	if counts[1] < 2800 || counts[1] > 3200 {
		t.Errorf("weight 3 of 4 picked %d of 4000", counts[1])
	}
}
