package devsessions_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// Loops that each take one item and break never hold more than Prefetch
// pages between them: the pages kept from earlier loops count against it.
func TestPrefetchKeptPagesCountAgainstTheLimit(t *testing.T) {
	for _, prefetch := range []int{1, 2, 5} {
		fake := devsessionstest.NewClient(devsessionstest.Sessions(100))
		p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, input(), func(o *devsessions.ListDevEnvironmentSessionsPaginatorOptions) {
			o.PageSize, o.Prefetch = 1, prefetch
		})
		var got []string
		for range 20 {
			for it, err := range p.Items(t.Context()) {
				require.NoError(t, err)
				got = append(got, aws.ToString(it.Id))
				time.Sleep(5 * time.Millisecond) // the goroutine fills its slots
				break
			}
			assert.LessOrEqual(t, fake.Calls(), len(got)+prefetch, "Prefetch %d: pages requested but not delivered", prefetch)
		}
		assert.Equal(t, span(0, 20), got)
	}
}
