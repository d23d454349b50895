package analysis

import (
	"math"
	"slices"
	"time"
)

// Percentile returns the p-th percentile (0 < p ≤ 100) of sorted values by
// the nearest-rank method: the smallest value with at least p% of the
// values at or below it. Exact, as computed from the stored samples.
func Percentile(sorted []uint32, p float64) uint32 {
	if len(sorted) == 0 {
		return 0
	}
	rank := NearestRank(p, len(sorted))
	return sorted[rank-1]
}

// mergedPercentiles returns the values at the given nearest-rank
// percentiles of the union of several sorted slices, walking them in
// merged order without copying (the aggregate row of a summary).
func mergedPercentiles(parts [][]uint32, ps []float64) []uint32 {
	total := 0
	for _, p := range parts {
		total += len(p)
	}
	out := make([]uint32, len(ps))
	if total == 0 {
		return out
	}
	ranks := make([]int, len(ps))
	for i, p := range ps {
		ranks[i] = NearestRank(p, total)
	}
	order := make([]int, len(ps))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return ranks[a] - ranks[b] })
	idx := make([]int, len(parts))
	k, next := 0, 0
	for next < len(order) {
		// take the smallest head among the parts
		best := -1
		for j, p := range parts {
			if idx[j] < len(p) && (best < 0 || p[idx[j]] < parts[best][idx[best]]) {
				best = j
			}
		}
		v := parts[best][idx[best]]
		idx[best]++
		k++
		for next < len(order) && ranks[order[next]] == k {
			out[order[next]] = v
			next++
		}
	}
	return out
}

// NearestRank is the 1-based rank of the p-th percentile of n values. The
// small epsilon keeps 99.9% of 1000 at rank 999 despite float rounding.
func NearestRank(p float64, n int) int {
	return min(max(int(math.Ceil(p/100*float64(n)-1e-9)), 1), n)
}

// Quantile is one point of a latency percentile spectrum.
type Quantile struct {
	P       float64 // percentile, 50 to 99.99
	Latency time.Duration
}

// SpectrumStep is the spacing of the spectrum's points on the log(1/(1−p))
// axis: 20 points a decade, from p50 to p99.99.
const SpectrumStep = 0.05

// Spectrum gives the latency percentile spectrum of sorted latencies (µs),
// as HdrHistogram plots it: percentiles evenly spaced in log10(1/(1−p)),
// from 50 to 99.99.
func Spectrum(sorted []uint32) []Quantile {
	if len(sorted) == 0 {
		return nil
	}
	var out []Quantile
	first, last := math.Log10(2), 4.0
	steps := int(math.Round((last - first) / SpectrumStep))
	for i := 0; i <= steps; i++ {
		x := first + (last-first)*float64(i)/float64(steps)
		p := 100 * (1 - math.Pow(10, -x))
		out = append(out, Quantile{P: p, Latency: us(Percentile(sorted, p))})
	}
	return out
}
