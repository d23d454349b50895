//go:build race

package compare

// The simulations are single-goroutine arithmetic, 5–10 times slower
// under the race detector, which has nothing to find in them.
const raceEnabled = true
