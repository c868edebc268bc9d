package devsessions

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
)

// sender is the one place a run's requests go through: the caller's client
// with the loop's optFns (the caller's, then the pacer's gate) on every
// call, and at most conc ListDevEnvironmentSessions calls at a time,
// whoever sends them (a worker's pages, or its check). The feed's and the
// workers' paginators are given a sender, never the client. It is safe for
// concurrent use when the client is.
type sender struct {
	client   SpaceSessionsAPIClient
	optFns   []func(*codecatalyst.Options) // never appended to in place
	sessions chan struct{}                 // a slot for each session call in flight
	stats    *listingCounters              // counts every request
}

func newSender(client SpaceSessionsAPIClient, optFns []func(*codecatalyst.Options), pace *pacer, conc int, stats *listingCounters) *sender {
	// Clip: the caller's backing array is never written.
	return &sender{client: client, optFns: append(slices.Clip(optFns), pace.gate), sessions: make(chan struct{}, conc), stats: stats}
}

func (c *sender) ListDevEnvironments(ctx context.Context, in *codecatalyst.ListDevEnvironmentsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentsOutput, error) {
	c.stats.requests.Add(1)
	return c.client.ListDevEnvironments(ctx, in, append(slices.Clip(c.optFns), optFns...)...)
}

func (c *sender) ListDevEnvironmentSessions(ctx context.Context, in *codecatalyst.ListDevEnvironmentSessionsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	select {
	case c.sessions <- struct{}{}:
		defer func() { <-c.sessions }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	c.stats.requests.Add(1)
	return c.client.ListDevEnvironmentSessions(ctx, in, append(slices.Clip(c.optFns), optFns...)...)
}

// GetUserDetails is the client's (setup checked that it has it).
func (c *sender) GetUserDetails(ctx context.Context, in *codecatalyst.GetUserDetailsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.GetUserDetailsOutput, error) {
	c.stats.requests.Add(1)
	return c.client.(GetUserDetailsAPIClient).GetUserDetails(ctx, in, append(slices.Clip(c.optFns), optFns...)...)
}
