package devsessions_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// A consumer that goes on after errors and cancels its context: the
// cancellation is yielded once, and no dev environment is skipped.
func TestSpaceSessionsCancelIsYieldedOnceAndSkipsNothing(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	sp := newSpace(30, func(int) int { return 3 })
	for round := range 20 {
		fake := devsessionstest.NewSpaceClient(sp.envs, sp.sessions)
		ctx, cancel := context.WithCancel(t.Context())
		s := devsessions.NewSpaceSessions(fake, spaceInput(), func(o *devsessions.SpaceSessionsOptions) { o.Concurrency = 8 })
		var got []string
		var errs []error
		for it, err := range s.Items(ctx) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			got = append(got, aws.ToString(it.Session.Id))
			if len(got) == 2 {
				cancel()
				time.Sleep(20 * time.Millisecond) // the workers see it and finish
			}
		}
		cancel()
		require.Len(t, errs, 1, "round %d: %v", round, errs)
		require.ErrorIs(t, errs[0], context.Canceled)
		rest, err := devsessions.NewSpaceSessions(fake, spaceInput(), func(o *devsessions.SpaceSessionsOptions) {
			o.StartingToken = s.ResumeToken()
		}).Collect(t.Context())
		require.NoError(t, err)
		require.Equal(t, sp.want, append(got, spaceIDs(rest)...), "round %d", round)
	}
}

// A client that panics in two dev environments' session listings, over the
// real client, while the service throttles: the panic is raised on the
// caller's goroutine, and nothing it held (a permit, a pace) keeps the loop
// waiting until ctx ends.
func TestSpaceSessionsPanicUnderThrottlingIsRaised(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	sp := newSpace(3, func(int) int { return 4 })
	srv, err := devsessionstest.NewServer(devsessionstest.ServerOptions{DevEnvironments: sp.envs, Sessions: sp.sessions})
	require.NoError(t, err)
	defer srv.Close()
	srv.ScriptDevEnvironment(envID(0), 2, devsessionstest.ServerFault{Status: 429, Code: "ThrottlingException"})
	client := srv.Client(func(o *codecatalyst.Options) {
		o.Retryer = retry.AddWithMaxBackoffDelay(retry.NewStandard(), 5*time.Millisecond)
	})
	s := devsessions.NewSpaceSessions(&jitterClient{client, func(id string) time.Duration {
		if id == envID(1) || id == envID(2) {
			panic("client bug")
		}
		return 0
	}}, spaceInput(), func(o *devsessions.SpaceSessionsOptions) { o.Concurrency, o.SessionPageSize = 4, 1 })
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	var errs []error
	assert.PanicsWithValue(t, "client bug", func() {
		for _, err := range s.Items(ctx) {
			if err != nil {
				errs = append(errs, err)
			}
		}
	})
	assert.Empty(t, errs, "the loop reaches the panicking dev environment without waiting out ctx")
}
