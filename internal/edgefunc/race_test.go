//go:build race

package edgefunc

const raceEnabled = true
