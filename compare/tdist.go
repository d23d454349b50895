package compare

import "math"

// t975 are the 97.5th percentiles of Student's t for 1 to 10 degrees of
// freedom (tables), where the expansion below is not close enough.
var t975 = [...]float64{12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281}

// tQuantile975 is the 97.5th percentile of Student's t with df degrees of
// freedom: the table up to 10, then the Cornish–Fisher expansion about
// the normal quantile (Abramowitz & Stegun 26.7.5), within 1e-4 there.
func tQuantile975(df int) float64 {
	if df < 1 {
		return math.NaN()
	}
	if df <= len(t975) {
		return t975[df-1]
	}
	z, v := 1.959963984540054, float64(df)
	z3, z5, z7, z9 := z*z*z, math.Pow(z, 5), math.Pow(z, 7), math.Pow(z, 9)
	return z + (z3+z)/(4*v) + (5*z5+16*z3+3*z)/(96*v*v) + (3*z7+19*z5+17*z3-15*z)/(384*v*v*v) +
		(79*z9+776*z7+1482*z5-1920*z3-945*z)/(92160*v*v*v*v)
}
