package devsessionstest

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/aws/smithy-go/auth/bearer"
)

// DefaultToken is the bearer token a [Server] accepts when ServerOptions.Token is "".
const DefaultToken = "devsessionstest-token"

// ServerOptions configures [NewServer]. The zero value serves nothing on a
// free loopback port with DefaultToken.
type ServerOptions struct {
	// Addr is the address to listen on. "" means 127.0.0.1:0, a free
	// loopback port.
	Addr string
	// Token is the bearer token every request must carry. "" means
	// DefaultToken.
	Token string
	// Seed keys the page tokens: servers with the same Seed (including "")
	// issue and accept the same tokens, so a token outlives a server run as
	// a real service's tokens outlive a client.
	Seed string
	// Sessions are served by the dev environment each one names (its
	// SpaceName, ProjectName and DevEnvironmentId), in the order given. A
	// dev environment none of them names is unknown (404).
	Sessions []types.DevEnvironmentSessionSummary
	// PageSize is the page size when a request has no maxResults. 0 means
	// DefaultPageSize.
	PageSize int32
}

// ServerFault changes how the server answers one HTTP request (retries
// count as requests). The zero ServerFault changes nothing.
type ServerFault struct {
	// Status, when non-zero, answers with this HTTP status and an error
	// body instead of a page: 429 for throttling, 500 for a server fault.
	Status int
	// Code is the error code sent in X-Amzn-ErrorType. "" means
	// ThrottlingException for 429 and InternalServerException otherwise.
	Code string
	// RetryAfter, when positive, is sent as X-Amz-Retry-After (milliseconds).
	RetryAfter time.Duration
	// Latency delays the answer (or the drop).
	Latency time.Duration
	// Drop closes the connection without an answer.
	Drop bool
	// RepeatToken makes the page's nextToken the request's own nextToken,
	// as a service stuck on one page would.
	RepeatToken bool
}

// ServerRequest is what the server received in one HTTP request. The
// bearer token itself is never recorded.
type ServerRequest struct {
	Method     string
	Path       string // as sent, escaped
	Authorized bool   // the Authorization header carried the server's token
	Attempt    string // the SDK's Amz-Sdk-Request header, e.g. "attempt=2; max=3"
	UserAgent  string
	Body       string
	MaxResults *int32
	NextToken  *string
}

// Server is a local HTTPS CodeCatalyst endpoint for
// ListDevEnvironmentSessions that the AWS SDK for Go and the AWS CLI talk to
// unmodified. It checks the bearer token, validates input as the service
// does, answers errors with the service's status, X-Amzn-ErrorType and JSON
// body, and issues opaque, tamper-evident page tokens bound to one dev
// environment. It serves HTTP/1.1 with a certificate made at start.
//
// A Server is safe for concurrent use.
type Server struct {
	// URL is the base endpoint, https://127.0.0.1:PORT.
	URL string
	// Token is the bearer token the server accepts.
	Token string
	// CertPEM is the certificate authority clients must trust.
	CertPEM []byte

	hs       *http.Server
	key      []byte
	pageSize int
	envs     map[environment][]types.DevEnvironmentSessionSummary

	handshakes atomic.Int64

	mu       sync.Mutex
	faults   map[int]ServerFault
	requests []ServerRequest
}

type environment struct{ space, project, id string }

// NewServer starts a Server. Close it when done.
func NewServer(o ServerOptions) (*Server, error) {
	certPEM, cert, err := newCertificate()
	if err != nil {
		return nil, fmt.Errorf("devsessionstest: making a certificate: %w", err)
	}
	addr := o.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("devsessionstest: %w", err)
	}
	key := sha256.Sum256([]byte("devsessionstest page tokens\x00" + o.Seed))
	s := &Server{
		URL:      "https://" + ln.Addr().String(),
		Token:    o.Token,
		CertPEM:  certPEM,
		key:      key[:],
		pageSize: int(o.PageSize),
		envs:     make(map[environment][]types.DevEnvironmentSessionSummary),
	}
	if s.Token == "" {
		s.Token = DefaultToken
	}
	if s.pageSize == 0 {
		s.pageSize = DefaultPageSize
	}
	for _, it := range o.Sessions {
		e := environment{deref(it.SpaceName), deref(it.ProjectName), deref(it.DevEnvironmentId)}
		s.envs[e] = append(s.envs[e], it)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/spaces/{spaceName}/projects/{projectName}/devEnvironments/{devEnvironmentId}/sessions", s.list)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.record(r, nil)
		writeError(w, http.StatusNotFound, "UnknownOperationException", "no operation at "+r.Method+" "+r.URL.Path)
	})
	s.hs = &http.Server{
		Handler: mux,
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12,
			GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) {
				s.handshakes.Add(1)
				return nil, nil
			}},
		TLSNextProto:      map[string]func(*http.Server, *tls.Conn, http.Handler){}, // HTTP/1.1 only
		ErrorLog:          log.New(io.Discard, "", 0),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go s.hs.ServeTLS(ln, "", "") //nolint:errcheck // returns http.ErrServerClosed on Close
	return s, nil
}

// Close stops the server and closes its connections.
func (s *Server) Close() { s.hs.Close() }

// Script makes HTTP request number request (1 for the first, retries
// included) answer as f says.
func (s *Server) Script(request int, f ServerFault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.faults == nil {
		s.faults = make(map[int]ServerFault)
	}
	s.faults[request] = f
}

// Requests returns a copy of the requests received so far, in order.
func (s *Server) Requests() []ServerRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ServerRequest(nil), s.requests...)
}

// TLSHandshakes returns how many TLS handshakes clients have started, which
// counts connection attempts that never became a request (an untrusted
// certificate, say).
func (s *Server) TLSHandshakes() int { return int(s.handshakes.Load()) }

// HTTPClient returns an HTTP client that trusts the server's certificate.
func (s *Server) HTTPClient() *http.Client {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(s.CertPEM)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	tr.Proxy = nil // loopback only, whatever the environment says
	return &http.Client{Transport: tr}
}

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

var (
	namePattern = regexp.MustCompile(`^[a-zA-Z0-9]+(?:[-_.][a-zA-Z0-9]+)*$`)
	uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

type listBody struct {
	MaxResults *int32  `json:"maxResults"`
	NextToken  *string `json:"nextToken"`
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		panic(http.ErrAbortHandler) // the client is gone or broke off
	}
	var body listBody
	bodyErr := error(nil)
	if len(raw) > 0 {
		bodyErr = json.Unmarshal(raw, &body)
	}
	n, f := s.record(r, raw)
	if bodyErr == nil {
		s.setBody(n, body)
	}
	w.Header().Set("X-Amzn-Requestid", "req-"+strconv.Itoa(n))
	if f.Latency > 0 {
		t := time.NewTimer(f.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			panic(http.ErrAbortHandler) // no answer: returning would send an empty 200
		}
	}
	if f.Drop {
		panic(http.ErrAbortHandler) // net/http closes the connection without an answer
	}
	if f.Status != 0 {
		code := f.Code
		if code == "" {
			code = "InternalServerException"
			if f.Status == http.StatusTooManyRequests {
				code = "ThrottlingException"
			}
		}
		if f.RetryAfter > 0 {
			w.Header().Set("X-Amz-Retry-After", strconv.FormatInt(f.RetryAfter.Milliseconds(), 10))
		}
		writeError(w, f.Status, code, "scripted "+code)
		return
	}
	if !s.authorized(r) {
		writeError(w, http.StatusForbidden, "AccessDeniedException", "The bearer token is missing or not valid for this endpoint.")
		return
	}
	env := environment{r.PathValue("spaceName"), r.PathValue("projectName"), r.PathValue("devEnvironmentId")}
	if msg := validate(env, body, bodyErr); msg != "" {
		writeError(w, http.StatusBadRequest, "ValidationException", msg)
		return
	}
	sessions, ok := s.envs[env]
	if !ok {
		writeError(w, http.StatusNotFound, "ResourceNotFoundException", "The dev environment "+env.id+" was not found in project "+env.project+" of space "+env.space+".")
		return
	}
	start := 0
	if body.NextToken != nil {
		if start, ok = s.parseToken(env, *body.NextToken, len(sessions)); !ok {
			writeError(w, http.StatusBadRequest, "ValidationException", "The nextToken is not valid for this request.")
			return
		}
	}
	size := s.pageSize
	if body.MaxResults != nil {
		size = int(*body.MaxResults)
	}
	end := min(start+size, len(sessions))
	out := page{Items: make([]item, 0, end-start)}
	for _, it := range sessions[start:end] {
		out.Items = append(out.Items, item{
			SpaceName: deref(it.SpaceName), ProjectName: deref(it.ProjectName), DevEnvironmentID: deref(it.DevEnvironmentId),
			ID: deref(it.Id), StartedTime: it.StartedTime.UTC().Format(time.RFC3339),
		})
	}
	if end < len(sessions) {
		t := s.token(env, end)
		out.NextToken = &t
	}
	if f.RepeatToken {
		out.NextToken = body.NextToken
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out) //nolint:errcheck // the client may have gone
}

type page struct {
	Items     []item  `json:"items"`
	NextToken *string `json:"nextToken,omitempty"`
}

type item struct {
	SpaceName        string `json:"spaceName"`
	ProjectName      string `json:"projectName"`
	DevEnvironmentID string `json:"devEnvironmentId"`
	ID               string `json:"id"`
	StartedTime      string `json:"startedTime"`
}

// validate applies the model's constraints and returns the service's
// message for the first one broken, or "".
func validate(env environment, body listBody, bodyErr error) string {
	for _, l := range []struct{ name, v string }{{"spaceName", env.space}, {"projectName", env.project}} {
		if len(l.v) < 3 || len(l.v) > 63 || !namePattern.MatchString(l.v) {
			return fmt.Sprintf("%s must be 3 to 63 letters, digits and single '-', '_' or '.' between them.", l.name)
		}
	}
	switch {
	case !uuidPattern.MatchString(env.id):
		return "devEnvironmentId must be a UUID."
	case bodyErr != nil:
		return "The request body is not valid JSON for this operation."
	case body.MaxResults != nil && (*body.MaxResults < 1 || *body.MaxResults > 200):
		return fmt.Sprintf("maxResults must be between 1 and 200, got %d.", *body.MaxResults)
	case body.NextToken != nil && (len(*body.NextToken) < 1 || len(*body.NextToken) > 10000):
		return "nextToken must be 1 to 10000 characters."
	}
	return ""
}

func (s *Server) authorized(r *http.Request) bool {
	want := "Bearer " + s.Token
	return subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), []byte(want)) == 1
}

// record appends the request and returns its number and its fault.
func (s *Server) record(r *http.Request, body []byte) (int, ServerFault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, ServerRequest{
		Method: r.Method, Path: r.URL.EscapedPath(), Authorized: s.authorized(r),
		Attempt: r.Header.Get("Amz-Sdk-Request"), UserAgent: r.UserAgent(), Body: string(body),
	})
	n := len(s.requests)
	return n, s.faults[n]
}

func (s *Server) setBody(n int, b listBody) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests[n-1].MaxResults, s.requests[n-1].NextToken = b.MaxResults, b.NextToken
}

// token returns the opaque token for offset in env: the offset and a MAC
// that binds it to env and the server's seed.
func (s *Server) token(env environment, offset int) string {
	b := binary.BigEndian.AppendUint64(make([]byte, 0, 8+16), uint64(offset))
	return base64.RawURLEncoding.EncodeToString(append(b, s.mac(env, b)...))
}

func (s *Server) parseToken(env environment, t string, n int) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(t)
	if err != nil || len(b) != 8+16 || !hmac.Equal(b[8:], s.mac(env, b[:8])) {
		return 0, false
	}
	off := binary.BigEndian.Uint64(b[:8])
	if off > uint64(n) {
		return 0, false
	}
	return int(off), true
}

func (s *Server) mac(env environment, payload []byte) []byte {
	m := hmac.New(sha256.New, s.key)
	fmt.Fprintf(m, "%s\x00%s\x00%s\x00", env.space, env.project, env.id)
	m.Write(payload)
	return m.Sum(nil)[:16]
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", code)
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"message": msg}) //nolint:errcheck // the client may have gone
}
