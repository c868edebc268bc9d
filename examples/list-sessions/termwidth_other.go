//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package main

import "io"

// terminalWidth returns 80, the AWS CLI's table width where it cannot ask
// the terminal, and whether w is a terminal.
func terminalWidth(w io.Writer) (int, bool) { return 80, isTerminal(w) }
