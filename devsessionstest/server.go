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
	"math"
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
	// DevEnvironments are listed by ListDevEnvironments, per space
	// (SpaceName) and in the order given, followed by the dev environments
	// Sessions name that this list omits, RUNNING and with the fields the
	// model requires filled as [NewSpaceClient] fills them. Each needs an
	// Id, a SpaceName and a ProjectName, once per project (NewServer fails
	// otherwise); fields the model requires that are left zero are filled
	// the same way. A dev environment listed here without sessions answers
	// the sessions route with no items.
	DevEnvironments []types.DevEnvironmentSummary
	// PageSize is the page size when a request has no maxResults. 0 means
	// DefaultPageSize.
	PageSize int32
	// Latency delays every answer but a throttled one (on top of a
	// ServerFault's Latency); a client that gives up meanwhile gets its
	// connection closed. 0 means no delay; negative is an error.
	Latency time.Duration
	// RateLimit is how many requests per second the server answers, over
	// all routes: a token bucket holding ceil(RateLimit) requests (at least
	// one), full at start. A request beyond it is answered at once with 429
	// ThrottlingException, and recorded. 0 means no limit; negative is an
	// error.
	RateLimit float64
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
	// Operation is OpListDevEnvironmentSessions or OpListDevEnvironments,
	// "" for a path no operation serves.
	Operation  string
	Method     string
	Path       string // as sent, escaped
	Authorized bool   // the Authorization header carried the server's token
	Attempt    string // the SDK's Amz-Sdk-Request header, e.g. "attempt=2; max=3"
	UserAgent  string
	Body       string
	MaxResults *int32
	NextToken  *string
	// ProjectName is the body's projectName, for ListDevEnvironments.
	ProjectName *string
	// Throttled tells that the rate limit refused the request.
	Throttled bool
}

// Server is a local HTTPS CodeCatalyst endpoint for
// ListDevEnvironmentSessions and ListDevEnvironments that the AWS SDK for Go
// and the AWS CLI talk to unmodified. It checks the bearer token, validates
// input as the service does, answers errors with the service's status,
// X-Amzn-ErrorType and JSON body, and issues opaque, tamper-evident page
// tokens bound to one dev environment's sessions, or to one space's (or one
// project's) dev environments. It serves HTTP/1.1 with a certificate made at
// start.
//
// ListDevEnvironments (POST /v1/spaces/{spaceName}/devEnvironments) lists
// ServerOptions.DevEnvironments, all of the space or those of the body's
// projectName. It answers maxResults outside 1..50 and any filter with
// ValidationException (the model documents no filter keys), and a space or
// project that no dev environment or session names with
// ResourceNotFoundException.
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
	latency  time.Duration
	envs     map[environment][]types.DevEnvironmentSessionSummary
	spaces   map[string][]types.DevEnvironmentSummary
	projects map[environment]bool // space and project; id ""

	handshakes atomic.Int64

	mu        sync.Mutex
	faults    map[int]ServerFault
	idFaults  map[string]map[int]ServerFault
	envFaults map[int]ServerFault // by ListDevEnvironments request number
	envCalls  int
	idCalls   map[string]int
	requests  []ServerRequest
	limiter   *bucket
	throttled int
	inFlight  int
	maxFlight int
}

type environment struct{ space, project, id string }

// listScope stands for the dev environment id in the scope of a
// ListDevEnvironments token; no UUID spells it.
const listScope = "*devEnvironments"

// NewServer starts a Server. Close it when done.
func NewServer(o ServerOptions) (*Server, error) {
	if o.Latency < 0 || o.RateLimit < 0 || math.IsNaN(o.RateLimit) || math.IsInf(o.RateLimit, 0) {
		return nil, fmt.Errorf("devsessionstest: Latency and RateLimit must not be negative, got %v and %v", o.Latency, o.RateLimit)
	}
	seen := make(map[environment]bool, len(o.DevEnvironments))
	for i, e := range o.DevEnvironments {
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
		key:      key[:],
		pageSize: int(o.PageSize),
		latency:  o.Latency,
		envs:     make(map[environment][]types.DevEnvironmentSessionSummary),
		spaces:   make(map[string][]types.DevEnvironmentSummary),
		projects: make(map[environment]bool),
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
	for _, it := range o.DevEnvironments {
		e := environment{deref(it.SpaceName), deref(it.ProjectName), deref(it.Id)}
		s.envs[e] = nil
		s.spaces[e.space] = append(s.spaces[e.space], completeEnv(it))
		s.projects[environment{e.space, e.project, ""}] = true
	}
	for _, it := range o.Sessions {
		e := environment{deref(it.SpaceName), deref(it.ProjectName), deref(it.DevEnvironmentId)}
		if _, known := s.envs[e]; !known {
			updated := demoEpoch
			if it.StartedTime != nil {
				updated = *it.StartedTime
			}
			s.spaces[e.space] = append(s.spaces[e.space], implicitEnv(e.id, e.space, e.project, updated))
			s.projects[environment{e.space, e.project, ""}] = true
		}
		s.envs[e] = append(s.envs[e], it)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/spaces/{spaceName}/projects/{projectName}/devEnvironments/{devEnvironmentId}/sessions", s.list)
	mux.HandleFunc("POST /v1/spaces/{spaceName}/devEnvironments", s.listDevEnvironments)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if _, ok := s.admit(w, r, "", "", nil, listBody{}, nil); !ok {
			return
		}
		writeError(w, http.StatusNotFound, "UnknownOperationException", "no operation at "+r.Method+" "+r.URL.Path)
	})
	s.hs = &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s.enter()
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

// ScriptDevEnvironment makes the call-th HTTP request (1 for the first,
// retries and throttled requests included) to the sessions route of the dev
// environment id answer as f says, whatever other requests run
// concurrently. It takes precedence over a fault set with [Server.Script]
// for the same request.
func (s *Server) ScriptDevEnvironment(id string, call int, f ServerFault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idFaults == nil {
		s.idFaults = make(map[string]map[int]ServerFault)
	}
	if s.idFaults[id] == nil {
		s.idFaults[id] = make(map[int]ServerFault)
	}
	s.idFaults[id][call] = f
}

// ScriptListDevEnvironments makes the call-th HTTP request (1 for the first,
// retries included) to the ListDevEnvironments route answer as f says, in
// place of any Script for the same request: concurrent listings make global
// request numbers unpredictable, the numbers of one route's requests not.
func (s *Server) ScriptListDevEnvironments(call int, f ServerFault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.envFaults == nil {
		s.envFaults = make(map[int]ServerFault)
	}
	s.envFaults[call] = f
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

func (s *Server) enter() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inFlight++
	s.maxFlight = max(s.maxFlight, s.inFlight)
}

func (s *Server) leave() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inFlight--
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

var (
	namePattern = regexp.MustCompile(`^[a-zA-Z0-9]+(?:[-_.][a-zA-Z0-9]+)*$`)
	uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

type listBody struct {
	MaxResults  *int32       `json:"maxResults"`
	NextToken   *string      `json:"nextToken"`
	ProjectName *string      `json:"projectName"`
	Filters     []filterBody `json:"filters"`
}

type filterBody struct {
	Key string `json:"key"`
}

// readBody reads and decodes a request body; an empty body is {}.
func readBody(r *http.Request) ([]byte, listBody, error) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		panic(http.ErrAbortHandler) // the client is gone or broke off
	}
	var body listBody
	if len(raw) > 0 {
		err = json.Unmarshal(raw, &body)
	}
	return raw, body, err
}

// admit records the request and applies, in order, the rate limit, the
// latency, the request's fault and (for an operation) the bearer token. It
// reports whether the handler is to answer; when not, the answer is sent.
func (s *Server) admit(w http.ResponseWriter, r *http.Request, op, envID string, raw []byte, body listBody, bodyErr error) (ServerFault, bool) {
	req := ServerRequest{
		Operation: op, Method: r.Method, Path: r.URL.EscapedPath(), Authorized: s.authorized(r),
		Attempt: r.Header.Get("Amz-Sdk-Request"), UserAgent: r.UserAgent(), Body: string(raw),
	}
	if bodyErr == nil {
		req.MaxResults, req.NextToken = body.MaxResults, body.NextToken
		if op == OpListDevEnvironments {
			req.ProjectName = body.ProjectName
		}
	}
	s.mu.Lock()
	req.Throttled = s.limiter != nil && !s.limiter.allow(time.Now())
	s.requests = append(s.requests, req)
	n := len(s.requests)
	f := s.faults[n]
	if op == OpListDevEnvironments {
		s.envCalls++
		if sf, ok := s.envFaults[s.envCalls]; ok {
			f = sf
		}
	}
	if op == OpListDevEnvironmentSessions {
		if s.idCalls == nil {
			s.idCalls = make(map[string]int)
		}
		s.idCalls[envID]++
		if sf, ok := s.idFaults[envID][s.idCalls[envID]]; ok {
			f = sf
		}
	}
	if req.Throttled {
		s.throttled++
	}
	s.mu.Unlock()

	w.Header().Set("X-Amzn-Requestid", "req-"+strconv.Itoa(n))
	if req.Throttled {
		writeError(w, http.StatusTooManyRequests, "ThrottlingException", "Rate exceeded.")
		return f, false
	}
	if d := s.latency + f.Latency; d > 0 {
		t := time.NewTimer(d)
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
		return f, false
	}
	if op != "" && !req.Authorized {
		writeError(w, http.StatusForbidden, "AccessDeniedException", "The bearer token is missing or not valid for this endpoint.")
		return f, false
	}
	return f, true
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	raw, body, bodyErr := readBody(r)
	env := environment{r.PathValue("spaceName"), r.PathValue("projectName"), r.PathValue("devEnvironmentId")}
	f, ok := s.admit(w, r, OpListDevEnvironmentSessions, env.id, raw, body, bodyErr)
	if !ok {
		return
	}
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
	out := page[item]{Items: make([]item, 0, end-start)}
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
	writeJSON(w, out)
}

func (s *Server) listDevEnvironments(w http.ResponseWriter, r *http.Request) {
	raw, body, bodyErr := readBody(r)
	space := r.PathValue("spaceName")
	f, ok := s.admit(w, r, OpListDevEnvironments, "", raw, body, bodyErr)
	if !ok {
		return
	}
	if msg := validateList(space, body, bodyErr); msg != "" {
		writeError(w, http.StatusBadRequest, "ValidationException", msg)
		return
	}
	envs, ok := s.spaces[space]
	if !ok {
		writeError(w, http.StatusNotFound, "ResourceNotFoundException", "The space "+space+" was not found.")
		return
	}
	scope := environment{space, "", listScope}
	if body.ProjectName != nil {
		scope.project = *body.ProjectName
		if !s.projects[environment{space, scope.project, ""}] {
			writeError(w, http.StatusNotFound, "ResourceNotFoundException", "The project "+scope.project+" was not found in space "+space+".")
			return
		}
		var inProject []types.DevEnvironmentSummary
		for _, e := range envs {
			if deref(e.ProjectName) == scope.project {
				inProject = append(inProject, e)
			}
		}
		envs = inProject
	}
	start := 0
	if body.NextToken != nil {
		if start, ok = s.parseToken(scope, *body.NextToken, len(envs)); !ok {
			writeError(w, http.StatusBadRequest, "ValidationException", "The nextToken is not valid for this request.")
			return
		}
	}
	size := s.pageSize
	if body.MaxResults != nil {
		size = int(*body.MaxResults)
	}
	end := min(start+size, len(envs))
	out := page[envItem]{Items: make([]envItem, 0, end-start)}
	for _, e := range envs[start:end] {
		out.Items = append(out.Items, toEnvItem(e))
	}
	if end < len(envs) {
		t := s.token(scope, end)
		out.NextToken = &t
	}
	if f.RepeatToken {
		out.NextToken = body.NextToken
	}
	writeJSON(w, out)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v) //nolint:errcheck // the client may have gone
}

type page[T any] struct {
	Items     []T     `json:"items"`
	NextToken *string `json:"nextToken,omitempty"`
}

type item struct {
	SpaceName        string `json:"spaceName"`
	ProjectName      string `json:"projectName"`
	DevEnvironmentID string `json:"devEnvironmentId"`
	ID               string `json:"id"`
	StartedTime      string `json:"startedTime"`
}

// envItem is a DevEnvironmentSummary with the model's JSON member names.
type envItem struct {
	SpaceName                *string    `json:"spaceName,omitempty"`
	ProjectName              *string    `json:"projectName,omitempty"`
	ID                       string     `json:"id"`
	LastUpdatedTime          string     `json:"lastUpdatedTime"`
	CreatorID                string     `json:"creatorId"`
	Status                   string     `json:"status"`
	StatusReason             *string    `json:"statusReason,omitempty"`
	Repositories             []repoItem `json:"repositories"`
	Alias                    *string    `json:"alias,omitempty"`
	Ides                     []ideItem  `json:"ides,omitempty"`
	InstanceType             string     `json:"instanceType"`
	InactivityTimeoutMinutes int32      `json:"inactivityTimeoutMinutes"`
	PersistentStorage        struct {
		SizeInGiB int32 `json:"sizeInGiB"`
	} `json:"persistentStorage"`
	VpcConnectionName *string `json:"vpcConnectionName,omitempty"`
}

type repoItem struct {
	RepositoryName string  `json:"repositoryName"`
	BranchName     *string `json:"branchName,omitempty"`
}

type ideItem struct {
	Name    *string `json:"name,omitempty"`
	Runtime *string `json:"runtime,omitempty"`
}

// toEnvItem encodes a completed dev environment (see completeEnv).
func toEnvItem(e types.DevEnvironmentSummary) envItem {
	out := envItem{
		SpaceName: e.SpaceName, ProjectName: e.ProjectName, ID: deref(e.Id),
		// The SDK reads lastUpdatedTime with smithytime.ParseDateTime: RFC 3339.
		LastUpdatedTime: e.LastUpdatedTime.UTC().Format(time.RFC3339Nano),
		CreatorID:       deref(e.CreatorId), Status: string(e.Status), StatusReason: e.StatusReason,
		Repositories: make([]repoItem, 0, len(e.Repositories)), Alias: e.Alias,
		InstanceType: string(e.InstanceType), InactivityTimeoutMinutes: e.InactivityTimeoutMinutes,
		VpcConnectionName: e.VpcConnectionName,
	}
	out.PersistentStorage.SizeInGiB = *e.PersistentStorage.SizeInGiB
	for _, r := range e.Repositories {
		out.Repositories = append(out.Repositories, repoItem{RepositoryName: deref(r.RepositoryName), BranchName: r.BranchName})
	}
	for _, i := range e.Ides {
		out.Ides = append(out.Ides, ideItem{Name: i.Name, Runtime: i.Runtime})
	}
	return out
}

// completeEnv fills the fields the model requires that e leaves zero, as
// implicitEnv does; InactivityTimeoutMinutes 0 is valid and stays.
func completeEnv(e types.DevEnvironmentSummary) types.DevEnvironmentSummary {
	def := implicitEnv(deref(e.Id), "", "", demoEpoch)
	if e.LastUpdatedTime == nil {
		e.LastUpdatedTime = def.LastUpdatedTime
	}
	if e.CreatorId == nil {
		e.CreatorId = def.CreatorId
	}
	if e.Status == "" {
		e.Status = def.Status
	}
	if e.Repositories == nil {
		e.Repositories = def.Repositories
	}
	if e.InstanceType == "" {
		e.InstanceType = def.InstanceType
	}
	if e.PersistentStorage == nil || e.PersistentStorage.SizeInGiB == nil {
		e.PersistentStorage = def.PersistentStorage
	}
	return e
}

// validate applies the model's constraints to a ListDevEnvironmentSessions
// request and returns the service's message for the first one broken, or "".
func validate(env environment, body listBody, bodyErr error) string {
	for _, l := range []struct{ name, v string }{{"spaceName", env.space}, {"projectName", env.project}} {
		if msg := validateName(l.name, l.v); msg != "" {
			return msg
		}
	}
	switch {
	case !uuidPattern.MatchString(env.id):
		return "devEnvironmentId must be a UUID."
	case bodyErr != nil:
		return "The request body is not valid JSON for this operation."
	case body.MaxResults != nil && (*body.MaxResults < 1 || *body.MaxResults > 200):
		return fmt.Sprintf("maxResults must be between 1 and 200, got %d.", *body.MaxResults)
	}
	return validateToken(body.NextToken)
}

// validateList does as validate for a ListDevEnvironments request.
func validateList(space string, body listBody, bodyErr error) string {
	if msg := validateName("spaceName", space); msg != "" {
		return msg
	}
	switch {
	case bodyErr != nil:
		return "The request body is not valid JSON for this operation."
	case body.ProjectName != nil && validateName("projectName", *body.ProjectName) != "":
		return validateName("projectName", *body.ProjectName)
	case len(body.Filters) > 0:
		return fmt.Sprintf("filter key %s is not supported by this endpoint.", body.Filters[0].Key)
	case body.MaxResults != nil && (*body.MaxResults < 1 || *body.MaxResults > 50):
		return fmt.Sprintf("maxResults must be between 1 and 50, got %d.", *body.MaxResults)
	}
	return validateToken(body.NextToken)
}

func validateName(name, v string) string {
	if len(v) < 3 || len(v) > 63 || !namePattern.MatchString(v) {
		return fmt.Sprintf("%s must be 3 to 63 letters, digits and single '-', '_' or '.' between them.", name)
	}
	return ""
}

func validateToken(t *string) string {
	if t != nil && (len(*t) < 1 || len(*t) > 10000) {
		return "nextToken must be 1 to 10000 characters."
	}
	return ""
}

func (s *Server) authorized(r *http.Request) bool {
	want := "Bearer " + s.Token
	return subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), []byte(want)) == 1
}

// bucket is a token bucket; the Server's mu guards it.
type bucket struct {
	rate, burst, tokens float64
	last                time.Time
}

func (b *bucket) allow(now time.Time) bool {
	b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
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
