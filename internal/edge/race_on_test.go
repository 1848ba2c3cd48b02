//go:build race

package edge

// raceEnabled: the race detector slows memory-heavy tests tenfold.
const raceEnabled = true
