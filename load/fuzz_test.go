package load

import "testing"

// The parsers must never panic and must round-trip what they accept.

func FuzzParseTasks(f *testing.F) {
	for _, s := range []string{DefaultTasks, "/io?ms=50:3", "POST /x:2", ":", "/a:99999999999", "GET /a b", "GET /a :1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tasks, err := ParseTasks(s)
		if err != nil {
			return
		}
		again, err := ParseTasks(FormatTasks(tasks))
		if err != nil || len(again) != len(tasks) {
			t.Fatalf("%q parsed to %v, which does not round-trip: %v", s, tasks, err)
		}
	})
}

func FuzzParseWait(f *testing.F) {
	for _, s := range []string{DefaultWait, "0", "pace:1s", "1s-", "-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, err := ParseWait(s)
		if err != nil {
			return
		}
		if w.Min < 0 || w.Max < w.Min {
			t.Fatalf("%q parsed to invalid %+v", s, w)
		}
	})
}

func FuzzParseStages(f *testing.F) {
	for _, s := range []string{"30s:10,30s:50", "1s:0,1s:1", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		st, err := ParseStages(s)
		if err != nil {
			return
		}
		again, err := ParseStages(FormatStages(st))
		if err != nil || len(again) != len(st) {
			t.Fatalf("%q parsed to %v, which does not round-trip: %v", s, st, err)
		}
	})
}

func FuzzParseRateStages(f *testing.F) {
	for _, s := range []string{"30s:100,30s:200", "1s:0.5", "1s:1e400", "0s:50,2s:50"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		st, err := ParseRateStages(s)
		if err != nil {
			return
		}
		for _, r := range st {
			if r.Rate < 0 || r.Duration < 0 {
				t.Fatalf("%q parsed to invalid %v", s, st)
			}
		}
		if RateStagesDuration(st) <= 0 {
			t.Fatalf("%q parsed to stages of no length %v", s, st)
		}
		if back, err := ParseRateStages(FormatRateStages(st)); err != nil || len(back) != len(st) {
			t.Fatalf("%q: FormatRateStages %q does not parse back: %v", s, FormatRateStages(st), err)
		}
	})
}

func FuzzParseSegment(f *testing.F) {
	for _, s := range []string{"0/1", "3/4", "4/4", "-1/2", "1/0", " 2/3 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		seg, err := ParseSegment(s)
		if err != nil {
			return
		}
		if seg.Validate() != nil || seg.Index < 0 || seg.Index >= seg.Count {
			t.Fatalf("%q parsed to invalid %v", s, seg)
		}
		if back, err := ParseSegment(seg.String()); err != nil || back != seg {
			t.Fatalf("%q: %v does not round-trip: %v, %v", s, seg, back, err)
		}
	})
}
