package devsessions_test

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// TestResumeChainsLoseAndRepeatNothing runs thousands of random listings:
// item counts, page sizes (changing between runs), caps, breaks out of
// iterators, prefetch, injected errors, empty pages and oversized pages, each resumed
// from ResumeToken until it says nothing remains. The concatenation of what
// every run delivered must be the full list, in order.
func TestResumeChainsLoseAndRepeatNothing(t *testing.T) {
	cases := 3000
	if testing.Short() {
		cases = 300
	}
	for _, op := range operations {
		t.Run(op.name, func(t *testing.T) {
			for seed := range uint64(cases) {
				rng := rand.New(rand.NewPCG(seed, 42))
				n := rng.IntN(60)
				fake := op.newFake(n)
				fake.PageSize = int32(1 + rng.IntN(10))
				boom := errors.New("injected")
				for call := 1; call <= 400; call++ {
					switch rng.IntN(12) {
					case 0:
						fake.Script(call, devsessionstest.Fault{Err: boom})
					case 1:
						fake.Script(call, devsessionstest.Fault{Empty: true})
					case 2:
						fake.Script(call, devsessionstest.Fault{Extra: 1 + rng.IntN(4)})
					}
				}
				got, log, err := resumeChain(t, op, rng, fake)
				require.NoError(t, err, "seed %d: %s", seed, log)
				require.Equal(t, op.span(0, n), got, "seed %d: %s", seed, log)
			}
		})
	}
}

func resumeChain(t *testing.T, op operation, rng *rand.Rand, fake *devsessionstest.Client) (got []string, log string, err error) {
	got = []string{}
	tok := ""
	for run := 0; ; run++ {
		if run > 1000 {
			return got, log, fmt.Errorf("no end after %d runs", run)
		}
		maxItems := int32(0)
		if rng.IntN(2) == 0 {
			maxItems = int32(1 + rng.IntN(20))
		}
		pageSize := int32(0)
		if rng.IntN(3) > 0 { // within the model's bounds (ListSpaces: the fake's page size)
			pageSize = int32(1 + rng.IntN(int(cmp.Or(min(15, op.maxPageSize), 15))))
		}
		prefetch := max(0, rng.IntN(6)-2)
		p := op.pager(fake, withPrefetch(po(maxItems, pageSize, tok), prefetch))
		mode := rng.IntN(4)
		log += fmt.Sprintf("\nrun %d: token %q max %d page %d prefetch %d mode %d", run, tok, maxItems, pageSize, prefetch, mode)
		var runItems []string
		switch mode {
		case 0: // page loop that gives up or retries on errors
			for p.HasMorePages() {
				out, err := p.NextPage(t.Context())
				if err != nil {
					if rng.IntN(2) == 0 {
						break
					}
					continue
				}
				runItems = append(runItems, out.ids...)
				if rng.IntN(4) == 0 {
					break
				}
			}
		case 1: // Items with a break, maybe continued on the same paginator
			stopAfter := 1 + rng.IntN(12)
			for it, err := range p.Items(t.Context()) {
				if err != nil {
					break
				}
				runItems = append(runItems, it)
				if len(runItems) == stopAfter {
					break
				}
			}
			if rng.IntN(2) == 0 {
				rest, _ := p.Collect(t.Context())
				runItems = append(runItems, rest...)
			}
		case 2:
			runItems, _ = p.Collect(t.Context())
		case 3: // Pages with a break, then NextPage calls inside an Items loop
			for out, err := range p.Pages(t.Context()) {
				if err != nil {
					break
				}
				runItems = append(runItems, out.ids...)
				if rng.IntN(3) == 0 {
					break
				}
			}
			for it, err := range p.Items(t.Context()) {
				if err != nil {
					break
				}
				runItems = append(runItems, it)
				if rng.IntN(4) == 0 {
					out, err := p.NextPage(t.Context())
					if err != nil {
						break
					}
					runItems = append(runItems, out.ids...)
				}
			}
		}
		if maxItems > 0 && len(runItems) > int(maxItems) {
			return got, log, fmt.Errorf("run %d delivered %d items over MaxItems %d", run, len(runItems), maxItems)
		}
		got = append(got, runItems...)
		log += fmt.Sprintf(" -> %d items", len(runItems))
		if tok = p.ResumeToken(); tok == "" {
			return got, log, nil
		}
	}
}
