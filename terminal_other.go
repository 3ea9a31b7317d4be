//go:build !unix

package main

import (
	"os"
	"time"
)

// queryBackground does not ask: without select(2) on the console (Windows)
// an unanswered query could not be bounded by timeout, and its reply would
// be left in the input for the wizard to read as keys. The wizard uses the
// dark palette there.
func queryBackground(in, out *os.File, timeout time.Duration) (dark, ok bool) {
	return false, false
}
