package devsessions_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
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
	srv.ScriptDevEnvironment(envID(0), 2, devsessionstest.Fault{Status: 429, Code: "ThrottlingException"})
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

// A context cancelled inside the loop: the very next thing yielded is its
// error, once; it matches context.Canceled, is no dev environment's failure
// (no *DevEnvironmentError, no DevEnvironment), and nothing comes after it,
// even for a loop that goes on past errors.
func TestSpaceSessionsCancelIsTheLastThingYielded(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	sp := runningSpace(4, func(int) int { return 3 })
	for _, conc := range []int{1, 8} {
		fake := devsessionstest.NewSpaceClient(sp.envs, sp.sessions)
		ctx, cancel := context.WithCancel(t.Context())
		s := devsessions.NewSpaceSessions(fake, spaceInput(), func(o *devsessions.SpaceSessionsOptions) { o.Concurrency = conc })
		var after []devsessions.SpaceSession
		var afterErrs []error
		cancelled := false
		for it, err := range s.Items(ctx) {
			if cancelled {
				after, afterErrs = append(after, it), append(afterErrs, err)
				continue
			}
			require.NoError(t, err)
			cancel()
			cancelled = true
		}
		cancel()
		require.Len(t, afterErrs, 1, "concurrency %d: one thing after cancel: %v", conc, afterErrs)
		require.ErrorIs(t, afterErrs[0], context.Canceled)
		var de *devsessions.DevEnvironmentError
		assert.False(t, errors.As(afterErrs[0], &de), "not a dev environment's failure: %v", afterErrs[0])
		assert.Nil(t, after[0].DevEnvironment.Id, "no dev environment named")
		assert.Nil(t, after[0].Session.Id)
	}
}

// blockingSessions blocks every session listing until its ctx ends.
type blockingSessions struct {
	devsessions.SpaceSessionsAPIClient
}

func (blockingSessions) ListDevEnvironmentSessions(ctx context.Context, _ *codecatalyst.ListDevEnvironmentSessionsInput,
	_ ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// An expired context while sessions are listed: its error matches
// context.DeadlineExceeded and is no dev environment's failure.
func TestSpaceSessionsExpiredContextIsNoDevEnvironmentsFailure(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	sp := runningSpace(3, func(int) int { return 1 })
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	s := devsessions.NewSpaceSessions(blockingSessions{devsessionstest.NewSpaceClient(sp.envs, sp.sessions)}, spaceInput())
	var errs []error
	for it, err := range s.Items(ctx) {
		require.Error(t, err, "no session")
		assert.Nil(t, it.DevEnvironment.Id)
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	require.ErrorIs(t, errs[0], context.DeadlineExceeded)
	var de *devsessions.DevEnvironmentError
	assert.False(t, errors.As(errs[0], &de), "%v", errs[0])
	assert.NotEmpty(t, s.ResumeToken())
}

// inFlightPanic panics in ListDevEnvironments when panics says so, while
// the session listing of blocked is still in flight: that listing ends only
// after its ctx ends (or after 5 s), and then late. Every other session listing waits for
// the panic first when waitPanic is set.
type inFlightPanic struct {
	devsessions.SpaceSessionsAPIClient
	panics    func(call int, in *codecatalyst.ListDevEnvironmentsInput) bool
	blocked   string
	waitPanic bool

	mu       sync.Mutex
	calls    int
	panicked chan struct{} // closed at the panic
	once     sync.Once
	entered  chan struct{} // closed when the blocked listing is in flight
	returned atomic.Bool   // the blocked listing has returned
}

func (c *inFlightPanic) ListDevEnvironments(ctx context.Context, in *codecatalyst.ListDevEnvironmentsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentsOutput, error) {
	c.mu.Lock()
	c.calls++
	call := c.calls
	c.mu.Unlock()
	if c.panics(call, in) {
		<-c.entered // the blocked listing is in flight at the panic
		c.once.Do(func() { close(c.panicked) })
		panic("listing bug")
	}
	return c.SpaceSessionsAPIClient.ListDevEnvironments(ctx, in, optFns...)
}

func (c *inFlightPanic) ListDevEnvironmentSessions(ctx context.Context, in *codecatalyst.ListDevEnvironmentSessionsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	if *in.DevEnvironmentId != c.blocked {
		if c.waitPanic {
			<-c.panicked // the panic is pending before the first session is delivered
		}
		return c.SpaceSessionsAPIClient.ListDevEnvironmentSessions(ctx, in, optFns...)
	}
	close(c.entered)
	t := time.NewTimer(5 * time.Second) // a loop that never cancels it does not hang the test
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
	time.Sleep(50 * time.Millisecond) // still running well after the loop cancelled it
	c.returned.Store(true)
	return nil, errors.New("held")
}

// A client panic on a goroutine of the feed (its reader, which asks for the
// next page of dev environments ahead of the loop, or the check that reads
// the pages again at the end of the listing) reaches the
// caller only after every goroutine of the loop has ended, the session
// listing still in flight included, whether the loop breaks or goes on.
func TestSpaceSessionsPanicWaitsForListingsInFlight(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	sp := runningSpace(6, func(int) int { return 1 })
	cases := []struct {
		name    string
		breaks  bool
		blocked int
		wait    bool
		panics  func(call int, in *codecatalyst.ListDevEnvironmentsInput) bool
		want    []string
	}{
		{name: "prefetch, the loop breaks", breaks: true, blocked: 1, wait: true, want: []string{"s-0-0"},
			panics: func(_ int, in *codecatalyst.ListDevEnvironmentsInput) bool { return in.NextToken != nil }},
		{name: "prefetch, the loop goes on", blocked: 1, wait: true, want: []string{"s-0-0"},
			panics: func(_ int, in *codecatalyst.ListDevEnvironmentsInput) bool { return in.NextToken != nil }},
		{name: "the check of the first page, the loop goes on", blocked: 5, want: []string{"s-0-0", "s-1-0", "s-2-0", "s-3-0", "s-4-0"},
			panics: func(call int, in *codecatalyst.ListDevEnvironmentsInput) bool { return call > 1 && in.NextToken == nil }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := &inFlightPanic{SpaceSessionsAPIClient: devsessionstest.NewSpaceClient(sp.envs, sp.sessions),
				panics: tc.panics, blocked: envID(tc.blocked), waitPanic: tc.wait, panicked: make(chan struct{}), entered: make(chan struct{})}
			s := devsessions.NewSpaceSessions(c, spaceInput(), func(o *devsessions.SpaceSessionsOptions) {
				o.Concurrency, o.DevEnvironmentPageSize = 2, 2
			})
			var got []string
			func() {
				defer func() {
					assert.Equal(t, "listing bug", recover())
					assert.True(t, c.returned.Load(), "the listing in flight ended before the panic reached the caller")
				}()
				for it, err := range s.Items(t.Context()) {
					require.NoError(t, err)
					got = append(got, aws.ToString(it.Session.Id))
					if tc.breaks {
						break
					}
				}
			}()
			assert.Equal(t, tc.want, got)
		})
	}
}

// heldPages holds the second and later pages of envID(0)'s sessions until
// released (or, so that a loop that waits for them does not hang, for 2 s,
// noting that they were answered without being released); it notes when
// envID(1)'s sessions are asked for.
type heldPages struct {
	devsessions.SpaceSessionsAPIClient
	release   chan struct{}
	unheld    atomic.Bool
	otherAsk  chan struct{}
	otherOnce sync.Once
}

func (c *heldPages) ListDevEnvironmentSessions(ctx context.Context, in *codecatalyst.ListDevEnvironmentSessionsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	switch {
	case *in.DevEnvironmentId != envID(0):
		c.otherOnce.Do(func() { close(c.otherAsk) })
	case in.NextToken != nil:
		t := time.NewTimer(2 * time.Second)
		defer t.Stop()
		select {
		case <-c.release:
		case <-t.C:
			c.unheld.Store(true)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return c.SpaceSessionsAPIClient.ListDevEnvironmentSessions(ctx, in, optFns...)
}

// The dev environment at the head delivers its sessions as its pages
// arrive: its first session comes while its second page is still held, and
// the next dev environment is listed meanwhile.
func TestSpaceSessionsStreamsTheHeadDevEnvironment(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	sp := runningSpace(2, func(i int) int { return []int{10, 2}[i] })
	c := &heldPages{SpaceSessionsAPIClient: devsessionstest.NewSpaceClient(sp.envs, sp.sessions),
		release: make(chan struct{}), otherAsk: make(chan struct{})}
	s := devsessions.NewSpaceSessions(c, spaceInput(), func(o *devsessions.SpaceSessionsOptions) { o.SessionPageSize = 1 })
	var got []string
	for it, err := range s.Items(t.Context()) {
		require.NoError(t, err)
		if got = append(got, aws.ToString(it.Session.Id)); len(got) == 1 {
			<-c.otherAsk // the next dev environment is listed ahead
			assert.False(t, c.unheld.Load(), "the first session came while the second page was held")
			close(c.release)
		}
	}
	assert.Equal(t, sp.want, got)
}

// A panic in the loop body reaches the caller only after every goroutine of
// the loop has ended, the session listing still in flight included.
func TestSpaceSessionsLoopBodyPanicWaitsForListingsInFlight(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	sp := runningSpace(4, func(int) int { return 1 })
	c := &inFlightPanic{SpaceSessionsAPIClient: devsessionstest.NewSpaceClient(sp.envs, sp.sessions),
		panics:  func(int, *codecatalyst.ListDevEnvironmentsInput) bool { return false },
		blocked: envID(1), panicked: make(chan struct{}), entered: make(chan struct{})}
	s := devsessions.NewSpaceSessions(c, spaceInput(), func(o *devsessions.SpaceSessionsOptions) { o.Concurrency = 2 })
	defer func() {
		assert.Equal(t, "body bug", recover())
		assert.True(t, c.returned.Load(), "the listing in flight ended before the panic reached the caller")
	}()
	for _, err := range s.Items(t.Context()) {
		require.NoError(t, err)
		<-c.entered
		panic("body bug")
	}
}

// cancelingClient cancels the caller's context inside one operation's call
// and then fails it with an error of its own, as a transport would that
// noticed the cancellation first.
type cancelingClient struct {
	devsessions.SpaceSessionsAPIClient
	cancel   context.CancelFunc
	sessions bool // ListDevEnvironmentSessions, else ListDevEnvironments
}

var errTransport = errors.New("transport: connection reset")

func (c cancelingClient) ListDevEnvironments(ctx context.Context, in *codecatalyst.ListDevEnvironmentsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentsOutput, error) {
	if !c.sessions {
		c.cancel()
		return nil, errTransport
	}
	return c.SpaceSessionsAPIClient.ListDevEnvironments(ctx, in, optFns...)
}

func (c cancelingClient) ListDevEnvironmentSessions(ctx context.Context, in *codecatalyst.ListDevEnvironmentSessionsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	if c.sessions {
		c.cancel()
		return nil, errTransport
	}
	return c.SpaceSessionsAPIClient.ListDevEnvironmentSessions(ctx, in, optFns...)
}

// A failure of the feed or of a dev environment's listing under a
// cancelled context is reported as the cancellation, once: never as the
// failure, nor as a dev environment's failure.
func TestSpaceSessionsFailureUnderCancelIsTheCancellation(t *testing.T) {
	for _, tc := range []struct {
		name     string
		sessions bool
	}{
		{"ListDevEnvironments fails", false},
		{"ListDevEnvironmentSessions fails", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
			sp := runningSpace(1, func(int) int { return 1 })
			for range 20 { // the loop may see the cancellation or the failure first
				ctx, cancel := context.WithCancel(t.Context())
				c := cancelingClient{SpaceSessionsAPIClient: devsessionstest.NewSpaceClient(sp.envs, sp.sessions), cancel: cancel, sessions: tc.sessions}
				var errs []error
				for _, err := range devsessions.NewSpaceSessions(c, spaceInput()).Items(ctx) {
					require.Error(t, err, "no session")
					errs = append(errs, err)
				}
				cancel()
				require.Len(t, errs, 1)
				require.ErrorIs(t, errs[0], context.Canceled)
				assert.NotErrorIs(t, errs[0], errTransport)
				var de *devsessions.DevEnvironmentError
				assert.False(t, errors.As(errs[0], &de), "%v", errs[0])
			}
		})
	}
}

// panicsFor panics in the session listing of one dev environment.
type panicsFor struct {
	devsessions.SpaceSessionsAPIClient
	id       string
	panicked chan struct{} // closed just before the panic
}

func (c panicsFor) ListDevEnvironmentSessions(ctx context.Context, in *codecatalyst.ListDevEnvironmentSessionsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	if *in.DevEnvironmentId == c.id {
		close(c.panicked)
		panic("listing bug")
	}
	return c.SpaceSessionsAPIClient.ListDevEnvironmentSessions(ctx, in, optFns...)
}

// A panic in the session listing of a dev environment still ahead in the
// window when the loop breaks reaches the caller anyway, once the loop's
// goroutines have ended: a break does not swallow it.
func TestSpaceSessionsPanicAheadIsRaisedAfterABreak(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	sp := runningSpace(2, func(int) int { return 2 })
	c := panicsFor{devsessionstest.NewSpaceClient(sp.envs, sp.sessions), envID(1), make(chan struct{})}
	s := devsessions.NewSpaceSessions(c, spaceInput(),
		func(o *devsessions.SpaceSessionsOptions) { o.Concurrency = 2 })
	var got []string
	func() {
		defer func() { assert.Equal(t, "listing bug", recover()) }()
		for it, err := range s.Items(t.Context()) {
			require.NoError(t, err)
			got = append(got, aws.ToString(it.Session.Id))
			<-c.panicked // the panic is pending in the window
			break
		}
	}()
	assert.Equal(t, []string{"s-0-0"}, got)
}
