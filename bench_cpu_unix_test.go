//go:build unix

package devsessions_test

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user and system) this process has used,
// every thread included: the garbage collector's workers count too. On a
// shared machine it moves less than wall time, which also counts the time
// other processes held the CPU.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
