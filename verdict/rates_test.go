package verdict

import (
	"strings"
	"testing"
)

// A plateau's rates print with units.Rate (three significant digits,
// whole from 100), never in exponent form.
func TestPlateauStringRates(t *testing.T) {
	lv := []Level{{Load: 10, RPS: 3.333}, {Load: 1e6, RPS: 1234567.8}}
	for _, tt := range []struct {
		p    Plateau
		want string
	}{
		{Plateau{PeakRPS: 1234567.8, PeakLoad: 1e6, Levels: lv, TopLoad: 1e6, Flat: true, KneeLoad: 1e6, KneeRPS: 12345.5},
			"highest sustained successful throughput 1234568 req/s (best 3 s, from second 0, at 1000000 users); stopped growing at 1000000 users (12346 req/s)"},
		{Plateau{PeakRPS: 3.333, PeakLoad: 10, Levels: lv, TopLoad: 1e7, Flat: true, KneeLoad: 10, KneeRPS: 33.35, Collapsed: true, CollapseRPS: 1e7, CollapseLoad: 1e7},
			"; stopped growing at 10 users (33.4 req/s), then collapsed to 10000000 req/s at 10000000 users"},
	} {
		got := tt.p.String()
		if !strings.Contains(got, tt.want) || strings.Contains(got, "e+") {
			t.Errorf("String() = %q\nwant it to hold %q", got, tt.want)
		}
	}
}
