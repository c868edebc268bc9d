package cliconfig_test

import (
	"context"
	"errors"
	"net"
	"net/url"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/smithy-go/auth/bearer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions/cliconfig"
)

// An unknown profile is reported in the AWS CLI's words, and the SDK's
// typed error is still found.
func TestNewClientUnknownProfileInTheAWSCLIsWords(t *testing.T) {
	for name, set := range map[string]func(t *testing.T, o *cliconfig.Options){
		"Options.Profile": func(t *testing.T, o *cliconfig.Options) { o.Profile = "nope" },
		"AWS_PROFILE":     func(t *testing.T, o *cliconfig.Options) { t.Setenv("AWS_PROFILE", "nope") },
	} {
		t.Run(name, func(t *testing.T) {
			home := isolate(t)
			t.Setenv("AWS_BEARER_TOKEN_CODECATALYST", secret)
			writeConfig(t, home, ssoConfig)
			_, err := cliconfig.NewClient(t.Context(), func(o *cliconfig.Options) { set(t, o) })
			require.Error(t, err)
			assert.Equal(t, "The config profile (nope) could not be found", err.Error())
			var missing *cliconfig.ProfileNotFoundError
			require.ErrorAs(t, err, &missing)
			assert.Equal(t, "nope", missing.Profile)
			var sdk config.SharedConfigProfileNotExistError
			assert.ErrorAs(t, err, &sdk, "the SDK's error is wrapped")
		})
	}
}

// A connection that cannot be made is told apart, through the SDK's
// wrapping, from a certificate error and from a service error.
func TestIsConnectionError(t *testing.T) {
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := closed.Addr().String()
	require.NoError(t, closed.Close()) // nothing listens there now: refused

	client := codecatalyst.New(codecatalyst.Options{
		BaseEndpoint: aws.String("https://" + addr), Region: "us-west-2",
		BearerAuthTokenProvider: bearer.StaticTokenProvider{Token: bearer.Token{Value: secret}},
	}, func(o *codecatalyst.Options) { o.RetryMaxAttempts = 1 })
	_, callErr := client.ListDevEnvironmentSessions(context.Background(), &codecatalyst.ListDevEnvironmentSessionsInput{
		SpaceName: aws.String("s"), ProjectName: aws.String("p"), DevEnvironmentId: aws.String("d"),
	})
	require.Error(t, callErr)
	var u *url.Error
	require.ErrorAs(t, callErr, &u, "the URL the AWS CLI names is in the error")
	assert.Equal(t, "https://"+addr+"/v1/spaces/s/projects/p/devEnvironments/d/sessions", u.URL)

	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"refused, through the SDK", callErr, true},
		{"no such host", &url.Error{Op: "Post", URL: "https://x", Err: &net.DNSError{Err: "no such host", Name: "x", IsNotFound: true}}, true},
		{"a dial that timed out", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("i/o timeout")}, true},
		{"a read that failed", &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}, false},
		{"other", errors.New("connection refused"), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, cliconfig.IsConnectionError(tc.err))
		})
	}
}
