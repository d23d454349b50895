package compare

import "testing"

// ParseGate never panics, and a gate it accepts reads back the same from
// its String.
func FuzzParseGate(f *testing.F) {
	for _, s := range []string{"p95:+5%", "throughput:-3%", "p50:0%", "rps:1e3%", ":", "p95:-5%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g, err := ParseGate(s)
		if err != nil {
			return
		}
		if g.TolPct < 0 {
			t.Fatalf("%q: negative tolerance %v", s, g.TolPct)
		}
		again, err := ParseGate(g.String())
		if err != nil || again != g {
			t.Fatalf("%q parsed to %v, whose String %q reads %v, %v", s, g, g.String(), again, err)
		}
	})
}
