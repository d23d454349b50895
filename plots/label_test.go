package plots

import (
	"testing"

	"exp/verdict"
)

// plateau.png's legend gives rates with units.Rate, loads with
// units.Number: no exponent, three significant digits.
func TestPlateauLabel(t *testing.T) {
	lv := []verdict.Level{{Load: 1}, {Load: 1e6}}
	for _, tt := range []struct {
		p    verdict.Plateau
		want string
	}{
		{verdict.Plateau{Flat: true, PeakRPS: 20, KneeLoad: 4}, "r: plateau 20.0 req/s from 4 users"},
		{verdict.Plateau{Flat: true, PeakRPS: 12345.5, KneeLoad: 1e6}, "r: plateau 12346 req/s from 1000000 users"},
		{verdict.Plateau{Flat: true, Slowed: true, PeakRPS: 1e7, KneeLoad: 1e6, Open: true}, "r: 10000000 req/s, not keeping up past 1000000 req/s offered"},
		{verdict.Plateau{Flat: true, Slowed: true, KneeAtMost: true, PeakRPS: 3.333, KneeLoad: 10}, "r: plateau 3.33 req/s from ≤ 10 users"},
		{verdict.Plateau{Levels: lv, TopLoad: 1e6}, "r: still growing at 1000000 users"},
		{verdict.Plateau{Levels: lv[1:], TopLoad: 1e6}, "r: no sign of a limit at 1000000 users"},
	} {
		if got := plateauLabel(RunSeries{Name: "r", Plateau: tt.p}); got != tt.want {
			t.Errorf("plateauLabel = %q, want %q", got, tt.want)
		}
	}
}
