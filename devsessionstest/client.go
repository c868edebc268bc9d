package devsessionstest

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
)

// DefaultPageSize is the page size CodeCatalyst uses when a request has no
// maxResults, and the fakes' default.
const DefaultPageSize = 25

// Client is an in-memory fake of the CodeCatalyst client for the ten
// paginated operations (see [ListOperations]) and GetUserDetails: it serves
// fixed lists in order and records every request. Its tokens look like
// "tok-25" (the offset of the page's first item) in every listing, so that
// tests can read and write them; code under test must treat them as opaque.
// Unlike a [Server]'s, they are not bound to one listing.
//
// A Client made by [NewDataClient] serves a [Data], every operation in the
// scope the request names. A Client made by [NewClient] serves its whole
// list of sessions to any space, project and dev environment name, and
// lists the dev environments the sessions name. A Client made by
// [NewSpaceClient] models a space: it lists its dev environments and serves
// each one's own sessions. Those two serve no spaces, access tokens or
// users, and know only the spaces and projects their dev environments and
// sessions name.
//
// Like the service it answers a missing or empty required member, a
// maxResults out of the model's range ([MaxResults]), an empty or unknown
// nextToken, a ListEventLogs window whose start is not before its end and
// an unsupported filter with a *types.ValidationException, and a scope it
// does not know with a *types.ResourceNotFoundException. Faults set with
// [Client.Script], [Client.ScriptOperation] and [Client.ScriptDevEnvironment]
// change what one call returns.
//
// A Client is safe for concurrent use. Set the exported fields before the
// first call.
type Client struct {
	// PageSize is the number of items on a page when a request has no
	// maxResults (and always for ListSpaces). 0 means DefaultPageSize.
	PageSize int32

	// Latency is how long every call of any operation takes; a cancelled
	// context ends the wait with the context's error (and a call made with a
	// context already done answers its error at once, as the SDK does). The
	// call counts as in flight while it waits. 0 means no delay.
	Latency time.Duration

	st       *store
	sessions []types.DevEnvironmentSessionSummary
	envs     []types.DevEnvironmentSummary
	// byEnv, in a space or data client, holds each known dev environment's
	// sessions (nil for one without any); nil in a NewClient client.
	byEnv map[string][]types.DevEnvironmentSessionSummary
	// bySpace tells that ListDevEnvironments lists the named space's dev
	// environments only (a data client).
	bySpace bool

	mu        sync.Mutex
	faults    script
	requests  []Request
	served    int
	inFlight  int
	maxFlight int
}

// Request is what one call asked for. Pointers and slices are copies.
type Request struct {
	// Operation is the operation called, one of the Op constants.
	Operation string
	// SpaceName, ProjectName, DevEnvironmentID and SourceRepositoryName are
	// the input's names (ListDevEnvironments' optional projectName
	// included), "" when nil or when the operation has no such member.
	SpaceName, ProjectName, DevEnvironmentID, SourceRepositoryName string
	MaxResults                                                     *int32
	NextToken                                                      *string
	// Filters are a ListDevEnvironments request's filters, copied deeply;
	// nil when the request had none.
	Filters []types.Filter
	// ProjectFilters are a ListProjects request's filters, copied deeply;
	// nil when the request had none.
	ProjectFilters []types.ProjectListFilter
	// WorkflowID is a ListWorkflowRuns request's workflowId.
	WorkflowID *string
	// StartTime, EndTime and EventName are a ListEventLogs request's.
	StartTime, EndTime *time.Time
	EventName          *string
	// UserID and UserName are a GetUserDetails request's id and userName.
	UserID, UserName *string
}

// NewClient returns a Client serving sessions (the slice is copied) to any
// dev environment. Its ListDevEnvironments lists the dev environments the
// sessions name, in order of first mention, as RUNNING with the model's
// required fields filled (see [NewSpaceClient]).
func NewClient(sessions []types.DevEnvironmentSessionSummary) *Client {
	s := append([]types.DevEnvironmentSessionSummary(nil), sessions...)
	return &Client{sessions: s, envs: completeSpace(nil, s), st: newStore(Data{Sessions: s})}
}

// NewSpaceClient returns a Client that models a space (both slices are
// copied). ListDevEnvironments lists envs in the order given, then the dev
// environments that sessions name (by DevEnvironmentId) but envs omit, in
// order of first mention, as RUNNING with every field the model requires
// filled: creatorId "devsessionstest", no repositories, dev.standard1.small,
// a 15-minute inactivity timeout, 16 GiB of storage, and the first session's
// start as lastUpdatedTime. envs are served as given. A request with a
// projectName lists only the dev environments of that project; the space
// name is required but not matched.
//
// ListDevEnvironmentSessions serves the sessions of the named dev
// environment only (matched on DevEnvironmentId, in the order given): no
// items for a known dev environment without sessions, a
// *types.ResourceNotFoundException for an unknown one.
func NewSpaceClient(envs []types.DevEnvironmentSummary, sessions []types.DevEnvironmentSessionSummary) *Client {
	c := &Client{
		sessions: append([]types.DevEnvironmentSessionSummary(nil), sessions...),
		envs:     completeSpace(envs, sessions),
		st:       newStore(Data{DevEnvironments: envs, Sessions: sessions}),
	}
	c.byEnv = sessionsByEnv(c.envs, c.sessions)
	return c
}

// NewDataClient returns a Client serving d (copied; see [Data]) with the
// service's scoping: ListDevEnvironments lists the dev environments of the
// named space (a dev environment without a SpaceName belongs to every
// space), completed as [NewSpaceClient] completes them, and answers an
// unknown space or project with a *types.ResourceNotFoundException;
// ListDevEnvironmentSessions serves each dev environment's own sessions, as
// NewSpaceClient's does.
func NewDataClient(d Data) *Client {
	c := &Client{
		sessions: append([]types.DevEnvironmentSessionSummary(nil), d.Sessions...),
		envs:     completeSpace(d.DevEnvironments, d.Sessions),
		st:       newStore(d),
		bySpace:  true,
	}
	c.byEnv = sessionsByEnv(c.envs, c.sessions)
	return c
}

func sessionsByEnv(envs []types.DevEnvironmentSummary, sessions []types.DevEnvironmentSessionSummary) map[string][]types.DevEnvironmentSessionSummary {
	by := make(map[string][]types.DevEnvironmentSessionSummary)
	for _, e := range envs {
		by[deref(e.Id)] = nil
	}
	for _, s := range sessions {
		id := deref(s.DevEnvironmentId)
		by[id] = append(by[id], s)
	}
	return by
}

// completeSpace returns a copy of envs followed by the dev environments
// sessions name that envs omit, RUNNING, with the required fields filled.
func completeSpace(envs []types.DevEnvironmentSummary, sessions []types.DevEnvironmentSessionSummary) []types.DevEnvironmentSummary {
	out := append([]types.DevEnvironmentSummary(nil), envs...)
	seen := make(map[string]bool, len(envs))
	for _, e := range envs {
		seen[deref(e.Id)] = true
	}
	for _, s := range sessions {
		id := deref(s.DevEnvironmentId)
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		updated := demoEpoch
		if s.StartedTime != nil {
			updated = *s.StartedTime
		}
		out = append(out, implicitEnv(id, deref(s.SpaceName), deref(s.ProjectName), updated))
	}
	return out
}

// implicitEnv is a RUNNING dev environment with the model's required fields
// filled, for one that only sessions name.
func implicitEnv(id, space, project string, updated time.Time) types.DevEnvironmentSummary {
	e := types.DevEnvironmentSummary{
		Id:                       &id,
		LastUpdatedTime:          &updated,
		CreatorId:                ptr("devsessionstest"),
		Status:                   types.DevEnvironmentStatusRunning,
		Repositories:             []types.DevEnvironmentRepositorySummary{},
		InstanceType:             types.InstanceTypeDevStandard1Small,
		InactivityTimeoutMinutes: 15,
		PersistentStorage:        &types.PersistentStorage{SizeInGiB: ptr(int32(16))},
	}
	if space != "" {
		e.SpaceName = &space
	}
	if project != "" {
		e.ProjectName = &project
	}
	return e
}

// Script makes call number call (1 for the first, counting the calls of
// every operation in arrival order) return as f says. A fault set for the
// same call with [Client.ScriptOperation] or [Client.ScriptDevEnvironment]
// takes precedence.
func (c *Client) Script(call int, f Fault) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.faults.set(call, f)
}

// ScriptOperation makes the call-th call of op (1 for the first; op is one
// of the Op constants) return as f says, whatever calls of other operations
// run concurrently. A fault set for the same call with
// [Client.ScriptDevEnvironment] takes precedence.
func (c *Client) ScriptOperation(op string, call int, f Fault) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.faults.setOp(op, call, f)
}

// ScriptListDevEnvironments makes the call-th ListDevEnvironments call (1
// for the first) return as f says.
// It is ScriptOperation(OpListDevEnvironments, call, f), the name kept
// from before every operation could be scripted.
//
// Deprecated: use [Client.ScriptOperation] with [OpListDevEnvironments].
func (c *Client) ScriptListDevEnvironments(call int, f Fault) {
	c.ScriptOperation(OpListDevEnvironments, call, f)
}

// ScriptDevEnvironment makes the call-th ListDevEnvironmentSessions call (1
// for the first) whose DevEnvironmentId is id return as f says, whatever
// other calls run concurrently.
func (c *Client) ScriptDevEnvironment(id string, call int, f Fault) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.faults.setEnv(id, call, f)
}

// Requests returns a copy of the requests received so far, in order,
// including those answered with an error.
func (c *Client) Requests() []Request {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Request(nil), c.requests...)
}

// Calls returns how many calls the client has received, of every
// operation, counting a call when its Latency has passed.
func (c *Client) Calls() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.requests)
}

// ItemsServed returns how many items (of every operation) the client has
// put on pages so far.
func (c *Client) ItemsServed() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.served
}

// InFlight returns how many calls are inside the client now, waiting out
// Latency included.
func (c *Client) InFlight() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.inFlight
}

// MaxInFlight returns the most calls that have been inside the client at
// once.
func (c *Client) MaxInFlight() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.maxFlight
}

// begin counts a call in flight, waits out Latency, records req and applies
// its fault's Latency and answering part. It returns the fault, the call's
// number (1 for the first) and the func that ends the call, to be called
// whatever err is.
func (c *Client) begin(ctx context.Context, req Request) (Fault, int, func(), error) {
	c.mu.Lock()
	c.inFlight++
	c.maxFlight = max(c.maxFlight, c.inFlight)
	c.mu.Unlock()
	leave := func() {
		c.mu.Lock()
		c.inFlight--
		c.mu.Unlock()
	}
	if err := ctx.Err(); err != nil { // as the SDK, which sends nothing on a done context
		return Fault{}, 0, leave, err
	}
	if err := sleep(ctx, c.Latency); err != nil {
		return Fault{}, 0, leave, err
	}
	c.mu.Lock()
	c.requests = append(c.requests, req)
	n := len(c.requests)
	f := c.faults.next(req.Operation, req.DevEnvironmentID)
	c.mu.Unlock()
	if err := sleep(ctx, f.Latency); err != nil {
		return f, n, leave, err
	}
	return f, n, leave, f.clientError()
}

// serve answers one listing call: it begins the call, applies check (the
// operation's required members), the operation's paging bounds and sel
// (the items in the request's scope), and cuts the page req asks for.
func serve[T any](c *Client, ctx context.Context, req Request, check func() error, sel func() ([]T, error)) ([]T, *string, error) {
	f, n, leave, err := c.begin(ctx, req)
	defer leave()
	if err != nil {
		return nil, nil, err
	}
	if err := check(); err != nil {
		return nil, nil, err
	}
	if msg := checkPaging(req.Operation, req.MaxResults, req.NextToken); msg != "" {
		return nil, nil, invalid("%s", msg)
	}
	all, err := sel()
	if err != nil {
		return nil, nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return cutPage(c, req, n, f, all)
}

// required answers the first of names whose value is empty with the
// service's ValidationException.
func required(fields ...string) error {
	for i := 0; i+1 < len(fields); i += 2 {
		if fields[i+1] == "" {
			return invalid("%s is required.", fields[i])
		}
	}
	return nil
}

// cutPage cuts the page req (call number n) asks for out of all, applying
// f. c.mu is held.
func cutPage[T any](c *Client, req Request, n int, f Fault, all []T) ([]T, *string, error) {
	size := int(c.PageSize)
	if size == 0 {
		size = DefaultPageSize
	}
	if req.MaxResults != nil {
		size = int(*req.MaxResults)
	}
	start := 0
	if req.NextToken != nil {
		var ok bool
		if start, ok = parseToken(*req.NextToken, len(all)); !ok {
			return nil, nil, invalid("invalid nextToken")
		}
	}
	items := []T{}
	var next *string
	if f.Empty {
		t := fmt.Sprintf("tok-%d~%d", start, n)
		next = &t
	} else {
		end := min(start+size+f.Extra, len(all))
		items = append(items, all[start:end]...)
		c.served += end - start
		if end < len(all) {
			t := "tok-" + strconv.Itoa(end)
			next = &t
		}
	}
	if f.RepeatToken {
		next = copyPtr(req.NextToken)
	}
	if f.NextToken != nil {
		next = copyPtr(f.NextToken)
	}
	return items, next, nil
}

// parseToken reads "tok-<offset>" or "tok-<offset>~<salt>".
func parseToken(t string, n int) (int, bool) {
	s, ok := strings.CutPrefix(t, "tok-")
	if !ok {
		return 0, false
	}
	s, _, _ = strings.Cut(s, "~")
	off, err := strconv.Atoi(s)
	if err != nil || off < 0 || off > n || strconv.Itoa(off) != s {
		return 0, false
	}
	return off, true
}

// copyFilters returns a deep copy of fs, nil for nil.
func copyFilters(fs []types.Filter) []types.Filter {
	if fs == nil {
		return nil
	}
	out := make([]types.Filter, len(fs))
	for i, f := range fs {
		out[i] = types.Filter{Key: copyPtr(f.Key), ComparisonOperator: copyPtr(f.ComparisonOperator)}
		if f.Values != nil {
			out[i].Values = append([]string{}, f.Values...)
		}
	}
	return out
}

// copyProjectFilters returns a deep copy of fs, nil for nil.
func copyProjectFilters(fs []types.ProjectListFilter) []types.ProjectListFilter {
	if fs == nil {
		return nil
	}
	out := make([]types.ProjectListFilter, len(fs))
	for i, f := range fs {
		out[i] = types.ProjectListFilter{Key: f.Key, ComparisonOperator: f.ComparisonOperator}
		if f.Values != nil {
			out[i].Values = append([]string{}, f.Values...)
		}
	}
	return out
}

func validation(msg string) error {
	return &types.ValidationException{Message: &msg}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func ptr[T any](v T) *T { return &v }

func copyPtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
