package devsessions_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// withPrefetch returns o with Prefetch n.
func withPrefetch(o popts, n int) popts {
	o.Prefetch = n
	return o
}

// Prefetching sends exactly the requests the same loop sends without it.
func TestPrefetchSendsTheSameRequests(t *testing.T) {
	cases := []struct {
		name               string
		n                  int
		maxItems, pageSize int32
		faults             map[int]devsessionstest.Fault
	}{
		{name: "no options", n: 60},
		{name: "page size", n: 60, pageSize: 7},
		{name: "cap inside a page", n: 60, maxItems: 23, pageSize: 5},
		{name: "cap with oversized pages", n: 60, maxItems: 23, pageSize: 5, faults: map[int]devsessionstest.Fault{2: {Extra: 4}, 4: {Extra: 9}}},
		{name: "empty pages", n: 30, pageSize: 4, faults: map[int]devsessionstest.Fault{1: {Empty: true}, 3: {Empty: true}}},
		{name: "a cycle", n: 30, pageSize: 4, faults: map[int]devsessionstest.Fault{4: {NextToken: aws.String("tok-4")}}},
	}
	for _, op := range operations {
		for _, tc := range cases {
			for _, prefetch := range []int{1, 3} {
				t.Run(fmt.Sprintf("%s/%s/prefetch=%d", op.name, tc.name, prefetch), func(t *testing.T) {
					run := func(prefetch int) ([]string, []devsessionstest.Request, string, error) {
						fake := op.newFake(tc.n)
						for call, f := range tc.faults {
							fake.Script(call, f)
						}
						p := op.pager(fake, withPrefetch(po(tc.maxItems, tc.pageSize, ""), prefetch))
						items, err := p.Collect(t.Context())
						return items, fake.Requests(), p.ResumeToken(), err
					}
					wantItems, wantReqs, wantTok, wantErr := run(0)
					items, reqs, tok, err := run(prefetch)
					assert.Equal(t, wantItems, items)
					assert.Equal(t, wantErr, err)
					assert.Equal(t, wantReqs, reqs)
					assert.Equal(t, wantTok, tok)
					if tc.maxItems > 0 {
						asked := int32(0)
						for _, s := range sizes(reqs) {
							asked += s
						}
						assert.LessOrEqual(t, asked, tc.maxItems+int32(tc.pageSize), "never asks far beyond the cap")
					}
				})
			}
		}
	}
}

func TestPrefetchBreakKeepsThePosition(t *testing.T) {
	for _, op := range operations {
		t.Run(op.name, func(t *testing.T) {
			defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
			fake := op.newFake(40)
			fake.Latency = time.Millisecond
			p := op.pager(fake, withPrefetch(po(0, 5, ""), 3))
			var got []string
			for it, err := range p.Items(t.Context()) {
				require.NoError(t, err)
				got = append(got, it)
				if len(got) == 7 {
					// Two pages taken, so three may wait ahead: let them arrive.
					require.Eventually(t, func() bool { return fake.Calls() == 5 }, 5*time.Second, time.Millisecond)
					break
				}
			}
			assert.Equal(t, b64(`{"nextToken": "tok-5", "boto_truncate_amount": 2}`), p.ResumeToken(), "prefetched pages are not delivered")

			rest, err := p.Collect(t.Context())
			require.NoError(t, err)
			assert.Equal(t, op.span(0, 40), append(got, rest...))
			assert.Equal(t, 8, fake.Calls(), "no page is fetched twice")
		})
	}
}

func TestPrefetchErrorComesAfterEveryItemBeforeIt(t *testing.T) {
	for _, op := range operations {
		t.Run(op.name, func(t *testing.T) {
			defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
			boom := errors.New("boom")
			fake := op.newFake(20)
			fake.Script(3, devsessionstest.Fault{Err: boom})
			p := op.pager(fake, withPrefetch(po(0, 4, ""), 2))
			got, errs := drainIDs(t.Context(), p)
			assert.Equal(t, op.span(0, 8), got)
			require.Len(t, errs, 1)
			assert.ErrorIs(t, errs[0], boom)
			assert.Equal(t, b64(`{"nextToken": "tok-8"}`), p.ResumeToken())
			rest, err := p.Collect(t.Context())
			require.NoError(t, err)
			assert.Equal(t, op.span(8, 20), rest)
			reqs := fake.Requests()
			assert.Equal(t, reqs[2], reqs[3], "the failed request is sent again")
		})
	}
}

func TestPrefetchLeavesNoGoroutine(t *testing.T) {
	cases := map[string]func(t *testing.T, p anyPager){
		"normal end": func(t *testing.T, p anyPager) {
			_, err := p.Collect(t.Context())
			require.NoError(t, err)
		},
		"break": func(t *testing.T, p anyPager) {
			for range p.Pages(t.Context()) {
				break
			}
		},
		"error": func(t *testing.T, p anyPager) {
			for _, err := range p.Items(t.Context()) {
				if err != nil {
					assert.ErrorContains(t, err, "scripted")
				}
			}
		},
		"cancelled context": func(t *testing.T, p anyPager) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			var last error
			for _, err := range p.Items(ctx) {
				cancel()
				last = err
			}
			assert.ErrorIs(t, last, context.Canceled)
		},
	}
	for _, op := range operations {
		for name, run := range cases {
			t.Run(op.name+"/"+name, func(t *testing.T) {
				defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
				fake := op.newFake(50)
				fake.Latency = 2 * time.Millisecond
				fake.Script(4, devsessionstest.Fault{Err: errors.New("scripted")})
				p := op.pager(fake, withPrefetch(po(0, 5, ""), 3))
				if name == "normal end" {
					fake.Script(4, devsessionstest.Fault{})
				}
				run(t, p)
			})
		}
	}
}
