//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package main

import "os"

// hideInput cannot turn the echo off here: secrets are read as typed.
func hideInput(f *os.File) func() (restore func()) { return nil }
