package units

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// Millis is d in milliseconds.
func Millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// Micros is d in whole microseconds as the latency histograms hold it:
// below zero is 0, beyond math.MaxUint32 (71 minutes) is MaxUint32.
func Micros(d time.Duration) uint32 {
	return uint32(min(max(d.Microseconds(), 0), math.MaxUint32))
}

// FromMillis is ms milliseconds, rounded to the nanosecond; NaN (a
// figure a file left empty) is 0.
func FromMillis(ms float64) time.Duration {
	if math.IsNaN(ms) {
		return 0
	}
	return time.Duration(math.Round(ms * float64(time.Millisecond)))
}

// Latency gives a latency with its unit and three significant digits:
// "0.30 ms", "12.3 ms", "203 ms", "1.50 s", "12.3 s".
func Latency(d time.Duration) string {
	ms := Millis(d)
	switch {
	case ms >= 10000:
		return fmt.Sprintf("%.1f s", ms/1000)
	case ms >= 1000:
		return fmt.Sprintf("%.2f s", ms/1000)
	case ms >= 100:
		return fmt.Sprintf("%.0f ms", ms)
	case ms >= 10:
		return fmt.Sprintf("%.1f ms", ms)
	}
	return fmt.Sprintf("%.2f ms", ms)
}

// Ms gives a latency as a number of milliseconds for a table column
// headed "(ms)": three significant digits below 100 ms, whole
// milliseconds above, "0" for none.
func Ms(d time.Duration) string {
	ms := Millis(d)
	switch {
	case ms == 0:
		return "0"
	case ms < 1:
		return fmt.Sprintf("%.3f", ms)
	case ms < 10:
		return fmt.Sprintf("%.2f", ms)
	case ms < 100:
		return fmt.Sprintf("%.1f", ms)
	}
	return fmt.Sprintf("%.0f", ms)
}

// Rate gives a throughput (req/s) with three significant digits, whole
// from 100.
func Rate(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

// Ratio gives a ratio with one decimal (two below 0.1, none from 10).
func Ratio(r float64) string {
	switch {
	case r == 0:
		return "0"
	case r >= 10:
		return fmt.Sprintf("%.0f", r)
	case r < 0.1:
		return fmt.Sprintf("%.2f", r)
	}
	return fmt.Sprintf("%.1f", r)
}

// Pct gives a percentage: one decimal below 10, whole from 10, "0%" for
// none.
func Pct(p float64) string {
	if p >= 10 || p == 0 {
		return fmt.Sprintf("%.0f%%", p)
	}
	return fmt.Sprintf("%.1f%%", p)
}

// SignedPct gives a change in percent with its sign: one decimal below
// 100, whole from 100.
func SignedPct(p float64) string {
	if math.Abs(p) >= 100 {
		return fmt.Sprintf("%+.0f%%", p)
	}
	return fmt.Sprintf("%+.1f%%", p)
}

// MB gives a size in mebibytes with one decimal.
func MB(b uint64) string { return fmt.Sprintf("%.1f MB", float64(b)/(1<<20)) }

// Number gives a load (users, offered req/s) or an axis tick with at most
// four significant digits and never in exponent form: 10000, 12.35, 0.25.
func Number(v float64) string { return Sig(v, 4) }

// Sig writes v rounded to digits significant digits, never in exponent
// form: 50000, 0.25, 99.99.
func Sig(v float64, digits int) string {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	scale := math.Pow(10, float64(digits)-math.Ceil(math.Log10(math.Abs(v))))
	return strconv.FormatFloat(math.Round(v*scale)/scale, 'f', -1, 64)
}

// Seconds gives a span in whole seconds with its unit: "12 s".
func Seconds(d time.Duration) string { return fmt.Sprintf("%.0f s", d.Seconds()) }

// RunLength gives how long a run lasted, or how far into it something
// happened (a worker's last sample): to 100 ms from a second, to the
// millisecond below.
func RunLength(d time.Duration) string {
	if d >= time.Second {
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Millisecond).String()
}

// Exact gives v with every digit it has and never in exponent form: a
// value as the user gave it (a rate of 2.5 or 10000000 req/s).
func Exact(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
