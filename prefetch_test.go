package devsessions_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
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

// NextPage, Pages, Items and Collect inside a prefetching loop of the same
// paginator refuse with ErrInPrefetchLoop, change nothing, and the loop goes
// on delivering every item exactly once.
func TestNestedCallsInAPrefetchingLoopAreRefused(t *testing.T) {
	nested := map[string]func(ctx context.Context, p anyPager) []error{
		"NextPage": func(ctx context.Context, p anyPager) []error {
			out, err := p.NextPage(ctx)
			if out != nil {
				return []error{fmt.Errorf("NextPage returned a page: %v", out.ids)}
			}
			return []error{err}
		},
		"Pages": func(ctx context.Context, p anyPager) (errs []error) {
			for out, err := range p.Pages(ctx) {
				if out != nil {
					return append(errs, fmt.Errorf("Pages yielded a page: %v", out.ids))
				}
				errs = append(errs, err)
			}
			return errs
		},
		"Items": func(ctx context.Context, p anyPager) (errs []error) {
			for id, err := range p.Items(ctx) {
				if id != "" {
					return append(errs, fmt.Errorf("Items yielded %s", id))
				}
				errs = append(errs, err)
			}
			return errs
		},
		"Collect": func(ctx context.Context, p anyPager) []error {
			items, err := p.Collect(ctx)
			if items != nil {
				return []error{fmt.Errorf("Collect returned items: %v", items)}
			}
			return []error{err}
		},
	}
	outer := map[string]func(ctx context.Context, p anyPager, body func()) ([]string, error){
		"Items": func(ctx context.Context, p anyPager, body func()) (got []string, err error) {
			for id, err := range p.Items(ctx) {
				if err != nil {
					return got, err
				}
				got = append(got, id)
				body()
			}
			return got, nil
		},
		"Pages": func(ctx context.Context, p anyPager, body func()) (got []string, err error) {
			for out, err := range p.Pages(ctx) {
				if err != nil {
					return got, err
				}
				got = append(got, out.ids...)
				body()
			}
			return got, nil
		},
	}
	for _, op := range operations {
		for outerName, run := range outer {
			for name, call := range nested {
				t.Run(fmt.Sprintf("%s/%s inside a prefetching %s loop", op.name, name, outerName), func(t *testing.T) {
					fake := op.newFake(23)
					p := op.pager(fake, withPrefetch(po(0, 5, ""), 2))
					calls := 0
					got, err := run(t.Context(), p, func() {
						before := p.ResumeToken()
						errs := call(t.Context(), p)
						require.Len(t, errs, 1, "%s reports once", name)
						require.ErrorIs(t, errs[0], devsessions.ErrInPrefetchLoop)
						assert.Equal(t, before, p.ResumeToken(), "the refused call changes nothing")
						calls++
					})
					require.NoError(t, err)
					assert.Equal(t, op.span(0, 23), got, "every item exactly once")
					assert.Positive(t, calls)
					assert.Equal(t, 5, fake.Calls(), "no page is requested twice")
					assert.Empty(t, p.ResumeToken())
				})
			}
		}
		t.Run(op.name+"/after the loop the same calls work again", func(t *testing.T) {
			fake := op.newFake(23)
			p := op.pager(fake, withPrefetch(po(0, 5, ""), 2))
			var got []string
			for id, err := range p.Items(t.Context()) {
				require.NoError(t, err)
				got = append(got, id)
				break
			}
			out, err := p.NextPage(t.Context())
			require.NoError(t, err)
			got = append(got, out.ids...)
			rest, err := p.Collect(t.Context())
			require.NoError(t, err)
			assert.Equal(t, op.span(0, 23), append(got, rest...))
		})
	}
}

// panicValue is what the panicking client panics with: a pointer, so that
// the test checks it is the very value.
type panicValue struct{ msg string }

// A panic in the client on the prefetch goroutine is raised again on the
// caller's goroutine, where the caller's recover sees the same value; the
// process does not die.
func TestPrefetchCarriesAClientPanicToTheCaller(t *testing.T) {
	for _, op := range operations {
		for _, breakEarly := range []bool{false, true} {
			name := "while the loop waits for the page"
			if breakEarly {
				name = "after the loop broke before the page"
			}
			t.Run(op.name+"/"+name, func(t *testing.T) {
				want := &panicValue{"client exploded"}
				var calls atomic.Int32
				client := &wrappedClient{Client: op.newFake(30), before: func(context.Context, any, int) {
					if calls.Add(1) == 2 {
						panic(want)
					}
				}}
				p := op.pager(client, withPrefetch(po(0, 5, ""), 2))
				type result struct {
					got       []string
					recovered any
				}
				done := make(chan result)
				go func() { // the caller's own goroutine, with its own recover
					var r result
					defer func() {
						r.recovered = recover()
						done <- r
					}()
					for id, err := range p.Items(t.Context()) {
						if err != nil {
							return
						}
						r.got = append(r.got, id)
						if breakEarly && len(r.got) == 1 {
							// The goroutine has entered the second call (and panicked).
							for calls.Load() < 2 {
								time.Sleep(time.Millisecond)
							}
							break
						}
					}
				}()
				var r result
				select {
				case r = <-done:
				case <-time.After(10 * time.Second):
					t.Fatal("the caller's goroutine never finished")
				}
				require.NotNil(t, r.recovered, "the panic reaches the caller's goroutine")
				assert.Same(t, want, r.recovered, "with the same value")
				if breakEarly {
					assert.Equal(t, op.span(0, 1), r.got)
				} else {
					assert.Equal(t, op.span(0, 5), r.got, "every item before the panic")
				}
			})
		}
	}
}

// When a prefetching loop returns, its goroutine has exited: checked at
// once, with no waiting, against a client that takes 30 ms to return after
// its context is cancelled.
func TestPrefetchGoroutineHasExitedWhenTheLoopReturns(t *testing.T) {
	for _, op := range operations {
		for _, surface := range []string{"Items", "Pages"} {
			t.Run(op.name+"/"+surface, func(t *testing.T) {
				var calls atomic.Int32
				var entered, exited atomic.Bool
				client := &wrappedClient{Client: op.newFake(30), before: func(ctx context.Context, _ any, _ int) {
					if calls.Add(1) != 2 {
						return
					}
					entered.Store(true)
					<-ctx.Done()
					time.Sleep(30 * time.Millisecond)
					exited.Store(true)
				}}
				p := op.pager(client, withPrefetch(po(0, 5, ""), 1))
				wait := func() {
					require.Eventually(t, entered.Load, 5*time.Second, time.Millisecond, "the second request is in flight")
				}
				if surface == "Items" {
					for id, err := range p.Items(t.Context()) {
						require.NoError(t, err)
						require.Equal(t, op.span(0, 1)[0], id)
						wait()
						break
					}
				} else {
					for out, err := range p.Pages(t.Context()) {
						require.NoError(t, err)
						require.Equal(t, op.span(0, 5), out.ids)
						wait()
						break
					}
				}
				assert.True(t, exited.Load(), "the client call on the prefetch goroutine returned before the loop did")
			})
		}
	}
}
