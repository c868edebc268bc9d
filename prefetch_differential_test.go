package devsessions_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// scriptRun drives p through a random mix of NextPage, Items (with breaks),
// Pages (with breaks) and Collect calls chosen by seed, and returns a
// transcript of everything visible: ids, errors, HasMorePages and
// ResumeToken after every item, page and call, plus the tokens read.
func scriptRun(t *testing.T, p anyPager, seed uint64) (transcript []string, marks []mark) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	delivered := 0
	note := func(format string, args ...any) {
		tok := p.ResumeToken()
		transcript = append(transcript, fmt.Sprintf(format, args...)+fmt.Sprintf(" | more=%v tok=%s", p.HasMorePages(), tok))
		marks = append(marks, mark{delivered: delivered, token: tok})
	}
	note("start")
	for step := 0; step < 40 && p.HasMorePages(); step++ {
		switch rng.IntN(4) {
		case 0:
			out, err := p.NextPage(t.Context())
			if err != nil {
				note("NextPage err %v", err)
				continue
			}
			delivered += len(out.ids)
			note("NextPage %v", out.ids)
		case 1:
			stop := rng.IntN(9)
			i := 0
			for id, err := range p.Items(t.Context()) {
				if err != nil {
					note("Items err %v", err)
					continue
				}
				delivered++
				note("Items %s", id)
				if i++; i == stop {
					break
				}
			}
			note("Items end")
		case 2:
			stop := rng.IntN(3)
			i := 0
			for out, err := range p.Pages(t.Context()) {
				if err != nil {
					note("Pages err %v", err)
					continue
				}
				delivered += len(out.ids)
				note("Pages %v", out.ids)
				if i++; i == stop {
					break
				}
			}
			note("Pages end")
		case 3:
			if rng.IntN(3) > 0 {
				continue // Collect ends the script; keep it rare
			}
			items, err := p.Collect(t.Context())
			delivered += len(items)
			note("Collect %v %v", items, err)
		}
	}
	return transcript, marks
}

// mark is a ResumeToken read after delivered items.
type mark struct {
	delivered int
	token     string
}

// With Prefetch a paginator hands out exactly what it hands out without:
// the same ids, errors, HasMorePages and ResumeToken at every step of a
// random mix of NextPage, Items, Pages and Collect with breaks, over pages
// that are empty, oversized or carry a repeated token, with and without
// MaxItems and StopOnDuplicateToken. It sends the same requests in the same
// order (prefetch may have sent more at the end, never different ones), and
// every ResumeToken read resumes, in a fresh paginator, at the very next
// item.
func TestPrefetchScriptsMatchAndEveryTokenResumes(t *testing.T) {
	cases := 400
	if testing.Short() {
		cases = 60
	}
	for _, op := range operations {
		t.Run(op.name, func(t *testing.T) {
			for seed := range uint64(cases) {
				rng := rand.New(rand.NewPCG(seed, 99))
				n := 1 + rng.IntN(40)
				o := popts{PageSize: int32(1 + rng.IntN(6)), StopOnDuplicateToken: rng.IntN(2) == 0}
				if rng.IntN(2) == 0 {
					o.MaxItems = int32(1 + rng.IntN(n+3))
				}
				faults := map[int]devsessionstest.Fault{}
				dups := false
				for call := 1; call <= 60; call++ {
					switch rng.IntN(10) {
					case 0:
						faults[call] = devsessionstest.Fault{Empty: true}
					case 1:
						faults[call] = devsessionstest.Fault{Extra: 1 + rng.IntN(3)}
					case 2:
						if call > 1 && rng.IntN(3) == 0 {
							dups = true
							faults[call] = devsessionstest.Fault{NextToken: aws.String("tok-" + fmt.Sprint(rng.IntN(n)))}
						}
					}
				}
				run := func(prefetch int) ([]string, []mark, []devsessionstest.Request) {
					fake := op.newFake(n)
					for call, f := range faults {
						fake.Script(call, f)
					}
					p := op.pager(fake, withPrefetch(o, prefetch))
					tr, marks := scriptRun(t, p, seed)
					return tr, marks, fake.Requests()
				}
				want, marks, wantReqs := run(0)
				prefetch := 1 + rng.IntN(4)
				got, _, reqs := run(prefetch)
				msg := fmt.Sprintf("seed %d n %d opts %+v prefetch %d faults %v\n%s", seed, n, o, prefetch, faults, strings.Join(want, "\n"))
				require.Equal(t, want, got, msg)
				require.GreaterOrEqual(t, len(reqs), len(wantReqs), msg)
				require.Equal(t, wantReqs, reqs[:len(wantReqs)], msg)
				if dups {
					continue // the rest of a cycling listing is not span(d, n)
				}
				for _, m := range marks {
					if m.token == "" {
						require.Equal(t, n, m.delivered, "%s: \"\" before the end", msg)
						continue
					}
					fresh := op.pager(op.newFake(n), popts{PageSize: o.PageSize, StartingToken: m.token})
					rest, err := fresh.Collect(t.Context())
					require.NoError(t, err, msg)
					require.Equal(t, op.span(m.delivered, n), rest, "token %s read after %d items: %s", m.token, m.delivered, msg)
				}
			}
		})
	}
}
