package report

import (
	"exp/analysis"
	"exp/verdict"
	"strings"
	"testing"
	"time"
)

const ms = time.Millisecond

// cellAt is a variant's cell: throughput at full load, p95 and failures.
func cellAt(users int, rps float64, p95 time.Duration, failures int64) verdict.Cell {
	return verdict.Cell{Variant: "pooled", Users: users, Status: "completed", RPS: rps * 0.9, SteadyRPS: rps,
		Avg: p95 / 3, P95: p95, Requests: int64(rps * 20), Failures: failures,
		Endpoints: []analysis.Stats{
			{Endpoint: 0, Name: "/health", Requests: 10, P95: p95 / 20},
			{Endpoint: 1, Name: "/io", Requests: 10, P95: p95},
			{Endpoint: 2, Name: "/cpu", Requests: 10, P95: p95 / 10},
		}}
}

func TestNewStep(t *testing.T) {
	tests := []struct {
		name      string
		a, b      verdict.Cell
		want      verdict.Scaling
		wantRatio string
	}{
		{"linear", cellAt(10, 30, 210*ms, 0), cellAt(50, 144, 215*ms, 0), verdict.ScaledLinearly, "×4.8 for ×5 users"},
		{"slower", cellAt(50, 144, 215*ms, 0), cellAt(100, 216, 300*ms, 0), verdict.ScaledSlowly, "×1.5 for ×2 users"},
		{"plateau", cellAt(50, 144, 215*ms, 0), cellAt(100, 150, 420*ms, 0), verdict.Plateaued, "×1.0 for ×2 users"},
		{"fell", cellAt(50, 144, 215*ms, 0), cellAt(100, 110, 900*ms, 0), verdict.Fell, "×0.8 for ×2 users"},
		{"from nothing", cellAt(10, 0, 0, 0), cellAt(50, 100, 10*ms, 0), verdict.ScaledLinearly, "×0 for ×5 users"},
	}
	for _, tt := range tests {
		s := verdict.NewStep(tt.a, tt.b)
		if s.Kind != tt.want {
			t.Errorf("%s: kind %d, want %d", tt.name, s.Kind, tt.want)
		}
		if got := stepRatio(s); got != tt.wantRatio {
			t.Errorf("%s: ratio %q, want %q", tt.name, got, tt.wantRatio)
		}
	}
}

func TestObserveVariant(t *testing.T) {
	tests := []struct {
		name  string
		cells []verdict.Cell
		want  []string // each must appear
	}{
		{"classic: linear then a plateau", []verdict.Cell{cellAt(100, 240, 420*ms, 0), cellAt(10, 50, 210*ms, 0), cellAt(50, 240, 215*ms, 0)},
			[]string{"Throughput scaled near-linearly from 10 to 50 users (×4.8 for ×5 users, 50.0 to 240 req/s); at 100 users it plateaued at 240 req/s (×1.0 for ×2 users) and p95 rose to 420 ms (from 215 ms).",
				"No request failed at any level.", "/io dominated the tail at every level (p95 420 ms at 100 users)."}},
		{"plateau over two steps", []verdict.Cell{cellAt(10, 20, 500*ms, 0), cellAt(50, 21, 2500*ms, 0), cellAt(100, 21, 5000*ms, 3)},
			[]string{"From 50 to 100 users it stayed at 21.0 req/s (20.0 at 10 users) and p95 rose to 5.00 s (from 500 ms).",
				"Failures began at 100 users (0.7% of requests)."}},
		{"limited from the start", func() []verdict.Cell {
			c := []verdict.Cell{cellAt(10, 12.3, 1270*ms, 0), cellAt(30, 13, 2540*ms, 0)}
			c[0].Verdict, c[1].Verdict = verdict.ConcurrencyBound, verdict.ConcurrencyBound
			return c
		}(), []string{"Already at its limit at 10 users (concurrency-bound, 12.3 req/s); at 30 users it plateaued at 13.0 req/s (×1.1 for ×3 users) and p95 rose to 2.54 s (from 1.27 s)."}},
		{"plateau with its verdict", func() []verdict.Cell {
			c := []verdict.Cell{cellAt(10, 30, 200*ms, 0), cellAt(50, 144, 215*ms, 0), cellAt(100, 140, 800*ms, 0)}
			c[2].Verdict = verdict.CPUBound
			return c
		}(), []string{"; at 100 users it plateaued at 140 req/s (×1.0 for ×2 users, cpu-bound) and p95 rose to 800 ms (from 215 ms)."}},
		{"fell", []verdict.Cell{cellAt(10, 30, 50*ms, 0), cellAt(20, 20, 60*ms, 0)},
			[]string{"At 20 users throughput fell to 20.0 req/s (×0.7 for ×2 users from 10 users) and p95 rose to 60.0 ms (from 50.0 ms)."}},
		{"one level", []verdict.Cell{cellAt(10, 30, 50*ms, 0)}, []string{"One level only (10 users): 30.0 req/s at full load, p95 50.0 ms."}},
		{"nothing", []verdict.Cell{{Users: 10}}, []string{"No request completed at any level."}},
	}
	for _, tt := range tests {
		got := ObserveVariant(tt.cells)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s:\n got %q\nwant %q in it", tt.name, got, w)
			}
		}
	}
}

func TestObserveCell(t *testing.T) {
	a, b := cellAt(10, 30, 210*ms, 0), cellAt(50, 144, 300*ms, 30)
	b.TopClass, b.HasTarget, b.CPUMean, b.CPUMax, b.RSSMax = "http-503", true, 35, 60.5, 12<<20
	tests := []struct {
		name string
		prev *verdict.Cell
		c    verdict.Cell
		want string
	}{
		{"first level", nil, a, "At 10 users it served 30.0 req/s at full load (3.00 req/s per user). Average response time 70.0 ms; p95 210 ms. No request failed. /io dominated the tail: p95 210 ms against 21.0 ms for /cpu."},
		{"next level", &a, b, "Throughput scaled near-linearly from 10 to 50 users: 30.0 to 144 req/s (×4.8 for ×5 users). Average response time 100 ms; p95 300 ms, up ×1.4 from 210 ms at 10 users. 30 requests failed (1.0%), mostly http-503. The target's CPU averaged 35% of a core (peak 60%) and its memory peaked at 12.0 MB. /io dominated the tail: p95 300 ms against 30.0 ms for /cpu."},
		{"nothing", nil, verdict.Cell{Users: 10, Status: "aborted"}, "No request completed at 10 users (run aborted)."},
	}
	for _, tt := range tests {
		if got := ObserveCell(tt.prev, tt.c); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

func TestTailSentence(t *testing.T) {
	ep := func(name string, p95 time.Duration) analysis.Stats {
		return analysis.Stats{Name: name, Requests: 1, P95: p95}
	}
	tests := []struct {
		eps  []analysis.Stats
		want string
	}{
		{[]analysis.Stats{ep("/a", 10*ms), ep("/b", 30*ms)}, "/b dominated the tail: p95 30.0 ms against 10.0 ms for /a."},
		{[]analysis.Stats{ep("/a", 10*ms), ep("/b", 11*ms), ep("/c", 10500*time.Microsecond)}, "Every endpoint had about the same p95 (10.0 ms to 11.0 ms)."},
		{[]analysis.Stats{ep("/a", 10*ms), ep("/b", 15*ms), ep("/c", 5*ms)}, "The slowest endpoints were /b (p95 15.0 ms) and /a (10.0 ms)."},
		{[]analysis.Stats{ep("/a", 10*ms)}, ""},
	}
	for _, tt := range tests {
		if got := TailSentence(tt.eps); got != tt.want {
			t.Errorf("TailSentence = %q, want %q", got, tt.want)
		}
	}
}

func TestObserveLevel(t *testing.T) {
	single, pooled, gor := cellAt(100, 4.6, 8*time.Second, 0), cellAt(100, 150, 420*ms, 40), cellAt(100, 300, 230*ms, 0)
	single.Variant, gor.Variant, pooled.TopClass = "single", "goroutine", "http-503"
	tests := []struct {
		name  string
		cells []verdict.Cell
		want  string
	}{
		{"different", []verdict.Cell{single, pooled, gor},
			"At 100 users goroutine served the most: 300 req/s with p95 230 ms; pooled 150 req/s (-50%) with p95 420 ms; single 4.60 req/s (-98%) with p95 8.00 s. Pooled failed 1.3% of its requests (http-503)."},
		{"same", []verdict.Cell{cellAt(10, 30, 210*ms, 0), func() verdict.Cell { c := cellAt(10, 30.5, 220*ms, 0); c.Variant = "single"; return c }()},
			"At 10 users every variant served about the same throughput (30.0 to 30.5 req/s)."},
		{"two about the same", []verdict.Cell{single, func() verdict.Cell { c := gor; c.SteadyRPS = 290; c.Variant = "pooled"; return c }(), gor},
			"At 100 users goroutine and pooled served about the same (300 and 290 req/s, p95 230 ms); single 4.60 req/s (-98%) with p95 8.00 s."},
		{"alone", []verdict.Cell{gor}, ""},
	}
	for _, tt := range tests {
		if got := ObserveLevel(tt.cells); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}
