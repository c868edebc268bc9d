package devsessions_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// demoUser returns the demo user with that id as a devsessions.User.
func demoUser(t *testing.T, id string) devsessions.User {
	t.Helper()
	users := devsessionstest.DemoUsers()
	i := slices.IndexFunc(users, func(u devsessionstest.User) bool { return u.ID == id })
	require.GreaterOrEqual(t, i, 0, id)
	u := users[i]
	return devsessions.User{ID: u.ID, UserName: u.UserName, DisplayName: u.DisplayName, Email: u.Email}
}

// userRequests returns the ids GetUserDetails was asked for, in order.
func userRequests(c *devsessionstest.Client) []string {
	var out []string
	for _, r := range c.Requests() {
		if r.Operation == devsessionstest.OpGetUserDetails {
			out = append(out, aws.ToString(r.UserID))
		}
	}
	return out
}

// creatorsWithSessions returns the distinct creatorIds of the dev
// environments of sessions, sorted.
func creatorsWithSessions(items []devsessions.SpaceSession) []string {
	var out []string
	for _, it := range items {
		if c := aws.ToString(it.DevEnvironment.CreatorId); !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}

func resolveCreators(o *devsessions.SpaceSessionsOptions) { o.ResolveCreators = true }

func TestSpaceSessionsResolveCreatorsOncePerUser(t *testing.T) {
	for _, conc := range []int{1, 3, 8} {
		client := devsessionstest.NewDataClient(devsessionstest.DemoData(3))
		got, err := devsessions.NewSpaceSessions(client, watchedSpace(), resolveCreators, func(o *devsessions.SpaceSessionsOptions) {
			o.Concurrency, o.SessionPageSize = conc, 2
		}).Collect(t.Context())
		require.NoError(t, err)
		require.Len(t, got, len(demoSessionIDs(3)))
		for _, s := range got {
			assert.Equal(t, demoUser(t, aws.ToString(s.DevEnvironment.CreatorId)), s.Creator, "concurrency %d", conc)
		}
		asked := userRequests(client)
		want := creatorsWithSessions(got)
		assert.Len(t, asked, len(want), "concurrency %d: one request per distinct creator (alice has two dev environments)", conc)
		slices.Sort(asked)
		assert.Equal(t, want, asked, "concurrency %d: only the creators of dev environments with sessions", conc)
	}
}

func TestSpaceSessionsCreatorIsTheIDWithoutResolveCreators(t *testing.T) {
	client := devsessionstest.NewDataClient(devsessionstest.DemoData(3))
	got, err := devsessions.NewSpaceSessions(client, watchedSpace()).Collect(t.Context())
	require.NoError(t, err)
	for _, s := range got {
		assert.Equal(t, devsessions.User{ID: aws.ToString(s.DevEnvironment.CreatorId)}, s.Creator)
	}
	assert.Empty(t, userRequests(client))
}

// listOnly has the two list operations and not GetUserDetails.
type listOnly struct{ c *devsessionstest.Client }

func (l listOnly) ListDevEnvironments(ctx context.Context, in *codecatalyst.ListDevEnvironmentsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentsOutput, error) {
	return l.c.ListDevEnvironments(ctx, in, optFns...)
}

func (l listOnly) ListDevEnvironmentSessions(ctx context.Context, in *codecatalyst.ListDevEnvironmentSessionsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	return l.c.ListDevEnvironmentSessions(ctx, in, optFns...)
}

func TestResolveCreatorsWithoutGetUserDetailsIsInvalidInput(t *testing.T) {
	fake := devsessionstest.NewDataClient(devsessionstest.DemoData(3))
	_, err := devsessions.NewSpaceSessions(listOnly{fake}, watchedSpace(), resolveCreators).Collect(t.Context())
	require.ErrorIs(t, err, devsessions.ErrInvalidParameter)
	assert.Contains(t, err.Error(), "ResolveCreators needs a client with GetUserDetails")

	w := devsessions.NewSessionWatcher(listOnly{fake}, watchedSpace(), func(o *devsessions.SessionWatcherOptions) { o.ResolveCreators = true })
	polls, _ := watchPolls(t, w, 1, nil)
	require.Len(t, polls[0].errs, 1)
	assert.ErrorIs(t, polls[0].errs[0], devsessions.ErrInvalidParameter)
	assert.Zero(t, fake.Calls(), "no request")
}

func TestSpaceSessionsUnresolvableCreatorIsTheIDOnly(t *testing.T) {
	data := devsessionstest.DemoData(3)
	data.Users = slices.DeleteFunc(data.Users, func(u devsessionstest.User) bool { return u.ID == "user-bob" }) // unknown: 404
	client := devsessionstest.NewDataClient(data)
	client.ScriptOperation(devsessionstest.OpGetUserDetails, 1, devsessionstest.Fault{Err: errUnavailable}) // the first one fails
	s := devsessions.NewSpaceSessions(client, watchedSpace(), resolveCreators, func(o *devsessions.SpaceSessionsOptions) { o.Concurrency = 1 })
	got, err := s.Collect(t.Context())
	require.NoError(t, err, "not an error of the listing")
	assert.Empty(t, s.ResumeToken(), "complete")
	first := userRequests(client)[0]
	for _, it := range got {
		id := aws.ToString(it.DevEnvironment.CreatorId)
		if id == "user-bob" || id == first {
			assert.Equal(t, devsessions.User{ID: id}, it.Creator)
		} else {
			assert.Equal(t, demoUser(t, id), it.Creator)
		}
	}
	assert.Equal(t, "user-alice", first)
}

// gatedUsers holds every GetUserDetails answer until the listing has asked
// for a second page of the demo dev environment's sessions.
type gatedUsers struct {
	*devsessionstest.Client
	secondPage chan struct{}
	once       sync.Once
}

func (g *gatedUsers) ListDevEnvironmentSessions(ctx context.Context, in *codecatalyst.ListDevEnvironmentSessionsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	if in.NextToken != nil && aws.ToString(in.DevEnvironmentId) == devsessionstest.DemoDevEnvironment {
		g.once.Do(func() { close(g.secondPage) })
	}
	return g.Client.ListDevEnvironmentSessions(ctx, in, optFns...)
}

func (g *gatedUsers) GetUserDetails(ctx context.Context, in *codecatalyst.GetUserDetailsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.GetUserDetailsOutput, error) {
	select {
	case <-g.secondPage:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return g.Client.GetUserDetails(ctx, in, optFns...)
}

// The demo dev environment's creator is asked for after its first page,
// and answers only once its second page has been asked for: resolving
// does not hold up the listing. (Were it sequential, the deadline would
// end the test with a creator of the id only.)
func TestSpaceSessionsResolvesCreatorsWhileListing(t *testing.T) {
	client := &gatedUsers{Client: devsessionstest.NewDataClient(devsessionstest.DemoData(5)), secondPage: make(chan struct{})}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute) // only so that a failure cannot hang
	defer cancel()
	got, err := devsessions.NewSpaceSessions(client, watchedSpace(), resolveCreators, func(o *devsessions.SpaceSessionsOptions) {
		o.Concurrency, o.SessionPageSize = 1, 2
	}).Collect(ctx)
	require.NoError(t, err)
	assert.Equal(t, demoUser(t, "user-alice"), got[0].Creator)
}

// optionsCounter records how many optFns each GetUserDetails call gets and
// what they set.
type optionsCounter struct {
	*devsessionstest.Client
	counts  []int
	regions []string
}

func (o *optionsCounter) GetUserDetails(ctx context.Context, in *codecatalyst.GetUserDetailsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.GetUserDetailsOutput, error) {
	var opts codecatalyst.Options
	for _, fn := range optFns {
		fn(&opts)
	}
	o.counts = append(o.counts, len(optFns))
	o.regions = append(o.regions, opts.Region)
	return o.Client.GetUserDetails(ctx, in, optFns...)
}

func TestSpaceSessionsResolveCreatorsWithTheCallersOptionsAndThePacer(t *testing.T) {
	client := &optionsCounter{Client: devsessionstest.NewDataClient(devsessionstest.DemoData(1))}
	mark := func(o *codecatalyst.Options) { o.Region = "caller-option" }
	_, err := devsessions.NewSpaceSessions(client, watchedSpace(), resolveCreators, func(o *devsessions.SpaceSessionsOptions) {
		o.Concurrency = 1 // the fake's requests are recorded without a lock: one at a time
	}).Collect(t.Context(), mark)
	require.NoError(t, err)
	require.NotEmpty(t, client.counts)
	for i := range client.counts {
		assert.Equal(t, 2, client.counts[i], "the caller's option and the pacer's gate")
		assert.Equal(t, "caller-option", client.regions[i])
	}
}

// panicUsers panics on GetUserDetails.
type panicUsers struct{ *devsessionstest.Client }

func (panicUsers) GetUserDetails(context.Context, *codecatalyst.GetUserDetailsInput,
	...func(*codecatalyst.Options)) (*codecatalyst.GetUserDetailsOutput, error) {
	panic("GetUserDetails exploded")
}

func TestSpaceSessionsResolveCreatorsPanicReachesTheCaller(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	client := panicUsers{devsessionstest.NewDataClient(devsessionstest.DemoData(3))}
	assert.PanicsWithValue(t, "GetUserDetails exploded", func() {
		for _, err := range devsessions.NewSpaceSessions(client, watchedSpace(), resolveCreators).Items(t.Context()) {
			require.NoError(t, err)
		}
	})
}

func TestSessionWatcherResolvesCreatorsEachPoll(t *testing.T) {
	data := devsessionstest.DemoData(2)
	client := devsessionstest.NewDataClient(data)
	w := devsessions.NewSessionWatcher(client, watchedSpace(), func(o *devsessions.SessionWatcherOptions) { o.ResolveCreators = true })
	polls, _ := watchPolls(t, w, 2, nil)
	require.Len(t, polls[0].events, len(data.Sessions))
	for _, ev := range polls[0].events {
		assert.Equal(t, demoUser(t, aws.ToString(ev.Session.DevEnvironment.CreatorId)), ev.Session.Creator)
	}
	assert.Empty(t, polls[1].lines)
	var sessions []devsessions.SpaceSession
	for _, ev := range polls[0].events {
		sessions = append(sessions, ev.Session)
	}
	assert.Len(t, userRequests(client), 2*len(creatorsWithSessions(sessions)), "each creator once a poll")
}

// Over HTTPS through the real client, creators are resolved too.
func TestSpaceSessionsResolveCreatorsWithTheRealClient(t *testing.T) {
	srv, err := devsessionstest.NewServer(devsessionstest.ServerOptions{Token: secret, Data: devsessionstest.DemoData(3)})
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	got, err := devsessions.NewSpaceSessions(srv.Client(), watchedSpace(), resolveCreators).Collect(t.Context())
	require.NoError(t, err)
	require.NotEmpty(t, got)
	for _, s := range got {
		assert.Equal(t, demoUser(t, aws.ToString(s.DevEnvironment.CreatorId)), s.Creator)
	}
}
