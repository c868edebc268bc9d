package paginate

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkFingerprints is the set's work for one run of 60, 240 and
// 12,000 pages (the page benchmarks' runs): one new fingerprint a page,
// checked and kept in one probe, growth included.
func BenchmarkFingerprints(b *testing.B) {
	hs := make([]uint64, 12000)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range hs {
		hs[i] = rng.Uint64()
	}
	for _, pages := range []int{60, 240, 12000} {
		b.Run(fmt.Sprintf("pages=%d", pages), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var f fingerprints
				for _, h := range hs[:pages] {
					if f.insert(h) {
						b.Fatal("repeat")
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*pages), "ns/page")
		})
	}
}
