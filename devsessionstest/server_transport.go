package devsessionstest

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"os"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/smithy-go/auth/bearer"
)

// HTTPClient returns an HTTP client that trusts the server's certificate.
//
// Its transport hides a request body's WriteTo method from net/http, which
// keeps a single-attempt SDK client from failing now and then with "use of
// closed network connection" while it reads a 200 answer larger than 4 KiB.
// The SDK (smithy-go) wraps the request body in a reader whose WriteTo
// returns io.EOF once the body is closed, and closes it as soon as Do
// returns. net/http's writeLoop may still be about to copy the body's "extra
// bytes" after its Content-Length; that copy goes through WriteTo, takes
// the io.EOF for a write error and closes the connection under the response
// being read. Read, unlike WriteTo, reports a closed body as a plain end.
func (s *Server) HTTPClient() *http.Client {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(s.CertPEM)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	tr.Proxy = nil // loopback only, whatever the environment says
	return &http.Client{Transport: readOnlyBodies{tr}}
}

// readOnlyBodies sends each request body as a plain io.ReadCloser, without
// the WriteTo method that smithy-go's closed request bodies answer with
// io.EOF (see [Server.HTTPClient]).
type readOnlyBodies struct{ *http.Transport }

func (t readOnlyBodies) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil && r.Body != http.NoBody {
		r = r.WithContext(r.Context()) // a shallow copy: a RoundTripper must not change the caller's request
		r.Body = readCloser{r.Body}
	}
	return t.Transport.RoundTrip(r)
}

// readCloser hides every method of a body but Read and Close.
type readCloser struct{ io.ReadCloser }

// Client returns a real *codecatalyst.Client for the server: its URL as the
// base endpoint, its token as a static bearer token, and an HTTP client that
// trusts its certificate. It reads no environment or shared config. optFns
// adjust the options (a fast retryer, say).
func (s *Server) Client(optFns ...func(*codecatalyst.Options)) *codecatalyst.Client {
	url := s.URL
	return codecatalyst.New(codecatalyst.Options{
		BaseEndpoint:            &url,
		BearerAuthTokenProvider: bearer.StaticTokenProvider{Token: bearer.Token{Value: s.Token}},
		HTTPClient:              s.HTTPClient(),
	}, optFns...)
}

// WriteCert writes CertPEM to path, for AWS_CA_BUNDLE.
func (s *Server) WriteCert(path string) error {
	return os.WriteFile(path, s.CertPEM, 0o644)
}
