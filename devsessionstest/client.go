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

// Client is an in-memory ListDevEnvironmentSessions: it serves a fixed list
// of sessions in order, to any space, project and dev environment name, and
// records every request. Its tokens look like "tok-25" (the offset of the
// page's first item) so that tests can read them; code under test must
// treat them as opaque.
//
// Like the service it answers a maxResults outside 1..200, an empty or
// unknown nextToken and an empty name with a *types.ValidationException.
// Faults set with [Client.Script] change what one call returns.
//
// A Client is safe for concurrent use. Set the exported fields before the
// first call.
type Client struct {
	// PageSize is the number of items on a page when a request has no
	// maxResults. 0 means DefaultPageSize.
	PageSize int32

	// Latency is how long every call takes; a cancelled context ends the
	// wait with the context's error. 0 means no delay.
	Latency time.Duration

	mu       sync.Mutex
	sessions []types.DevEnvironmentSessionSummary
	faults   map[int]Fault
	requests []Request
	served   int
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
	SpaceName, ProjectName, DevEnvironmentID string
	MaxResults                               *int32
	NextToken                                *string
}

// NewClient returns a Client serving sessions (the slice is copied).
func NewClient(sessions []types.DevEnvironmentSessionSummary) *Client {
	return &Client{sessions: append([]types.DevEnvironmentSessionSummary(nil), sessions...)}
}

// Script makes call number call (1 for the first) return as f says.
func (c *Client) Script(call int, f Fault) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.faults == nil {
		c.faults = make(map[int]Fault)
	}
	c.faults[call] = f
}

// Requests returns a copy of the requests received so far, in order,
// including those answered with an error.
func (c *Client) Requests() []Request {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Request(nil), c.requests...)
}

// Calls returns how many calls the client has received.
func (c *Client) Calls() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.requests)
}

// ItemsServed returns how many items the client has put on pages so far.
func (c *Client) ItemsServed() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.served
}

// ListDevEnvironmentSessions implements devsessions.ListDevEnvironmentSessionsAPIClient.
func (c *Client) ListDevEnvironmentSessions(ctx context.Context, in *codecatalyst.ListDevEnvironmentSessionsInput,
	_ ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	if c.Latency > 0 {
		t := time.NewTimer(c.Latency)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	req := Request{SpaceName: deref(in.SpaceName), ProjectName: deref(in.ProjectName), DevEnvironmentID: deref(in.DevEnvironmentId)}
	if in.MaxResults != nil {
		v := *in.MaxResults
		req.MaxResults = &v
	}
	if in.NextToken != nil {
		v := *in.NextToken
		req.NextToken = &v
	}
	c.requests = append(c.requests, req)
	f := c.faults[len(c.requests)]
	if f.Err != nil {
		return nil, f.Err
	}
	if req.SpaceName == "" || req.ProjectName == "" || req.DevEnvironmentID == "" {
		return nil, validation("spaceName, projectName and devEnvironmentId are required")
	}
	size := int(c.PageSize)
	if size == 0 {
		size = DefaultPageSize
	}
	if req.MaxResults != nil {
		if *req.MaxResults < 1 || *req.MaxResults > 200 {
			return nil, validation(fmt.Sprintf("maxResults must be between 1 and 200, got %d", *req.MaxResults))
		}
		size = int(*req.MaxResults)
	}
	start := 0
	if req.NextToken != nil {
		var ok bool
		if start, ok = parseToken(*req.NextToken, len(c.sessions)); !ok {
			return nil, validation("invalid nextToken")
		}
	}
	out := &codecatalyst.ListDevEnvironmentSessionsOutput{Items: []types.DevEnvironmentSessionSummary{}}
	end := start
	if f.Empty {
		next := fmt.Sprintf("tok-%d~%d", start, len(c.requests))
		out.NextToken = &next
	} else {
		end = min(start+size+f.Extra, len(c.sessions))
		out.Items = append(out.Items, c.sessions[start:end]...)
		c.served += end - start
		if end < len(c.sessions) {
			next := "tok-" + strconv.Itoa(end)
			out.NextToken = &next
		}
	}
	if f.NextToken != nil {
		v := *f.NextToken
		out.NextToken = &v
	}
	return out, nil
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

func validation(msg string) error {
	return &types.ValidationException{Message: &msg}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
