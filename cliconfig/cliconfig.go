// Package cliconfig builds a *codecatalyst.Client from the settings the AWS
// CLI reads, so that a program works wherever `aws codecatalyst` works.
//
// [NewClient] finds the bearer token as the AWS CLI does:
// AWS_BEARER_TOKEN_CODECATALYST, else the SSO session (sso_session) of the
// profile, whose token `aws sso login` caches. It honours AWS_PROFILE,
// AWS_REGION, AWS_ENDPOINT_URL_CODECATALYST, AWS_CA_BUNDLE and the shared
// config and credentials files. It returns a client that has a token, or an
// error that says what to set: config.LoadDefaultConfig followed by
// codecatalyst.NewFromConfig reads no AWS_BEARER_TOKEN_CODECATALYST, and its
// client panics on the first call when no SSO profile provides a token.
//
// The client does not retry a TLS certificate it does not trust;
// [IsCertificateError] tells that error apart so that a program can say in
// one line what to fix. [IsConnectionError] tells a connection that could
// not be made, which the AWS CLI words `Could not connect to the endpoint
// URL`; a missing profile is a [ProfileNotFoundError], in the AWS CLI's
// words. A setting every request would fail on is refused by NewClient,
// before any request: a region that is not host labels
// ([ErrInvalidRegion]), an http:// endpoint ([ErrInsecureEndpoint]: a
// bearer token goes over HTTPS only) and a token an HTTP header cannot
// hold ([ErrInvalidToken]).
package cliconfig

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/smithy-go/auth/bearer"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// The environment variables NewClient reads itself; the SDK reads the rest.
const (
	tokenEnv    = "AWS_BEARER_TOKEN_CODECATALYST"
	caBundleEnv = "AWS_CA_BUNDLE"
)

// defaultRegion is the region the client uses when neither Options.Region
// nor the configuration sets one. CodeCatalyst is a global service; its
// endpoint rules fall back to this region's partition too.
const defaultRegion = "us-west-2"

// ErrNoToken is returned (wrapped, with what to set) by NewClient when no
// usable bearer token is found: AWS_BEARER_TOKEN_CODECATALYST is unset and
// the profile has no sso_session, or the SSO session's cached token is
// missing, expired and cannot be refreshed. Match it with errors.Is.
var ErrNoToken = errors.New("no bearer token")

// ErrInvalidRegion is returned (wrapped, naming the region and where it
// may come from) by NewClient when the region is not one or more host
// labels separated by dots (letters, digits and inner dashes), which every
// request's endpoint resolution would refuse. Match it with errors.Is.
var ErrInvalidRegion = errors.New("invalid region")

// ErrInsecureEndpoint is returned (wrapped, naming the endpoint and where
// it may come from) by NewClient when the endpoint URL is http://: the
// client sends a bearer token, which the SDK sends only over HTTPS, so
// every request would fail. Match it with errors.Is.
var ErrInsecureEndpoint = errors.New("endpoint is not HTTPS")

// ErrInvalidToken is returned (wrapped, naming the setting, never the
// token) by NewClient when the bearer token holds a byte an HTTP header
// value cannot hold (a control character such as a newline, other than a
// tab), so that every request would fail. Match it with errors.Is.
var ErrInvalidToken = errors.New("invalid bearer token")

// ProfileNotFoundError is returned by NewClient when the profile named by
// Options.Profile, AWS_PROFILE or AWS_DEFAULT_PROFILE is in neither the
// shared config nor the credentials file. Its text is the AWS CLI's; Err is
// the SDK's error (a config.SharedConfigProfileNotExistError, which
// [errors.As] also finds).
type ProfileNotFoundError struct {
	Profile string
	Err     error
}

// Error is the AWS CLI's message: The config profile (NAME) could not be found.
func (e *ProfileNotFoundError) Error() string {
	return "The config profile (" + e.Profile + ") could not be found"
}

// Unwrap returns Err.
func (e *ProfileNotFoundError) Unwrap() error { return e.Err }

// Options adjusts NewClient. The zero value reads everything from the
// environment and the shared configuration, as the AWS CLI does.
type Options struct {
	// Profile is the shared config profile, as the AWS CLI's --profile. ""
	// means AWS_PROFILE (or AWS_DEFAULT_PROFILE), else the default profile.
	// A profile named here or in AWS_PROFILE must exist.
	Profile string

	// Region is the AWS region, as the AWS CLI's --region. "" means
	// AWS_REGION (or AWS_DEFAULT_REGION) or the profile's region, else
	// us-west-2: CodeCatalyst is global, and its endpoint rules resolve
	// us-west-2's partition when no region is set.
	Region string

	// EndpointURL is the endpoint, as the AWS CLI's --endpoint-url. ""
	// means AWS_ENDPOINT_URL_CODECATALYST, else AWS_ENDPOINT_URL or the
	// profile's endpoint_url (or its services section), else the service's
	// own endpoint.
	EndpointURL string

	// ClientOptions are applied to the client's options after NewClient's
	// own settings, so they may override any of them. nil means none. A
	// Retryer set here is kept and made not to retry certificate errors.
	ClientOptions []func(*codecatalyst.Options)
}

// NewClient loads the AWS configuration as the AWS CLI does and returns a
// CodeCatalyst client that carries a bearer token. It retrieves the token
// once, so that a missing or expired one is an error here rather than at
// the first call; an expired SSO token is refreshed when the cache allows,
// as the AWS CLI does. Errors say what to set and never contain the token.
func NewClient(ctx context.Context, optFns ...func(*Options)) (*codecatalyst.Client, error) {
	var o Options
	for _, fn := range optFns {
		fn(&o)
	}

	// ssoRegion is set once the profile is known, before any token is
	// retrieved: the SDK builds the SSO OIDC client that refreshes the
	// token with the config's region, where the AWS CLI uses sso_region.
	var ssoRegion string
	load := []func(*config.LoadOptions) error{
		config.WithSSOTokenProviderOptions(func(so *ssocreds.SSOTokenProviderOptions) {
			so.ClientOptions = append(so.ClientOptions, func(oo *ssooidc.Options) {
				if ssoRegion != "" {
					oo.Region = ssoRegion
				}
			})
		}),
	}
	if o.Profile != "" {
		load = append(load, config.WithSharedConfigProfile(o.Profile))
	}
	if o.Region != "" {
		load = append(load, config.WithRegion(o.Region))
	}
	if path := os.Getenv(caBundleEnv); path != "" {
		pem, err := readCABundle(path)
		if err != nil {
			return nil, err
		}
		load = append(load, config.WithCustomCABundle(bytes.NewReader(pem)))
	}
	if tok := os.Getenv(tokenEnv); tok != "" {
		load = append(load, config.WithBearerAuthTokenProvider(bearer.StaticTokenProvider{Token: bearer.Token{Value: tok}}))
	}
	cfg, err := config.LoadDefaultConfig(ctx, load...)
	var missing config.SharedConfigProfileNotExistError
	if errors.As(err, &missing) {
		return nil, &ProfileNotFoundError{Profile: missing.Profile, Err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("loading the AWS configuration: %w", err)
	}
	shared := sharedConfig(cfg)
	if shared.SSOSession != nil {
		ssoRegion = shared.SSOSession.SSORegion
	}
	if cfg.Region == "" {
		cfg.Region = defaultRegion
	}

	client := codecatalyst.NewFromConfig(cfg, func(co *codecatalyst.Options) {
		if o.EndpointURL != "" {
			co.BaseEndpoint = aws.String(o.EndpointURL)
		}
		for _, fn := range o.ClientOptions {
			fn(co)
		}
		if co.Retryer != nil {
			co.Retryer = certErrorsFinal{wrapV2(co.Retryer)}
		}
	})

	final := client.Options()
	if !validRegion(final.Region) {
		return nil, fmt.Errorf("%w %q: a region is host labels separated by dots (letters, digits, inner dashes), e.g. us-west-2: check --region, AWS_REGION, AWS_DEFAULT_REGION or the profile's region",
			ErrInvalidRegion, final.Region)
	}
	if ep := final.BaseEndpoint; ep != nil {
		const where = "check --endpoint-url, AWS_ENDPOINT_URL_CODECATALYST, AWS_ENDPOINT_URL or the profile's endpoint_url"
		u, err := url.Parse(*ep)
		switch {
		case err == nil && u.Scheme == "http" && u.Host != "":
			return nil, fmt.Errorf("%w: the endpoint URL %q is http://, and a bearer token is sent only over HTTPS: use https://, %s", ErrInsecureEndpoint, *ep, where)
		case err != nil || u.Scheme != "https" || u.Host == "":
			return nil, fmt.Errorf("the endpoint URL %q is not an https:// URL: %s", *ep, where)
		}
	}
	if final.BearerAuthTokenProvider == nil {
		profile := "the default profile"
		if shared.Profile != "" {
			profile = fmt.Sprintf("profile %q", shared.Profile)
		}
		return nil, fmt.Errorf("%w: set %s, or use a profile with an sso_session and run `aws sso login` (%s has no sso_session)",
			ErrNoToken, tokenEnv, profile)
	}
	tok, err := final.BearerAuthTokenProvider.RetrieveBearerToken(ctx)
	if err != nil {
		if shared.SSOSession != nil && os.Getenv(tokenEnv) == "" {
			name := shared.SSOSession.Name
			return nil, fmt.Errorf("%w: the token of SSO session %q is missing or expired: run `aws sso login --sso-session %s`, or set %s: %w",
				ErrNoToken, name, name, tokenEnv, err)
		}
		return nil, fmt.Errorf("retrieving the bearer token: %w", err)
	}
	if i := invalidHeaderByte(tok.Value); i >= 0 {
		from := tokenEnv
		if os.Getenv(tokenEnv) == "" {
			from = "the SSO session's cached token"
		}
		return nil, fmt.Errorf("%w: %s holds a character an HTTP header cannot hold (a control character such as a newline) at byte %d of %d: set the token alone, without line breaks",
			ErrInvalidToken, from, i, len(tok.Value))
	}
	return client, nil
}

// validRegion reports whether region is what the endpoint rules accept:
// host labels separated by dots, none starting or ending with a dash.
func validRegion(region string) bool {
	if region == "" {
		return true // the endpoint rules' default
	}
	for label := range strings.SplitSeq(region, ".") {
		if !smithyhttp.ValidHostLabel(label) || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
	}
	return true
}

// invalidHeaderByte is the index of the first byte of v that an HTTP
// header value cannot hold (a control character other than a tab, or
// DEL), or -1.
func invalidHeaderByte(v string) int {
	for i := 0; i < len(v); i++ {
		if b := v[i]; (b < ' ' && b != '\t') || b == 0x7f {
			return i
		}
	}
	return -1
}

// readCABundle reads the PEM file AWS_CA_BUNDLE names and checks that it
// holds a certificate, which the SDK's own error does not name.
func readCABundle(path string) ([]byte, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the CA bundle %s=%s: %w", caBundleEnv, path, err)
	}
	if !x509.NewCertPool().AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("the CA bundle %s=%s holds no PEM certificate", caBundleEnv, path)
	}
	return pem, nil
}

// sharedConfig returns the shared config LoadDefaultConfig read, or the
// zero value.
func sharedConfig(cfg aws.Config) config.SharedConfig {
	for _, s := range cfg.ConfigSources {
		switch c := s.(type) {
		case config.SharedConfig:
			return c
		case *config.SharedConfig:
			return *c
		}
	}
	return config.SharedConfig{}
}

// IsCertificateError reports whether err comes from a TLS certificate the
// client does not trust (unknown authority, invalid, or for another host).
// Retrying cannot fix it: pointing AWS_CA_BUNDLE at the PEM file of the
// authority that signed the endpoint's certificate can.
func IsCertificateError(err error) bool {
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var host x509.HostnameError
	var verify *tls.CertificateVerificationError
	return errors.As(err, &unknown) || errors.As(err, &invalid) || errors.As(err, &host) || errors.As(err, &verify)
}

// IsConnectionError reports whether err comes from a connection to the
// endpoint that could not be made: refused, a host name that does not
// resolve, a network that cannot be reached, a dial that timed out. The AWS
// CLI says `Could not connect to the endpoint URL: "URL"` for it, where URL
// is the request's (the *url.Error in err holds it). Unlike a certificate
// error it may pass: the SDK's standard retryer retries it, within its
// retry quota.
func IsConnectionError(err error) bool {
	var op *net.OpError
	var dns *net.DNSError
	return errors.As(err, &dns) || errors.As(err, &op) && op.Op == "dial"
}

// certErrorsFinal is the client's retryer (the SDK's standard one unless
// the configuration or ClientOptions say otherwise) except that a
// certificate error is final.
type certErrorsFinal struct{ aws.RetryerV2 }

func (r certErrorsFinal) IsErrorRetryable(err error) bool {
	return !IsCertificateError(err) && r.RetryerV2.IsErrorRetryable(err)
}

func wrapV2(r aws.Retryer) aws.RetryerV2 {
	if v2, ok := r.(aws.RetryerV2); ok {
		return v2
	}
	return retryerV1{r}
}

// retryerV1 gives a Retryer without GetAttemptToken the one the SDK's
// retry middleware would give it.
type retryerV1 struct{ aws.Retryer }

func (r retryerV1) GetAttemptToken(context.Context) (func(error) error, error) {
	return r.GetInitialToken(), nil
}
