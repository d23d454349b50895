package load

import (
	"fmt"
	"strconv"
	"strings"

	"exp/input"
)

// Segment is worker Index's share of a test split across Count workers
// (k6's execution segments, made exact by interleaving): user j of the
// whole test (in spawn order) and arrival k of the whole schedule belong
// to worker j mod Count and k mod Count. Every worker follows the whole
// schedule and keeps its own members of it, so the workers' users sum to
// the whole at every instant and their arrivals are, together, exactly
// the single machine's. The zero Segment is the whole test.
type Segment struct {
	Index int `json:"index"`
	Count int `json:"count"`
}

// MaxSegments is the most workers a test splits across.
const MaxSegments = 10000

// Whole reports whether s is the whole test (no split).
func (s Segment) Whole() bool { return s.Count <= 1 }

// String is "I/N" (0-based index).
func (s Segment) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// ParseSegment parses "I/N": worker I (0-based, as JOB_COMPLETION_INDEX
// counts) of N.
func ParseSegment(v string) (Segment, error) {
	is, ns, ok := strings.Cut(strings.TrimSpace(v), "/")
	i, err1 := strconv.Atoi(is)
	n, err2 := strconv.Atoi(ns)
	if !ok || err1 != nil || err2 != nil {
		return Segment{}, input.Errorf("segment", "%q: want I/N, worker I (from 0) of N, such as 0/4", v)
	}
	s := Segment{Index: i, Count: n}
	if n < 1 {
		return Segment{}, input.Errorf("segment", "%q: want N of at least 1 worker", v)
	}
	return s, s.Validate()
}

// Validate checks 0 ≤ Index < Count ≤ MaxSegments.
func (s Segment) Validate() error {
	if s == (Segment{}) {
		return nil
	}
	if s.Count < 1 || s.Count > MaxSegments || s.Index < 0 || s.Index >= s.Count {
		return input.Errorf("segment", "%d/%d: want worker I from 0 to N-1 of N workers, N from 1 to %d", s.Index, s.Count, MaxSegments)
	}
	return nil
}

// Share is how many of the first n members of the whole (users, in
// spawn order) are this segment's: those j < n with j mod Count = Index.
func (s Segment) Share(n int) int {
	if s.Whole() {
		return n
	}
	if n <= s.Index {
		return 0
	}
	return (n-s.Index-1)/s.Count + 1
}

// Member is the whole test's index of this segment's k-th member.
func (s Segment) Member(k int) int {
	if s.Whole() {
		return k
	}
	return k*s.Count + s.Index
}

// Local is the k of this segment's member j of the whole (Member's
// inverse): which of its own users or arrivals j is.
func (s Segment) Local(j int) int {
	if s.Whole() {
		return j
	}
	return j / s.Count
}

// Owns reports whether member j of the whole belongs to this segment.
func (s Segment) Owns(j int64) bool {
	return s.Whole() || j%int64(s.Count) == int64(s.Index)
}
