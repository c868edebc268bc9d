package devsessionstest

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
)

// DefaultPageSize is the page size CodeCatalyst uses when a request has no
// maxResults, and the fakes' default.
const DefaultPageSize = 25

// The operations a [Request] or [ServerRequest] names.
const (
	OpListDevEnvironments        = "ListDevEnvironments"
	OpListDevEnvironmentSessions = "ListDevEnvironmentSessions"
)

// Client is an in-memory fake of CodeCatalyst's ListDevEnvironmentSessions
// and ListDevEnvironments: it serves fixed lists in order and records every
// request. Its tokens look like "tok-25" (the offset of the page's first
// item) so that tests can read them; code under test must treat them as
// opaque.
//
// A Client made by [NewClient] serves its whole list of sessions to any
// space, project and dev environment name, and lists the dev environments
// the sessions name. A Client made by [NewSpaceClient] models a space: it
// lists its dev environments and serves each one's own sessions.
//
// Like the service it answers a maxResults out of range (1..200 for
// sessions, 1..50 for dev environments), an empty or unknown nextToken and
// an empty name with a *types.ValidationException. Faults set with
// [Client.Script], [Client.ScriptListDevEnvironments] and
// [Client.ScriptDevEnvironment] change what one call returns.
//
// A Client is safe for concurrent use. Set the exported fields before the
// first call.
type Client struct {
	// PageSize is the number of items on a page when a request has no
	// maxResults. 0 means DefaultPageSize.
	PageSize int32

	// Latency is how long every call of either operation takes; a cancelled
	// context ends the wait with the context's error (and a call made with a
	// context already done answers its error at once, as the SDK does). The
	// call counts as in flight while it waits. 0 means no delay.
	Latency time.Duration

	mu       sync.Mutex
	sessions []types.DevEnvironmentSessionSummary
	envs     []types.DevEnvironmentSummary
	// byEnv, in a space client, holds each known dev environment's
	// sessions (nil for one without any); nil in a NewClient client.
	byEnv map[string][]types.DevEnvironmentSessionSummary

	faults    map[int]Fault
	envFaults map[int]Fault
	idFaults  map[string]map[int]Fault
	envCalls  int
	idCalls   map[string]int
	requests  []Request
	served    int
	inFlight  int
	maxFlight int
}

// Fault changes what one call returns. The zero Fault changes nothing.
type Fault struct {
	// Err, when non-nil, is returned instead of a page.
	Err error
	// Empty returns a page with no items whose nextToken continues at the
	// same item (with a token spelled differently, as a real service would).
	Empty bool
	// NextToken, when non-nil, replaces the page's nextToken: point it at
	// an earlier page's token to make the service repeat or cycle.
	NextToken *string
	// Extra adds this many items beyond maxResults to the page (a service
	// that returns more than asked); the nextToken follows them.
	Extra int
}

// Request is what one call asked for. Pointers are copies.
type Request struct {
	// Operation is OpListDevEnvironmentSessions or OpListDevEnvironments.
	Operation string
	// SpaceName, ProjectName and DevEnvironmentID are the input's names,
	// "" when nil. A ListDevEnvironments request has no DevEnvironmentID.
	SpaceName, ProjectName, DevEnvironmentID string
	MaxResults                               *int32
	NextToken                                *string
	// Filters are a ListDevEnvironments request's filters, copied deeply;
	// nil when the request had none.
	Filters []types.Filter
}

// NewClient returns a Client serving sessions (the slice is copied) to any
// dev environment. Its ListDevEnvironments lists the dev environments the
// sessions name, in order of first mention, as RUNNING with the model's
// required fields filled (see [NewSpaceClient]).
func NewClient(sessions []types.DevEnvironmentSessionSummary) *Client {
	s := append([]types.DevEnvironmentSessionSummary(nil), sessions...)
	return &Client{sessions: s, envs: completeSpace(nil, s)}
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
		byEnv:    make(map[string][]types.DevEnvironmentSessionSummary),
	}
	for _, e := range c.envs {
		c.byEnv[deref(e.Id)] = nil
	}
	for _, s := range c.sessions {
		id := deref(s.DevEnvironmentId)
		c.byEnv[id] = append(c.byEnv[id], s)
	}
	return c
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
// both operations in arrival order) return as f says. A fault set for the
// same call with [Client.ScriptListDevEnvironments] or
// [Client.ScriptDevEnvironment] takes precedence.
func (c *Client) Script(call int, f Fault) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.faults == nil {
		c.faults = make(map[int]Fault)
	}
	c.faults[call] = f
}

// ScriptListDevEnvironments makes the call-th ListDevEnvironments call (1
// for the first) return as f says.
func (c *Client) ScriptListDevEnvironments(call int, f Fault) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.envFaults == nil {
		c.envFaults = make(map[int]Fault)
	}
	c.envFaults[call] = f
}

// ScriptDevEnvironment makes the call-th ListDevEnvironmentSessions call (1
// for the first) whose DevEnvironmentId is id return as f says, whatever
// other calls run concurrently.
func (c *Client) ScriptDevEnvironment(id string, call int, f Fault) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.idFaults == nil {
		c.idFaults = make(map[string]map[int]Fault)
	}
	if c.idFaults[id] == nil {
		c.idFaults[id] = make(map[int]Fault)
	}
	c.idFaults[id][call] = f
}

// Requests returns a copy of the requests received so far, in order,
// including those answered with an error.
func (c *Client) Requests() []Request {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Request(nil), c.requests...)
}

// Calls returns how many calls the client has received, of both
// operations, counting a call when its Latency has passed.
func (c *Client) Calls() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.requests)
}

// ItemsServed returns how many items (sessions and dev environments) the
// client has put on pages so far.
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

// enter counts a call in flight and waits out Latency; the returned func
// ends the call.
func (c *Client) enter(ctx context.Context) (func(), error) {
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
		return leave, err
	}
	if c.Latency > 0 {
		t := time.NewTimer(c.Latency)
		select {
		case <-ctx.Done():
			t.Stop()
			return leave, ctx.Err()
		case <-t.C:
		}
	}
	return leave, nil
}

// ListDevEnvironmentSessions implements devsessions.ListDevEnvironmentSessionsAPIClient.
func (c *Client) ListDevEnvironmentSessions(ctx context.Context, in *codecatalyst.ListDevEnvironmentSessionsInput,
	_ ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	leave, err := c.enter(ctx)
	defer leave()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	req := Request{
		Operation: OpListDevEnvironmentSessions,
		SpaceName: deref(in.SpaceName), ProjectName: deref(in.ProjectName), DevEnvironmentID: deref(in.DevEnvironmentId),
		MaxResults: copyPtr(in.MaxResults), NextToken: copyPtr(in.NextToken),
	}
	c.requests = append(c.requests, req)
	f := c.faults[len(c.requests)]
	if c.idCalls == nil {
		c.idCalls = make(map[string]int)
	}
	c.idCalls[req.DevEnvironmentID]++
	if sf, ok := c.idFaults[req.DevEnvironmentID][c.idCalls[req.DevEnvironmentID]]; ok {
		f = sf
	}
	if f.Err != nil {
		return nil, f.Err
	}
	if req.SpaceName == "" || req.ProjectName == "" || req.DevEnvironmentID == "" {
		return nil, validation("spaceName, projectName and devEnvironmentId are required")
	}
	if req.MaxResults != nil && (*req.MaxResults < 1 || *req.MaxResults > 200) {
		return nil, validation(fmt.Sprintf("maxResults must be between 1 and 200, got %d", *req.MaxResults))
	}
	sessions := c.sessions
	if c.byEnv != nil {
		var ok bool
		if sessions, ok = c.byEnv[req.DevEnvironmentID]; !ok {
			msg := "dev environment " + req.DevEnvironmentID + " not found"
			return nil, &types.ResourceNotFoundException{Message: &msg}
		}
	}
	items, next, err := cutPage(c, req, f, sessions)
	if err != nil {
		return nil, err
	}
	return &codecatalyst.ListDevEnvironmentSessionsOutput{Items: items, NextToken: next}, nil
}

// ListDevEnvironments lists the client's dev environments as
// codecatalyst.Client.ListDevEnvironments does (see [NewSpaceClient]). It
// answers an empty space name, an empty (non-nil) project name, a
// maxResults outside 1..50, a bad nextToken and any filter with a
// *types.ValidationException.
func (c *Client) ListDevEnvironments(ctx context.Context, in *codecatalyst.ListDevEnvironmentsInput,
	_ ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentsOutput, error) {
	leave, err := c.enter(ctx)
	defer leave()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	req := Request{
		Operation: OpListDevEnvironments, SpaceName: deref(in.SpaceName), ProjectName: deref(in.ProjectName),
		MaxResults: copyPtr(in.MaxResults), NextToken: copyPtr(in.NextToken), Filters: copyFilters(in.Filters),
	}
	c.requests = append(c.requests, req)
	c.envCalls++
	f := c.faults[len(c.requests)]
	if sf, ok := c.envFaults[c.envCalls]; ok {
		f = sf
	}
	switch {
	case f.Err != nil:
		return nil, f.Err
	case req.SpaceName == "":
		return nil, validation("spaceName is required")
	case in.ProjectName != nil && req.ProjectName == "":
		return nil, validation("projectName must not be empty")
	case len(in.Filters) > 0:
		return nil, validation(fmt.Sprintf("filter key %s is not supported by this endpoint", deref(in.Filters[0].Key)))
	case req.MaxResults != nil && (*req.MaxResults < 1 || *req.MaxResults > 50):
		return nil, validation(fmt.Sprintf("maxResults must be between 1 and 50, got %d", *req.MaxResults))
	}
	envs := c.envs
	if in.ProjectName != nil {
		envs = nil
		for _, e := range c.envs {
			if deref(e.ProjectName) == req.ProjectName {
				envs = append(envs, e)
			}
		}
	}
	items, next, err := cutPage(c, req, f, envs)
	if err != nil {
		return nil, err
	}
	return &codecatalyst.ListDevEnvironmentsOutput{Items: items, NextToken: next}, nil
}

// cutPage cuts the page req asks for out of all, applying f. c.mu is held.
func cutPage[T any](c *Client, req Request, f Fault, all []T) ([]T, *string, error) {
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
			return nil, nil, validation("invalid nextToken")
		}
	}
	items := []T{}
	var next *string
	if f.Empty {
		t := fmt.Sprintf("tok-%d~%d", start, len(c.requests))
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
