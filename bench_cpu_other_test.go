//go:build !unix

package devsessions_test

import "time"

// processCPU is not measured here: benchmarks report 0 cpu-ns/page.
func processCPU() time.Duration { return 0 }
