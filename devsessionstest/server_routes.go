package devsessionstest

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	smithytime "github.com/aws/smithy-go/time"
)

// call is one request to an operation's route, admitted.
type call struct {
	r       *http.Request
	body    listBody
	bodyErr error
	f       Fault
	n       int // the request's number, 1 for the first
}

// route is one operation's HTTP binding and handler; serve returns the
// answer's JSON value or the error to answer with.
type route struct {
	op, pattern string
	query       bool // maxResults, nextToken and workflowId are in the query string
	serve       func(*Server, *call) (any, error)
}

var routes = []route{
	{OpListAccessTokens, "POST /v1/accessTokens", false, (*Server).listAccessTokens},
	{OpListSpaces, "POST /v1/spaces", false, (*Server).listSpaces},
	{OpListProjects, "POST /v1/spaces/{spaceName}/projects", false, (*Server).listProjects},
	{OpListDevEnvironments, "POST /v1/spaces/{spaceName}/devEnvironments", false, (*Server).listDevEnvironments},
	{OpListEventLogs, "POST /v1/spaces/{spaceName}/eventLogs", false, (*Server).listEventLogs},
	{OpListDevEnvironmentSessions, "POST /v1/spaces/{spaceName}/projects/{projectName}/devEnvironments/{devEnvironmentId}/sessions", false, (*Server).listSessions},
	{OpListSourceRepositories, "POST /v1/spaces/{spaceName}/projects/{projectName}/sourceRepositories", false, (*Server).listSourceRepositories},
	{OpListSourceRepositoryBranches, "POST /v1/spaces/{spaceName}/projects/{projectName}/sourceRepositories/{sourceRepositoryName}/branches", false, (*Server).listBranches},
	{OpListWorkflows, "POST /v1/spaces/{spaceName}/projects/{projectName}/workflows", true, (*Server).listWorkflows},
	{OpListWorkflowRuns, "POST /v1/spaces/{spaceName}/projects/{projectName}/workflowRuns", true, (*Server).listWorkflowRuns},
	{OpGetUserDetails, "GET /userDetails", false, (*Server).getUserDetails},
}

// routes returns the server's handler: every operation's route, and 404
// UnknownOperationException for any other path.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	for _, rt := range routes {
		mux.HandleFunc(rt.pattern, func(w http.ResponseWriter, r *http.Request) { s.handle(w, r, rt) })
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if _, _, ok := s.admit(w, r, "", "", nil, listBody{}, nil); !ok {
			return
		}
		writeError(w, http.StatusNotFound, "UnknownOperationException", "no operation at "+r.Method+" "+r.URL.Path)
	})
	return mux
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request, rt route) {
	raw, body, bodyErr := readBody(r)
	if rt.query {
		if err := readQueryPaging(r, &body); err != nil && bodyErr == nil {
			bodyErr = err
		}
	}
	f, n, ok := s.admit(w, r, rt.op, r.PathValue("devEnvironmentId"), raw, body, bodyErr)
	if !ok {
		return
	}
	v, err := rt.serve(s, &call{r: r, body: body, bodyErr: bodyErr, f: f, n: n})
	if err != nil {
		writeAPIError(w, err)
		return
	}
	writeJSON(w, v)
}

// admit records the request and applies, in order, the rate limit, the
// latency, the request's answering fault and (for an operation) the bearer
// token. It reports whether the handler is to answer; when not, the answer
// is sent.
func (s *Server) admit(w http.ResponseWriter, r *http.Request, op, envID string, raw []byte, body listBody, bodyErr error) (Fault, int, bool) {
	req := ServerRequest{
		Operation: op, Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery, Authorized: s.authorized(r),
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
	f := s.faults.next(op, envID)
	if req.Throttled {
		s.throttled++
	}
	s.mu.Unlock()

	w.Header().Set("X-Amzn-Requestid", "req-"+strconv.Itoa(n))
	if req.Throttled {
		writeError(w, http.StatusTooManyRequests, "ThrottlingException", "Rate exceeded.")
		return f, n, false
	}
	if sleep(r.Context(), s.latency+f.Latency) != nil {
		panic(http.ErrAbortHandler) // no answer: returning would send an empty 200
	}
	switch {
	case f.Drop:
		panic(http.ErrAbortHandler) // net/http closes the connection without an answer
	case f.Err != nil:
		writeAPIError(w, f.Err)
		return f, n, false
	case f.Status != 0:
		if f.RetryAfter > 0 {
			w.Header().Set("X-Amz-Retry-After", strconv.FormatInt(f.RetryAfter.Milliseconds(), 10))
		}
		writeError(w, f.Status, f.code(), "scripted "+f.code())
		return f, n, false
	case op != "" && !req.Authorized:
		writeError(w, http.StatusForbidden, "AccessDeniedException", "The bearer token is missing or not valid for this endpoint.")
		return f, n, false
	}
	return f, n, true
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

// cut cuts the page c asks for out of all, the listing sc, applying c's
// fault, and encodes its items with enc.
func cut[T, W any](s *Server, c *call, sc string, all []T, enc func(T) W) (page[W], error) {
	start := 0
	if c.body.NextToken != nil {
		var ok bool
		if start, ok = s.parseToken(sc, *c.body.NextToken, len(all)); !ok {
			return page[W]{}, invalid("The nextToken is not valid for this request.")
		}
	}
	size := s.pageSize
	if c.body.MaxResults != nil {
		size = int(*c.body.MaxResults)
	}
	out := page[W]{Items: []W{}}
	if c.f.Empty {
		t := s.token(sc, start, c.n)
		out.NextToken = &t
	} else {
		end := min(start+size+c.f.Extra, len(all))
		for _, it := range all[start:end] {
			out.Items = append(out.Items, enc(it))
		}
		if end < len(all) {
			t := s.token(sc, end, 0)
			out.NextToken = &t
		}
	}
	if c.f.RepeatToken {
		out.NextToken = c.body.NextToken
	}
	if c.f.NextToken != nil {
		out.NextToken = copyPtr(c.f.NextToken)
	}
	return out, nil
}

var (
	namePattern   = regexp.MustCompile(`^[a-zA-Z0-9]+(?:[-_.][a-zA-Z0-9]+)*$`)
	uuidPattern   = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	repoPattern   = regexp.MustCompile(`^[\w\-.]*$`)
	userPattern   = regexp.MustCompile(`^[a-zA-Z0-9_.-]{3,100}$`)
	errNotJSON    = invalid("The request body is not valid JSON for this operation.")
	errBadPageArg = invalid("maxResults must be an integer.")
)

// checkName applies the model's NameString (3 to 63 characters) to a path
// member or, with short, the pattern alone with a one-character minimum
// and no maximum (ListWorkflows' spaceName, ListWorkflowRuns' projectName).
func checkName(member, v string, short bool) error {
	if short {
		if !namePattern.MatchString(v) {
			return invalid("%s must be letters, digits and single '-', '_' or '.' between them.", member)
		}
		return nil
	}
	if len(v) < 3 || len(v) > 63 || !namePattern.MatchString(v) {
		return invalid("%s must be 3 to 63 letters, digits and single '-', '_' or '.' between them.", member)
	}
	return nil
}

// checkBody applies the checks every listing's body has: valid JSON (and
// query string), and op's paging bounds.
func checkBody(op string, c *call) error {
	if c.bodyErr != nil {
		if _, ok := c.bodyErr.(*strconv.NumError); ok {
			return errBadPageArg
		}
		return errNotJSON
	}
	if msg := checkPaging(op, c.body.MaxResults, c.body.NextToken); msg != "" {
		return invalid("%s", msg)
	}
	return nil
}

func (s *Server) listAccessTokens(c *call) (any, error) {
	if err := checkBody(OpListAccessTokens, c); err != nil {
		return nil, err
	}
	return cut(s, c, scope(OpListAccessTokens), s.st.d.AccessTokens, toAccessTokenItem)
}

func (s *Server) listSpaces(c *call) (any, error) {
	c.body.MaxResults = nil // not a member of ListSpaces: the service ignores it
	if err := checkBody(OpListSpaces, c); err != nil {
		return nil, err
	}
	return cut(s, c, scope(OpListSpaces), s.st.d.Spaces, toSpaceItem)
}

func (s *Server) listProjects(c *call) (any, error) {
	space := c.r.PathValue("spaceName")
	if err := checkName("spaceName", space, false); err != nil {
		return nil, err
	}
	if err := checkBody(OpListProjects, c); err != nil {
		return nil, err
	}
	filters := make([]types.ProjectListFilter, 0, len(c.body.Filters))
	for _, f := range c.body.Filters {
		filters = append(filters, types.ProjectListFilter{Key: types.FilterKey(f.Key), Values: f.Values, ComparisonOperator: types.ComparisonOperator(f.ComparisonOperator)})
	}
	all, err := s.st.listProjects(space, filters)
	if err != nil {
		return nil, err
	}
	fs, _ := json.Marshal(c.body.Filters)
	return cut(s, c, scope(OpListProjects, space, string(fs)), all, toProjectItem)
}

func (s *Server) listDevEnvironments(c *call) (any, error) {
	space := c.r.PathValue("spaceName")
	if err := checkName("spaceName", space, false); err != nil {
		return nil, err
	}
	switch {
	case c.bodyErr != nil:
		return nil, errNotJSON
	case c.body.ProjectName != nil:
		if err := checkName("projectName", *c.body.ProjectName, false); err != nil {
			return nil, err
		}
	}
	if len(c.body.Filters) > 0 {
		return nil, invalid("filter key %s is not supported by this endpoint.", c.body.Filters[0].Key)
	}
	if err := checkBody(OpListDevEnvironments, c); err != nil {
		return nil, err
	}
	if err := s.st.space(space); err != nil {
		return nil, err
	}
	envs := s.spaces[space]
	project := ""
	if c.body.ProjectName != nil {
		project = *c.body.ProjectName
		if err := s.st.project(ProjectKey{space, project}); err != nil {
			return nil, err
		}
		var inProject []types.DevEnvironmentSummary
		for _, e := range envs {
			if deref(e.ProjectName) == project {
				inProject = append(inProject, e)
			}
		}
		envs = inProject
	}
	return cut(s, c, scope(OpListDevEnvironments, space, project), envs, toEnvItem)
}

func (s *Server) listSessions(c *call) (any, error) {
	env := environment{c.r.PathValue("spaceName"), c.r.PathValue("projectName"), c.r.PathValue("devEnvironmentId")}
	if err := checkName("spaceName", env.space, false); err != nil {
		return nil, err
	}
	if err := checkName("projectName", env.project, false); err != nil {
		return nil, err
	}
	if !uuidPattern.MatchString(env.id) {
		return nil, invalid("devEnvironmentId must be a UUID.")
	}
	if err := checkBody(OpListDevEnvironmentSessions, c); err != nil {
		return nil, err
	}
	sessions, ok := s.envs[env]
	if !ok {
		return nil, notFound("The dev environment %s was not found in project %s of space %s.", env.id, env.project, env.space)
	}
	return cut(s, c, scope(OpListDevEnvironmentSessions, env.space, env.project, env.id), sessions, toSessionItem)
}

// projectPath checks and returns the request's space and project.
func projectPath(c *call, shortSpace, shortProject bool) (ProjectKey, error) {
	k := ProjectKey{c.r.PathValue("spaceName"), c.r.PathValue("projectName")}
	if err := checkName("spaceName", k.Space, shortSpace); err != nil {
		return k, err
	}
	return k, checkName("projectName", k.Project, shortProject)
}

func (s *Server) listSourceRepositories(c *call) (any, error) {
	k, err := projectPath(c, false, false)
	if err == nil {
		err = checkBody(OpListSourceRepositories, c)
	}
	if err != nil {
		return nil, err
	}
	all, err := s.st.listSourceRepositories(k)
	if err != nil {
		return nil, err
	}
	return cut(s, c, scope(OpListSourceRepositories, k.Space, k.Project), all, toSourceRepositoryItem)
}

func (s *Server) listBranches(c *call) (any, error) {
	k, err := projectPath(c, false, false)
	if err != nil {
		return nil, err
	}
	repo := c.r.PathValue("sourceRepositoryName")
	if len(repo) < 1 || len(repo) > 100 || !repoPattern.MatchString(repo) || strings.HasSuffix(repo, ".git") {
		return nil, invalid("sourceRepositoryName must be 1 to 100 letters, digits, '_', '-' or '.', not ending in .git.")
	}
	if err := checkBody(OpListSourceRepositoryBranches, c); err != nil {
		return nil, err
	}
	rk := RepositoryKey{k.Space, k.Project, repo}
	all, err := s.st.listSourceRepositoryBranches(rk)
	if err != nil {
		return nil, err
	}
	return cut(s, c, scope(OpListSourceRepositoryBranches, rk.Space, rk.Project, rk.Repository), all, toBranchItem)
}

func (s *Server) listWorkflows(c *call) (any, error) {
	k, err := projectPath(c, true, false) // the model's spaceName here has a one-character minimum
	if err == nil {
		err = checkBody(OpListWorkflows, c)
	}
	if err == nil {
		err = checkSortBy(len(c.body.SortBy))
	}
	if err != nil {
		return nil, err
	}
	all, err := s.st.listWorkflows(k)
	if err != nil {
		return nil, err
	}
	return cut(s, c, scope(OpListWorkflows, k.Space, k.Project), all, toWorkflowItem)
}

func (s *Server) listWorkflowRuns(c *call) (any, error) {
	k, err := projectPath(c, false, true) // the model's projectName here has a one-character minimum
	if err == nil {
		err = checkBody(OpListWorkflowRuns, c)
	}
	if err == nil && c.body.WorkflowID != nil && !uuidPattern.MatchString(*c.body.WorkflowID) {
		err = invalid("workflowId must be a UUID.")
	}
	if err == nil {
		err = checkSortBy(len(c.body.SortBy))
	}
	if err != nil {
		return nil, err
	}
	all, err := s.st.listWorkflowRuns(k, c.body.WorkflowID)
	if err != nil {
		return nil, err
	}
	return cut(s, c, scope(OpListWorkflowRuns, k.Space, k.Project, deref(c.body.WorkflowID)), all, toWorkflowRunItem)
}

func (s *Server) listEventLogs(c *call) (any, error) {
	space := c.r.PathValue("spaceName")
	if err := checkName("spaceName", space, false); err != nil {
		return nil, err
	}
	if err := checkBody(OpListEventLogs, c); err != nil {
		return nil, err
	}
	if c.body.StartTime == nil || c.body.EndTime == nil {
		return nil, invalid("startTime and endTime are required.")
	}
	start, err := smithytime.ParseDateTime(*c.body.StartTime)
	if err != nil {
		return nil, invalid("startTime is not an ISO 8601 timestamp: %q.", *c.body.StartTime)
	}
	end, err := smithytime.ParseDateTime(*c.body.EndTime)
	if err != nil {
		return nil, invalid("endTime is not an ISO 8601 timestamp: %q.", *c.body.EndTime)
	}
	all, err := s.st.listEventLogs(space, start, end, c.body.EventName)
	if err != nil {
		return nil, err
	}
	name := "\x00" // no eventName
	if c.body.EventName != nil {
		name = *c.body.EventName
	}
	sc := scope(OpListEventLogs, space, wireTime(&start), wireTime(&end), name)
	return cut(s, c, sc, all, toEventItem)
}

func (s *Server) getUserDetails(c *call) (any, error) {
	q := c.r.URL.Query()
	var id, userName *string
	if q.Has("id") {
		id = ptr(q.Get("id"))
		if len(*id) < 1 || len(*id) > 256 {
			return nil, invalid("id must be 1 to 256 characters.")
		}
	}
	if q.Has("userName") {
		userName = ptr(q.Get("userName"))
		if !userPattern.MatchString(*userName) {
			return nil, invalid("userName must be 3 to 100 letters, digits, '_', '.' or '-'.")
		}
	}
	u, err := s.st.user(id, userName)
	if err != nil {
		return nil, err
	}
	return toUserDetails(u), nil
}
