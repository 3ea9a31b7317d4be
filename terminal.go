package main

import "os"

// stdoutIsTerminal reports whether stdout is a character device.
func stdoutIsTerminal() bool {
	fi, err := os.Stdout.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
