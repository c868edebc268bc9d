package devsessions_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// pagesClearing runs p.Pages to the end, clearing each page's Items and
// NextToken in the loop body once its ids are read, as a caller that owns
// the page may.
func pagesClearing[Out, Item any](t *testing.T, p typedPaginator[Out, Item], clear func(*Out) []string) []string {
	t.Helper()
	var got []string
	for out, err := range p.Pages(t.Context()) {
		require.NoError(t, err)
		got = append(got, clear(out)...)
	}
	return got
}

// A page from a prefetching Pages loop belongs to the caller: writing to it
// in the loop body races with nothing (go test -race) and changes neither
// the items nor the requests.
func TestPrefetchedPagesBelongToTheCaller(t *testing.T) {
	runs := map[string]func(t *testing.T, prefetch int) ([]string, []devsessionstest.Request){
		sessionsOp.name: func(t *testing.T, prefetch int) ([]string, []devsessionstest.Request) {
			fake := sessionsOp.newFake(40)
			p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, input(), sessionsOptions(popts{PageSize: 3, Prefetch: prefetch}))
			got := pagesClearing(t, p, func(out *codecatalyst.ListDevEnvironmentSessionsOutput) []string {
				got := ids(out.Items)
				out.Items, out.NextToken = nil, nil
				return got
			})
			return got, fake.Requests()
		},
		envsOp.name: func(t *testing.T, prefetch int) ([]string, []devsessionstest.Request) {
			fake := envsOp.newFake(40)
			p := devsessions.NewListDevEnvironmentsPaginator(fake, envInput(), envOptions(popts{PageSize: 3, Prefetch: prefetch}))
			got := pagesClearing(t, p, func(out *codecatalyst.ListDevEnvironmentsOutput) []string {
				var got []string
				for _, e := range out.Items {
					got = append(got, aws.ToString(e.Id))
				}
				out.Items, out.NextToken = []types.DevEnvironmentSummary{}, nil
				return got
			})
			return got, fake.Requests()
		},
	}
	for _, op := range operations {
		t.Run(op.name, func(t *testing.T) {
			run := runs[op.name]
			wantItems, wantReqs := run(t, 0)
			require.Equal(t, op.span(0, 40), wantItems)
			for range 5 { // the race detector needs the goroutine's reads to overlap the body's writes
				items, reqs := run(t, 4)
				require.Equal(t, wantItems, items)
				require.Equal(t, wantReqs, reqs)
			}
		})
	}
}
