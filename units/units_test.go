package units

import (
	"math"
	"testing"
	"time"
)

func TestFormats(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{Latency(300 * time.Microsecond), "0.30 ms"},
		{Latency(12345 * time.Microsecond), "12.3 ms"},
		{Latency(203 * time.Millisecond), "203 ms"},
		{Latency(1500 * time.Millisecond), "1.50 s"},
		{Latency(12300 * time.Millisecond), "12.3 s"},
		{Ms(0), "0"},
		{Ms(88 * time.Microsecond), "0.088"},
		{Ms(3960 * time.Microsecond), "3.96"},
		{Ms(25700 * time.Microsecond), "25.7"},
		{Ms(210 * time.Millisecond), "210"},
		{Rate(16878.4), "16878"},
		{Rate(33.35), "33.4"},
		{Rate(3.333), "3.33"},
		{Ratio(0), "0"},
		{Ratio(0.05), "0.05"},
		{Ratio(4.83), "4.8"},
		{Ratio(12.4), "12"},
		{Pct(0), "0%"},
		{Pct(2.35), "2.4%"},
		{Pct(54.2), "54%"},
		{SignedPct(26.6), "+26.6%"},
		{SignedPct(-100), "-100%"},
		{SignedPct(3189), "+3189%"},
		{MB(20 << 20), "20.0 MB"},
		{Number(10000), "10000"},
		{Number(12.3456), "12.35"},
		{Number(0.25), "0.25"},
		{Number(1e7), "10000000"},
		{Sig(99.994, 4), "99.99"},
		{Exact(1e7), "10000000"},
		{Exact(2.5), "2.5"},
		{Seconds(12400 * time.Millisecond), "12 s"},
		{Seconds(1e6 * time.Second), "1000000 s"},
		{RunLength(20*time.Second + 40*time.Millisecond), "20s"},
		{RunLength(1234 * time.Microsecond), "1ms"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestMillisRoundTrip(t *testing.T) {
	for _, d := range []time.Duration{0, time.Microsecond, 1500 * time.Microsecond, 3 * time.Second} {
		if got := FromMillis(Millis(d)); got != d {
			t.Errorf("FromMillis(Millis(%v)) = %v", d, got)
		}
	}
	for _, c := range []struct {
		d    time.Duration
		want uint32
	}{{-time.Second, 0}, {1500 * time.Nanosecond, 1}, {time.Second, 1e6}, {72 * time.Minute, math.MaxUint32}} {
		if got := Micros(c.d); got != c.want {
			t.Errorf("Micros(%v) = %d, want %d", c.d, got, c.want)
		}
	}
	if FromMillis(math.NaN()) != 0 {
		t.Error("NaN milliseconds should be 0")
	}
}
