package cliconfig_test

import (
	"context"
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/smithy-go/auth/bearer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/cliconfig"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

const secret = "cliconfig-secret-token"

// isolate gives the test an empty home and AWS configuration, and none of
// the machine's AWS variables; it returns the home. Every case sets
// AWS_CA_BUNDLE itself: the machine exports one for the system store.
func isolate(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(home, "no-config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(home, "no-credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	for _, k := range []string{
		"AWS_BEARER_TOKEN_CODECATALYST", "AWS_CA_BUNDLE", "AWS_ENDPOINT_URL_CODECATALYST", "AWS_ENDPOINT_URL",
		"AWS_ENDPOINT_URL_SSO_OIDC", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
		"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_RETRY_MODE", "AWS_MAX_ATTEMPTS", "AWS_ACCESS_KEY_ID",
		"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
	} {
		t.Setenv(k, "") // restored after the test
		require.NoError(t, os.Unsetenv(k))
	}
	return home
}

// serve starts an endpoint that accepts token and writes its certificate
// into home; it returns the server and the certificate's path.
func serve(t *testing.T, home, token string, n int) (*devsessionstest.Server, string) {
	t.Helper()
	srv, err := devsessionstest.NewServer(devsessionstest.ServerOptions{Token: token, Sessions: devsessionstest.Sessions(n)})
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	cert := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, srv.WriteCert(cert))
	return srv, cert
}

// writeConfig writes the shared config file and points AWS_CONFIG_FILE at it.
func writeConfig(t *testing.T, home, config string) {
	t.Helper()
	path := filepath.Join(home, "config")
	require.NoError(t, os.WriteFile(path, []byte(config), 0o600))
	t.Setenv("AWS_CONFIG_FILE", path)
}

// writeSSOCache writes the token `aws sso login --sso-session session`
// would cache: ~/.aws/sso/cache/<sha1 of the session name>.json.
func writeSSOCache(t *testing.T, home, session, token string, expires time.Time) {
	t.Helper()
	sum := sha1.Sum([]byte(session))
	dir := filepath.Join(home, ".aws", "sso", "cache")
	require.NoError(t, os.MkdirAll(dir, 0o700))
	cached := fmt.Sprintf(`{"startUrl": "https://example.invalid/start", "region": "us-east-1", "accessToken": %q, "expiresAt": %q}`,
		token, expires.UTC().Format(time.RFC3339))
	require.NoError(t, os.WriteFile(filepath.Join(dir, hex.EncodeToString(sum[:])+".json"), []byte(cached), 0o600))
}

const ssoConfig = `[default]
sso_session = dev

[profile work]
sso_session = dev
region = eu-west-1

[profile plain]
region = eu-west-1

[sso-session dev]
sso_start_url = https://example.invalid/start
sso_region = us-east-1
sso_registration_scopes = codecatalyst:read_write
`

func demoInput() *codecatalyst.ListDevEnvironmentSessionsInput {
	return &codecatalyst.ListDevEnvironmentSessionsInput{
		SpaceName:        aws.String(devsessionstest.DemoSpace),
		ProjectName:      aws.String(devsessionstest.DemoProject),
		DevEnvironmentId: aws.String(devsessionstest.DemoDevEnvironment),
	}
}

// listAll lists every session through the paginator, 2 a page.
func listAll(t *testing.T, client *codecatalyst.Client) ([]string, error) {
	t.Helper()
	p := devsessions.NewListDevEnvironmentSessionsPaginator(client, demoInput(), func(o *devsessions.ListDevEnvironmentSessionsPaginatorOptions) {
		o.PageSize = 2
	})
	items, err := p.Collect(t.Context())
	ids := make([]string, len(items))
	for i, s := range items {
		ids[i] = aws.ToString(s.Id)
	}
	return ids, err
}

// noSecret fails the test if err's text holds any token the test used.
func noSecret(t *testing.T, err error, tokens ...string) {
	t.Helper()
	if err == nil {
		return
	}
	for _, tok := range append(tokens, secret) {
		assert.NotContains(t, err.Error(), tok, "an error never contains the bearer token")
		assert.NotContains(t, fmt.Sprintf("%+v", err), tok, "an error never contains the bearer token")
	}
}

func TestNewClientListsSessionsWithTheEmulatorsVariables(t *testing.T) {
	home := isolate(t)
	srv, cert := serve(t, home, secret, 5)
	t.Setenv("AWS_ENDPOINT_URL_CODECATALYST", srv.URL)
	t.Setenv("AWS_BEARER_TOKEN_CODECATALYST", srv.Token)
	t.Setenv("AWS_CA_BUNDLE", cert)

	client, err := cliconfig.NewClient(t.Context())
	require.NoError(t, err)
	ids, err := listAll(t, client)
	require.NoError(t, err)
	assert.Equal(t, []string{"sess-0000", "sess-0001", "sess-0002", "sess-0003", "sess-0004"}, ids)
	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	for _, r := range reqs {
		assert.True(t, r.Authorized)
	}
}

func TestNewClientUsesTheSSOSessionToken(t *testing.T) {
	const ssoToken = "sso-cached-access-token"
	cases := []struct {
		name    string
		profile string // Options.Profile
		env     string // AWS_PROFILE
		envTok  string // AWS_BEARER_TOKEN_CODECATALYST
		want    string // the token the server must accept
		region  string
	}{
		{name: "default profile", want: ssoToken, region: "us-west-2"},
		{name: "profile from Options", profile: "work", want: ssoToken, region: "eu-west-1"},
		{name: "profile from AWS_PROFILE", env: "work", want: ssoToken, region: "eu-west-1"},
		{name: "the variable wins over the SSO session", envTok: secret, want: secret, region: "us-west-2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			home := isolate(t)
			srv, cert := serve(t, home, tc.want, 3)
			t.Setenv("AWS_CA_BUNDLE", cert)
			writeConfig(t, home, ssoConfig)
			writeSSOCache(t, home, "dev", ssoToken, time.Now().Add(time.Hour))
			if tc.env != "" {
				t.Setenv("AWS_PROFILE", tc.env)
			}
			if tc.envTok != "" {
				t.Setenv("AWS_BEARER_TOKEN_CODECATALYST", tc.envTok)
			}

			client, err := cliconfig.NewClient(t.Context(), func(o *cliconfig.Options) {
				o.Profile = tc.profile
				o.EndpointURL = srv.URL
			})
			require.NoError(t, err)
			assert.Equal(t, tc.region, client.Options().Region)
			ids, err := listAll(t, client)
			require.NoError(t, err)
			assert.Len(t, ids, 3)
			require.NotEmpty(t, srv.Requests())
			assert.True(t, srv.Requests()[0].Authorized)
		})
	}
}

func TestNewClientWithoutATokenIsErrNoToken(t *testing.T) {
	cases := []struct {
		name   string
		config string
		cache  bool      // write an SSO cache for session dev
		expiry time.Time // of the cached token
		opts   cliconfig.Options
		says   []string
	}{
		{name: "nothing configured", says: []string{"AWS_BEARER_TOKEN_CODECATALYST", "aws sso login", "default profile"}},
		{name: "profile without sso_session", config: ssoConfig, opts: cliconfig.Options{Profile: "plain"},
			says: []string{"AWS_BEARER_TOKEN_CODECATALYST", "aws sso login", `profile "plain"`}},
		{name: "SSO session never logged in", config: ssoConfig,
			says: []string{"aws sso login --sso-session dev", "AWS_BEARER_TOKEN_CODECATALYST"}},
		{name: "SSO token expired", config: ssoConfig, cache: true, expiry: time.Now().Add(-time.Minute),
			says: []string{"aws sso login --sso-session dev", "expired"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			home := isolate(t)
			srv, cert := serve(t, home, secret, 1)
			t.Setenv("AWS_CA_BUNDLE", cert)
			if tc.config != "" {
				writeConfig(t, home, tc.config)
			}
			if tc.cache {
				writeSSOCache(t, home, "dev", secret, tc.expiry)
			}

			var client *codecatalyst.Client
			var err error
			require.NotPanics(t, func() {
				client, err = cliconfig.NewClient(t.Context(), func(o *cliconfig.Options) {
					*o = tc.opts
					o.EndpointURL = srv.URL
				})
			})
			require.ErrorIs(t, err, cliconfig.ErrNoToken)
			assert.Nil(t, client)
			for _, s := range tc.says {
				assert.Contains(t, err.Error(), s)
			}
			noSecret(t, err)
			assert.Zero(t, srv.TLSHandshakes(), "nothing is sent")
		})
	}
}

func TestNewClientBadCABundleNamesAWSCABundle(t *testing.T) {
	cases := []struct {
		name  string
		write func(t *testing.T, path string)
		says  string
	}{
		{name: "missing file", write: func(*testing.T, string) {}, says: "no such file"},
		{name: "not PEM", write: func(t *testing.T, path string) {
			require.NoError(t, os.WriteFile(path, []byte("this is not a certificate\n"), 0o600))
		}, says: "no PEM certificate"},
		{name: "PEM but not a certificate", write: func(t *testing.T, path string) {
			require.NoError(t, os.WriteFile(path, []byte("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n"), 0o600))
		}, says: "no PEM certificate"},
		{name: "a directory", write: func(t *testing.T, path string) {
			require.NoError(t, os.Mkdir(path, 0o700))
		}, says: "is a directory"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			home := isolate(t)
			path := filepath.Join(home, "bundle.pem")
			tc.write(t, path)
			t.Setenv("AWS_CA_BUNDLE", path)
			t.Setenv("AWS_BEARER_TOKEN_CODECATALYST", secret)

			client, err := cliconfig.NewClient(t.Context(), func(o *cliconfig.Options) { o.EndpointURL = "https://127.0.0.1:9" })
			require.Error(t, err)
			assert.Nil(t, client)
			assert.Contains(t, err.Error(), "AWS_CA_BUNDLE="+path)
			assert.Contains(t, err.Error(), tc.says)
			assert.NotErrorIs(t, err, cliconfig.ErrNoToken)
			noSecret(t, err)
		})
	}
}

func TestNewClientDoesNotRetryAnUntrustedCertificate(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		opts func(*cliconfig.Options)
	}{
		{name: "default retryer"},
		{name: "more attempts configured", env: map[string]string{"AWS_MAX_ATTEMPTS": "5"}},
		{name: "adaptive retry mode", env: map[string]string{"AWS_RETRY_MODE": "adaptive"}},
		{name: "retryer from ClientOptions", opts: func(o *cliconfig.Options) {
			o.ClientOptions = append(o.ClientOptions, func(co *codecatalyst.Options) {
				co.Retryer = retry.NewStandard(func(so *retry.StandardOptions) { so.MaxAttempts = 4 })
			})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			home := isolate(t)
			srv, _ := serve(t, home, secret, 3)
			other, otherCert := serve(t, home, secret, 0)
			t.Setenv("AWS_CA_BUNDLE", otherCert) // trusts another server's certificate only
			t.Setenv("AWS_ENDPOINT_URL_CODECATALYST", srv.URL)
			t.Setenv("AWS_BEARER_TOKEN_CODECATALYST", secret)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			var opts []func(*cliconfig.Options)
			if tc.opts != nil {
				opts = append(opts, tc.opts)
			}

			client, err := cliconfig.NewClient(t.Context(), opts...)
			require.NoError(t, err, "the certificate is only checked by the first call")
			_, err = listAll(t, client)
			require.Error(t, err)
			assert.True(t, cliconfig.IsCertificateError(err), "%v", err)
			assert.Equal(t, 1, srv.TLSHandshakes(), "not retried")
			assert.Empty(t, srv.Requests())
			assert.Zero(t, other.TLSHandshakes())
			noSecret(t, err)
		})
	}
}

func TestNewClientKeepsTheSDKsRetries(t *testing.T) {
	home := isolate(t)
	srv, cert := serve(t, home, secret, 3)
	t.Setenv("AWS_CA_BUNDLE", cert)
	t.Setenv("AWS_BEARER_TOKEN_CODECATALYST", secret)
	srv.Script(1, devsessionstest.Fault{Status: http.StatusInternalServerError})
	srv.Script(2, devsessionstest.Fault{Drop: true})

	client, err := cliconfig.NewClient(t.Context(), func(o *cliconfig.Options) {
		o.EndpointURL = srv.URL
		o.ClientOptions = append(o.ClientOptions, func(co *codecatalyst.Options) {
			// The default retryer, without its waits.
			co.Retryer = retry.AddWithMaxBackoffDelay(co.Retryer, time.Millisecond)
		})
	})
	require.NoError(t, err)
	out, err := client.ListDevEnvironmentSessions(t.Context(), demoInput())
	require.NoError(t, err)
	assert.Len(t, out.Items, 3)
	assert.Len(t, srv.Requests(), 3, "a server fault and a dropped connection are retried")
}

func TestNewClientOptions(t *testing.T) {
	cases := []struct {
		name       string
		env        map[string]string
		config     string
		opts       cliconfig.Options
		wantRegion string
		wantURL    string // "" means the service's own
	}{
		{name: "zero Options", wantRegion: "us-west-2"},
		{name: "region from AWS_REGION", env: map[string]string{"AWS_REGION": "eu-central-1"}, wantRegion: "eu-central-1"},
		{name: "region from the profile", config: "[default]\nregion = ap-south-1\n", wantRegion: "ap-south-1"},
		{name: "Region wins", env: map[string]string{"AWS_REGION": "eu-central-1"}, opts: cliconfig.Options{Region: "us-east-2"}, wantRegion: "us-east-2"},
		{name: "endpoint from the variable", env: map[string]string{"AWS_ENDPOINT_URL_CODECATALYST": "https://from-env.example"},
			wantRegion: "us-west-2", wantURL: "https://from-env.example"},
		{name: "endpoint from the profile", config: "[default]\nendpoint_url = https://from-profile.example\n",
			wantRegion: "us-west-2", wantURL: "https://from-profile.example"},
		{name: "EndpointURL wins", env: map[string]string{"AWS_ENDPOINT_URL_CODECATALYST": "https://from-env.example"},
			opts: cliconfig.Options{EndpointURL: "https://from-options.example"}, wantRegion: "us-west-2", wantURL: "https://from-options.example"},
		{name: "ClientOptions win", opts: cliconfig.Options{Region: "us-east-2", ClientOptions: []func(*codecatalyst.Options){
			func(o *codecatalyst.Options) { o.Region = "ca-central-1" }}}, wantRegion: "ca-central-1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			home := isolate(t)
			t.Setenv("AWS_CA_BUNDLE", "")
			t.Setenv("AWS_BEARER_TOKEN_CODECATALYST", secret)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			if tc.config != "" {
				writeConfig(t, home, tc.config)
			}
			client, err := cliconfig.NewClient(t.Context(), func(o *cliconfig.Options) { *o = tc.opts })
			require.NoError(t, err)
			got := client.Options()
			assert.Equal(t, tc.wantRegion, got.Region)
			assert.Equal(t, tc.wantURL, aws.ToString(got.BaseEndpoint))
		})
	}
}

func TestNewClientRejectsAnEndpointThatIsNotAURL(t *testing.T) {
	for _, ep := range []string{"127.0.0.1:8443", "ftp://example.com", "https://", "://x"} {
		t.Run(ep, func(t *testing.T) {
			isolate(t)
			t.Setenv("AWS_CA_BUNDLE", "")
			t.Setenv("AWS_BEARER_TOKEN_CODECATALYST", secret)
			client, err := cliconfig.NewClient(t.Context(), func(o *cliconfig.Options) { o.EndpointURL = ep })
			require.Error(t, err)
			assert.Nil(t, client)
			assert.Contains(t, err.Error(), "AWS_ENDPOINT_URL_CODECATALYST")
			noSecret(t, err)
		})
	}
}

func TestNewClientMissingProfileIsAnError(t *testing.T) {
	home := isolate(t)
	t.Setenv("AWS_CA_BUNDLE", "")
	t.Setenv("AWS_BEARER_TOKEN_CODECATALYST", secret)
	writeConfig(t, home, ssoConfig)
	_, err := cliconfig.NewClient(t.Context(), func(o *cliconfig.Options) { o.Profile = "nope" })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nope")
	noSecret(t, err)
}

func TestIsCertificateError(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{name: "nil", err: nil},
		{name: "other error", err: errors.New("connection refused")},
		{name: "unknown authority", err: &url.Error{Op: "Post", URL: "https://x", Err: x509.UnknownAuthorityError{}}, want: true},
		{name: "wrong host", err: fmt.Errorf("send: %w", x509.HostnameError{Host: "x"}), want: true},
		{name: "expired", err: x509.CertificateInvalidError{Reason: x509.Expired}, want: true},
		{name: "verification", err: &tls.CertificateVerificationError{Err: errors.New("bad")}, want: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, cliconfig.IsCertificateError(tc.err))
		})
	}
}

func TestNewClientRefreshesAnExpiredSSOTokenAsTheCLIDoes(t *testing.T) {
	const refreshed = "sso-refreshed-access-token"
	home := isolate(t)
	srv, cert := serve(t, home, refreshed, 2)

	var mu sync.Mutex
	var grants []string // what the fake SSO OIDC endpoint was asked
	got := func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), grants...) }
	oidc := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in struct{ GrantType, RefreshToken string }
		assert.NoError(t, json.NewDecoder(r.Body).Decode(&in))
		mu.Lock()
		grants = append(grants, in.GrantType+" "+in.RefreshToken)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"accessToken": %q, "expiresIn": 3600, "refreshToken": "refresh-2", "tokenType": "Bearer"}`, refreshed)
	}))
	oidc.StartTLS()
	t.Cleanup(oidc.Close)
	bundle, err := os.ReadFile(cert)
	require.NoError(t, err)
	bundle = append(bundle, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: oidc.Certificate().Raw})...)
	require.NoError(t, os.WriteFile(cert, bundle, 0o600))
	t.Setenv("AWS_CA_BUNDLE", cert)
	t.Setenv("AWS_ENDPOINT_URL_SSO_OIDC", oidc.URL)
	writeConfig(t, home, ssoConfig)

	sum := sha1.Sum([]byte("dev"))
	cache := filepath.Join(home, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json")
	require.NoError(t, os.MkdirAll(filepath.Dir(cache), 0o700))
	require.NoError(t, os.WriteFile(cache, []byte(`{"accessToken": "old", "expiresAt": "2020-01-01T00:00:00Z",
		"refreshToken": "refresh-1", "clientId": "client", "clientSecret": "client-secret", "region": "us-east-1"}`), 0o600))

	client, err := cliconfig.NewClient(t.Context(), func(o *cliconfig.Options) { o.EndpointURL = srv.URL })
	require.NoError(t, err)
	assert.Equal(t, []string{"refresh_token refresh-1"}, got(), "refreshed once, at construction")
	ids, err := listAll(t, client)
	require.NoError(t, err)
	assert.Len(t, ids, 2)
	assert.True(t, srv.Requests()[0].Authorized)
	assert.Len(t, got(), 1, "the refreshed token is reused")
	b, err := os.ReadFile(cache)
	require.NoError(t, err)
	assert.Contains(t, string(b), refreshed, "the cache is rewritten, as the AWS CLI does")
}

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

// A setting every request would fail on is refused by NewClient, naming
// the setting and the rule, with a sentinel error and never the token.
func TestNewClientRefusesASettingEveryRequestWouldFailOn(t *testing.T) {
	cases := []struct {
		name     string
		env      map[string]string
		opts     cliconfig.Options
		sentinel error
		names    []string
	}{
		{name: "a region with a space", opts: cliconfig.Options{Region: "us east"}, sentinel: cliconfig.ErrInvalidRegion, names: []string{`"us east"`, "--region"}},
		{name: "a region from AWS_REGION with an underscore", env: map[string]string{"AWS_REGION": "us_west_2"}, sentinel: cliconfig.ErrInvalidRegion, names: []string{"AWS_REGION"}},
		{name: "a region label ending in a dash", opts: cliconfig.Options{Region: "us-west-.x"}, sentinel: cliconfig.ErrInvalidRegion, names: []string{"--region"}},
		{name: "an http endpoint option", opts: cliconfig.Options{EndpointURL: "http://127.0.0.1:1"}, sentinel: cliconfig.ErrInsecureEndpoint, names: []string{"http://127.0.0.1:1", "--endpoint-url", "HTTPS"}},
		{name: "an http endpoint from AWS_ENDPOINT_URL_CODECATALYST", env: map[string]string{"AWS_ENDPOINT_URL_CODECATALYST": "http://localhost:8080"}, sentinel: cliconfig.ErrInsecureEndpoint, names: []string{"AWS_ENDPOINT_URL_CODECATALYST"}},
		{name: "a token with a trailing newline", env: map[string]string{"AWS_BEARER_TOKEN_CODECATALYST": secret + "\n"}, sentinel: cliconfig.ErrInvalidToken, names: []string{"AWS_BEARER_TOKEN_CODECATALYST", "newline"}},
		{name: "a token with a carriage return inside", env: map[string]string{"AWS_BEARER_TOKEN_CODECATALYST": secret + "\r" + secret}, sentinel: cliconfig.ErrInvalidToken, names: []string{"AWS_BEARER_TOKEN_CODECATALYST"}},
		{name: "a token with DEL", env: map[string]string{"AWS_BEARER_TOKEN_CODECATALYST": "\x7f" + secret}, sentinel: cliconfig.ErrInvalidToken, names: []string{"AWS_BEARER_TOKEN_CODECATALYST"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			isolate(t)
			t.Setenv("AWS_CA_BUNDLE", "")
			t.Setenv("AWS_BEARER_TOKEN_CODECATALYST", secret)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			client, err := cliconfig.NewClient(t.Context(), func(o *cliconfig.Options) { *o = tc.opts })
			require.ErrorIs(t, err, tc.sentinel)
			assert.Nil(t, client)
			for _, n := range tc.names {
				assert.Contains(t, err.Error(), n)
			}
			noSecret(t, err)
		})
	}
}

// The checks refuse only what a request would: ordinary regions, an
// https endpoint and a token with a tab (a header may hold one) pass.
func TestNewClientAcceptsValidRegionsEndpointsAndTokens(t *testing.T) {
	for _, tc := range []struct{ region, endpoint, token string }{
		{"us-west-2", "https://127.0.0.1:1", secret},
		{"eu-central-1", "", secret},
		{"us-gov-west-1", "https://codecatalyst.example.com/base", secret + "\t" + secret},
		{"", "", "tok-ünï"},
	} {
		t.Run(tc.region+tc.endpoint, func(t *testing.T) {
			isolate(t)
			t.Setenv("AWS_CA_BUNDLE", "")
			t.Setenv("AWS_BEARER_TOKEN_CODECATALYST", tc.token)
			client, err := cliconfig.NewClient(t.Context(), func(o *cliconfig.Options) { o.Region, o.EndpointURL = tc.region, tc.endpoint })
			require.NoError(t, err)
			assert.NotNil(t, client)
		})
	}
}
