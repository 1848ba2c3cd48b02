//go:build !race

package edgefunc

const raceEnabled = false
