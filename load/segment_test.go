package load

import (
	"reflect"
	"slices"
	"testing"
	"time"
)

func TestSegmentShares(t *testing.T) {
	tests := []struct {
		users, workers int
		want           []int
	}{
		{10, 4, []int{3, 3, 2, 2}},
		{3, 4, []int{1, 1, 1, 0}},
		{0, 3, []int{0, 0, 0}},
		{7, 7, []int{1, 1, 1, 1, 1, 1, 1}},
		{5, 1, []int{5}},
	}
	for _, tt := range tests {
		var got []int
		for i := range tt.workers {
			got = append(got, Segment{i, tt.workers}.Share(tt.users))
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%d users over %d workers: %v, want %v", tt.users, tt.workers, got, tt.want)
		}
	}
	// Every count, every split: the shares sum to the whole, and the
	// members of the shares are the whole's users, each once.
	for n := 1; n <= 7; n++ {
		for users := range 60 {
			var members []int
			for i := range n {
				s := Segment{i, n}
				for k := range s.Share(users) {
					members = append(members, s.Member(k))
				}
			}
			slices.Sort(members)
			if len(members) != users || (users > 0 && (members[0] != 0 || members[users-1] != users-1)) || hasDup(members) {
				t.Fatalf("%d users over %d workers: members %v", users, n, members)
			}
		}
	}
}

func hasDup(s []int) bool {
	for i := 1; i < len(s); i++ {
		if s[i] == s[i-1] {
			return true
		}
	}
	return false
}

// The split of a staged schedule: at every instant the workers' users sum
// to the whole's, and each user of the whole starts on its worker when it
// would start on one machine, so the spawn order interleaves.
func TestSegmentUserSchedule(t *testing.T) {
	s := time.Second
	sched := UserSchedule{Stages: []Stage{{3 * s, 10}, {2 * s, 0}, {3 * s, 3}, {2 * s, 17}}, SpawnRate: 4}
	step := 10 * time.Millisecond
	for n := 1; n <= 7; n++ {
		started := make([]map[int]time.Duration, n) // worker → its users' first instants, by id of the whole
		for i := range n {
			started[i] = map[int]time.Duration{}
		}
		whole := map[int]time.Duration{}
		prev := 0
		for at := time.Duration(0); at < sched.Duration(); at += step {
			w := sched.At(at)
			sum := 0
			for i := range n {
				seg := Segment{i, n}
				share := seg.Share(w)
				sum += share
				for k := range share {
					if _, ok := started[i][seg.Member(k)]; !ok || share > seg.Share(prev) && k >= seg.Share(prev) {
						started[i][seg.Member(k)] = at
					}
				}
			}
			for j := prev; j < w; j++ {
				whole[j] = at
			}
			if sum != w {
				t.Fatalf("%d workers at %v: %d users, the whole has %d", n, at, sum, w)
			}
			prev = w
		}
		for i := range n {
			for j, at := range started[i] {
				if j%n != i || whole[j] != at {
					t.Errorf("%d workers: user %d last started on worker %d at %v, on one machine at %v", n, j, i, at, whole[j])
				}
			}
		}
	}
}

// Arrival k of the whole goes to worker k mod N: the workers' arrivals
// together are exactly the single machine's, times and tasks, uniform and
// Poisson, on a ramp.
func TestSegmentArrivals(t *testing.T) {
	sched := RateSchedule{Stages: []RateStage{{2 * time.Second, 300}, {0, 50}, {time.Second, 50}}}
	tasks := []Task{{"GET", "/a", 1}, {"GET", "/b", 3}, {"POST", "/c", 2}}
	type arrival struct {
		at   time.Duration
		task int
	}
	walk := func(cfg RunConfig) []arrival {
		var out []arrival
		a := newArrivals(&cfg, sched, 42)
		for {
			at, ok := a.due()
			if !ok {
				return out
			}
			if !a.mine() {
				a.skip()
				continue
			}
			out = append(out, arrival{at, a.take()})
		}
	}
	for _, arr := range []Arrivals{Uniform, Poisson} {
		whole := walk(RunConfig{Tasks: tasks, Arrivals: arr})
		if len(whole) < 300 {
			t.Fatalf("%s: %d arrivals", arr, len(whole))
		}
		for n := 1; n <= 7; n++ {
			var union []arrival
			for i := range n {
				mine := walk(RunConfig{Tasks: tasks, Arrivals: arr, Segment: Segment{i, n}})
				if d := len(mine) - len(whole)/n; d < 0 || d > 1 {
					t.Errorf("%s, %d workers: worker %d has %d of %d arrivals", arr, n, i, len(mine), len(whole))
				}
				union = append(union, mine...)
			}
			slices.SortStableFunc(union, func(a, b arrival) int { return int(a.at - b.at) })
			if !reflect.DeepEqual(union, whole) {
				t.Errorf("%s, %d workers: the union of the workers' arrivals is not the whole schedule", arr, n)
			}
		}
	}
}

func TestParseSegment(t *testing.T) {
	if s, err := ParseSegment("2/4"); err != nil || s != (Segment{2, 4}) {
		t.Errorf("ParseSegment(2/4) = %v, %v", s, err)
	}
	for _, bad := range []string{"", "4/4", "-1/4", "1/0", "a/b", "1", "1/4/5", "0/100000"} {
		if _, err := ParseSegment(bad); err == nil {
			t.Errorf("ParseSegment(%q) accepted", bad)
		}
	}
}

func TestSegmentLocal(t *testing.T) {
	for n := 1; n <= 7; n++ {
		for i := range n {
			s := Segment{i, n}
			for k := range 20 {
				if got := s.Local(s.Member(k)); got != k {
					t.Fatalf("%v: Local(Member(%d)) = %d", s, k, got)
				}
			}
		}
	}
}
