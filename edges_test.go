package devsessions_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

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

// A boto_truncate_amount near 2^31 cannot overflow the request size: every
// request asks for 1..the model's maximum, and nothing panics.
func TestHugeSkipDoesNotOverflowTheRequestSize(t *testing.T) {
	for _, op := range operations {
		for _, amount := range []int64{2147483647, 2147483646} {
			t.Run(fmt.Sprintf("%s/%d", op.name, amount), func(t *testing.T) {
				fake := op.newFake(30)
				tok := b64(fmt.Sprintf(`{"nextToken": "tok-10", "boto_truncate_amount": %d}`, amount))
				p := op.pager(fake, po(10, op.maxPageSize, tok))
				var items []string
				var err error
				require.NotPanics(t, func() { items, err = p.Collect(t.Context()) })
				require.NoError(t, err)
				assert.Empty(t, items, "the skip is past the end")
				reqs := fake.Requests()
				require.NotEmpty(t, reqs)
				for i, size := range sizes(reqs) {
					if op.maxPageSize == 0 { // no page size: maxResults is never sent
						assert.Zero(t, size, "request %d", i)
						continue
					}
					assert.GreaterOrEqual(t, size, int32(1), "request %d", i)
					assert.LessOrEqual(t, size, op.maxPageSize, "request %d", i)
				}
				assert.Empty(t, p.ResumeToken(), "nothing remains")
			})
		}
	}
}

// serverFor returns a server holding n items of every operation in the
// demo scope, two to a page when a request has no maxResults (ListSpaces).
func serverFor(t *testing.T, n int) *devsessionstest.Server {
	t.Helper()
	srv, err := devsessionstest.NewServer(devsessionstest.ServerOptions{Token: secret, Data: devsessionstest.SampleData(n), PageSize: 2})
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	return srv
}

// otherListingToken returns a ResumeToken (at a page boundary) of another
// operation's listing on srv: valid there, refused in op's.
func otherListingToken(t *testing.T, op operation, srv *devsessionstest.Server) string {
	t.Helper()
	other := operationNamed(t, "ListAccessTokens")
	if op.name == other.name {
		other = operationNamed(t, "ListProjects")
	}
	p := other.pager(srv.Client(), po(4, 2, ""))
	items, err := p.Collect(t.Context())
	require.NoError(t, err)
	require.Len(t, items, 4)
	require.NotEmpty(t, p.ResumeToken())
	return p.ResumeToken()
}

// When the service refuses the first request of a run started from
// StartingToken as invalid, the error says that StartingToken was refused
// and that omitting it starts over; errors.As still finds the exception.
// A request made from params.NextToken gets no such hint.
func TestRefusedStartingTokenSaysSo(t *testing.T) {
	for _, op := range operations {
		t.Run(op.name, func(t *testing.T) {
			srv := serverFor(t, 12)
			cases := map[string]string{
				"a raw token cut short":                   "eyJub3QiOiAiYSB0b2tlbiJ9"[:20],
				"a service token of another listing":      "",
				"a service token with its last char lost": "",
			}
			other := otherListingToken(t, op, srv)
			cases["a service token of another listing"] = other
			// A page-boundary token of this listing, with the service token
			// inside damaged.
			good := op.pager(srv.Client(), po(2, 2, ""))
			_, err := good.Collect(t.Context())
			require.NoError(t, err)
			raw := serviceToken(t, good.ResumeToken())
			cases["a service token with its last char lost"] = raw[:len(raw)-1]

			for name, tok := range cases {
				t.Run(name, func(t *testing.T) {
					p := op.pager(srv.Client(), po(0, 2, tok))
					before := p.ResumeToken()
					_, err := p.NextPage(t.Context())
					require.Error(t, err)
					var ve *types.ValidationException
					require.ErrorAs(t, err, &ve, "the service's exception is still found: %v", err)
					assert.ErrorIs(t, err, devsessions.ErrInvalidStartingToken)
					assert.Contains(t, err.Error(), "StartingToken")
					assert.Contains(t, err.Error(), "omit")
					assert.NotContains(t, err.Error(), secret)
					assert.True(t, p.HasMorePages(), "a failed request is not permanent")
					assert.Equal(t, before, p.ResumeToken(), "the position is unchanged")
				})
			}
			t.Run("a bad params.NextToken gets no StartingToken hint", func(t *testing.T) {
				p := op.newPager(srv.Client(), args{NextToken: aws.String(other)}, po(0, 2, ""))
				_, err := p.NextPage(t.Context())
				var ve *types.ValidationException
				require.ErrorAs(t, err, &ve)
				assert.NotErrorIs(t, err, devsessions.ErrInvalidStartingToken)
				assert.NotContains(t, err.Error(), "StartingToken")
				assert.NotContains(t, err.Error(), "omit")
			})
			t.Run("a refusal after the first page gets no StartingToken hint", func(t *testing.T) {
				fake := op.newFake(10)
				fake.Script(2, devsessionstest.Fault{Err: &types.ValidationException{Message: aws.String("later")}})
				p := op.pager(fake, po(0, 2, "tok-2"))
				_, err := p.NextPage(t.Context())
				require.NoError(t, err)
				_, err = p.NextPage(t.Context())
				var ve *types.ValidationException
				require.ErrorAs(t, err, &ve)
				assert.NotContains(t, err.Error(), "StartingToken")
			})
			t.Run("another error on the first request gets no StartingToken hint", func(t *testing.T) {
				fake := op.newFake(10)
				fake.Script(1, devsessionstest.Fault{Err: &types.ThrottlingException{Message: aws.String("slow down")}})
				_, err := op.pager(fake, po(0, 2, "tok-2")).NextPage(t.Context())
				var te *types.ThrottlingException
				require.ErrorAs(t, err, &te)
				assert.NotContains(t, err.Error(), "StartingToken")
			})
		})
	}
}

// serviceToken returns the nextToken inside a botocore page-boundary token.
func serviceToken(t *testing.T, tok string) string {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(tok)
	require.NoError(t, err)
	var m struct {
		NextToken string `json:"nextToken"`
	}
	require.NoError(t, json.Unmarshal(raw, &m))
	require.NotEmpty(t, m.NextToken)
	return m.NextToken
}
