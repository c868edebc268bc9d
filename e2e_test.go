package devsessions_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/auth/bearer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// secret is the bearer token of the end-to-end server: it must never show up
// in an error.
const secret = "e2e-bearer-secret-0123456789"

func startServer(t *testing.T, n int) *devsessionstest.Server {
	t.Helper()
	srv, err := devsessionstest.NewServer(devsessionstest.ServerOptions{Token: secret, Sessions: devsessionstest.Sessions(n)})
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	return srv
}

// fastRetry keeps the standard retryer (3 attempts, retry quota) without
// the backoff waits.
func fastRetry(o *codecatalyst.Options) {
	o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
		so.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
	})
}

// serverSizes returns the maxResults of each page request the server saw.
func serverSizes(reqs []devsessionstest.ServerRequest) []int32 {
	out := make([]int32, len(reqs))
	for i, r := range reqs {
		out[i] = aws.ToInt32(r.MaxResults)
	}
	return out
}

// Over HTTPS, through the SDK's serializers, retryer and deserializers, the
// paginator delivers the same pages and sends the same maxResults as
// against the in-memory fake.
func TestRealClientMatchesFake(t *testing.T) {
	cases := []struct {
		name               string
		maxItems, pageSize int32
	}{
		{"no options", 0, 0},
		{"page size", 0, 7},
		{"cap without page size", 12, 0},
		{"cap and page size", 12, 5},
		{"cap over the total", 100, 9},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := startServer(t, 47)
			fake := devsessionstest.NewClient(devsessionstest.Sessions(47))
			real := devsessions.NewListDevEnvironmentSessionsPaginator(srv.Client(), input(), opts(tc.maxItems, tc.pageSize, ""))
			want := devsessions.NewListDevEnvironmentSessionsPaginator(fake, input(), opts(tc.maxItems, tc.pageSize, ""))
			assert.Equal(t, pageLoop(t, t.Context(), want), pageLoop(t, t.Context(), real))
			assert.Equal(t, sizes(fake.Requests()), serverSizes(srv.Requests()))
			assert.Equal(t, want.ResumeToken() == "", real.ResumeToken() == "")
		})
	}
}

func TestRealClientResumeChain(t *testing.T) {
	srv := startServer(t, 47)
	client := srv.Client()
	var got []string
	tok := ""
	for run := 0; run < 50; run++ {
		p := devsessions.NewListDevEnvironmentSessionsPaginator(client, input(), opts(10, 4, tok))
		n := 0
		for it, err := range p.Items(t.Context()) {
			require.NoError(t, err)
			got = append(got, aws.ToString(it.Id))
			if n++; n == 3+run%5 { // break inside a page, at a different place each run
				break
			}
		}
		if tok = p.ResumeToken(); tok == "" {
			break
		}
	}
	assert.Equal(t, span(0, 47), got)
}

func TestRealClientBreakAndContinue(t *testing.T) {
	srv := startServer(t, 10)
	p := devsessions.NewListDevEnvironmentSessionsPaginator(srv.Client(), input(), opts(0, 4, ""))
	for it := range p.Items(t.Context()) {
		if aws.ToString(it.Id) == "sess-0001" {
			break
		}
	}
	tok := p.ResumeToken()
	out, err := p.NextPage(t.Context())
	require.NoError(t, err)
	assert.Equal(t, span(2, 4), ids(out.Items))
	assert.Len(t, srv.Requests(), 1, "the rest of the page comes without a request")

	resumed := devsessions.NewListDevEnvironmentSessionsPaginator(srv.Client(), input(), opts(0, 4, tok))
	items, err := resumed.Collect(t.Context())
	require.NoError(t, err)
	assert.Equal(t, span(2, 10), ids(items))
}

func TestRealClientDuplicateToken(t *testing.T) {
	srv := startServer(t, 10)
	srv.Script(2, devsessionstest.Fault{RepeatToken: true})
	p := devsessions.NewListDevEnvironmentSessionsPaginator(srv.Client(), input(), opts(0, 3, ""))
	items, err := p.Collect(t.Context())
	require.ErrorIs(t, err, devsessions.ErrDuplicateToken)
	assert.Equal(t, span(0, 6), ids(items))
	assert.Len(t, srv.Requests(), 2)
	assert.False(t, p.HasMorePages())
}

func TestRealClientInvalidInputSendsNothing(t *testing.T) {
	srv := startServer(t, 10)
	for _, o := range []func(*devsessions.ListDevEnvironmentSessionsPaginatorOptions){
		opts(0, 500, ""), opts(-3, 0, ""), opts(0, 0, "a___b___c"),
	} {
		p := devsessions.NewListDevEnvironmentSessionsPaginator(srv.Client(), input(), o)
		_, err := p.NextPage(t.Context())
		require.Error(t, err)
		assert.True(t, errorsIsAny(err, devsessions.ErrInvalidParameter, devsessions.ErrInvalidStartingToken))
	}
	assert.Empty(t, srv.Requests())
}

func TestRealClientThrottling(t *testing.T) {
	t.Run("retried throttles deliver every item exactly once", func(t *testing.T) {
		srv := startServer(t, 10)
		srv.Script(2, devsessionstest.Fault{Status: http.StatusTooManyRequests})
		srv.Script(3, devsessionstest.Fault{Status: http.StatusTooManyRequests, RetryAfter: 5 * time.Millisecond})
		p := devsessions.NewListDevEnvironmentSessionsPaginator(srv.Client(fastRetry), input(), opts(0, 4, ""))
		items, err := p.Collect(t.Context())
		require.NoError(t, err)
		assert.Equal(t, span(0, 10), ids(items))
		assert.Len(t, srv.Requests(), 5, "3 pages, 2 retries")
	})
	t.Run("past the retry budget the error is typed and the token resumes", func(t *testing.T) {
		srv := startServer(t, 10)
		for req := 2; req <= 4; req++ {
			srv.Script(req, devsessionstest.Fault{Status: http.StatusTooManyRequests})
		}
		p := devsessions.NewListDevEnvironmentSessionsPaginator(srv.Client(fastRetry), input(), opts(0, 4, ""))
		items, err := p.Collect(t.Context())
		var te *types.ThrottlingException
		require.ErrorAs(t, err, &te)
		assert.NotContains(t, err.Error(), secret)
		assert.True(t, p.HasMorePages())
		resumed := devsessions.NewListDevEnvironmentSessionsPaginator(srv.Client(fastRetry), input(), opts(0, 4, p.ResumeToken()))
		rest, err := resumed.Collect(t.Context())
		require.NoError(t, err)
		assert.Equal(t, span(0, 10), append(ids(items), ids(rest)...))
	})
}

func TestRealClientTypedErrors(t *testing.T) {
	srv := startServer(t, 10)
	wrongToken := codecatalyst.New(codecatalyst.Options{
		BaseEndpoint: aws.String(srv.URL), HTTPClient: srv.HTTPClient(),
		BearerAuthTokenProvider: bearer.StaticTokenProvider{Token: bearer.Token{Value: secret + "-wrong"}},
	})
	unknown := input()
	unknown.DevEnvironmentId = aws.String("99999999-9999-9999-9999-999999999999")
	cases := []struct {
		name   string
		client devsessions.ListDevEnvironmentSessionsAPIClient
		in     *codecatalyst.ListDevEnvironmentSessionsInput
		start  string
		target any
	}{
		{"403 is AccessDeniedException", wrongToken, input(), "", new(*types.AccessDeniedException)},
		{"404 is ResourceNotFoundException", srv.Client(), unknown, "", new(*types.ResourceNotFoundException)},
		{"400 is ValidationException", srv.Client(), input(), "not-a-token-of-this-server", new(*types.ValidationException)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := devsessions.NewListDevEnvironmentSessionsPaginator(tc.client, tc.in, opts(0, 0, tc.start))
			_, err := p.NextPage(t.Context())
			require.ErrorAs(t, err, tc.target)
			var apiErr smithy.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.NotContains(t, err.Error(), secret)
			assert.True(t, p.HasMorePages(), "a failed request changes nothing")
		})
	}
}

func errorsIsAny(err error, targets ...error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}
