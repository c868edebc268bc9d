package paginate

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFingerprintsIsASet(t *testing.T) {
	var f fingerprints
	seen := map[uint64]bool{}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		h := rng.Uint64() >> rng.IntN(64) // small values too, and 0
		assert.Equal(t, seen[h|1], f.has(h), "has(%d) before add", h)
		f.add(h)
		seen[h|1] = true
		assert.True(t, f.has(h))
	}
	assert.Equal(t, len(seen), f.n)
	assert.LessOrEqual(t, 2*f.n, len(f.slots), "kept at most half full")
	c := f.clone()
	c.add(12345678901)
	assert.Equal(t, seen[12345678901|1], f.has(12345678901), "a clone shares nothing")
}
