//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package main

import (
	"os"

	"golang.org/x/sys/unix"
)

// hideInput returns what turns the terminal f's echo off while a secret is
// typed (the line discipline still reads whole lines: ICANON stays on,
// POSIX termios ECHO), and gives back a function that turns it on again;
// nil when f is not a terminal.
func hideInput(f *os.File) func() (restore func()) {
	fd := int(f.Fd())
	if _, err := unix.IoctlGetTermios(fd, ioctlGetTermios); err != nil {
		return nil
	}
	return func() func() {
		old, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
		if err != nil {
			return func() {}
		}
		quiet := *old
		quiet.Lflag &^= unix.ECHO
		if err := unix.IoctlSetTermios(fd, ioctlSetTermios, &quiet); err != nil {
			return func() {}
		}
		return func() { _ = unix.IoctlSetTermios(fd, ioctlSetTermios, old) }
	}
}
