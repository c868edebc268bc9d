package devsessionstest_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
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

	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

func newServer(t *testing.T, n int) *devsessionstest.Server {
	t.Helper()
	srv, err := devsessionstest.NewServer(devsessionstest.ServerOptions{Sessions: devsessionstest.Sessions(n)})
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	return srv
}

func demoInput() *codecatalyst.ListDevEnvironmentSessionsInput {
	return &codecatalyst.ListDevEnvironmentSessionsInput{
		SpaceName:        aws.String(devsessionstest.DemoSpace),
		ProjectName:      aws.String(devsessionstest.DemoProject),
		DevEnvironmentId: aws.String(devsessionstest.DemoDevEnvironment),
	}
}

// noRetry makes each call one HTTP request.
func noRetry(o *codecatalyst.Options) { o.RetryMaxAttempts = 1 }

// fastRetry keeps the standard retryer but without waiting.
func fastRetry(o *codecatalyst.Options) {
	o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
		so.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
	})
}

func TestServerPages(t *testing.T) {
	srv := newServer(t, 30)
	client := srv.Client()
	out, err := client.ListDevEnvironmentSessions(t.Context(), demoInput())
	require.NoError(t, err)
	require.Len(t, out.Items, devsessionstest.DefaultPageSize, "the default page size applies without maxResults")
	assert.Equal(t, "sess-0000", aws.ToString(out.Items[0].Id))
	assert.Equal(t, time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC), *out.Items[0].StartedTime)
	require.NotNil(t, out.NextToken)

	in := demoInput()
	in.NextToken, in.MaxResults = out.NextToken, aws.Int32(200)
	out, err = client.ListDevEnvironmentSessions(t.Context(), in)
	require.NoError(t, err)
	assert.Len(t, out.Items, 5)
	assert.Nil(t, out.NextToken, "the last page has no token")

	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "/v1/spaces/demo-space/projects/demo-project/devEnvironments/11111111-2222-3333-4444-555555555555/sessions", reqs[0].Path)
	assert.Equal(t, "{}", reqs[0].Body)
	assert.Equal(t, int32(200), aws.ToInt32(reqs[1].MaxResults))
	assert.True(t, reqs[0].Authorized)
}

func TestServerTokensOutliveARun(t *testing.T) {
	first := newServer(t, 30)
	in := demoInput()
	in.MaxResults = aws.Int32(10)
	out, err := first.Client().ListDevEnvironmentSessions(t.Context(), in)
	require.NoError(t, err)
	first.Close()

	second := newServer(t, 30)
	in.NextToken = out.NextToken
	out, err = second.Client().ListDevEnvironmentSessions(t.Context(), in)
	require.NoError(t, err)
	assert.Equal(t, "sess-0010", aws.ToString(out.Items[0].Id))

	other, err := devsessionstest.NewServer(devsessionstest.ServerOptions{Seed: "other", Sessions: devsessionstest.Sessions(30)})
	require.NoError(t, err)
	defer other.Close()
	_, err = other.Client().ListDevEnvironmentSessions(t.Context(), in)
	var ve *types.ValidationException
	assert.ErrorAs(t, err, &ve, "a server with another seed rejects the token")
}

func TestServerErrors(t *testing.T) {
	const otherEnv = "22222222-2222-3333-4444-555555555555"
	sessions := devsessionstest.Sessions(30)
	for _, s := range devsessionstest.Sessions(30) {
		s.DevEnvironmentId = aws.String(otherEnv)
		sessions = append(sessions, s)
	}
	srv, err := devsessionstest.NewServer(devsessionstest.ServerOptions{Sessions: sessions})
	require.NoError(t, err)
	defer srv.Close()
	in := demoInput()
	in.MaxResults = aws.Int32(10)
	page, err := srv.Client().ListDevEnvironmentSessions(t.Context(), in)
	require.NoError(t, err)
	good := aws.ToString(page.NextToken)

	with := func(f func(*codecatalyst.ListDevEnvironmentSessionsInput)) *codecatalyst.ListDevEnvironmentSessionsInput {
		in := demoInput()
		f(in)
		return in
	}
	cases := []struct {
		name     string
		client   *codecatalyst.Client
		in       *codecatalyst.ListDevEnvironmentSessionsInput
		wantCode string
	}{
		{"a wrong bearer token is denied", codecatalyst.New(codecatalyst.Options{
			BaseEndpoint: aws.String(srv.URL), HTTPClient: srv.HTTPClient(), RetryMaxAttempts: 1,
			BearerAuthTokenProvider: bearer.StaticTokenProvider{Token: bearer.Token{Value: "wrong-secret"}},
		}), demoInput(), "AccessDeniedException"},
		{"maxResults 0 is invalid", srv.Client(noRetry), with(func(in *codecatalyst.ListDevEnvironmentSessionsInput) { in.MaxResults = aws.Int32(0) }), "ValidationException"},
		{"maxResults 201 is invalid", srv.Client(noRetry), with(func(in *codecatalyst.ListDevEnvironmentSessionsInput) { in.MaxResults = aws.Int32(201) }), "ValidationException"},
		{"a malformed token is invalid", srv.Client(noRetry), with(func(in *codecatalyst.ListDevEnvironmentSessionsInput) { in.NextToken = aws.String("tok-10") }), "ValidationException"},
		{"a tampered token is invalid", srv.Client(noRetry), with(func(in *codecatalyst.ListDevEnvironmentSessionsInput) {
			in.NextToken = aws.String(strings.Replace(good, good[:1], string(rune(good[0]^1)), 1))
		}), "ValidationException"},
		{"a token of another dev environment is invalid", srv.Client(noRetry), with(func(in *codecatalyst.ListDevEnvironmentSessionsInput) {
			in.NextToken = aws.String(good)
			in.DevEnvironmentId = aws.String(otherEnv)
		}), "ValidationException"},
		{"a space name breaking the model's pattern is invalid", srv.Client(noRetry), with(func(in *codecatalyst.ListDevEnvironmentSessionsInput) { in.SpaceName = aws.String("a/b") }), "ValidationException"},
		{"a dev environment id that is no UUID is invalid", srv.Client(noRetry), with(func(in *codecatalyst.ListDevEnvironmentSessionsInput) { in.DevEnvironmentId = aws.String("de-1") }), "ValidationException"},
		{"an unknown dev environment is not found", srv.Client(noRetry), with(func(in *codecatalyst.ListDevEnvironmentSessionsInput) {
			in.DevEnvironmentId = aws.String("99999999-2222-3333-4444-555555555555")
		}), "ResourceNotFoundException"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := tc.client.ListDevEnvironmentSessions(t.Context(), tc.in)
			assert.Nil(t, out, "never data")
			var apiErr smithy.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.wantCode, apiErr.ErrorCode())
			assert.NotEmpty(t, apiErr.ErrorMessage())
			assert.NotContains(t, err.Error(), "wrong-secret")
		})
	}
	var denied *types.AccessDeniedException
	_, err = codecatalyst.New(codecatalyst.Options{BaseEndpoint: aws.String(srv.URL), HTTPClient: srv.HTTPClient(),
		BearerAuthTokenProvider: bearer.StaticTokenProvider{}}).ListDevEnvironmentSessions(t.Context(), demoInput())
	assert.ErrorAs(t, err, &denied, "a missing token is denied")
	for _, r := range srv.Requests() {
		assert.NotContains(t, r.Body+r.Path, devsessionstest.DefaultToken, "the record never holds the token")
	}
}

func TestServerFaults(t *testing.T) {
	t.Run("throttling is retried by the SDK, with and without X-Amz-Retry-After", func(t *testing.T) {
		srv := newServer(t, 5)
		srv.Script(1, devsessionstest.ServerFault{Status: http.StatusTooManyRequests})
		srv.Script(2, devsessionstest.ServerFault{Status: http.StatusTooManyRequests, RetryAfter: 10 * time.Millisecond})
		out, err := srv.Client(fastRetry).ListDevEnvironmentSessions(t.Context(), demoInput())
		require.NoError(t, err)
		assert.Len(t, out.Items, 5)
		reqs := srv.Requests()
		require.Len(t, reqs, 3)
		assert.Equal(t, []string{"attempt=1; max=3", "attempt=2; max=3", "attempt=3; max=3"}, []string{reqs[0].Attempt, reqs[1].Attempt, reqs[2].Attempt})
	})
	t.Run("a 500 surfaces as the service's error code", func(t *testing.T) {
		srv := newServer(t, 5)
		srv.Script(1, devsessionstest.ServerFault{Status: http.StatusInternalServerError})
		_, err := srv.Client(noRetry).ListDevEnvironmentSessions(t.Context(), demoInput())
		var apiErr smithy.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, "InternalServerException", apiErr.ErrorCode())
	})
	t.Run("a dropped connection is an error and is retried", func(t *testing.T) {
		srv := newServer(t, 5)
		srv.Script(1, devsessionstest.ServerFault{Drop: true})
		_, err := srv.Client(noRetry).ListDevEnvironmentSessions(t.Context(), demoInput())
		require.Error(t, err)
		out, err := srv.Client(fastRetry).ListDevEnvironmentSessions(t.Context(), demoInput())
		require.NoError(t, err, "the next request is answered")
		assert.Len(t, out.Items, 5)
	})
	t.Run("latency delays the answer", func(t *testing.T) {
		srv := newServer(t, 5)
		srv.Script(1, devsessionstest.ServerFault{Latency: time.Second})
		ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
		defer cancel()
		_, err := srv.Client(noRetry).ListDevEnvironmentSessions(ctx, demoInput())
		assert.ErrorIs(t, err, context.DeadlineExceeded)
	})
	t.Run("RepeatToken answers with the request's own token", func(t *testing.T) {
		srv := newServer(t, 9)
		srv.Script(2, devsessionstest.ServerFault{RepeatToken: true})
		in := demoInput()
		in.MaxResults = aws.Int32(2)
		out, err := srv.Client().ListDevEnvironmentSessions(t.Context(), in)
		require.NoError(t, err)
		in.NextToken = out.NextToken
		again, err := srv.Client().ListDevEnvironmentSessions(t.Context(), in)
		require.NoError(t, err)
		assert.Equal(t, aws.ToString(in.NextToken), aws.ToString(again.NextToken))
	})
}

func TestServerCertificate(t *testing.T) {
	srv := newServer(t, 1)
	path := t.TempDir() + "/ca.pem"
	require.NoError(t, srv.WriteCert(path))
	assert.True(t, bytes.HasPrefix(srv.CertPEM, []byte("-----BEGIN CERTIFICATE-----")))
	_, err := http.Post(srv.URL+"/", "application/json", nil) //nolint:noctx // a default client must not trust it
	require.Error(t, err)
	assert.Contains(t, err.Error(), "certificate")
}
