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
		if rng.IntN(4) == 0 && len(seen) > 0 {
			for k := range seen { // a repeat
				h = k
				break
			}
		}
		assert.Equal(t, seen[h|1], f.insert(h), "insert(%d) the first time", h)
		seen[h|1] = true
		assert.True(t, f.insert(h), "insert(%d) again", h)
	}
	assert.Equal(t, len(seen), f.n)
	assert.LessOrEqual(t, 2*f.n, len(f.slots), "kept at most half full")
	c := f.clone()
	present := seen[12345678901|1]
	c.insert(12345678901)
	g := f.clone()
	assert.Equal(t, present, g.insert(12345678901), "a clone shares nothing")
}
