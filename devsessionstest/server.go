package devsessionstest

import (
	"crypto/sha256"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"math"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
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
	// Data is what the server serves, every operation (see [Data]). Its
	// DevEnvironments and Sessions come first, before the fields of the
	// same name below.
	Data Data
	// Sessions are served by the dev environment each one names (its
	// SpaceName, ProjectName and DevEnvironmentId), in the order given. A
	// dev environment none of them names is unknown (404).
	Sessions []types.DevEnvironmentSessionSummary
	// DevEnvironments are listed by ListDevEnvironments, per space
	// (SpaceName) and in the order given, followed by the dev environments
	// Sessions name that this list omits, RUNNING and with the fields the
	// model requires filled as [NewSpaceClient] fills them. Each needs an
	// Id, a SpaceName and a ProjectName, once per project (NewServer fails
	// otherwise); fields the model requires that are left zero are filled
	// the same way. A dev environment listed here without sessions answers
	// the sessions route with no items.
	DevEnvironments []types.DevEnvironmentSummary
	// PageSize is the page size when a request has no maxResults (and
	// always for ListSpaces). 0 means DefaultPageSize.
	PageSize int32
	// Latency delays every answer but a throttled one (on top of a Fault's
	// Latency); a client that gives up meanwhile gets its connection
	// closed. 0 means no delay; negative is an error.
	Latency time.Duration
	// RateLimit is how many requests per second the server answers, over
	// all routes: a token bucket holding ceil(RateLimit) requests (at least
	// one), full at start. A request beyond it is answered at once with 429
	// ThrottlingException, and recorded. 0 means no limit; negative is an
	// error.
	RateLimit float64
}

// ServerRequest is what the server received in one HTTP request. The
// bearer token itself is never recorded.
type ServerRequest struct {
	// Operation is the operation the route serves (one of the Op
	// constants), "" for a path no operation serves.
	Operation  string
	Method     string
	Path       string // as sent, escaped
	Query      string // the raw query string, without '?'
	Authorized bool   // the Authorization header carried the server's token
	Attempt    string // the SDK's Amz-Sdk-Request header, e.g. "attempt=2; max=3"
	UserAgent  string
	Body       string
	// MaxResults and NextToken are the request's, from the body or (for
	// ListWorkflows and ListWorkflowRuns) the query string.
	MaxResults *int32
	NextToken  *string
	// ProjectName is the body's projectName, for ListDevEnvironments.
	ProjectName *string
	// Throttled tells that the rate limit refused the request.
	Throttled bool
}

// Server is a local HTTPS CodeCatalyst endpoint for the ten paginated
// operations (see [ListOperations]) and GetUserDetails that the AWS SDK for
// Go and the AWS CLI talk to unmodified, in the spirit of
// net/http/httptest.Server. It checks the bearer token, validates input as
// the service's model does (required members, name patterns, maxResults
// and nextToken bounds), answers errors with the service's status,
// X-Amzn-ErrorType and JSON body, and issues opaque, tamper-evident page
// tokens bound to one listing: one operation in one scope (a space, a
// project, a repository, a dev environment) with one set of filters, so
// that a token of one listing is refused by any other with a
// ValidationException. It serves HTTP/1.1 with a certificate made at
// start.
//
// It serves ServerOptions.Data (see [Data] for the scoping). The routes are
// the model's: POST /v1/accessTokens, POST /v1/spaces,
// POST /v1/spaces/{spaceName}/projects, .../devEnvironments,
// .../eventLogs, .../projects/{projectName}/sourceRepositories, ...
// /sourceRepositories/{sourceRepositoryName}/branches, .../workflows,
// .../workflowRuns (their maxResults, nextToken and workflowId in the query
// string, as the model binds them),
// .../projects/{projectName}/devEnvironments/{devEnvironmentId}/sessions,
// and GET /userDetails?id=..&userName=.. . ListDevEnvironments answers any
// filter with ValidationException (the model documents no filter keys);
// ListProjects takes the filters [Client.ListProjects] describes;
// ListEventLogs takes any window whose start is before its end.
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
	served   chan struct{} // closed when ServeTLS has returned
	key      []byte
	pageSize int
	latency  time.Duration
	st       *store
	envs     map[environment][]types.DevEnvironmentSessionSummary
	spaces   map[string][]types.DevEnvironmentSummary

	handshakes atomic.Int64
	handlers   sync.WaitGroup

	mu        sync.Mutex
	closed    bool
	faults    script
	requests  []ServerRequest
	limiter   *bucket
	throttled int
	inFlight  int
	maxFlight int
}

type environment struct{ space, project, id string }

// NewServer starts a Server. Close it when done.
func NewServer(o ServerOptions) (*Server, error) {
	if o.Latency < 0 || o.RateLimit < 0 || math.IsNaN(o.RateLimit) || math.IsInf(o.RateLimit, 0) {
		return nil, fmt.Errorf("devsessionstest: Latency and RateLimit must not be negative, got %v and %v", o.Latency, o.RateLimit)
	}
	data := o.Data
	data.DevEnvironments = append(append([]types.DevEnvironmentSummary(nil), o.Data.DevEnvironments...), o.DevEnvironments...)
	data.Sessions = append(append([]types.DevEnvironmentSessionSummary(nil), o.Data.Sessions...), o.Sessions...)
	seen := make(map[environment]bool, len(data.DevEnvironments))
	for i, e := range data.DevEnvironments {
		k := environment{deref(e.SpaceName), deref(e.ProjectName), deref(e.Id)}
		if k.space == "" || k.project == "" || k.id == "" {
			return nil, fmt.Errorf("devsessionstest: DevEnvironments[%d] needs an Id, a SpaceName and a ProjectName", i)
		}
		if seen[k] {
			return nil, fmt.Errorf("devsessionstest: DevEnvironments[%d]: dev environment %s is listed twice in project %s", i, k.id, k.project)
		}
		seen[k] = true
	}
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
		served:   make(chan struct{}),
		key:      key[:],
		pageSize: int(o.PageSize),
		latency:  o.Latency,
		st:       newStore(data),
		envs:     make(map[environment][]types.DevEnvironmentSessionSummary),
		spaces:   make(map[string][]types.DevEnvironmentSummary),
	}
	if o.RateLimit > 0 {
		burst := max(1, math.Ceil(o.RateLimit))
		s.limiter = &bucket{rate: o.RateLimit, burst: burst, tokens: burst, last: time.Now()}
	}
	if s.Token == "" {
		s.Token = DefaultToken
	}
	if s.pageSize == 0 {
		s.pageSize = DefaultPageSize
	}
	for _, it := range data.DevEnvironments {
		e := environment{deref(it.SpaceName), deref(it.ProjectName), deref(it.Id)}
		s.envs[e] = nil
		s.spaces[e.space] = append(s.spaces[e.space], completeEnv(it))
	}
	for _, it := range data.Sessions {
		e := environment{deref(it.SpaceName), deref(it.ProjectName), deref(it.DevEnvironmentId)}
		if _, known := s.envs[e]; !known {
			updated := demoEpoch
			if it.StartedTime != nil {
				updated = *it.StartedTime
			}
			s.spaces[e.space] = append(s.spaces[e.space], implicitEnv(e.id, e.space, e.project, updated))
		}
		s.envs[e] = append(s.envs[e], it)
	}
	mux := s.routes()
	s.hs = &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !s.enter() {
				panic(http.ErrAbortHandler) // closing: no answer
			}
			defer s.leave()
			mux.ServeHTTP(w, r)
		}),
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12,
			GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) {
				s.handshakes.Add(1)
				return nil, nil
			}},
		TLSNextProto:      map[string]func(*http.Server, *tls.Conn, http.Handler){}, // HTTP/1.1 only
		ErrorLog:          log.New(io.Discard, "", 0),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go func() {
		defer close(s.served)
		s.hs.ServeTLS(ln, "", "") //nolint:errcheck // returns http.ErrServerClosed on Close
	}()
	return s, nil
}

// Close stops the server: it stops accepting connections, closes every
// connection (idle ones, and those of requests in flight, whose clients see
// the connection close) and returns once every handler has returned and the
// server's goroutines have ended. Calling Close again does nothing more.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.hs.Close() //nolint:errcheck // only the listener's close error, which changes nothing
	s.handlers.Wait()
	<-s.served
}

// Script makes HTTP request number request (1 for the first, retries and
// requests to unknown paths included) answer as f says. A fault set for the
// same request with [Server.ScriptOperation] or
// [Server.ScriptDevEnvironment] takes precedence.
func (s *Server) Script(request int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.set(request, f)
}

// ScriptOperation makes the call-th HTTP request (1 for the first, retries
// and throttled requests included) to the route of op (one of the Op
// constants) answer as f says: concurrent listings make global request
// numbers unpredictable, the numbers of one route's requests not. A fault
// set with [Server.ScriptDevEnvironment] for the same request takes
// precedence.
func (s *Server) ScriptOperation(op string, call int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.setOp(op, call, f)
}

// ScriptDevEnvironment makes the call-th HTTP request (1 for the first,
// retries and throttled requests included) to the sessions route of the dev
// environment id answer as f says, whatever other requests run
// concurrently.
func (s *Server) ScriptDevEnvironment(id string, call int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.setEnv(id, call, f)
}

// ScriptListDevEnvironments makes the call-th HTTP request (1 for the first,
// retries included) to the ListDevEnvironments route answer as f says.
// It is ScriptOperation(OpListDevEnvironments, call, f), the name kept
// from before every operation could be scripted.
//
// Deprecated: use [Server.ScriptOperation] with [OpListDevEnvironments].
func (s *Server) ScriptListDevEnvironments(call int, f Fault) {
	s.ScriptOperation(OpListDevEnvironments, call, f)
}

// Throttled returns how many requests the rate limit has refused.
func (s *Server) Throttled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.throttled
}

// InFlight returns how many HTTP requests the server is handling now.
func (s *Server) InFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inFlight
}

// MaxInFlight returns the most HTTP requests the server has handled at once.
func (s *Server) MaxInFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxFlight
}

// enter counts a handler in; false once the server is closing.
func (s *Server) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.handlers.Add(1)
	s.inFlight++
	s.maxFlight = max(s.maxFlight, s.inFlight)
	return true
}

func (s *Server) leave() {
	s.mu.Lock()
	s.inFlight--
	s.mu.Unlock()
	s.handlers.Done()
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
