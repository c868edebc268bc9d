package devsessions_test

import (
	"context"
	"sync/atomic"
	"time"

	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// A page from a prefetching Pages loop belongs to the caller: writing to it
// in the loop body (clearing its Items and NextToken once its ids are read,
// as a caller that owns the page may) races with nothing (go test -race)
// and changes neither the items nor the requests.
func TestPrefetchedPagesBelongToTheCaller(t *testing.T) {
	for _, op := range operations {
		run := func(t *testing.T, prefetch int) ([]string, []devsessionstest.Request) {
			fake := op.newFake(40)
			var got []string
			for pg, err := range op.pager(fake, popts{PageSize: 3, Prefetch: prefetch}).Pages(t.Context()) {
				require.NoError(t, err)
				got = append(got, pg.ids...)
				pg.clear()
			}
			return got, fake.Requests()
		}
		t.Run(op.name, func(t *testing.T) {
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

// A prefetching loop refuses nested calls also when nothing is left to
// request (the rest of the listing is the page a break left half read), so
// no goroutine runs: NextPage, Pages and Items inside it return
// ErrInPrefetchLoop and change nothing, and the loop delivers every item.
func TestNestedCallsAreRefusedWhenNothingIsLeftToPrefetch(t *testing.T) {
	nested := map[string]func(ctx context.Context, p anyPager) error{
		"NextPage": func(ctx context.Context, p anyPager) error {
			_, err := p.NextPage(ctx)
			return err
		},
		"Pages": func(ctx context.Context, p anyPager) error {
			for _, err := range p.Pages(ctx) {
				return err
			}
			return nil
		},
		"Items": func(ctx context.Context, p anyPager) error {
			for _, err := range p.Items(ctx) {
				return err
			}
			return nil
		},
	}
	for _, op := range operations {
		for name, call := range nested {
			for _, outer := range []string{"Items", "Pages"} {
				t.Run(op.name+"/"+name+" inside "+outer, func(t *testing.T) {
					fake := op.newFake(8)
					p := op.pager(fake, withPrefetch(po(0, 5, ""), 2))
					var got []string
					for id, err := range p.Items(t.Context()) {
						require.NoError(t, err)
						if got = append(got, id); len(got) == 6 {
							break // inside the last page
						}
					}
					body := func() {
						before := p.ResumeToken()
						require.ErrorIs(t, call(t.Context(), p), devsessions.ErrInPrefetchLoop)
						assert.Equal(t, before, p.ResumeToken(), "the refused call changes nothing")
					}
					if outer == "Items" {
						for id, err := range p.Items(t.Context()) {
							require.NoError(t, err)
							got = append(got, id)
							body()
						}
					} else {
						for out, err := range p.Pages(t.Context()) {
							require.NoError(t, err)
							got = append(got, out.ids...)
							body()
						}
					}
					assert.Equal(t, op.span(0, 8), got)
					assert.Equal(t, 2, fake.Calls())
					assert.Empty(t, p.ResumeToken())
				})
			}
		}
	}
}

// A prefetching loop that starts inside a page (a break left it half read)
// prefetches the next page while the caller is still on that one: the
// request for it is sent before the caller takes the page's last item.
func TestPrefetchStartsWhileTheHalfReadPageIsDelivered(t *testing.T) {
	for _, op := range operations {
		t.Run(op.name, func(t *testing.T) {
			var calls atomic.Int32
			client := &wrappedClient{Client: op.newFake(30), before: func(ctx context.Context, _ any, _ int) {
				if calls.Add(1) == 2 { // the first loop's prefetch: held until that loop ends, then dropped
					<-ctx.Done()
				}
			}}
			p := op.pager(client, withPrefetch(po(0, 5, ""), 1))
			var got []string
			for id, err := range p.Items(t.Context()) {
				require.NoError(t, err)
				if got = append(got, id); len(got) == 2 {
					require.Eventually(t, func() bool { return calls.Load() == 2 }, 5*time.Second, time.Millisecond)
					break
				}
			}
			for id, err := range p.Items(t.Context()) {
				require.NoError(t, err)
				if got = append(got, id); len(got) == 3 {
					require.Eventually(t, func() bool { return calls.Load() == 3 }, 5*time.Second, time.Millisecond,
						"the next page is requested while the half-read page is delivered")
				}
			}
			assert.Equal(t, op.span(0, 30), got)
		})
	}
}
