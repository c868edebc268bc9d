package devsessions_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// A consumer that goes on after errors and cancels its context: the
// cancellation is yielded once, and no dev environment is skipped.
func TestRedCancelIsYieldedOnceAndSkipsNothing(t *testing.T) {
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
