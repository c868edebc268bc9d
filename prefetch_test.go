package devsessions_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

func withPrefetch(n int) func(*devsessions.ListDevEnvironmentSessionsPaginatorOptions) {
	return func(o *devsessions.ListDevEnvironmentSessionsPaginatorOptions) { o.Prefetch = n }
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
	for _, tc := range cases {
		for _, prefetch := range []int{1, 3} {
			t.Run(tc.name, func(t *testing.T) {
				run := func(prefetch int) ([]string, []devsessionstest.Request, string, error) {
					fake := devsessionstest.NewClient(devsessionstest.Sessions(tc.n))
					for call, f := range tc.faults {
						fake.Script(call, f)
					}
					p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, input(), opts(tc.maxItems, tc.pageSize, ""), withPrefetch(prefetch))
					items, err := p.Collect(t.Context())
					return ids(items), fake.Requests(), p.ResumeToken(), err
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

func TestPrefetchBreakKeepsThePosition(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fake := devsessionstest.NewClient(devsessionstest.Sessions(40))
	fake.Latency = time.Millisecond
	p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, input(), opts(0, 5, ""), withPrefetch(3))
	var got []string
	for it, err := range p.Items(t.Context()) {
		require.NoError(t, err)
		got = append(got, aws.ToString(it.Id))
		if len(got) == 7 {
			// Two pages taken, so three may wait ahead: let them arrive.
			require.Eventually(t, func() bool { return fake.Calls() == 5 }, 5*time.Second, time.Millisecond)
			break
		}
	}
	assert.Equal(t, b64(`{"nextToken": "tok-5", "boto_truncate_amount": 2}`), p.ResumeToken(), "prefetched pages are not delivered")

	rest, err := p.Collect(t.Context())
	require.NoError(t, err)
	assert.Equal(t, span(0, 40), append(got, ids(rest)...))
	assert.Equal(t, 8, fake.Calls(), "no page is fetched twice")
}

func TestPrefetchErrorComesAfterEveryItemBeforeIt(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	boom := errors.New("boom")
	fake := devsessionstest.NewClient(devsessionstest.Sessions(20))
	fake.Script(3, devsessionstest.Fault{Err: boom})
	p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, input(), opts(0, 4, ""), withPrefetch(2))
	got, errs := drain(t.Context(), p)
	assert.Equal(t, span(0, 8), got)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], boom)
	assert.Equal(t, b64(`{"nextToken": "tok-8"}`), p.ResumeToken())
	rest, err := p.Collect(t.Context())
	require.NoError(t, err)
	assert.Equal(t, span(8, 20), ids(rest))
	reqs := fake.Requests()
	assert.Equal(t, reqs[2], reqs[3], "the failed request is sent again")
}

func TestPrefetchLeavesNoGoroutine(t *testing.T) {
	cases := map[string]func(t *testing.T, p *devsessions.ListDevEnvironmentSessionsPaginator){
		"normal end": func(t *testing.T, p *devsessions.ListDevEnvironmentSessionsPaginator) {
			_, err := p.Collect(t.Context())
			require.NoError(t, err)
		},
		"break": func(t *testing.T, p *devsessions.ListDevEnvironmentSessionsPaginator) {
			for range p.Pages(t.Context()) {
				break
			}
		},
		"error": func(t *testing.T, p *devsessions.ListDevEnvironmentSessionsPaginator) {
			for _, err := range p.Items(t.Context()) {
				if err != nil {
					assert.ErrorContains(t, err, "scripted")
				}
			}
		},
		"cancelled context": func(t *testing.T, p *devsessions.ListDevEnvironmentSessionsPaginator) {
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
	for name, run := range cases {
		t.Run(name, func(t *testing.T) {
			defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
			fake := devsessionstest.NewClient(devsessionstest.Sessions(50))
			fake.Latency = 2 * time.Millisecond
			fake.Script(4, devsessionstest.Fault{Err: errors.New("scripted")})
			p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, input(), opts(0, 5, ""), withPrefetch(3))
			if name == "normal end" {
				fake.Script(4, devsessionstest.Fault{})
			}
			run(t, p)
		})
	}
}
