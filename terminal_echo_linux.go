//go:build linux

package main

import "golang.org/x/sys/unix"

// Linux's termios requests (tcgetattr/tcsetattr).
const (
	ioctlGetTermios = unix.TCGETS
	ioctlSetTermios = unix.TCSETS
)
