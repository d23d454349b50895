package analysis

import (
	"cmp"
	"slices"
)

// latencyCounts counts latencies in whole microseconds, one count per
// distinct value, so that nearest-rank percentiles come out exact without
// keeping the samples. Counts live in pages of countPageSize consecutive
// values, allocated when first touched: the memory follows the spread of
// the latencies (at most 4 bytes per microsecond between the fastest and
// the slowest), never the number of samples, so a longer run costs no more.
type latencyCounts struct {
	pages    map[uint32]*countPage // by value >> countPageBits
	lastKey  uint32                // the page of the previous value: most
	lastPage *countPage            // values fall in the same few pages
	n        int64
}

const (
	countPageBits = 10
	countPageSize = 1 << countPageBits
)

type countPage [countPageSize]uint32

func (h *latencyCounts) add(us uint32) {
	k := us >> countPageBits
	p := h.lastPage
	if p == nil || k != h.lastKey {
		if h.pages == nil {
			h.pages = map[uint32]*countPage{}
		}
		if p = h.pages[k]; p == nil {
			p = new(countPage)
			h.pages[k] = p
		}
		h.lastKey, h.lastPage = k, p
	}
	p[us&(countPageSize-1)]++
	h.n++
}

// countedValue is one distinct value and how often it was seen.
type countedValue struct {
	value uint32
	count int64
}

// eachValue calls fn with the distinct values of all of hs (their union, as
// one distribution) in increasing order, until fn returns false.
func eachValue(hs []*latencyCounts, fn func(countedValue) bool) {
	var keys []uint32
	seen := map[uint32]bool{}
	for _, h := range hs {
		for k := range h.pages {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	slices.Sort(keys)
	pages := make([]*countPage, 0, len(hs))
	for _, k := range keys {
		pages = pages[:0]
		for _, h := range hs {
			if p := h.pages[k]; p != nil {
				pages = append(pages, p)
			}
		}
		for i := range uint32(countPageSize) {
			var c int64
			for _, p := range pages {
				c += int64(p[i])
			}
			if c > 0 && !fn(countedValue{value: k<<countPageBits | i, count: c}) {
				return
			}
		}
	}
}

// countedStats gives the minimum, maximum and the values at the
// nearest-rank percentiles ps of the union of hs: exactly what sorting
// every sample would give.
func countedStats(hs []*latencyCounts, ps []float64) (lo, hi uint32, at []uint32) {
	var n int64
	for _, h := range hs {
		n += h.n
	}
	at = make([]uint32, len(ps))
	if n == 0 {
		return 0, 0, at
	}
	type want struct {
		rank int64
		i    int
	}
	wants := make([]want, len(ps))
	for i, p := range ps {
		wants[i] = want{int64(NearestRank(p, int(n))), i}
	}
	slices.SortFunc(wants, func(a, b want) int { return cmp.Compare(a.rank, b.rank) })
	var seen int64
	first := true
	eachValue(hs, func(v countedValue) bool {
		if first {
			lo, first = v.value, false
		}
		hi = v.value
		seen += v.count
		for len(wants) > 0 && wants[0].rank <= seen {
			at[wants[0].i] = v.value
			wants = wants[1:]
		}
		return true // to the end, for the maximum
	})
	return lo, hi, at
}
