package devsessions_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// b64 is how botocore encodes a token dict already dumped to JSON.
func b64(json string) string { return base64.StdEncoding.EncodeToString([]byte(json)) }

func TestRequestSizes(t *testing.T) {
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
		{name: "a cap over the service default without page size takes default pages", n: 450, maxItems: 300, wantSizes: []int32{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, wantPages: []int{25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25}},
		{name: "the last request under a cap shrinks to the items needed", n: 26, pageSize: 10, maxItems: 15, wantSizes: []int32{10, 5}, wantPages: []int{10, 5}},
		{name: "a cap one below a page boundary shrinks the last request to one short", n: 26, pageSize: 10, maxItems: 19, wantSizes: []int32{10, 9}, wantPages: []int{10, 9}},
		{name: "a cap one past a page boundary asks for one more", n: 26, pageSize: 10, maxItems: 11, wantSizes: []int32{10, 1}, wantPages: []int{10, 1}},
		{name: "a cap equal to the page size asks for one full page", n: 26, pageSize: 10, maxItems: 10, wantSizes: []int32{10}, wantPages: []int{10}},
		{name: "a cap above the total asks for full pages", n: 26, pageSize: 10, maxItems: 1000, wantSizes: []int32{10, 10, 10}, wantPages: []int{10, 10, 6}},
		{name: "a cap equal to the total stops without a token", n: 20, pageSize: 10, maxItems: 20, wantSizes: []int32{10, 10}, wantPages: []int{10, 10}},
		{name: "a skip counts in the capped request: items needed plus items skipped", n: 30, pageSize: 10, maxItems: 2, start: `{"nextToken": "tok-10", "boto_truncate_amount": 3}`, wantSizes: []int32{5}, wantPages: []int{2}},
		{name: "a skip never widens a request beyond the page size", n: 30, pageSize: 10, maxItems: 10, start: `{"nextToken": "tok-10", "boto_truncate_amount": 3}`, wantSizes: []int32{10, 3}, wantPages: []int{7, 3}},
		{name: "a skip longer than the page carries over at the page size", n: 30, pageSize: 5, start: `{"nextToken": null, "boto_truncate_amount": 17}`, wantSizes: []int32{5, 5, 5, 5, 5, 5}, wantPages: []int{0, 0, 0, 3, 5, 5}},
		{name: "the model's maximum is accepted", n: 450, pageSize: 200, wantSizes: []int32{200, 200, 200}, wantPages: []int{200, 200, 50}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := devsessionstest.NewClient(devsessionstest.Sessions(tc.n))
			in := input()
			in.MaxResults = tc.maxResults
			start := ""
			if tc.start != "" {
				start = b64(tc.start)
			}
			p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, in, opts(tc.maxItems, tc.pageSize, start))
			var got []int
			for _, page := range pageLoop(t, t.Context(), p) {
				got = append(got, len(page))
			}
			assert.Equal(t, tc.wantPages, got)
			assert.Equal(t, tc.wantSizes, sizes(fake.Requests()))
			assert.False(t, p.HasMorePages())
		})
	}
}

// Every surface honours MaxItems, cuts the crossing page and stops.
func TestMaxItemsOnEverySurface(t *testing.T) {
	surfaces := map[string]func(context.Context, *devsessions.ListDevEnvironmentSessionsPaginator) ([]types.DevEnvironmentSessionSummary, error){
		"NextPage": func(ctx context.Context, p *devsessions.ListDevEnvironmentSessionsPaginator) (all []types.DevEnvironmentSessionSummary, err error) {
			for p.HasMorePages() {
				out, err := p.NextPage(ctx)
				if err != nil {
					return all, err
				}
				all = append(all, out.Items...)
			}
			return all, nil
		},
		"Pages": func(ctx context.Context, p *devsessions.ListDevEnvironmentSessionsPaginator) (all []types.DevEnvironmentSessionSummary, err error) {
			for out, err := range p.Pages(ctx) {
				if err != nil {
					return all, err
				}
				all = append(all, out.Items...)
			}
			return all, nil
		},
		"Items": func(ctx context.Context, p *devsessions.ListDevEnvironmentSessionsPaginator) (all []types.DevEnvironmentSessionSummary, err error) {
			for it, err := range p.Items(ctx) {
				if err != nil {
					return all, err
				}
				all = append(all, it)
			}
			return all, nil
		},
		"Collect": func(ctx context.Context, p *devsessions.ListDevEnvironmentSessionsPaginator) ([]types.DevEnvironmentSessionSummary, error) {
			return p.Collect(ctx)
		},
	}
	for name, run := range surfaces {
		t.Run(name, func(t *testing.T) {
			fake := devsessionstest.NewClient(devsessionstest.Sessions(26))
			p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, input(), opts(15, 10, ""))
			got, err := run(t.Context(), p)
			require.NoError(t, err)
			assert.Equal(t, span(0, 15), ids(got))
			assert.False(t, p.HasMorePages())
			assert.Equal(t, b64(`{"nextToken": "tok-15"}`), p.ResumeToken())
			_, err = p.NextPage(t.Context())
			assert.ErrorIs(t, err, devsessions.ErrNoMorePages)
			assert.Equal(t, 2, fake.Calls(), "no request after the cap")
		})
	}
}

func TestServiceReturningMoreThanAskedIsCut(t *testing.T) {
	fake := devsessionstest.NewClient(devsessionstest.Sessions(26))
	fake.Script(2, devsessionstest.Fault{Extra: 3})
	p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, input(), opts(15, 10, ""))
	assert.Equal(t, [][]string{span(0, 10), span(10, 15)}, pageLoop(t, t.Context(), p))
	assert.Equal(t, b64(`{"nextToken": "tok-10", "boto_truncate_amount": 5}`), p.ResumeToken())

	p = devsessions.NewListDevEnvironmentSessionsPaginator(fake, input(), opts(0, 10, p.ResumeToken()))
	assert.Equal(t, [][]string{span(15, 20), span(20, 26)}, pageLoop(t, t.Context(), p))
	assert.Equal(t, "tok-10", tokens(fake.Requests())[2], "the cut page is fetched again to resume inside it")
}

func TestResumeToken(t *testing.T) {
	t.Run("before the first page it encodes the start", func(t *testing.T) {
		p := devsessions.NewListDevEnvironmentSessionsPaginator(devsessionstest.NewClient(nil), input())
		assert.Equal(t, b64(`{"nextToken": null}`), p.ResumeToken())
	})
	t.Run("after a break in Items it points at the next item of the page", func(t *testing.T) {
		fake := devsessionstest.NewClient(devsessionstest.Sessions(7))
		p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, input(), opts(0, 3, ""))
		var got []string
		for it, err := range p.Items(t.Context()) {
			require.NoError(t, err)
			got = append(got, aws.ToString(it.Id))
			if len(got) == 4 {
				break
			}
		}
		assert.Equal(t, span(0, 4), got)
		assert.Equal(t, b64(`{"nextToken": "tok-3", "boto_truncate_amount": 1}`), p.ResumeToken())
		assert.True(t, p.HasMorePages())

		out, err := p.NextPage(t.Context())
		require.NoError(t, err)
		assert.Equal(t, span(4, 6), ids(out.Items), "the rest of the fetched page")
		assert.Equal(t, 2, fake.Calls(), "no new request for the rest of the page")
		assert.Equal(t, "tok-6", aws.ToString(out.NextToken), "NextToken stays the service's")
		assert.Equal(t, b64(`{"nextToken": "tok-6"}`), p.ResumeToken())
	})
	t.Run("after a break on a page's last item it is the page boundary", func(t *testing.T) {
		fake := devsessionstest.NewClient(devsessionstest.Sessions(7))
		p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, input(), opts(0, 3, ""))
		for it := range p.Items(t.Context()) {
			if aws.ToString(it.Id) == "sess-0002" {
				break
			}
		}
		assert.Equal(t, b64(`{"nextToken": "tok-3"}`), p.ResumeToken())
		assert.Equal(t, 1, fake.Calls())
	})
	t.Run("is empty when nothing remains", func(t *testing.T) {
		p := devsessions.NewListDevEnvironmentSessionsPaginator(devsessionstest.NewClient(devsessionstest.Sessions(3)), input())
		pageLoop(t, t.Context(), p)
		assert.Empty(t, p.ResumeToken())
	})
	t.Run("a run from a raw service token that is cut carries that token", func(t *testing.T) {
		fake := devsessionstest.NewClient(devsessionstest.Sessions(26))
		fake.Script(1, devsessionstest.Fault{Extra: 3})
		in := input()
		in.NextToken = aws.String("tok-10")
		p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, in, opts(2, 0, ""))
		assert.Equal(t, [][]string{span(10, 12)}, pageLoop(t, t.Context(), p))
		assert.Equal(t, b64(`{"nextToken": "tok-10", "boto_truncate_amount": 2}`), p.ResumeToken())
	})
	t.Run("escapes like Python json.dumps", func(t *testing.T) {
		tok := "ключ-ü-😀-10"
		p := devsessions.NewListDevEnvironmentSessionsPaginator(devsessionstest.NewClient(nil), input(), opts(0, 0, tok))
		assert.Equal(t, b64(`{"nextToken": "\u043a\u043b\u044e\u0447-\u00fc-\ud83d\ude00-10"}`), p.ResumeToken())
	})
}

func TestStartingToken(t *testing.T) {
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
		{name: "raw service token", token: "tok-20", wantFirst: "tok-20", wantItems: span(20, 26)},
		{name: "white space around a token is ignored", token: " " + b64(`{"nextToken": "tok-20"}`) + "\n", wantFirst: "tok-20", wantItems: span(20, 26)},
		{name: "a skip longer than the page size still resumes at the item", token: b64(`{"nextToken": "tok-10", "boto_truncate_amount": 5}`), pageSize: 2, wantFirst: "tok-10", wantItems: span(15, 26)},
		{name: "a skip past the end of a short page carries over", token: b64(`{"nextToken": "tok-20", "boto_truncate_amount": 9}`), pageSize: 2, wantFirst: "tok-20", wantItems: []string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := devsessionstest.NewClient(devsessionstest.Sessions(26))
			p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, input(), opts(0, tc.pageSize, tc.token))
			items, err := p.Collect(t.Context())
			require.NoError(t, err)
			assert.Equal(t, tc.wantItems, ids(items))
			assert.Equal(t, tc.wantFirst, tokens(fake.Requests())[0])
		})
	}
	t.Run("StartingToken wins over params.NextToken", func(t *testing.T) {
		fake := devsessionstest.NewClient(devsessionstest.Sessions(26))
		in := input()
		in.NextToken = aws.String("tok-5")
		p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, in, opts(0, 0, "tok-20"))
		_, err := p.NextPage(t.Context())
		require.NoError(t, err)
		assert.Equal(t, []string{"tok-20"}, tokens(fake.Requests()))
	})
	t.Run("a legacy token with a non-numeric amount is sent raw", func(t *testing.T) {
		fake := devsessionstest.NewClient(devsessionstest.Sessions(26))
		p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, input(), opts(0, 0, "tok-20___x"))
		_, err := p.NextPage(t.Context())
		var ve *types.ValidationException
		require.ErrorAs(t, err, &ve, "the service decides")
		assert.Equal(t, []string{"tok-20___x"}, tokens(fake.Requests()))
	})
}

func TestInvalidStartingToken(t *testing.T) {
	cases := map[string]string{
		"more than one separator":        "a___b___c",
		"unknown JSON key":               b64(`{"nextToken": "tok-1", "foo": "bar"}`),
		"no nextToken key":               b64(`{}`),
		"negative amount":                b64(`{"nextToken": "tok-1", "boto_truncate_amount": -1}`),
		"fractional amount":              b64(`{"nextToken": "tok-1", "boto_truncate_amount": 1.5}`),
		"string amount":                  b64(`{"nextToken": "tok-1", "boto_truncate_amount": "x"}`),
		"huge amount":                    b64(`{"nextToken": "tok-1", "boto_truncate_amount": 99999999999}`),
		"empty nextToken":                b64(`{"nextToken": ""}`),
		"numeric nextToken":              b64(`{"nextToken": 12}`),
		"negative legacy amount":         "tok-1___-1",
		"empty legacy token":             "___3",
		"service token over 10000 chars": strings.Repeat("x", 10001),
		"JSON service token over 10000":  b64(`{"nextToken": "` + strings.Repeat("x", 10001) + `"}`),
		"over 128 KiB":                   strings.Repeat("x", 128<<10+1),
		"only white space":               " \n",
	}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			fake := devsessionstest.NewClient(devsessionstest.Sessions(5))
			p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, input(), opts(0, 0, tok))
			assert.True(t, p.HasMorePages(), "the error is reported by NextPage")
			_, err := p.NextPage(t.Context())
			require.ErrorIs(t, err, devsessions.ErrInvalidStartingToken)
			assert.Contains(t, err.Error(), "StartingToken")
			assert.Zero(t, fake.Calls(), "nothing is sent")
			assert.False(t, p.HasMorePages())
			_, again := p.NextPage(t.Context())
			assert.Equal(t, err, again, "the error is permanent")
			assert.Empty(t, p.ResumeToken())
		})
	}
}

func TestInvalidParameters(t *testing.T) {
	fake := devsessionstest.NewClient(devsessionstest.Sessions(5))
	with := func(f func(*codecatalyst.ListDevEnvironmentSessionsInput)) *codecatalyst.ListDevEnvironmentSessionsInput {
		in := input()
		f(in)
		return in
	}
	cases := []struct {
		name    string
		client  devsessions.ListDevEnvironmentSessionsAPIClient
		params  *codecatalyst.ListDevEnvironmentSessionsInput
		opt     func(*devsessions.ListDevEnvironmentSessionsPaginatorOptions)
		mention string
	}{
		{name: "nil client", params: input(), mention: "client"},
		{name: "nil params", client: fake, mention: "params"},
		{name: "missing space", client: fake, params: with(func(in *codecatalyst.ListDevEnvironmentSessionsInput) { in.SpaceName = nil }), mention: "SpaceName"},
		{name: "empty project", client: fake, params: with(func(in *codecatalyst.ListDevEnvironmentSessionsInput) { in.ProjectName = aws.String("") }), mention: "ProjectName"},
		{name: "empty dev environment", client: fake, params: with(func(in *codecatalyst.ListDevEnvironmentSessionsInput) { in.DevEnvironmentId = aws.String("") }), mention: "DevEnvironmentId"},
		{name: "PageSize over 200", client: fake, params: input(), opt: opts(0, 201, ""), mention: "PageSize"},
		{name: "negative PageSize", client: fake, params: input(), opt: opts(0, -1, ""), mention: "PageSize"},
		{name: "zero params.MaxResults", client: fake, params: with(func(in *codecatalyst.ListDevEnvironmentSessionsInput) { in.MaxResults = aws.Int32(0) }), mention: "MaxResults"},
		{name: "params.MaxResults over 200", client: fake, params: with(func(in *codecatalyst.ListDevEnvironmentSessionsInput) { in.MaxResults = aws.Int32(500) }), mention: "MaxResults"},
		{name: "negative MaxItems", client: fake, params: input(), opt: opts(-1, 0, ""), mention: "MaxItems"},
		{name: "empty params.NextToken", client: fake, params: with(func(in *codecatalyst.ListDevEnvironmentSessionsInput) { in.NextToken = aws.String("") }), mention: "NextToken"},
		{name: "negative Prefetch", client: fake, params: input(), opt: func(o *devsessions.ListDevEnvironmentSessionsPaginatorOptions) { o.Prefetch = -1 }, mention: "Prefetch"},
		{name: "Prefetch over 100", client: fake, params: input(), opt: func(o *devsessions.ListDevEnvironmentSessionsPaginatorOptions) { o.Prefetch = 101 }, mention: "Prefetch"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var optFns []func(*devsessions.ListDevEnvironmentSessionsPaginatorOptions)
			if tc.opt != nil {
				optFns = append(optFns, tc.opt)
			}
			calls := fake.Calls()
			p := devsessions.NewListDevEnvironmentSessionsPaginator(tc.client, tc.params, optFns...)
			for range 2 {
				_, err := p.NextPage(t.Context())
				require.ErrorIs(t, err, devsessions.ErrInvalidParameter)
				assert.Contains(t, err.Error(), tc.mention)
			}
			assert.False(t, p.HasMorePages())
			assert.Equal(t, calls, fake.Calls(), "nothing is sent")
			for _, err := range p.Items(t.Context()) {
				assert.Fail(t, "Items yields nothing once the error was reported", err)
			}
		})
	}
	t.Run("Items reports an unreported input error once", func(t *testing.T) {
		p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, input(), opts(-1, 0, ""))
		var errs []error
		for _, err := range p.Items(t.Context()) {
			errs = append(errs, err)
		}
		require.Len(t, errs, 1)
		assert.ErrorIs(t, errs[0], devsessions.ErrInvalidParameter)
	})
}

func TestDuplicateTokens(t *testing.T) {
	at := func(tok string, skip int) string {
		return b64(fmt.Sprintf(`{"nextToken": "%s", "boto_truncate_amount": %d}`, tok, skip))
	}
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
		{name: "a cap inside the repeating page still reports the repeat", call: 2, token: "tok-2", maxItems: 30,
			wantPages: [][]string{span(0, 25), span(25, 30)}, wantErr: true, wantResume: at("tok-25", 5), wantRest: span(30, 60)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := 60
			if tc.pageSize == 2 {
				n = 10
			}
			fake := devsessionstest.NewClient(devsessionstest.Sessions(n))
			tok := tc.token
			if tc.maxItems == 30 {
				tok = "tok-25"
			}
			fake.Script(tc.call, devsessionstest.Fault{NextToken: aws.String(tok)})
			p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, input(), opts(tc.maxItems, tc.pageSize, tc.start),
				func(o *devsessions.ListDevEnvironmentSessionsPaginatorOptions) { o.StopOnDuplicateToken = tc.stop })
			var pages [][]string
			var err error
			for i := 0; p.HasMorePages(); i++ {
				require.Less(t, i, 20, "paging must end")
				var out *codecatalyst.ListDevEnvironmentSessionsOutput
				if out, err = p.NextPage(t.Context()); err != nil {
					break
				}
				pages = append(pages, ids(out.Items))
				if i == len(tc.wantPages)-1 && tc.wantErr {
					assert.True(t, p.HasMorePages(), "the error is still to be reported")
				}
			}
			assert.Equal(t, tc.wantPages, pages)
			if tc.wantErr {
				require.ErrorIs(t, err, devsessions.ErrDuplicateToken)
				_, again := p.NextPage(t.Context())
				assert.ErrorIs(t, again, devsessions.ErrDuplicateToken)
			} else {
				require.NoError(t, err)
			}
			assert.False(t, p.HasMorePages())
			require.Equal(t, tc.wantResume, p.ResumeToken(), "never \"\", which would look complete")
			assert.Equal(t, len(tc.wantPages), fake.Calls())

			// Once the service is fixed, the token resumes after the last item delivered.
			rest, err := devsessions.NewListDevEnvironmentSessionsPaginator(devsessionstest.NewClient(devsessionstest.Sessions(n)), input(),
				opts(0, tc.pageSize, p.ResumeToken())).Collect(t.Context())
			require.NoError(t, err)
			assert.Equal(t, tc.wantRest, ids(rest))
		})
	}
	t.Run("iterators yield the repeat after the cap's items, and Collect returns them with it", func(t *testing.T) {
		for _, collect := range []bool{false, true} {
			fake := devsessionstest.NewClient(devsessionstest.Sessions(10))
			fake.Script(2, devsessionstest.Fault{NextToken: aws.String("tok-2")})
			p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, input(), opts(4, 2, ""))
			var got []string
			var errs []error
			if collect {
				items, err := p.Collect(t.Context())
				got, errs = ids(items), []error{err}
			} else {
				got, errs = drain(t.Context(), p)
			}
			assert.Equal(t, span(0, 4), got)
			require.Len(t, errs, 1)
			assert.ErrorIs(t, errs[0], devsessions.ErrDuplicateToken)
		}
	})
	t.Run("a service that always repeats never loops", func(t *testing.T) {
		fake := devsessionstest.NewClient(devsessionstest.Sessions(10))
		for call := 1; call <= 50; call++ {
			fake.Script(call, devsessionstest.Fault{NextToken: aws.String("tok-2")})
		}
		p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, input(), opts(0, 2, ""))
		got, errs := drain(t.Context(), p)
		require.Len(t, errs, 1)
		require.ErrorIs(t, errs[0], devsessions.ErrDuplicateToken)
		assert.Equal(t, span(0, 4), got, "every item before the error is delivered once")
		assert.Equal(t, 2, fake.Calls())
	})
}

func TestErrorsLoseNothing(t *testing.T) {
	boom := &types.ThrottlingException{Message: aws.String("Rate exceeded")}
	t.Run("a failed request changes nothing and is sent again", func(t *testing.T) {
		fake := devsessionstest.NewClient(devsessionstest.Sessions(7))
		fake.Script(2, devsessionstest.Fault{Err: boom})
		p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, input(), opts(5, 2, ""))
		out, err := p.NextPage(t.Context())
		require.NoError(t, err)
		assert.Equal(t, span(0, 2), ids(out.Items))
		before := p.ResumeToken()

		_, err = p.NextPage(t.Context())
		var te *types.ThrottlingException
		require.ErrorAs(t, err, &te)
		var apiErr smithy.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, "ThrottlingException", apiErr.ErrorCode())
		assert.True(t, p.HasMorePages())
		assert.Equal(t, before, p.ResumeToken())

		rest := pageLoop(t, t.Context(), p)
		assert.Equal(t, [][]string{span(2, 4), span(4, 5)}, rest)
		reqs := fake.Requests()
		assert.Equal(t, reqs[1], reqs[2], "the same request is sent again")
	})
	t.Run("Items yields the error once after every item before it", func(t *testing.T) {
		fake := devsessionstest.NewClient(devsessionstest.Sessions(7))
		fake.Script(2, devsessionstest.Fault{Err: boom})
		p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, input(), opts(0, 3, ""))
		got, errs := drain(t.Context(), p)
		assert.Equal(t, span(0, 3), got)
		require.Len(t, errs, 1)
		assert.ErrorIs(t, errs[0], boom)
		assert.Equal(t, b64(`{"nextToken": "tok-3"}`), p.ResumeToken())
		rest, err := p.Collect(t.Context())
		require.NoError(t, err)
		assert.Equal(t, span(3, 7), ids(rest), "calling again continues from the position")
	})
	t.Run("Pages yields the error once and stops", func(t *testing.T) {
		fake := devsessionstest.NewClient(devsessionstest.Sessions(7))
		fake.Script(1, devsessionstest.Fault{Err: boom})
		p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, input())
		n := 0
		for out, err := range p.Pages(t.Context()) {
			n++
			assert.Nil(t, out)
			assert.ErrorIs(t, err, boom)
		}
		assert.Equal(t, 1, n)
	})
	t.Run("Collect returns the items before the error", func(t *testing.T) {
		fake := devsessionstest.NewClient(devsessionstest.Sessions(7))
		fake.Script(3, devsessionstest.Fault{Err: boom})
		p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, input(), opts(0, 2, ""))
		items, err := p.Collect(t.Context())
		assert.ErrorIs(t, err, boom)
		assert.Equal(t, span(0, 4), ids(items))
		assert.Equal(t, b64(`{"nextToken": "tok-4"}`), p.ResumeToken())
	})
	t.Run("a cancelled context sends nothing", func(t *testing.T) {
		fake := devsessionstest.NewClient(devsessionstest.Sessions(7))
		p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, input())
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := p.NextPage(ctx)
		assert.ErrorIs(t, err, context.Canceled)
		assert.Zero(t, fake.Calls())
		assert.True(t, p.HasMorePages())
	})
	t.Run("NextPage after the end returns ErrNoMorePages every time", func(t *testing.T) {
		p := devsessions.NewListDevEnvironmentSessionsPaginator(devsessionstest.NewClient(devsessionstest.Sessions(1)), input())
		pageLoop(t, t.Context(), p)
		for range 3 {
			out, err := p.NextPage(t.Context())
			assert.Nil(t, out)
			assert.True(t, errors.Is(err, devsessions.ErrNoMorePages))
		}
	})
	t.Run("a client returning nil and no error is an error", func(t *testing.T) {
		p := devsessions.NewListDevEnvironmentSessionsPaginator(nilClient{}, input())
		_, err := p.NextPage(t.Context())
		assert.Error(t, err)
		assert.True(t, p.HasMorePages())
	})
}

type nilClient struct{}

func (nilClient) ListDevEnvironmentSessions(context.Context, *codecatalyst.ListDevEnvironmentSessionsInput,
	...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	return nil, nil
}

func TestOddPagesAndInputs(t *testing.T) {
	t.Run("the caller's params are never mutated", func(t *testing.T) {
		fake := devsessionstest.NewClient(devsessionstest.Sessions(9))
		in := input()
		in.MaxResults = aws.Int32(2)
		in.NextToken = aws.String("tok-1")
		want := *in
		p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, in, opts(5, 3, ""))
		in.SpaceName = aws.String("changed-later") // the paginator took a copy
		pageLoop(t, t.Context(), p)
		assert.Equal(t, want.MaxResults, in.MaxResults)
		assert.Equal(t, int32(2), *in.MaxResults)
		assert.Equal(t, "tok-1", *in.NextToken)
		for _, r := range fake.Requests() {
			assert.Equal(t, devsessionstest.DemoSpace, r.SpaceName)
		}
	})
	t.Run("a page with no items but a token is passed through", func(t *testing.T) {
		fake := devsessionstest.NewClient(devsessionstest.Sessions(6))
		fake.Script(2, devsessionstest.Fault{Empty: true})
		p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, input(), opts(0, 2, ""))
		assert.Equal(t, [][]string{span(0, 2), {}, span(2, 4), span(4, 6)}, pageLoop(t, t.Context(), p))
	})
	t.Run("an empty-string token ends paging", func(t *testing.T) {
		fake := devsessionstest.NewClient(devsessionstest.Sessions(6))
		fake.Script(1, devsessionstest.Fault{NextToken: aws.String("")})
		p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, input(), opts(0, 2, ""))
		assert.Equal(t, [][]string{span(0, 2)}, pageLoop(t, t.Context(), p))
		assert.Empty(t, p.ResumeToken())
	})
	t.Run("optFns reach every request", func(t *testing.T) {
		rec := &recordingClient{ListDevEnvironmentSessionsAPIClient: devsessionstest.NewClient(devsessionstest.Sessions(5))}
		p := devsessions.NewListDevEnvironmentSessionsPaginator(rec, input(), opts(0, 2, ""))
		fn := func(*codecatalyst.Options) {}
		_, err := p.NextPage(t.Context(), fn, fn)
		require.NoError(t, err)
		for range p.Items(t.Context(), fn, fn) {
		}
		assert.Equal(t, []int{2, 2, 2}, rec.optFns)
	})
	t.Run("iterators continue from the paginator's position", func(t *testing.T) {
		fake := devsessionstest.NewClient(devsessionstest.Sessions(9))
		p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, input(), opts(0, 3, ""))
		var got []string
		for out := range p.Pages(t.Context()) {
			got = append(got, ids(out.Items)...)
			break
		}
		for it := range p.Items(t.Context()) {
			got = append(got, aws.ToString(it.Id))
			break
		}
		seq := p.Items(t.Context())
		for it := range seq {
			got = append(got, aws.ToString(it.Id))
			break
		}
		for it := range seq { // the same iterator again: it continues too
			got = append(got, aws.ToString(it.Id))
		}
		assert.Equal(t, span(0, 9), got)
		assert.Equal(t, 3, fake.Calls())
	})
}

// retainingClient keeps every input it was given, with a snapshot of it.
type retainingClient struct {
	devsessions.ListDevEnvironmentSessionsAPIClient
	inputs    []*codecatalyst.ListDevEnvironmentSessionsInput
	snapshots []string
}

func (r *retainingClient) ListDevEnvironmentSessions(ctx context.Context, in *codecatalyst.ListDevEnvironmentSessionsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	r.inputs = append(r.inputs, in)
	r.snapshots = append(r.snapshots, describeInput(in))
	return r.ListDevEnvironmentSessionsAPIClient.ListDevEnvironmentSessions(ctx, in, optFns...)
}

func describeInput(in *codecatalyst.ListDevEnvironmentSessionsInput) string {
	return aws.ToString(in.SpaceName) + "|" + aws.ToString(in.NextToken) + "|" + strconv.Itoa(int(aws.ToInt32(in.MaxResults)))
}

// A client may keep the input it was given (a mock recording its calls):
// the paginator never changes an input after passing it.
func TestInputsAreNeverReused(t *testing.T) {
	for _, prefetch := range []int{0, 2} {
		rec := &retainingClient{ListDevEnvironmentSessionsAPIClient: devsessionstest.NewClient(devsessionstest.Sessions(60))}
		p := devsessions.NewListDevEnvironmentSessionsPaginator(rec, input(), opts(45, 2, ""),
			func(o *devsessions.ListDevEnvironmentSessionsPaginatorOptions) { o.Prefetch = prefetch })
		_, err := p.Collect(t.Context())
		require.NoError(t, err)
		require.Len(t, rec.inputs, 23)
		for i, in := range rec.inputs {
			assert.Equal(t, rec.snapshots[i], describeInput(in), "input %d changed after the call", i)
			for j := range i {
				assert.NotSame(t, rec.inputs[j], in)
			}
		}
	}
}
