package compare

import (
	"math"
	"math/rand/v2"

	"exp/analysis"
)

// withinRun is the 95% interval of the change of f from run a to run b
// when each side is one run: a circular block bootstrap of each run's
// seconds, each run resampled on its own. The block length is returned
// too (the longer of the two runs').
func withinRun(a, b Run, f Figure) (lo, hi float64, block int) {
	rng := newRand()
	ra, rb := newResampler(a, f), newResampler(b, f)
	if ra.seconds < 2 || rb.seconds < 2 {
		return math.NaN(), math.NaN(), 0
	}
	pcts := make([]float64, Resamples)
	for i := range pcts {
		pcts[i] = pctChange(ra.draw(rng), rb.draw(rng))
	}
	lo, hi = interval(pcts)
	return lo, hi, max(ra.block, rb.block)
}

// resampler draws one figure of a block-bootstrap resample of a run.
type resampler struct {
	run     Run
	f       Figure
	seconds int     // seconds resampled
	block   int     // seconds per block
	count   []int   // answered requests per second (latency figures)
	w       []int32 // times each second was drawn, this resample
}

func newResampler(r Run, f Figure) *resampler {
	s := &resampler{run: r, f: f}
	var series []float64
	if f == Throughput {
		s.seconds = len(r.Throughput)
		series = r.Throughput
	} else {
		for _, sec := range r.Sec {
			s.seconds = max(s.seconds, int(sec)+1)
		}
		s.count = make([]int, s.seconds)
		logSum := make([]float64, s.seconds)
		for i, sec := range r.Sec {
			s.count[sec]++
			logSum[sec] += math.Log(float64(max(r.Lat[i], 1)))
		}
		for i, n := range s.count {
			if n > 0 {
				series = append(series, logSum[i]/float64(n))
			}
		}
	}
	s.block = BlockLength(series)
	s.w = make([]int32, s.seconds)
	return s
}

// draw gives the figure of one resample: seconds drawn in circular blocks
// until the resample is as long as the run.
func (s *resampler) draw(rng *rand.Rand) float64 {
	clear(s.w)
	for filled := 0; filled < s.seconds; {
		start := rng.IntN(s.seconds)
		for j := 0; j < s.block && filled < s.seconds; j++ {
			s.w[(start+j)%s.seconds]++
			filled++
		}
	}
	if s.f == Throughput {
		var sum float64
		for i, x := range s.run.Throughput {
			sum += float64(s.w[i]) * x
		}
		return sum / float64(s.seconds)
	}
	return float64(s.quantile()) / 1000
}

// quantile is the nearest-rank percentile of the resample: the latencies
// of every drawn second, each as often as its second was drawn, found by
// walking the sorted latencies from the nearer end.
func (s *resampler) quantile() uint32 {
	total := 0
	for i, n := range s.count {
		total += int(s.w[i]) * n
	}
	if total == 0 {
		return 0
	}
	k := analysis.NearestRank(s.f.quantile(), total) // 1-based rank
	lat, sec := s.run.Lat, s.run.Sec
	if k <= total/2 {
		seen := 0
		for i, l := range lat {
			if seen += int(s.w[sec[i]]); seen >= k {
				return l
			}
		}
	} else {
		above := total - k // values strictly above rank k
		seen := 0
		for i := len(lat) - 1; i >= 0; i-- {
			if seen += int(s.w[sec[i]]); seen > above {
				return lat[i]
			}
		}
	}
	return lat[len(lat)-1]
}

// BlockLength is the block length (seconds) for a series: Carlstein's
// rule for an AR(1) process, ((2ρ/(1−ρ²))^(2/3))·(3n/2)^(1/3), with ρ the
// series' lag-1 autocorrelation; 1 when ρ ≤ 0, at most n/2.
func BlockLength(series []float64) int {
	n := len(series)
	if n < 4 {
		return 1
	}
	rho := min(lag1(series), 0.99)
	if rho <= 0 {
		return 1
	}
	b := math.Pow(2*rho/(1-rho*rho), 2.0/3) * math.Cbrt(1.5*float64(n))
	return int(min(max(math.Round(b), 1), float64(n/2)))
}

// lag1 is the lag-1 autocorrelation of xs.
func lag1(xs []float64) float64 {
	m := mean(xs)
	var num, den float64
	for i, x := range xs {
		den += (x - m) * (x - m)
		if i > 0 {
			num += (x - m) * (xs[i-1] - m)
		}
	}
	if den == 0 {
		return 0
	}
	return num / den
}
