package paginate

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkFingerprints is the set's work for one run of 12,000 pages: one
// new fingerprint a page, checked and then kept.
func BenchmarkFingerprints(b *testing.B) {
	const pages = 12000
	hs := make([]uint64, pages)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range hs {
		hs[i] = rng.Uint64()
	}
	b.ReportAllocs()
	for b.Loop() {
		var f fingerprints
		for _, h := range hs {
			if f.insert(h) {
				b.Fatal("repeat")
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*pages), "ns/page")
}
