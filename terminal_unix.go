//go:build unix

package main

import (
	"bytes"
	"io"
	"os"
	"time"

	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// queryBackground asks the terminal on in/out for its background colour
// (xterm's OSC 11 query), followed by a cursor position request (DSR,
// ECMA-48 §8.3.35) that every terminal answers, so one that ignores OSC 11
// costs no wait. It reports whether the background is dark, and whether
// an answer came within timeout.
func queryBackground(in, out *os.File, timeout time.Duration) (dark, ok bool) {
	fd := int(in.Fd())
	old, err := term.MakeRaw(fd)
	if err != nil {
		return false, false
	}
	defer term.Restore(fd, old)
	if _, err := io.WriteString(out, "\x1b]11;?\x1b\\\x1b[6n"); err != nil {
		return false, false
	}
	var reply []byte
	deadline := time.Now().Add(timeout)
	buf := make([]byte, 256)
	for !bytes.Contains(reply, []byte("R")) {
		left := time.Until(deadline)
		if left <= 0 || !waitReadable(fd, left) {
			return false, false
		}
		n, err := in.Read(buf)
		if err != nil || n == 0 {
			return false, false
		}
		reply = append(reply, buf[:n]...)
	}
	return parseBackground(string(reply))
}

// waitReadable waits up to d for fd to have input.
func waitReadable(fd int, d time.Duration) bool {
	var set unix.FdSet
	set.Set(fd)
	tv := unix.NsecToTimeval(d.Nanoseconds())
	n, err := unix.Select(fd+1, &set, nil, nil, &tv)
	return err == nil && n > 0
}
