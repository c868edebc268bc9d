package devsessions_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

func TestSpaceSessionsStatsCountWhatTheListingDid(t *testing.T) {
	cases := map[string]struct {
		statuses []types.DevEnvironmentStatus
		resolve  bool
		passed   int64 // of the demo space's 13 dev environments
	}{
		"RUNNING only":        {nil, false, 6},
		"RUNNING and STOPPED": {[]types.DevEnvironmentStatus{types.DevEnvironmentStatusRunning, types.DevEnvironmentStatusStopped}, false, 3},
		"with creators":       {nil, true, 6},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			client := devsessionstest.NewDataClient(devsessionstest.DemoData(3))
			s := devsessions.NewSpaceSessions(client, watchedSpace(), func(o *devsessions.SpaceSessionsOptions) {
				o.Statuses, o.ResolveCreators = tc.statuses, tc.resolve
			})
			assert.Zero(t, s.Stats(), "nothing before the first loop")
			got, err := s.Collect(t.Context())
			require.NoError(t, err)
			assert.Equal(t, devsessions.ListingStats{
				DevEnvironmentsListed: 13, DevEnvironmentsPassedOver: tc.passed,
				SessionsDelivered: int64(len(got)), Requests: int64(client.Calls()),
			}, s.Stats(), "a fake runs no middleware: no throttling, no pacing")
		})
	}
}

// callCounter counts the calls a client is given, every one (the fake's
// Calls leaves out those made with a done context, as the SDK sends
// nothing then: a listing's calls in flight when a loop breaks).
type callCounter struct {
	*devsessionstest.Client
	calls atomic.Int64
}

func (c *callCounter) ListDevEnvironments(ctx context.Context, in *codecatalyst.ListDevEnvironmentsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentsOutput, error) {
	c.calls.Add(1)
	return c.Client.ListDevEnvironments(ctx, in, optFns...)
}

func (c *callCounter) ListDevEnvironmentSessions(ctx context.Context, in *codecatalyst.ListDevEnvironmentSessionsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	c.calls.Add(1)
	return c.Client.ListDevEnvironmentSessions(ctx, in, optFns...)
}

func TestSpaceSessionsStatsAddUpOverLoops(t *testing.T) {
	client := &callCounter{Client: devsessionstest.NewDataClient(devsessionstest.DemoData(3))}
	s := devsessions.NewSpaceSessions(client, watchedSpace())
	n := 0
	for _, err := range s.Items(t.Context()) {
		require.NoError(t, err)
		if n++; n == 2 {
			break
		}
	}
	assert.Equal(t, int64(2), s.Stats().SessionsDelivered)
	rest, err := s.Collect(t.Context()) // goes on from the break
	require.NoError(t, err)
	st := s.Stats()
	assert.Equal(t, int64(2+len(rest)), st.SessionsDelivered)
	assert.Equal(t, client.calls.Load(), st.Requests, "every call to the client, those of the first loop in flight at its break too")
}

// Through the real client, Throttled counts the attempts the endpoint
// throttled, and the pacer's waits after them are counted.
func TestSpaceSessionsStatsCountThrottlingAndPacing(t *testing.T) {
	envs, sessions := watchFixture(50, 0, 1)
	srv, err := devsessionstest.NewServer(devsessionstest.ServerOptions{Token: secret, DevEnvironments: envs, Sessions: sessions})
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	srv.Script(30, devsessionstest.Fault{Status: 429})
	srv.Script(31, devsessionstest.Fault{Status: 429})
	s := devsessions.NewSpaceSessions(srv.Client(fastRetry), watchedSpaceOf(watchSpaceName))
	got, err := s.Collect(t.Context())
	require.NoError(t, err)
	require.Len(t, got, len(sessions))
	st := s.Stats()
	assert.Equal(t, int64(2), st.Throttled)
	assert.Positive(t, st.PacerWait, "after a throttled attempt the listing is paced")
	assert.Equal(t, int64(50), st.DevEnvironmentsListed)
	assert.Equal(t, int64(len(got)), st.SessionsDelivered)
	assert.Equal(t, int64(len(srv.Requests())-2), st.Requests, "a request retried counts once")
}

func TestSpaceSessionsStatsFromAnotherGoroutineDuringALoop(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	client := devsessionstest.NewDataClient(devsessionstest.DemoData(40))
	s := devsessions.NewSpaceSessions(client, watchedSpace(), func(o *devsessions.SpaceSessionsOptions) { o.SessionPageSize = 1 })
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(1)
	var snapshots []devsessions.ListingStats
	go func() {
		defer wg.Done()
		for ctx.Err() == nil {
			snapshots = append(snapshots, s.Stats())
		}
	}()
	n := 0
	for _, err := range s.Items(ctx) {
		require.NoError(t, err)
		n++
	}
	cancel()
	wg.Wait()
	require.NotEmpty(t, snapshots)
	for i := 1; i < len(snapshots); i++ {
		a, b := snapshots[i-1], snapshots[i]
		require.True(t, a.Requests <= b.Requests && a.SessionsDelivered <= b.SessionsDelivered && a.DevEnvironmentsListed <= b.DevEnvironmentsListed,
			"counts only grow: %+v then %+v", a, b)
	}
	assert.Equal(t, int64(n), s.Stats().SessionsDelivered)
}

func TestSessionWatcherStats(t *testing.T) {
	envs, sessions := devsessionstest.DemoSpaceData(2)
	space := newSwapSpace(envs, sessions)
	w := devsessions.NewSessionWatcher(space, watchedSpace())
	assert.Zero(t, w.Stats())
	var during devsessions.WatcherStats
	polls, _ := watchPolls(t, w, 2, func(int) {
		during = w.Stats()
		space.set(devsessionstest.NewSpaceClient(envs, sessions[1:])) // one session ends
	})
	require.Len(t, polls, 2)
	perPoll := devsessions.ListingStats{DevEnvironmentsListed: 13, DevEnvironmentsPassedOver: 6, SessionsDelivered: int64(len(sessions)), Requests: 8}
	assert.Equal(t, devsessions.WatcherStats{Polls: 1, Started: int64(len(sessions)), Poll: perPoll, Total: perPoll}, during)
	second := perPoll
	second.SessionsDelivered--
	assert.Equal(t, devsessions.WatcherStats{Polls: 2, Started: int64(len(sessions)), Ended: 1, ConfirmRequests: 1, Poll: second,
		Total: devsessions.ListingStats{DevEnvironmentsListed: 26, DevEnvironmentsPassedOver: 12,
			SessionsDelivered: perPoll.SessionsDelivered + second.SessionsDelivered, Requests: 16}}, w.Stats())
}

func watchedSpaceOf(space string) *codecatalyst.ListDevEnvironmentsInput {
	return &codecatalyst.ListDevEnvironmentsInput{SpaceName: aws.String(space)}
}
