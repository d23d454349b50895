package ui

import (
	"time"

	"exp/analysis"
	"exp/load"
	"exp/monitor"
	"exp/units"
	"exp/verdict"
)

// series are a run's figures second by second, as the charts draw them.
type series struct {
	T         []int     `json:"t"`
	RPS       []float64 `json:"rps"`
	Successes []float64 `json:"successes_per_s"`
	Failures  []float64 `json:"failures_per_s"`
	P50       []float64 `json:"p50_ms"`
	P95       []float64 `json:"p95_ms"`
	P99       []float64 `json:"p99_ms"`
	Load      []float64 `json:"load"`
	LoadLabel string    `json:"load_label"`
}

func seriesOf(model load.Model, sum analysis.Summary) series {
	s := series{T: []int{}, RPS: []float64{}, Successes: []float64{}, Failures: []float64{}, P50: []float64{},
		P95: []float64{}, P99: []float64{}, Load: []float64{}, LoadLabel: "users"}
	if model == load.Open {
		s.LoadLabel = "offered rate (req/s)"
	}
	for _, sec := range verdict.FullSeconds(model, sum) {
		s.T = append(s.T, sec.T)
		s.RPS = append(s.RPS, float64(sec.Responses))
		s.Successes = append(s.Successes, float64(sec.Successes))
		s.Failures = append(s.Failures, float64(sec.Failures))
		s.P50 = append(s.P50, units.Millis(sec.P50))
		s.P95 = append(s.P95, units.Millis(sec.P95))
		s.P99 = append(s.P99, units.Millis(sec.P99))
		l := float64(sec.ActiveUsers)
		if model == load.Open {
			l = sec.TargetRate
		}
		s.Load = append(s.Load, l)
	}
	return s
}

type resources struct {
	T            []float64 `json:"t"`
	TargetCPU    []float64 `json:"target_cpu"`
	TargetRSS    []float64 `json:"target_rss_mb"`
	GeneratorCPU []float64 `json:"generator_cpu"`
	GeneratorRSS []float64 `json:"generator_rss_mb"`
}

func resourcesOf(us []monitor.Usage) resources {
	r := resources{T: []float64{}, TargetCPU: []float64{}, TargetRSS: []float64{}, GeneratorCPU: []float64{}, GeneratorRSS: []float64{}}
	gen := map[time.Duration]monitor.Usage{}
	for _, u := range us {
		if u.Scope == monitor.ScopeGenerator {
			gen[u.T] = u
		}
	}
	for _, u := range us {
		if u.Scope != monitor.ScopeTarget {
			continue
		}
		g := gen[u.T]
		r.T = append(r.T, u.T.Seconds())
		r.TargetCPU = append(r.TargetCPU, finite(u.CPUPct))
		r.TargetRSS = append(r.TargetRSS, float64(u.RSS)/(1<<20))
		r.GeneratorCPU = append(r.GeneratorCPU, finite(g.CPUPct))
		r.GeneratorRSS = append(r.GeneratorRSS, float64(g.RSS)/(1<<20))
	}
	if len(r.T) == 0 { // an external target without a PID: the generator alone
		for _, u := range us {
			if u.Scope == monitor.ScopeGenerator {
				r.T = append(r.T, u.T.Seconds())
				r.GeneratorCPU = append(r.GeneratorCPU, finite(u.CPUPct))
				r.GeneratorRSS = append(r.GeneratorRSS, float64(u.RSS)/(1<<20))
			}
		}
	}
	return r
}
