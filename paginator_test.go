package devsessions_test

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/aws/smithy-go"
	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// b64 is how botocore encodes a token dict already dumped to JSON.
func b64(json string) string { return base64.StdEncoding.EncodeToString([]byte(json)) }

// Every contract test runs over every operation; inside one, span is the
// operation's span.

func TestRequestSizes(t *testing.T) {
	for _, op := range withPageSize(operations) {
		t.Run(op.name, func(t *testing.T) {
			maxSize := op.maxPageSize
			cases := []struct {
				name       string
				n          int
				pageSize   int32
				maxResults *int32
				maxItems   int32
				start      string // botocore token JSON, base64-encoded before use
				wantSizes  []int32
				wantPages  []int
			}{
				{name: "PageSize is sent on every request", n: 7, pageSize: 2, wantSizes: []int32{2, 2, 2, 2}, wantPages: []int{2, 2, 2, 1}},
				{name: "params.MaxResults is used when PageSize is 0", n: 7, maxResults: aws.Int32(3), wantSizes: []int32{3, 3, 3}, wantPages: []int{3, 3, 1}},
				{name: "PageSize wins over params.MaxResults", n: 7, pageSize: 4, maxResults: aws.Int32(2), wantSizes: []int32{4, 4}, wantPages: []int{4, 3}},
				{name: "no page size sends no maxResults", n: 30, wantSizes: []int32{0, 0}, wantPages: []int{25, 5}},
				{name: "a cap without page size sends no maxResults, as the AWS CLI", n: 30, maxItems: 7, wantSizes: []int32{0}, wantPages: []int{7}},
				{name: "a cap without page size sends no maxResults, even with a skip", n: 30, maxItems: 2, start: `{"nextToken": "tok-10", "boto_truncate_amount": 3}`, wantSizes: []int32{0}, wantPages: []int{2}},
				{name: "a cap over the service default without page size takes default pages", n: 450, maxItems: 300, wantSizes: []int32{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, wantPages: []int{25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25}},
				{name: "the last request under a cap shrinks to the items needed", n: 26, pageSize: 10, maxItems: 15, wantSizes: []int32{10, 5}, wantPages: []int{10, 5}},
				{name: "a cap one below a page boundary shrinks the last request to one short", n: 26, pageSize: 10, maxItems: 19, wantSizes: []int32{10, 9}, wantPages: []int{10, 9}},
				{name: "a cap one past a page boundary asks for one more", n: 26, pageSize: 10, maxItems: 11, wantSizes: []int32{10, 1}, wantPages: []int{10, 1}},
				{name: "a cap equal to the page size asks for one full page", n: 26, pageSize: 10, maxItems: 10, wantSizes: []int32{10}, wantPages: []int{10}},
				{name: "a cap one below the page size asks for the cap", n: 26, pageSize: 10, maxItems: 9, wantSizes: []int32{9}, wantPages: []int{9}},
				{name: "a cap of one asks for one", n: 26, pageSize: 10, maxItems: 1, wantSizes: []int32{1}, wantPages: []int{1}},
				{name: "a cap above the total asks for full pages", n: 26, pageSize: 10, maxItems: 1000, wantSizes: []int32{10, 10, 10}, wantPages: []int{10, 10, 6}},
				{name: "a cap equal to the total stops without a token", n: 20, pageSize: 10, maxItems: 20, wantSizes: []int32{10, 10}, wantPages: []int{10, 10}},
				{name: "params.MaxResults shrinks under a cap as PageSize does", n: 26, maxResults: aws.Int32(10), maxItems: 15, wantSizes: []int32{10, 5}, wantPages: []int{10, 5}},
				{name: "a skip counts in the capped request: items needed plus items skipped", n: 30, pageSize: 10, maxItems: 2, start: `{"nextToken": "tok-10", "boto_truncate_amount": 3}`, wantSizes: []int32{5}, wantPages: []int{2}},
				{name: "a skip that fills the page size exactly asks for the page size", n: 30, pageSize: 10, maxItems: 7, start: `{"nextToken": "tok-10", "boto_truncate_amount": 3}`, wantSizes: []int32{10}, wantPages: []int{7}},
				{name: "a skip one short of the page size asks for one less", n: 30, pageSize: 10, maxItems: 6, start: `{"nextToken": "tok-10", "boto_truncate_amount": 3}`, wantSizes: []int32{9}, wantPages: []int{6}},
				{name: "a skip never widens a request beyond the page size", n: 30, pageSize: 10, maxItems: 10, start: `{"nextToken": "tok-10", "boto_truncate_amount": 3}`, wantSizes: []int32{10, 3}, wantPages: []int{7, 3}},
				{name: "a skip longer than the page carries over at the page size", n: 30, pageSize: 5, start: `{"nextToken": null, "boto_truncate_amount": 17}`, wantSizes: []int32{5, 5, 5, 5, 5, 5}, wantPages: []int{0, 0, 0, 3, 5, 5}},
				{name: "a skip longer than the page under a cap counts the carried skip", n: 30, pageSize: 5, maxItems: 4, start: `{"nextToken": null, "boto_truncate_amount": 7}`, wantSizes: []int32{5, 5, 1}, wantPages: []int{0, 3, 1}},
				{name: "the model's maximum is accepted", n: 2*int(maxSize) + int(maxSize)/2, pageSize: maxSize, wantSizes: []int32{maxSize, maxSize, maxSize}, wantPages: []int{int(maxSize), int(maxSize), int(maxSize) / 2}},
				{name: "params.MaxResults at the model's maximum is accepted", n: int(maxSize) + 1, maxResults: aws.Int32(maxSize), wantSizes: []int32{maxSize, maxSize}, wantPages: []int{int(maxSize), 1}},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					fake := op.newFake(tc.n)
					start := ""
					if tc.start != "" {
						start = b64(tc.start)
					}
					p := op.newPager(fake, args{MaxResults: tc.maxResults}, po(tc.maxItems, tc.pageSize, start))
					var got []int
					for _, page := range loop(t, t.Context(), p) {
						got = append(got, len(page))
					}
					assert.Equal(t, tc.wantPages, got)
					assert.Equal(t, tc.wantSizes, sizes(fake.Requests()))
					assert.False(t, p.HasMorePages())
				})
			}
		})
	}
}

// Every surface honours MaxItems, cuts the crossing page and stops.
func TestMaxItemsOnEverySurface(t *testing.T) {
	surfaces := map[string]func(context.Context, anyPager) ([]string, error){
		"NextPage": func(ctx context.Context, p anyPager) (all []string, err error) {
			for p.HasMorePages() {
				out, err := p.NextPage(ctx)
				if err != nil {
					return all, err
				}
				all = append(all, out.ids...)
			}
			return all, nil
		},
		"Pages": func(ctx context.Context, p anyPager) (all []string, err error) {
			for out, err := range p.Pages(ctx) {
				if err != nil {
					return all, err
				}
				all = append(all, out.ids...)
			}
			return all, nil
		},
		"Items": func(ctx context.Context, p anyPager) (all []string, err error) {
			for it, err := range p.Items(ctx) {
				if err != nil {
					return all, err
				}
				all = append(all, it)
			}
			return all, nil
		},
		"Collect": func(ctx context.Context, p anyPager) ([]string, error) {
			return p.Collect(ctx)
		},
	}
	for _, op := range withPageSize(operations) {
		for name, run := range surfaces {
			t.Run(op.name+"/"+name, func(t *testing.T) {
				fake := op.newFake(26)
				p := op.pager(fake, po(15, 10, ""))
				got, err := run(t.Context(), p)
				require.NoError(t, err)
				assert.Equal(t, op.span(0, 15), got)
				assert.False(t, p.HasMorePages())
				assert.Equal(t, b64(`{"nextToken": "tok-15"}`), p.ResumeToken())
				_, err = p.NextPage(t.Context())
				assert.ErrorIs(t, err, devsessions.ErrNoMorePages)
				assert.Equal(t, 2, fake.Calls(), "no request after the cap")
			})
		}
	}
}

// fixedSessions returns the same output on every call, as a client
// serving a shared value may.
type fixedSessions struct {
	out *codecatalyst.ListDevEnvironmentSessionsOutput
}

func (c fixedSessions) ListDevEnvironmentSessions(context.Context, *codecatalyst.ListDevEnvironmentSessionsInput,
	...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	return c.out, nil
}

// A page cut by MaxItems or a skip is the caller's: appending to its Items
// never writes into the client's output.
func TestAppendingToACutPageLeavesTheClientsOutput(t *testing.T) {
	for _, tc := range []struct {
		name  string
		o     func(*devsessions.ListDevEnvironmentSessionsPaginatorOptions)
		first int // the page's first item
	}{
		{"cut by MaxItems", opts(2, 0, ""), 0},
		{"cut by MaxItems after a skip", opts(2, 0, "tok-0___1"), 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			client := fixedSessions{&codecatalyst.ListDevEnvironmentSessionsOutput{Items: devsessionstest.Sessions(5)}}
			out, err := devsessions.NewListDevEnvironmentSessionsPaginator(client, input(), tc.o).NextPage(t.Context())
			require.NoError(t, err)
			require.Equal(t, span(tc.first, tc.first+2), ids(out.Items))
			_ = append(out.Items, types.DevEnvironmentSessionSummary{Id: aws.String("appended")})
			assert.Equal(t, span(0, 5), ids(client.out.Items), "the client's output is unchanged")
		})
	}
}

func TestServiceReturningMoreThanAskedIsCut(t *testing.T) {
	for _, op := range operations {
		t.Run(op.name, func(t *testing.T) {
			span := op.span
			fake := op.newFake(26)
			fake.Script(2, devsessionstest.Fault{Extra: 3})
			p := op.pager(fake, po(15, 10, ""))
			assert.Equal(t, [][]string{span(0, 10), span(10, 15)}, loop(t, t.Context(), p))
			assert.Equal(t, b64(`{"nextToken": "tok-10", "boto_truncate_amount": 5}`), p.ResumeToken())

			p = op.pager(fake, po(0, 10, p.ResumeToken()))
			assert.Equal(t, [][]string{span(15, 20), span(20, 26)}, loop(t, t.Context(), p))
			assert.Equal(t, "tok-10", tokens(fake.Requests())[2], "the cut page is fetched again to resume inside it")
		})
	}
}

func TestResumeToken(t *testing.T) {
	for _, op := range operations {
		t.Run(op.name, func(t *testing.T) {
			span := op.span
			t.Run("before the first page it encodes the start", func(t *testing.T) {
				p := op.pager(op.newFake(0), popts{})
				assert.Equal(t, b64(`{"nextToken": null}`), p.ResumeToken())
			})
			t.Run("after a break in Items it points at the next item of the page", func(t *testing.T) {
				fake := op.newFake(7)
				p := op.pager(fake, po(0, 3, ""))
				var got []string
				for it, err := range p.Items(t.Context()) {
					require.NoError(t, err)
					got = append(got, it)
					if len(got) == 4 {
						break
					}
				}
				assert.Equal(t, span(0, 4), got)
				assert.Equal(t, b64(`{"nextToken": "tok-3", "boto_truncate_amount": 1}`), p.ResumeToken())
				assert.True(t, p.HasMorePages())

				out, err := p.NextPage(t.Context())
				require.NoError(t, err)
				assert.Equal(t, span(4, 6), out.ids, "the rest of the fetched page")
				assert.Equal(t, 2, fake.Calls(), "no new request for the rest of the page")
				assert.Equal(t, "tok-6", aws.ToString(out.next), "NextToken stays the service's")
				assert.Equal(t, b64(`{"nextToken": "tok-6"}`), p.ResumeToken())
			})
			t.Run("after a break on a page's last item it is the page boundary", func(t *testing.T) {
				fake := op.newFake(7)
				p := op.pager(fake, po(0, 3, ""))
				for it := range p.Items(t.Context()) {
					if it == span(2, 3)[0] {
						break
					}
				}
				assert.Equal(t, b64(`{"nextToken": "tok-3"}`), p.ResumeToken())
				assert.Equal(t, 1, fake.Calls())
			})
			t.Run("is empty when nothing remains", func(t *testing.T) {
				p := op.pager(op.newFake(3), popts{})
				loop(t, t.Context(), p)
				assert.Empty(t, p.ResumeToken())
			})
			t.Run("a run from a raw service token that is cut carries that token", func(t *testing.T) {
				fake := op.newFake(26)
				fake.Script(1, devsessionstest.Fault{Extra: 3})
				p := op.newPager(fake, args{NextToken: aws.String("tok-10")}, po(2, 0, ""))
				assert.Equal(t, [][]string{span(10, 12)}, loop(t, t.Context(), p))
				assert.Equal(t, b64(`{"nextToken": "tok-10", "boto_truncate_amount": 2}`), p.ResumeToken())
			})
			t.Run("escapes like Python json.dumps", func(t *testing.T) {
				tok := "ключ-ü-😀-10"
				p := op.pager(op.newFake(0), po(0, 0, tok))
				assert.Equal(t, b64(`{"nextToken": "\u043a\u043b\u044e\u0447-\u00fc-\ud83d\ude00-10"}`), p.ResumeToken())
			})
		})
	}
}

func TestStartingToken(t *testing.T) {
	for _, op := range operations {
		t.Run(op.name, func(t *testing.T) {
			span := op.span
			cases := []struct {
				name      string
				token     string
				pageSize  int32
				wantFirst string // nextToken of the first request
				wantItems []string
			}{
				{name: "botocore token inside a page", token: b64(`{"nextToken": "tok-10", "boto_truncate_amount": 5}`), pageSize: 10, wantFirst: "tok-10", wantItems: span(15, 26)},
				{name: "botocore token inside the first page", token: b64(`{"nextToken": null, "boto_truncate_amount": 5}`), pageSize: 10, wantItems: span(5, 26)},
				{name: "botocore token at a page boundary", token: b64(`{"nextToken": "tok-20"}`), pageSize: 10, wantFirst: "tok-20", wantItems: span(20, 26)},
				{name: "legacy token with an amount", token: "tok-10___3", pageSize: 10, wantFirst: "tok-10", wantItems: span(13, 26)},
				{name: "legacy None means the first page", token: "None___2", pageSize: 10, wantItems: span(2, 26)},
				{name: "None alone means the first page, as in botocore", token: "None", pageSize: 10, wantItems: span(0, 26)},
				{name: "raw service token", token: "tok-20", wantFirst: "tok-20", wantItems: span(20, 26)},
				{name: "white space around a token is ignored", token: " " + b64(`{"nextToken": "tok-20"}`) + "\n", wantFirst: "tok-20", wantItems: span(20, 26)},
				{name: "a skip longer than the page size still resumes at the item", token: b64(`{"nextToken": "tok-10", "boto_truncate_amount": 5}`), pageSize: 2, wantFirst: "tok-10", wantItems: span(15, 26)},
				{name: "a skip past the end of a short page carries over", token: b64(`{"nextToken": "tok-20", "boto_truncate_amount": 9}`), pageSize: 2, wantFirst: "tok-20", wantItems: []string{}},
				{name: "non-canonical base64 (non-zero trailing bits) reads as botocore reads it", token: nonCanonical(t, b64(`{"nextToken": "tok-20"}`)), wantFirst: "tok-20", wantItems: span(20, 26)},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					fake := op.newFake(26)
					p := op.pager(fake, po(0, tc.pageSize, tc.token))
					items, err := p.Collect(t.Context())
					require.NoError(t, err)
					if len(tc.wantItems) == 0 {
						assert.Empty(t, items)
					} else {
						assert.Equal(t, tc.wantItems, items)
					}
					assert.Equal(t, tc.wantFirst, tokens(fake.Requests())[0])
				})
			}
			t.Run("StartingToken wins over params.NextToken", func(t *testing.T) {
				fake := op.newFake(26)
				p := op.newPager(fake, args{NextToken: aws.String("tok-5")}, po(0, 0, "tok-20"))
				_, err := p.NextPage(t.Context())
				require.NoError(t, err)
				assert.Equal(t, []string{"tok-20"}, tokens(fake.Requests()))
			})
			t.Run("base64 of what is no JSON object and not refused by botocore is a raw token, as in botocore", func(t *testing.T) {
				for _, tok := range []string{b64("[]"), b64("tok-20")} {
					fake := op.newFake(26)
					p := op.pager(fake, po(0, 0, tok))
					_, err := p.NextPage(t.Context())
					var ve *types.ValidationException
					require.ErrorAs(t, err, &ve, "the service decides")
					assert.Equal(t, []string{tok}, tokens(fake.Requests()))
				}
			})
			t.Run("a legacy token with a non-numeric amount is sent raw", func(t *testing.T) {
				fake := op.newFake(26)
				p := op.pager(fake, po(0, 0, "tok-20___x"))
				_, err := p.NextPage(t.Context())
				var ve *types.ValidationException
				require.ErrorAs(t, err, &ve, "the service decides")
				assert.Equal(t, []string{"tok-20___x"}, tokens(fake.Requests()))
			})
		})
	}
}

func TestInvalidStartingToken(t *testing.T) {
	cases := map[string]string{
		"more than one separator":               "a___b___c",
		"unknown JSON key":                      b64(`{"nextToken": "tok-1", "foo": "bar"}`),
		"no nextToken key":                      b64(`{}`),
		"negative amount":                       b64(`{"nextToken": "tok-1", "boto_truncate_amount": -1}`),
		"fractional amount":                     b64(`{"nextToken": "tok-1", "boto_truncate_amount": 1.5}`),
		"string amount":                         b64(`{"nextToken": "tok-1", "boto_truncate_amount": "x"}`),
		"huge amount":                           b64(`{"nextToken": "tok-1", "boto_truncate_amount": 99999999999}`),
		"empty nextToken":                       b64(`{"nextToken": ""}`),
		"numeric nextToken":                     b64(`{"nextToken": 12}`),
		"negative legacy amount":                "tok-1___-1",
		"negative legacy amount in white space": "tok-1___ -1 ",
		"empty legacy token":                    "___3",
		"service token over 10000 chars":        strings.Repeat("x", 10001),
		"JSON service token over 10000":         b64(`{"nextToken": "` + strings.Repeat("x", 10001) + `"}`),
		"over 128 KiB":                          strings.Repeat("x", 128<<10+1),
		"only white space":                      " \n",
		"a SpaceSessions token":                 "dss1.eyJzcGFjZSI6ImRlbW8tc3BhY2UiLCJlbnYiOiIifQ",
		"a later SpaceSessions token":           "dss2.AAEC",
		"a SpaceSessions token in white space":  " dss2.AAEC\n",
		"a SpaceSessions token of version 10":   "dss10.AAEC",
		"base64 of null":                        b64("null"),
		"base64 of a JSON string":               b64(`"tok-20"`),
		"base64 of a JSON number":               b64("12"),
		"base64 of a JSON boolean":              b64("true"),
	}
	for _, op := range operations {
		cases := maps.Clone(cases)
		cases["service token one character over the model's bound"] = strings.Repeat("x", op.maxToken+1)
		cases["JSON service token one character over the model's bound"] = b64(`{"nextToken": "` + strings.Repeat("x", op.maxToken+1) + `"}`)
		for name, tok := range cases {
			t.Run(op.name+"/"+name, func(t *testing.T) {
				fake := op.newFake(5)
				p := op.pager(fake, po(0, 0, tok))
				assert.True(t, p.HasMorePages(), "the error is reported by NextPage")
				_, err := p.NextPage(t.Context())
				require.ErrorIs(t, err, devsessions.ErrInvalidStartingToken)
				assert.Contains(t, err.Error(), "StartingToken")
				assert.Zero(t, fake.Calls(), "nothing is sent")
				assert.False(t, p.HasMorePages())
				_, again := p.NextPage(t.Context())
				assert.Equal(t, err, again, "the error is permanent")
				assert.Empty(t, p.ResumeToken(), "a token that did not decode is no position")
			})
		}
	}
}

// Only "dss", digits and "." mark a space-wide listing's token: a raw
// service token that merely starts like one is sent as it is.
func TestTokensThatOnlyLookLikeSpaceSessionsTokensAreSent(t *testing.T) {
	for _, op := range operations {
		for _, tok := range []string{"dss.AAEC", "dssx.AAEC", "dss2AAEC", "xdss2.AAEC", "12.AAEC", "dss"} {
			t.Run(op.name+"/"+tok, func(t *testing.T) {
				fake := op.newFake(5)
				_, _ = op.pager(fake, po(0, 0, tok)).NextPage(t.Context()) // the fake refuses the token; the request is what counts
				require.Equal(t, 1, fake.Calls())
				assert.Equal(t, tok, aws.ToString(fake.Requests()[0].NextToken))
			})
		}
	}
}

func TestInvalidParameters(t *testing.T) {
	for _, op := range operations {
		t.Run(op.name, func(t *testing.T) {
			fake := op.newFake(5)
			over := op.maxPageSize + 1
			cases := []invalidInput{
				{name: "nil client", mention: "client", newPager: func(any) anyPager { return op.pager(nil, popts{}) }},
				{name: "negative MaxItems", mention: "MaxItems", newPager: func(c any) anyPager { return op.pager(c, po(-1, 0, "")) }},
				{name: "empty params.NextToken", mention: "NextToken", newPager: func(c any) anyPager { return op.newPager(c, args{NextToken: aws.String("")}, popts{}) }},
				{name: "params.NextToken one character over the model's bound", mention: "NextToken", newPager: func(c any) anyPager {
					return op.newPager(c, args{NextToken: aws.String(strings.Repeat("t", op.maxToken+1))}, popts{})
				}},
				{name: "typed nil client", mention: "client", newPager: func(any) anyPager { return op.pager((*codecatalyst.Client)(nil), popts{}) }},
				{name: "negative Prefetch", mention: "Prefetch", newPager: func(c any) anyPager { return op.pager(c, popts{Prefetch: -1}) }},
				{name: "Prefetch over 100", mention: "Prefetch", newPager: func(c any) anyPager { return op.pager(c, popts{Prefetch: 101}) }},
			}
			if op.maxPageSize > 0 { // ListSpaces has neither PageSize nor params.MaxResults
				cases = append(cases, []invalidInput{
					{name: "PageSize over the model's maximum", mention: "PageSize", newPager: func(c any) anyPager { return op.pager(c, po(0, over, "")) }},
					{name: "negative PageSize", mention: "PageSize", newPager: func(c any) anyPager { return op.pager(c, po(0, -1, "")) }},
					{name: "zero params.MaxResults", mention: "MaxResults", newPager: func(c any) anyPager { return op.newPager(c, args{MaxResults: aws.Int32(0)}, popts{}) }},
					{name: "params.MaxResults over the model's maximum", mention: "MaxResults", newPager: func(c any) anyPager { return op.newPager(c, args{MaxResults: aws.Int32(over)}, popts{}) }},
					{name: "params.MaxResults far over the maximum", mention: "MaxResults", newPager: func(c any) anyPager { return op.newPager(c, args{MaxResults: aws.Int32(500)}, popts{}) }},
					{name: "zero params.MaxResults with PageSize set", mention: "MaxResults", newPager: func(c any) anyPager { return op.newPager(c, args{MaxResults: aws.Int32(0)}, po(0, 5, "")) }},
					{name: "params.MaxResults over the maximum with PageSize set", mention: "MaxResults", newPager: func(c any) anyPager { return op.newPager(c, args{MaxResults: aws.Int32(over)}, po(0, 5, "")) }},
				}...)
			}
			for _, tc := range append(cases, op.invalid...) {
				t.Run(tc.name, func(t *testing.T) {
					calls := fake.Calls()
					p := tc.newPager(fake)
					for range 2 {
						_, err := p.NextPage(t.Context())
						require.ErrorIs(t, err, devsessions.ErrInvalidParameter)
						assert.Contains(t, err.Error(), tc.mention)
					}
					assert.False(t, p.HasMorePages())
					assertReportsAgain(t, p, devsessions.ErrInvalidParameter)
					assert.Equal(t, calls, fake.Calls(), "nothing is sent")
				})
			}
			t.Run("the model's bounds are accepted", func(t *testing.T) {
				if op.maxPageSize == 0 {
					return // no page size, no bounds
				}
				for _, size := range []int32{1, op.maxPageSize} {
					for _, p := range []anyPager{
						op.pager(fake, po(0, size, "")),
						op.newPager(fake, args{MaxResults: aws.Int32(size)}, popts{}),
						op.newPager(fake, args{MaxResults: aws.Int32(size)}, po(0, size, "")),
					} {
						_, err := p.NextPage(t.Context())
						require.NoError(t, err, "size %d", size)
					}
				}
			})
			t.Run("the model's string lengths are accepted", func(t *testing.T) {
				for _, b := range op.bounded {
					var at []string // strings exactly at the bounds
					if b.min > 0 {
						at = append(at, strings.Repeat("é", b.min))
					}
					if b.max > 0 {
						at = append(at, strings.Repeat("a", b.max))
					}
					for _, s := range at {
						calls := fake.Calls()
						_, err := b.newPager(fake, s).NextPage(t.Context())
						assert.NotErrorIs(t, err, devsessions.ErrInvalidParameter, "%s of %d characters", b.name, len([]rune(s)))
						assert.Equal(t, calls+1, fake.Calls(), "%s of %d characters is sent", b.name, len([]rune(s)))
					}
				}
			})
			t.Run("Items reports an unreported input error once", func(t *testing.T) {
				p := op.pager(fake, po(-1, 0, ""))
				var errs []error
				for _, err := range p.Items(t.Context()) {
					errs = append(errs, err)
				}
				require.Len(t, errs, 1)
				assert.ErrorIs(t, errs[0], devsessions.ErrInvalidParameter)
			})
		})
	}
}

// With invalid input ResumeToken is the starting position as given, so that
// a script saving it after a failed run never loses a good token.
func TestInvalidInputKeepsTheStartingToken(t *testing.T) {
	good := b64(`{"nextToken": "tok-10", "boto_truncate_amount": 3}`)
	for _, op := range operations {
		cases := []struct {
			name  string
			start string
			o     popts
			a     args
			want  string
			from  int // the item the saved token resumes at
		}{
			{name: "a bad PageSize keeps a botocore StartingToken byte for byte", o: po(0, op.maxPageSize+1, good), want: good, from: 13},
			{name: "a negative MaxItems keeps the StartingToken", o: po(-1, 5, good), want: good, from: 13},
			{name: "a bad params.MaxResults keeps the StartingToken", o: po(0, 5, good), a: args{MaxResults: aws.Int32(0)}, want: good, from: 13},
			{name: "a bad Prefetch keeps a raw service StartingToken as given", o: popts{StartingToken: "tok-10", Prefetch: -1}, want: "tok-10", from: 10},
			{name: "a legacy StartingToken is kept as given", o: po(-1, 0, "tok-10___3"), want: "tok-10___3", from: 13},
			{name: "white space in a StartingToken is kept as given", o: po(-1, 0, " "+good+"\n"), want: " " + good + "\n", from: 13},
			{name: "a StartingToken that did not decode is no position", o: po(0, 0, "a___b___c"), want: ""},
			{name: "no StartingToken is no position", o: po(-1, 0, ""), want: ""},
			{name: "params.NextToken is kept, encoded", o: po(-1, 0, ""), a: args{NextToken: aws.String("tok-10")}, want: b64(`{"nextToken": "tok-10"}`), from: 10},
			{name: "params.NextToken is kept under a bad PageSize", o: po(0, op.maxPageSize+1, ""), a: args{NextToken: aws.String("tok-10")}, want: b64(`{"nextToken": "tok-10"}`), from: 10},
			{name: "a StartingToken wins over params.NextToken", o: po(-1, 0, good), a: args{NextToken: aws.String("tok-20")}, want: good, from: 13},
			{name: "an empty params.NextToken is no position", o: po(0, 0, ""), a: args{NextToken: aws.String("")}, want: ""},
		}
		for _, tc := range cases {
			if op.maxPageSize == 0 && (tc.a.MaxResults != nil || tc.o.PageSize > op.maxPageSize) {
				continue // ListSpaces has neither a PageSize nor params.MaxResults to get wrong
			}
			t.Run(op.name+"/"+tc.name, func(t *testing.T) {
				fake := op.newFake(30)
				p := op.newPager(fake, tc.a, tc.o)
				assert.Equal(t, tc.want, p.ResumeToken(), "before the error is reported")
				_, err := p.NextPage(t.Context())
				require.Error(t, err)
				assert.Equal(t, tc.want, p.ResumeToken(), "after the error is reported")
				assert.Zero(t, fake.Calls())
				if tc.want != "" {
					rest, err := op.pager(fake, po(0, 5, p.ResumeToken())).Collect(t.Context())
					require.NoError(t, err)
					assert.Equal(t, op.span(tc.from, 30), rest, "the saved token still resumes at its item")
				}
			})
		}
	}
}

func TestDuplicateTokens(t *testing.T) {
	at := func(tok string, skip int) string {
		return b64(fmt.Sprintf(`{"nextToken": "%s", "boto_truncate_amount": %d}`, tok, skip))
	}
	for _, op := range operations {
		t.Run(op.name, func(t *testing.T) {
			span := op.span
			cases := []struct {
				name       string
				call       int    // the call whose nextToken is replaced
				token      string // by this token
				start      string
				pageSize   int32
				maxItems   int32
				stop       bool
				wantPages  [][]string
				wantErr    bool
				wantResume string // ResumeToken at the end: on the repeating page, past what was delivered
				wantRest   []string
			}{
				{name: "a token repeated at once is an error after its page", call: 2, token: "tok-2", pageSize: 2,
					wantPages: [][]string{span(0, 2), span(2, 4)}, wantErr: true, wantResume: at("tok-2", 2), wantRest: span(4, 10)},
				{name: "a cycle back to an earlier token is an error", call: 3, token: "tok-2", pageSize: 2,
					wantPages: [][]string{span(0, 2), span(2, 4), span(4, 6)}, wantErr: true, wantResume: at("tok-4", 2), wantRest: span(6, 10)},
				{name: "the starting token counts as sent", call: 1, token: "tok-4", start: "tok-4", pageSize: 2,
					wantPages: [][]string{span(4, 6)}, wantErr: true, wantResume: at("tok-4", 2), wantRest: span(6, 10)},
				{name: "StopOnDuplicateToken ends quietly, still on the repeating page", call: 3, token: "tok-2", pageSize: 2, stop: true,
					wantPages: [][]string{span(0, 2), span(2, 4), span(4, 6)}, wantResume: at("tok-4", 2), wantRest: span(6, 10)},
				{name: "reaching the cap at the end of the repeating page still reports the repeat", call: 2, token: "tok-2", pageSize: 2, maxItems: 4,
					wantPages: [][]string{span(0, 2), span(2, 4)}, wantErr: true, wantResume: at("tok-2", 2), wantRest: span(4, 10)},
				{name: "a cap inside the repeating page still reports the repeat", call: 2, token: "tok-25", maxItems: 30,
					wantPages: [][]string{span(0, 25), span(25, 30)}, wantErr: true, wantResume: at("tok-25", 5), wantRest: span(30, 60)},
				{name: "a cap inside the repeating page with a page size still reports the repeat", call: 2, token: "tok-4", pageSize: 4, maxItems: 6,
					wantPages: [][]string{span(0, 4), span(4, 6)}, wantErr: true, wantResume: at("tok-4", 2), wantRest: span(6, 10)},
				{name: "StopOnDuplicateToken with the cap on the repeating page stops on it", call: 2, token: "tok-2", pageSize: 2, maxItems: 4, stop: true,
					wantPages: [][]string{span(0, 2), span(2, 4)}, wantResume: at("tok-2", 2), wantRest: span(4, 10)},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					n := 60
					if tc.pageSize > 0 {
						n = 10
					}
					fake := op.newFake(n)
					fake.Script(tc.call, devsessionstest.Fault{NextToken: aws.String(tc.token)})
					o := po(tc.maxItems, tc.pageSize, tc.start)
					o.StopOnDuplicateToken = tc.stop
					p := op.pager(fake, o)
					var pages [][]string
					var err error
					for i := 0; p.HasMorePages(); i++ {
						require.Less(t, i, 20, "paging must end")
						var out *page
						if out, err = p.NextPage(t.Context()); err != nil {
							break
						}
						pages = append(pages, out.ids)
						if i == len(tc.wantPages)-1 && tc.wantErr {
							assert.True(t, p.HasMorePages(), "the error is still to be reported")
						}
					}
					assert.Equal(t, tc.wantPages, pages)
					if tc.wantErr {
						require.ErrorIs(t, err, devsessions.ErrDuplicateToken)
						assertReportsAgain(t, p, devsessions.ErrDuplicateToken)
					} else {
						require.NoError(t, err)
					}
					assert.False(t, p.HasMorePages())
					require.Equal(t, tc.wantResume, p.ResumeToken(), "never \"\", which would look complete")
					assert.Equal(t, len(tc.wantPages), fake.Calls())

					// Once the service is fixed, the token resumes after the last item delivered.
					rest, err := op.pager(op.newFake(n), po(0, tc.pageSize, p.ResumeToken())).Collect(t.Context())
					require.NoError(t, err)
					assert.Equal(t, tc.wantRest, rest)
				})
			}
			t.Run("iterators yield the repeat after the cap's items, and Collect returns them with it", func(t *testing.T) {
				for _, collect := range []bool{false, true} {
					fake := op.newFake(10)
					fake.Script(2, devsessionstest.Fault{NextToken: aws.String("tok-2")})
					p := op.pager(fake, po(4, 2, ""))
					var got []string
					var errs []error
					if collect {
						items, err := p.Collect(t.Context())
						got, errs = items, []error{err}
					} else {
						got, errs = drainIDs(t.Context(), p)
					}
					assert.Equal(t, span(0, 4), got)
					require.Len(t, errs, 1)
					assert.ErrorIs(t, errs[0], devsessions.ErrDuplicateToken)
				}
			})
			t.Run("a service that always repeats never loops", func(t *testing.T) {
				fake := op.newFake(10)
				for call := 1; call <= 50; call++ {
					fake.Script(call, devsessionstest.Fault{NextToken: aws.String("tok-2")})
				}
				p := op.pager(fake, po(0, 2, ""))
				got, errs := drainIDs(t.Context(), p)
				require.Len(t, errs, 1)
				require.ErrorIs(t, errs[0], devsessions.ErrDuplicateToken)
				assert.Equal(t, span(0, 4), got, "every item before the error is delivered once")
				assert.Equal(t, 2, fake.Calls())
				assertReportsAgain(t, p, devsessions.ErrDuplicateToken)
				assert.Equal(t, 2, fake.Calls(), "reporting it again sends nothing")

			})
			t.Run("resuming after a repeat delivers the cycle's items again before the same error", func(t *testing.T) {
				// tok-2 -> tok-4 -> tok-2: the run delivers 0..5 and stops on
				// the repeat; its ResumeToken stays on tok-4's page, past 4
				// and 5, so a resumed run asks for that page again, follows
				// the service back to tok-2 and delivers 2 and 3 again.
				fake := op.newFake(10)
				for call := 3; call <= 50; call++ {
					fake.Script(call, devsessionstest.Fault{NextToken: aws.String("tok-2")})
				}
				p := op.pager(fake, po(0, 2, ""))
				got, errs := drainIDs(t.Context(), p)
				assert.Equal(t, span(0, 6), got)
				require.Len(t, errs, 1)
				require.ErrorIs(t, errs[0], devsessions.ErrDuplicateToken)
				resumed := op.pager(fake, po(0, 2, p.ResumeToken()))
				again, errs := drainIDs(t.Context(), resumed)
				assert.Equal(t, span(2, 4), again)
				require.Len(t, errs, 1)
				require.ErrorIs(t, errs[0], devsessions.ErrDuplicateToken)
			})
		})
	}
}

func TestErrorsLoseNothing(t *testing.T) {
	boom := &types.ThrottlingException{Message: aws.String("Rate exceeded")}
	for _, op := range operations {
		t.Run(op.name, func(t *testing.T) {
			span := op.span
			t.Run("a failed request changes nothing and is sent again", func(t *testing.T) {
				fake := op.newFake(7)
				fake.Script(2, devsessionstest.Fault{Err: boom})
				p := op.pager(fake, po(5, 2, ""))
				out, err := p.NextPage(t.Context())
				require.NoError(t, err)
				assert.Equal(t, span(0, 2), out.ids)
				before := p.ResumeToken()

				_, err = p.NextPage(t.Context())
				var te *types.ThrottlingException
				require.ErrorAs(t, err, &te)
				var apiErr smithy.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, "ThrottlingException", apiErr.ErrorCode())
				assert.NotContains(t, err.Error(), "StartingToken", "no hint on a run without StartingToken")
				assert.True(t, p.HasMorePages())
				assert.Equal(t, before, p.ResumeToken())

				rest := loop(t, t.Context(), p)
				assert.Equal(t, [][]string{span(2, 4), span(4, 5)}, rest)
				reqs := fake.Requests()
				assert.Equal(t, reqs[1], reqs[2], "the same request is sent again")
			})
			t.Run("Items yields the error once after every item before it", func(t *testing.T) {
				fake := op.newFake(7)
				fake.Script(2, devsessionstest.Fault{Err: boom})
				p := op.pager(fake, po(0, 3, ""))
				got, errs := drainIDs(t.Context(), p)
				assert.Equal(t, span(0, 3), got)
				require.Len(t, errs, 1)
				assert.ErrorIs(t, errs[0], boom)
				assert.Equal(t, b64(`{"nextToken": "tok-3"}`), p.ResumeToken())
				rest, err := p.Collect(t.Context())
				require.NoError(t, err)
				assert.Equal(t, span(3, 7), rest, "calling again continues from the position")
			})
			t.Run("Pages yields the error once and stops", func(t *testing.T) {
				fake := op.newFake(7)
				fake.Script(1, devsessionstest.Fault{Err: boom})
				p := op.pager(fake, popts{})
				n := 0
				for out, err := range p.Pages(t.Context()) {
					n++
					assert.Nil(t, out)
					assert.ErrorIs(t, err, boom)
				}
				assert.Equal(t, 1, n)
			})
			t.Run("Collect returns the items before the error", func(t *testing.T) {
				fake := op.newFake(7)
				fake.Script(3, devsessionstest.Fault{Err: boom})
				p := op.pager(fake, po(0, 2, ""))
				items, err := p.Collect(t.Context())
				assert.ErrorIs(t, err, boom)
				assert.Equal(t, span(0, 4), items)
				assert.Equal(t, b64(`{"nextToken": "tok-4"}`), p.ResumeToken())
			})
			t.Run("a cancelled context sends nothing", func(t *testing.T) {
				// The client is never called (counted before the fake,
				// which checks ctx itself): with or without prefetch, on
				// every surface.
				surfaces := map[string]func(ctx context.Context, p anyPager) error{
					"NextPage": func(ctx context.Context, p anyPager) error { _, err := p.NextPage(ctx); return err },
					"Collect":  func(ctx context.Context, p anyPager) error { _, err := p.Collect(ctx); return err },
					"Items": func(ctx context.Context, p anyPager) (err error) {
						for _, err = range p.Items(ctx) {
						}
						return err
					},
					"Pages": func(ctx context.Context, p anyPager) (err error) {
						for _, err = range p.Pages(ctx) {
						}
						return err
					},
				}
				for name, run := range surfaces {
					for _, prefetch := range []int{0, 2} {
						calls := 0
						client := &wrappedClient{Client: op.newFake(7), before: func(context.Context, any, int) { calls++ }}
						p := op.pager(client, popts{PageSize: min(op.maxPageSize, 2), Prefetch: prefetch})
						before := p.ResumeToken()
						ctx, cancel := context.WithCancel(t.Context())
						cancel()
						err := run(ctx, p)
						assert.ErrorIs(t, err, context.Canceled, "%s prefetch=%d", name, prefetch)
						assert.ErrorContains(t, err, op.name+" page 1 not requested", "%s prefetch=%d", name, prefetch)
						assert.Zero(t, calls, "%s prefetch=%d: the client is not called", name, prefetch)
						assert.True(t, p.HasMorePages())
						assert.Equal(t, before, p.ResumeToken())
					}
				}
			})
			t.Run("NextPage after the end returns ErrNoMorePages every time", func(t *testing.T) {
				p := op.pager(op.newFake(1), popts{})
				loop(t, t.Context(), p)
				for range 3 {
					out, err := p.NextPage(t.Context())
					assert.Nil(t, out)
					assert.True(t, errors.Is(err, devsessions.ErrNoMorePages))
				}
			})
			t.Run("a client returning nil and no error is an error", func(t *testing.T) {
				p := op.pager(nilClient{}, popts{})
				_, err := p.NextPage(t.Context())
				assert.Error(t, err)
				assert.True(t, p.HasMorePages())
			})
		})
	}
}

func TestOddPagesAndInputs(t *testing.T) {
	for _, op := range operations {
		t.Run(op.name, func(t *testing.T) {
			span := op.span
			t.Run("a page with no items but a token is passed through", func(t *testing.T) {
				fake := op.newFake(6)
				fake.Script(2, devsessionstest.Fault{Empty: true})
				p := op.pager(fake, po(0, 2, ""))
				assert.Equal(t, [][]string{span(0, 2), {}, span(2, 4), span(4, 6)}, loop(t, t.Context(), p))
			})
			t.Run("an empty-string token ends paging", func(t *testing.T) {
				fake := op.newFake(6)
				fake.Script(1, devsessionstest.Fault{NextToken: aws.String("")})
				p := op.pager(fake, po(0, 2, ""))
				assert.Equal(t, [][]string{span(0, 2)}, loop(t, t.Context(), p))
				assert.Empty(t, p.ResumeToken())
			})
			t.Run("optFns reach every request", func(t *testing.T) {
				var optFns []int
				rec := &wrappedClient{Client: op.newFake(5), before: func(_ context.Context, _ any, n int) { optFns = append(optFns, n) }}
				p := op.pager(rec, po(0, 2, ""))
				fn := func(*codecatalyst.Options) {}
				_, err := p.NextPage(t.Context(), fn, fn)
				require.NoError(t, err)
				for range p.Items(t.Context(), fn, fn) {
				}
				assert.Equal(t, []int{2, 2, 2}, optFns)
			})
			t.Run("iterators continue from the paginator's position", func(t *testing.T) {
				fake := op.newFake(9)
				p := op.pager(fake, po(0, 3, ""))
				var got []string
				for out := range p.Pages(t.Context()) {
					got = append(got, out.ids...)
					break
				}
				for it := range p.Items(t.Context()) {
					got = append(got, it)
					break
				}
				seq := p.Items(t.Context())
				for it := range seq {
					got = append(got, it)
					break
				}
				for it := range seq { // the same iterator again: it continues too
					got = append(got, it)
				}
				assert.Equal(t, span(0, 9), got)
				assert.Equal(t, 3, fake.Calls())
			})
		})
	}
}

// The caller's params are never mutated, and never read after construction:
// not the struct, and not the strings and filters it points to.
func TestParamsAreCopiedDeeply(t *testing.T) {
	t.Run("ListDevEnvironmentSessions", func(t *testing.T) {
		fake := devsessionstest.NewClient(devsessionstest.Sessions(9))
		in := input()
		in.MaxResults = aws.Int32(2)
		in.NextToken = aws.String("tok-1")
		want := *in
		p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, in, opts(5, 3, ""))
		*in.SpaceName, *in.ProjectName, *in.DevEnvironmentId = "changed-space", "changed-project", "changed-env" // through the caller's pointers
		*in.NextToken, *in.MaxResults = "tok-7", 1
		in.SpaceName = aws.String("changed-later")
		pageLoop(t, t.Context(), p)
		assert.Equal(t, want.MaxResults, in.MaxResults, "the caller's params are not mutated")
		assert.Equal(t, int32(1), *in.MaxResults)
		assert.Equal(t, "tok-7", *in.NextToken)
		reqs := fake.Requests()
		require.Len(t, reqs, 2)
		for _, r := range reqs {
			assert.Equal(t, devsessionstest.DemoSpace, r.SpaceName)
			assert.Equal(t, devsessionstest.DemoProject, r.ProjectName)
			assert.Equal(t, devsessionstest.DemoDevEnvironment, r.DevEnvironmentID)
		}
		assert.Equal(t, []string{"tok-1", "tok-4"}, tokens(reqs))
		assert.Equal(t, []int32{3, 2}, sizes(reqs))
	})
	t.Run("ListDevEnvironments", func(t *testing.T) {
		fake := devsessionstest.NewSpaceClient(devEnvironments(9), nil)
		filters := func() []types.Filter {
			return []types.Filter{{Key: aws.String("status"), Values: []string{"RUNNING", "STOPPED"}, ComparisonOperator: aws.String("EQ")}}
		}
		in := envInput()
		in.Filters = filters()
		in.NextToken = aws.String("tok-1")
		p := devsessions.NewListDevEnvironmentsPaginator(fake, in, func(o *devsessions.ListDevEnvironmentsPaginatorOptions) { o.PageSize = 3 })
		*in.SpaceName, *in.ProjectName, *in.NextToken = "changed-space", "changed-project", "tok-7"
		*in.Filters[0].Key, *in.Filters[0].ComparisonOperator = "changed-key", "changed-op"
		in.Filters[0].Values[0] = "changed-value"
		in.Filters = append(in.Filters, types.Filter{Key: aws.String("added")})
		_, err := p.NextPage(t.Context())
		var ve *types.ValidationException
		require.ErrorAs(t, err, &ve, "the fake refuses filters, as the service's model documents none")
		reqs := fake.Requests()
		require.Len(t, reqs, 1)
		assert.Equal(t, devsessionstest.Request{
			Operation: devsessionstest.OpListDevEnvironments, SpaceName: devsessionstest.DemoSpace, ProjectName: devsessionstest.DemoProject,
			MaxResults: aws.Int32(3), NextToken: aws.String("tok-1"), Filters: filters(),
		}, reqs[0], "filters pass through unchanged, as they were at construction")
	})
	t.Run("ListDevEnvironments without a project lists the space, with none sent", func(t *testing.T) {
		envs := devEnvironments(4)
		envs[1].ProjectName = aws.String("other-project")
		fake := devsessionstest.NewSpaceClient(envs, nil)
		in := envInput()
		in.ProjectName = nil
		items, err := devsessions.NewListDevEnvironmentsPaginator(fake, in).Collect(t.Context())
		require.NoError(t, err)
		assert.Len(t, items, 4)
		require.Len(t, fake.Requests(), 1)
		assert.Empty(t, fake.Requests()[0].ProjectName)
		assert.Nil(t, fake.Requests()[0].Filters)

		items, err = devsessions.NewListDevEnvironmentsPaginator(fake, envInput()).Collect(t.Context())
		require.NoError(t, err)
		assert.Len(t, items, 3, "a project lists its own dev environments")
	})
}

// A client may keep the input it was given (a mock recording its calls):
// the paginator never changes an input after passing it.
func TestInputsAreNeverReused(t *testing.T) {
	for _, op := range operations {
		for _, prefetch := range []int{0, 2} {
			t.Run(fmt.Sprintf("%s/prefetch=%d", op.name, prefetch), func(t *testing.T) {
				var inputs []any
				var snapshots []string
				rec := &wrappedClient{Client: op.newFake(60), before: func(_ context.Context, in any, _ int) {
					inputs = append(inputs, in)
					snapshots = append(snapshots, describeAny(in))
				}}
				o := po(45, 2, "")
				o.Prefetch = prefetch
				_, err := op.pager(rec, o).Collect(t.Context())
				require.NoError(t, err)
				require.Len(t, inputs, 23)
				for i, in := range inputs {
					assert.Equal(t, snapshots[i], describeAny(in), "input %d changed after the call", i)
					for j := range i {
						assert.NotSame(t, inputs[j], in)
					}
				}
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
			t.Run("a refusal of a request that carried no token from StartingToken gets no StartingToken hint", func(t *testing.T) {
				// A StartingToken with a null nextToken starts at the first
				// page: the service cannot have refused a token it never got.
				for _, tok := range []string{b64(`{"nextToken": null, "boto_truncate_amount": 1}`), b64(`{"nextToken": null}`)} {
					fake := op.newFake(10)
					fake.Script(1, devsessionstest.Fault{Err: &types.ValidationException{Message: aws.String("bad window")}})
					p := op.pager(fake, po(0, 2, tok))
					_, err := p.NextPage(t.Context())
					var ve *types.ValidationException
					require.ErrorAs(t, err, &ve)
					assert.Nil(t, fake.Requests()[0].NextToken, "no service token was sent")
					assert.NotErrorIs(t, err, devsessions.ErrInvalidStartingToken, "%s: the request, not the token, was refused", tok)
					assert.NotContains(t, err.Error(), "StartingToken")
				}
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

// streamClient makes pages on the fly from one shared template, so that its
// own memory stays constant however many items it serves.
type streamClient struct {
	total    int
	template []types.DevEnvironmentSessionSummary
}

func (s *streamClient) ListDevEnvironmentSessions(_ context.Context, in *codecatalyst.ListDevEnvironmentSessionsInput,
	_ ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	start := 0
	if in.NextToken != nil {
		start, _ = strconv.Atoi(*in.NextToken)
	}
	end := min(start+int(aws.ToInt32(in.MaxResults)), s.total)
	out := &codecatalyst.ListDevEnvironmentSessionsOutput{Items: s.template[:end-start]}
	if end < s.total {
		out.NextToken = aws.String(strconv.Itoa(end))
	}
	return out, nil
}

func liveHeap() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// Streaming a million items through Items keeps the live heap flat: what
// grows is one 64-bit fingerprint a page (16 to 64 bytes with the table).
func TestItemsStreamingKeepsTheHeapFlat(t *testing.T) {
	const total, pageSize = 1_000_000, 200
	client := &streamClient{total: total, template: devsessionstest.Sessions(pageSize)}
	p := devsessions.NewListDevEnvironmentSessionsPaginator(client, input(), opts(0, pageSize, ""))
	var samples []uint64
	n := 0
	for it, err := range p.Items(t.Context()) {
		require.NoError(t, err)
		if it.Id == nil {
			t.Fatal("no id")
		}
		if n++; n%(total/10) == 0 {
			samples = append(samples, liveHeap())
		}
	}
	require.Equal(t, total, n)
	require.Len(t, samples, 10)
	growth := int64(samples[9]) - int64(samples[0])
	t.Logf("live heap after 100k items: %d B, after 1M: %d B, growth %d B", samples[0], samples[9], growth)
	assert.Less(t, growth, int64(512<<10), "the live heap must not grow with the items streamed")
}
