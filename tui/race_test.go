//go:build race

package tui

// raceEnabled makes the slowest tests use smaller inputs: the race detector
// slows rendering a 5 MB body tenfold.
const raceEnabled = true
