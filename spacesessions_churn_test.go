package devsessions_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// Dev environments deleted before the token's can leave its place beyond
// the end of the listing, where the service refuses the page token (the
// fake's tokens are offsets). The token's dev environment still exists:
// the resumed run finds it from the first page and continues inside it,
// instead of failing as an invalid StartingToken for good.
func TestSpaceSessionsResumeWhenDeletionsLeaveThePlaceBeyondTheEnd(t *testing.T) {
	sp := newSpace(8, func(int) int { return 3 }) // RUNNING: 0, 1, 2, 5, 6, 7
	opt := func(o *devsessions.SpaceSessionsOptions) { o.DevEnvironmentPageSize, o.SessionPageSize = 1, 1 }
	s := devsessions.NewSpaceSessions(devsessionstest.NewSpaceClient(sp.envs, sp.sessions), spaceInput(), opt,
		func(o *devsessions.SpaceSessionsOptions) { o.MaxItems = 16 })
	first, err := s.Collect(t.Context())
	require.NoError(t, err)
	require.Equal(t, sp.want[:16], spaceIDs(first))

	envs := slices.Clone(sp.envs[2:])
	var sessions []types.DevEnvironmentSessionSummary
	for _, ss := range sp.sessions {
		if id := *ss.DevEnvironmentId; id != envID(0) && id != envID(1) {
			sessions = append(sessions, ss)
		}
	}
	rest, err := devsessions.NewSpaceSessions(devsessionstest.NewSpaceClient(envs, sessions), spaceInput(), opt,
		func(o *devsessions.SpaceSessionsOptions) { o.StartingToken = s.ResumeToken() }).Collect(t.Context())
	require.NoError(t, err)
	require.Equal(t, []string{"s-7-1", "s-7-2"}, spaceIDs(rest))
}

// MaxItems reached on the last session of a dev environment is not the end
// when the next (last) one's listing has already failed: its error is
// pending and its sessions are not delivered, so ResumeToken is not "" and
// the resumed run delivers them.
func TestSpaceSessionsCapBeforeAFailedLastDevEnvironmentIsNotTheEnd(t *testing.T) {
	sp := newSpace(2, func(int) int { return 2 })
	fake := devsessionstest.NewSpaceClient(sp.envs, sp.sessions)
	fake.ScriptDevEnvironment(envID(1), 1, devsessionstest.Fault{Err: &types.ThrottlingException{Message: aws.String("injected")}})
	slow := &jitterClient{SpaceSessionsAPIClient: fake, delay: func(id string) time.Duration {
		if id == envID(0) {
			return 50 * time.Millisecond // the last one fails first
		}
		return 0
	}}
	s := devsessions.NewSpaceSessions(slow, spaceInput(), func(o *devsessions.SpaceSessionsOptions) { o.MaxItems = 2 })
	got, err := s.Collect(t.Context())
	require.NoError(t, err)
	require.Equal(t, []string{"s-0-0", "s-0-1"}, spaceIDs(got))
	require.NotEmpty(t, s.ResumeToken(), "the last dev environment's sessions remain")
	rest, err := devsessions.NewSpaceSessions(fake, spaceInput(), func(o *devsessions.SpaceSessionsOptions) {
		o.StartingToken = s.ResumeToken()
	}).Collect(t.Context())
	require.NoError(t, err)
	assert.Equal(t, []string{"s-1-0", "s-1-1"}, spaceIDs(rest))
}

// churnClient makes the first page of one listing different at every call
// (a new item at its head), so that the listing never settles.
type churnClient struct {
	devsessions.SpaceSessionsAPIClient
	envs, sessions bool // which listing churns
	mu             sync.Mutex
	n              int
}

func (c *churnClient) next() int { c.mu.Lock(); defer c.mu.Unlock(); c.n++; return c.n }

func (c *churnClient) ListDevEnvironments(ctx context.Context, in *codecatalyst.ListDevEnvironmentsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentsOutput, error) {
	out, err := c.SpaceSessionsAPIClient.ListDevEnvironments(ctx, in, optFns...)
	if err == nil && c.envs && in.NextToken == nil {
		extra := out.Items[0]
		extra.Id, extra.Status = aws.String(fmt.Sprintf("churn-%d", c.next())), types.DevEnvironmentStatusStopped
		out.Items = append([]types.DevEnvironmentSummary{extra}, out.Items...)
	}
	return out, err
}

func (c *churnClient) ListDevEnvironmentSessions(ctx context.Context, in *codecatalyst.ListDevEnvironmentSessionsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	out, err := c.SpaceSessionsAPIClient.ListDevEnvironmentSessions(ctx, in, optFns...)
	if err == nil && c.sessions && in.NextToken == nil {
		extra := out.Items[0]
		extra.Id = aws.String(fmt.Sprintf("churn-%d", c.next()))
		out.Items = append([]types.DevEnvironmentSessionSummary{extra}, out.Items...)
	}
	return out, err
}

// A listing of several pages that never settles (the dev environments', or
// a dev environment's sessions) is read maxReadings times and then left
// unsettled: no error, every session there all along delivered, and
// ResumeToken is not "" (a later run lists again).
func TestSpaceSessionsUnsettledListingIsNotTheEnd(t *testing.T) {
	for _, tc := range []struct {
		name           string
		envs, sessions bool
	}{
		{"dev environments that never settle", true, false},
		{"sessions that never settle", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sp := newSpace(2, func(int) int { return 2 })
			c := &churnClient{SpaceSessionsAPIClient: devsessionstest.NewSpaceClient(sp.envs, sp.sessions), envs: tc.envs, sessions: tc.sessions}
			s := devsessions.NewSpaceSessions(c, spaceInput(), func(o *devsessions.SpaceSessionsOptions) {
				o.DevEnvironmentPageSize, o.SessionPageSize = 1, 1
			})
			got, err := s.Collect(t.Context())
			require.NoError(t, err)
			assert.Subset(t, spaceIDs(got), sp.want, "every session there all along")
			assert.NotEmpty(t, s.ResumeToken(), "unsettled: not the end")
		})
	}
}

// MaxItems reached on the last session is not the end when an earlier dev
// environment failed: its sessions were not delivered.
func TestSpaceSessionsCapAfterAFailedDevEnvironmentIsNotTheEnd(t *testing.T) {
	sp := newSpace(2, func(int) int { return 2 })
	fake := devsessionstest.NewSpaceClient(sp.envs, sp.sessions)
	fake.ScriptDevEnvironment(envID(0), 1, devsessionstest.Fault{Err: &types.ThrottlingException{Message: aws.String("injected")}})
	s := devsessions.NewSpaceSessions(fake, spaceInput(), func(o *devsessions.SpaceSessionsOptions) { o.MaxItems = 2 })
	got, errs := goOnPastErrors(t, s)
	require.Len(t, errs, 1)
	var de *devsessions.DevEnvironmentError
	require.ErrorAs(t, errs[0], &de)
	require.Equal(t, []string{"s-1-0", "s-1-1"}, got)
	assert.NotEmpty(t, s.ResumeToken(), "the failed dev environment's sessions remain")
}
