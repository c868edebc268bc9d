package devsessions_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

const testSpace = "test-space"

// space is a generated space: its dev environments, their sessions, and the
// session ids a listing of the RUNNING ones delivers, in order.
type space struct {
	envs     []types.DevEnvironmentSummary
	sessions []types.DevEnvironmentSessionSummary
	want     []string // "<env index>/<session id>" of RUNNING dev environments
}

func envID(i int) string { return fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i) }

// newSpace makes n dev environments over 3 projects; statuses cycle through
// RUNNING (most), STOPPED and STARTING; a RUNNING one has perEnv(i) sessions.
func newSpace(n int, perEnv func(i int) int) space {
	var sp space
	epoch := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		status := types.DevEnvironmentStatusRunning
		switch i % 5 {
		case 3:
			status = types.DevEnvironmentStatusStopped
		case 4:
			if i%2 == 0 {
				status = types.DevEnvironmentStatusStarting
			}
		}
		project := fmt.Sprintf("project-%d", i%3)
		id := envID(i)
		sp.envs = append(sp.envs, types.DevEnvironmentSummary{
			SpaceName: aws.String(testSpace), ProjectName: aws.String(project), Id: aws.String(id),
			Alias: aws.String(fmt.Sprintf("env-%d", i)), Status: status, CreatorId: aws.String("creator"),
			InstanceType: types.InstanceTypeDevStandard1Small, LastUpdatedTime: aws.Time(epoch),
			InactivityTimeoutMinutes: 15, Repositories: []types.DevEnvironmentRepositorySummary{},
			PersistentStorage: &types.PersistentStorage{SizeInGiB: aws.Int32(16)},
		})
		k := perEnv(i)
		for j := range k {
			sid := fmt.Sprintf("s-%d-%d", i, j)
			started := epoch.Add(time.Duration(j) * time.Minute)
			sp.sessions = append(sp.sessions, types.DevEnvironmentSessionSummary{
				SpaceName: aws.String(testSpace), ProjectName: aws.String(project), DevEnvironmentId: aws.String(id),
				Id: aws.String(sid), StartedTime: &started,
			})
			if status == types.DevEnvironmentStatusRunning {
				sp.want = append(sp.want, sid)
			}
		}
	}
	return sp
}

func spaceInput() *codecatalyst.ListDevEnvironmentsInput {
	return &codecatalyst.ListDevEnvironmentsInput{SpaceName: aws.String(testSpace)}
}

// goOnPastErrors runs s.Items to the end, going on past every error, and
// returns the ids of the sessions delivered and the errors, in order.
func goOnPastErrors(t *testing.T, s *devsessions.SpaceSessions) (ids []string, errs []error) {
	t.Helper()
	for it, err := range s.Items(t.Context()) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, aws.ToString(it.Session.Id))
	}
	return ids, errs
}

func spaceIDs(items []devsessions.SpaceSession) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, aws.ToString(it.Session.Id))
	}
	return out
}

// jitterClient delays every session listing by a different amount per dev
// environment, so that listings finish out of order.
type jitterClient struct {
	devsessions.SpaceSessionsAPIClient
	delay func(id string) time.Duration
}

func (j *jitterClient) ListDevEnvironmentSessions(ctx context.Context, in *codecatalyst.ListDevEnvironmentSessionsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	select {
	case <-time.After(j.delay(aws.ToString(in.DevEnvironmentId))):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return j.SpaceSessionsAPIClient.ListDevEnvironmentSessions(ctx, in, optFns...)
}

func jitter(id string) time.Duration {
	var n int
	fmt.Sscanf(id[:8], "%x", &n)
	return time.Duration((n*7919)%9) * time.Millisecond
}

func sessionRequests(reqs []devsessionstest.Request) map[string]int {
	out := map[string]int{}
	for _, r := range reqs {
		if r.Operation == devsessionstest.OpListDevEnvironmentSessions {
			out[r.DevEnvironmentID]++
		}
	}
	return out
}

func TestSpaceSessionsOrder(t *testing.T) {
	sp := newSpace(40, func(i int) int { return i % 4 })
	cases := []struct {
		name        string
		concurrency int
		envPage     int32
		sessionPage int32
	}{
		{name: "one listing at a time", concurrency: 1},
		{name: "two at a time, small pages", concurrency: 2, envPage: 3, sessionPage: 1},
		{name: "the default", concurrency: 0},
		{name: "more listings than dev environments per page", concurrency: 64, envPage: 5, sessionPage: 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
			fake := devsessionstest.NewSpaceClient(sp.envs, sp.sessions)
			s := devsessions.NewSpaceSessions(&jitterClient{fake, jitter}, spaceInput(), func(o *devsessions.SpaceSessionsOptions) {
				o.Concurrency, o.DevEnvironmentPageSize, o.SessionPageSize = tc.concurrency, tc.envPage, tc.sessionPage
			})
			got, err := s.Collect(t.Context())
			require.NoError(t, err)
			assert.Equal(t, sp.want, spaceIDs(got), "dev environments in listing order, sessions in service order")
			for _, it := range got {
				assert.Equal(t, aws.ToString(it.Session.DevEnvironmentId), aws.ToString(it.DevEnvironment.Id), "each session comes with its own dev environment")
			}
			assert.Empty(t, s.ResumeToken(), "nothing remains")
			asked := sessionRequests(fake.Requests())
			for _, e := range sp.envs {
				if e.Status == types.DevEnvironmentStatusRunning {
					assert.Positive(t, asked[*e.Id], "RUNNING %s is asked", *e.Id)
				} else {
					assert.Zero(t, asked[*e.Id], "%s %s is never asked: it has no sessions", e.Status, *e.Id)
				}
			}
		})
	}
	t.Run("Statuses chooses whose sessions are asked for", func(t *testing.T) {
		fake := devsessionstest.NewSpaceClient(sp.envs, sp.sessions)
		s := devsessions.NewSpaceSessions(fake, spaceInput(), func(o *devsessions.SpaceSessionsOptions) {
			o.Statuses = []types.DevEnvironmentStatus{types.DevEnvironmentStatusStopped}
		})
		got, err := s.Collect(t.Context())
		require.NoError(t, err)
		var want []string
		for _, ss := range sp.sessions {
			var i, j int
			fmt.Sscanf(aws.ToString(ss.Id), "s-%d-%d", &i, &j)
			if sp.envs[i].Status == types.DevEnvironmentStatusStopped {
				want = append(want, aws.ToString(ss.Id))
			}
		}
		assert.Equal(t, want, spaceIDs(got))
		for id := range sessionRequests(fake.Requests()) {
			var i int
			fmt.Sscanf(id[:8], "%x", &i)
			assert.Equal(t, types.DevEnvironmentStatusStopped, sp.envs[i].Status)
		}
	})
	t.Run("a project scopes the listing", func(t *testing.T) {
		fake := devsessionstest.NewSpaceClient(sp.envs, sp.sessions)
		in := spaceInput()
		in.ProjectName = aws.String("project-1")
		got, err := devsessions.NewSpaceSessions(fake, in).Collect(t.Context())
		require.NoError(t, err)
		require.NotEmpty(t, got)
		for _, it := range got {
			assert.Equal(t, "project-1", aws.ToString(it.DevEnvironment.ProjectName))
		}
	})
}

// countingClient records, for each session request, how many dev
// environments ahead of the one being delivered it concerns.
type countingClient struct {
	devsessions.SpaceSessionsAPIClient
	mu        sync.Mutex
	delivered int // index of the dev environment the caller is on
	maxAhead  int
	inFlight  int
	maxFlight int
}

func (c *countingClient) ListDevEnvironmentSessions(ctx context.Context, in *codecatalyst.ListDevEnvironmentSessionsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	var i int
	fmt.Sscanf(aws.ToString(in.DevEnvironmentId)[:8], "%x", &i)
	c.mu.Lock()
	c.maxAhead = max(c.maxAhead, i-c.delivered)
	c.inFlight++
	c.maxFlight = max(c.maxFlight, c.inFlight)
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.inFlight--
		c.mu.Unlock()
	}()
	time.Sleep(2 * time.Millisecond)
	return c.SpaceSessionsAPIClient.ListDevEnvironmentSessions(ctx, in, optFns...)
}

func TestSpaceSessionsConcurrencyIsBounded(t *testing.T) {
	sp := newSpace(60, func(int) int { return 2 })
	for _, conc := range []int{1, 3, 8} {
		t.Run(fmt.Sprint("concurrency ", conc), func(t *testing.T) {
			defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
			c := &countingClient{SpaceSessionsAPIClient: devsessionstest.NewSpaceClient(sp.envs, sp.sessions)}
			s := devsessions.NewSpaceSessions(c, spaceInput(), func(o *devsessions.SpaceSessionsOptions) { o.Concurrency = conc })
			var got []string
			for it, err := range s.Items(t.Context()) {
				require.NoError(t, err)
				var i int
				fmt.Sscanf(aws.ToString(it.DevEnvironment.Id)[:8], "%x", &i)
				c.mu.Lock()
				c.delivered = i
				c.mu.Unlock()
				got = append(got, aws.ToString(it.Session.Id))
				time.Sleep(time.Millisecond) // a caller slower than the listings
			}
			assert.Equal(t, sp.want, got)
			assert.LessOrEqual(t, c.maxFlight, conc, "session listings in flight")
			if conc > 1 {
				assert.Greater(t, c.maxFlight, 1, "listings overlap")
			}
			// The window holds at most conc dev environments to list and 4*conc in
			// all, so no request concerns a dev environment further ahead.
			assert.Less(t, c.maxAhead, 4*conc, "dev environments listed ahead of the caller")
		})
	}
}

func TestSpaceSessionsResumesExactly(t *testing.T) {
	sp := newSpace(25, func(i int) int { return (i * 7) % 5 })
	t.Run("MaxItems chains deliver every session once", func(t *testing.T) {
		for _, maxItems := range []int32{1, 2, 3, 7, 100} {
			fake := devsessionstest.NewSpaceClient(sp.envs, sp.sessions)
			var got []string
			tok := ""
			for run := 0; ; run++ {
				require.Less(t, run, 200)
				s := devsessions.NewSpaceSessions(fake, spaceInput(), func(o *devsessions.SpaceSessionsOptions) {
					o.MaxItems, o.StartingToken, o.Concurrency, o.SessionPageSize, o.DevEnvironmentPageSize = maxItems, tok, 4, 2, 3
				})
				items, err := s.Collect(t.Context())
				require.NoError(t, err)
				assert.LessOrEqual(t, len(items), int(maxItems))
				got = append(got, spaceIDs(items)...)
				if tok = s.ResumeToken(); tok == "" {
					break
				}
			}
			assert.Equal(t, sp.want, got, "MaxItems %d", maxItems)
		}
	})
	t.Run("a break at every session resumes at the next, leaving no goroutine", func(t *testing.T) {
		defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
		for k := range len(sp.want) {
			fake := devsessionstest.NewSpaceClient(sp.envs, sp.sessions)
			s := devsessions.NewSpaceSessions(fake, spaceInput(), func(o *devsessions.SpaceSessionsOptions) { o.SessionPageSize = 2 })
			var got []string
			for it, err := range s.Items(t.Context()) {
				require.NoError(t, err)
				got = append(got, aws.ToString(it.Session.Id))
				if len(got) == k+1 {
					break
				}
			}
			tok := s.ResumeToken()
			if tok == "" { // nothing remains: only after the last session
				assert.Equal(t, sp.want, got, "break after %d", k+1)
				continue
			}
			rest, err := devsessions.NewSpaceSessions(fake, spaceInput(), func(o *devsessions.SpaceSessionsOptions) {
				o.StartingToken = tok
			}).Collect(t.Context())
			require.NoError(t, err)
			assert.Equal(t, sp.want, append(got, spaceIDs(rest)...), "break after %d", k+1)
		}
	})
	t.Run("the same value continues where its last loop stopped", func(t *testing.T) {
		fake := devsessionstest.NewSpaceClient(sp.envs, sp.sessions)
		s := devsessions.NewSpaceSessions(fake, spaceInput())
		var got []string
		for len(got) < len(sp.want) {
			for it, err := range s.Items(t.Context()) {
				require.NoError(t, err)
				got = append(got, aws.ToString(it.Session.Id))
				break
			}
		}
		assert.Equal(t, sp.want, got)
	})
}

// Random spaces, options, breaks and injected failures, resumed from
// ResumeToken until it says nothing remains, deliver every session once.
func TestSpaceSessionsResumeChainsLoseAndRepeatNothing(t *testing.T) {
	cases := 300
	if testing.Short() {
		cases = 40
	}
	for seed := range uint64(cases) {
		rng := rand.New(rand.NewPCG(seed, 7))
		sp := newSpace(rng.IntN(30), func(int) int { return rng.IntN(5) })
		fake := devsessionstest.NewSpaceClient(sp.envs, sp.sessions)
		fake.PageSize = int32(1 + rng.IntN(6))
		boom := &types.ThrottlingException{Message: aws.String("injected")}
		for call := 1; call <= 400; call++ {
			if rng.IntN(15) == 0 {
				fake.Script(call, devsessionstest.Fault{Err: boom})
			}
		}
		var got []string
		tok, log := "", ""
		for run := 0; ; run++ {
			require.Less(t, run, 2000, "seed %d: %s", seed, log)
			maxItems, conc, stopAfter := int32(rng.IntN(6)), 1+rng.IntN(5), 1+rng.IntN(10)
			s := devsessions.NewSpaceSessions(fake, spaceInput(), func(o *devsessions.SpaceSessionsOptions) {
				o.MaxItems, o.StartingToken, o.Concurrency = maxItems, tok, conc
				o.SessionPageSize, o.DevEnvironmentPageSize = int32(rng.IntN(4)), int32(rng.IntN(4))
			})
			n := 0
			for it, err := range s.Items(t.Context()) {
				if err != nil {
					break // leave at the error: the token points at it
				}
				got = append(got, aws.ToString(it.Session.Id))
				if n++; n == stopAfter {
					break
				}
			}
			log += fmt.Sprintf(" [max %d conc %d stop %d: %d]", maxItems, conc, stopAfter, n)
			if tok = s.ResumeToken(); tok == "" {
				break
			}
		}
		require.Equal(t, append([]string{}, sp.want...), append([]string{}, got...), "seed %d: %s", seed, log)
	}
}

func TestSpaceSessionsErrors(t *testing.T) {
	sp := newSpace(12, func(int) int { return 3 })
	running := []int{0, 1, 2, 5, 6, 7, 9, 10, 11} // newSpace's RUNNING dev environments among 12
	idsOf := func(env int) []string {
		return []string{fmt.Sprintf("s-%d-0", env), fmt.Sprintf("s-%d-1", env), fmt.Sprintf("s-%d-2", env)}
	}
	without := func(env int) []string {
		var out []string
		for _, i := range running {
			if i != env {
				out = append(out, idsOf(i)...)
			}
		}
		return out
	}

	t.Run("a ListDevEnvironments error is yielded once after the sessions before it and ends the loop", func(t *testing.T) {
		defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
		fake := devsessionstest.NewSpaceClient(sp.envs, sp.sessions)
		denied := &types.AccessDeniedException{Message: aws.String("no")}
		fake.ScriptOperation(devsessionstest.OpListDevEnvironments, 2, devsessionstest.Fault{Err: denied})
		s := devsessions.NewSpaceSessions(fake, spaceInput(), func(o *devsessions.SpaceSessionsOptions) { o.DevEnvironmentPageSize = 5 })
		got, errs := goOnPastErrors(t, s)
		require.Len(t, errs, 1)
		var ae *types.AccessDeniedException
		assert.ErrorAs(t, errs[0], &ae)
		assert.Equal(t, sp.want[:9], got, "the sessions of the first page's dev environments")
		rest, err := devsessions.NewSpaceSessions(fake, spaceInput(), func(o *devsessions.SpaceSessionsOptions) {
			o.StartingToken = s.ResumeToken()
		}).Collect(t.Context())
		require.NoError(t, err)
		assert.Equal(t, sp.want, append(got, spaceIDs(rest)...))
	})

	denied := &types.AccessDeniedException{Message: aws.String("not yours")}
	t.Run("a session listing error names the dev environment; continuing leaves it undelivered", func(t *testing.T) {
		defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
		fake := devsessionstest.NewSpaceClient(sp.envs, sp.sessions)
		fake.ScriptDevEnvironment(envID(5), 1, devsessionstest.Fault{Err: denied})
		s := devsessions.NewSpaceSessions(fake, spaceInput(), func(o *devsessions.SpaceSessionsOptions) { o.Concurrency = 4 })
		var got []string
		var errs []error
		for it, err := range s.Items(t.Context()) {
			if err != nil {
				errs = append(errs, err)
				assert.Equal(t, envID(5), aws.ToString(it.DevEnvironment.Id), "the error comes with its dev environment")
				continue
			}
			got = append(got, aws.ToString(it.Session.Id))
		}
		require.Len(t, errs, 1)
		var ae *types.AccessDeniedException
		require.ErrorAs(t, errs[0], &ae)
		assert.Contains(t, errs[0].Error(), envID(5))
		assert.Equal(t, without(5), got)
		require.NotEmpty(t, s.ResumeToken(), "going on past an error never looks complete")
		rest, err := devsessions.NewSpaceSessions(fake, spaceInput(), func(o *devsessions.SpaceSessionsOptions) {
			o.StartingToken = s.ResumeToken()
		}).Collect(t.Context())
		require.NoError(t, err)
		assert.Equal(t, []string{"s-5-0", "s-5-1", "s-5-2"}, spaceIDs(rest), "resuming lists exactly what was skipped")
	})
	t.Run("breaking at a session listing error resumes at that dev environment", func(t *testing.T) {
		defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
		fake := devsessionstest.NewSpaceClient(sp.envs, sp.sessions)
		fake.ScriptDevEnvironment(envID(5), 2, devsessionstest.Fault{Err: denied}) // its second page
		s := devsessions.NewSpaceSessions(fake, spaceInput(), func(o *devsessions.SpaceSessionsOptions) { o.SessionPageSize = 2 })
		got, err := s.Collect(t.Context())
		require.ErrorAs(t, err, new(*types.AccessDeniedException))
		assert.Equal(t, append(without(5)[:9], "s-5-0", "s-5-1"), spaceIDs(got), "the sessions before the failed page are delivered")
		rest, err := devsessions.NewSpaceSessions(fake, spaceInput(), func(o *devsessions.SpaceSessionsOptions) {
			o.StartingToken = s.ResumeToken()
		}).Collect(t.Context())
		require.NoError(t, err)
		assert.Equal(t, sp.want, append(spaceIDs(got), spaceIDs(rest)...))
	})
	t.Run("a dev environment deleted after it was listed is passed over quietly", func(t *testing.T) {
		fake := devsessionstest.NewSpaceClient(sp.envs, sp.sessions)
		gone := &types.ResourceNotFoundException{Message: aws.String("gone")}
		fake.ScriptDevEnvironment(envID(6), 1, devsessionstest.Fault{Err: gone})
		got, err := devsessions.NewSpaceSessions(fake, spaceInput()).Collect(t.Context())
		require.NoError(t, err)
		assert.Equal(t, without(6), spaceIDs(got))
	})
	t.Run("a cancelled context ends the loop with its error and no goroutine left", func(t *testing.T) {
		defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
		fake := devsessionstest.NewSpaceClient(sp.envs, sp.sessions)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		s := devsessions.NewSpaceSessions(&jitterClient{fake, func(string) time.Duration { return 20 * time.Millisecond }}, spaceInput())
		var got []string
		var errs []error
		for it, err := range s.Items(ctx) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			got = append(got, aws.ToString(it.Session.Id))
			if len(got) == 4 {
				cancel()
			}
		}
		require.Len(t, errs, 1)
		assert.ErrorIs(t, errs[0], context.Canceled)
		rest, err := devsessions.NewSpaceSessions(fake, spaceInput(), func(o *devsessions.SpaceSessionsOptions) {
			o.StartingToken = s.ResumeToken()
		}).Collect(t.Context())
		require.NoError(t, err)
		assert.Equal(t, sp.want, append(got, spaceIDs(rest)...))
	})
	t.Run("a panic in a listing is raised on the caller's goroutine", func(t *testing.T) {
		defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
		fake := devsessionstest.NewSpaceClient(sp.envs, sp.sessions)
		s := devsessions.NewSpaceSessions(&jitterClient{fake, func(id string) time.Duration {
			if id == envID(2) {
				panic("client bug")
			}
			return 0
		}}, spaceInput())
		assert.PanicsWithValue(t, "client bug", func() { _, _ = s.Collect(t.Context()) })
	})
}

func TestSpaceSessionsInvalidInput(t *testing.T) {
	fake := devsessionstest.NewSpaceClient(newSpace(3, func(int) int { return 1 }).envs, nil)
	good := spaceInput()
	tok := devsessions.NewSpaceSessions(fake, good).ResumeToken()
	cases := []struct {
		name    string
		client  devsessions.SpaceSessionsAPIClient
		params  *codecatalyst.ListDevEnvironmentsInput
		opt     func(*devsessions.SpaceSessionsOptions)
		wantErr error
		mention string
	}{
		{name: "nil client", params: good, wantErr: devsessions.ErrInvalidParameter, mention: "client"},
		{name: "nil params", client: fake, wantErr: devsessions.ErrInvalidParameter, mention: "params"},
		{name: "no space", client: fake, params: &codecatalyst.ListDevEnvironmentsInput{}, wantErr: devsessions.ErrInvalidParameter, mention: "SpaceName"},
		{name: "empty project", client: fake, params: &codecatalyst.ListDevEnvironmentsInput{SpaceName: aws.String(testSpace), ProjectName: aws.String("")}, wantErr: devsessions.ErrInvalidParameter, mention: "ProjectName"},
		{name: "params.NextToken", client: fake, params: &codecatalyst.ListDevEnvironmentsInput{SpaceName: aws.String(testSpace), NextToken: aws.String("x")}, wantErr: devsessions.ErrInvalidParameter, mention: "NextToken"},
		{name: "negative MaxItems", client: fake, params: good, opt: func(o *devsessions.SpaceSessionsOptions) { o.MaxItems = -1 }, wantErr: devsessions.ErrInvalidParameter, mention: "MaxItems"},
		{name: "Concurrency over 64", client: fake, params: good, opt: func(o *devsessions.SpaceSessionsOptions) { o.Concurrency = 65 }, wantErr: devsessions.ErrInvalidParameter, mention: "Concurrency"},
		{name: "negative Concurrency", client: fake, params: good, opt: func(o *devsessions.SpaceSessionsOptions) { o.Concurrency = -1 }, wantErr: devsessions.ErrInvalidParameter, mention: "Concurrency"},
		{name: "DevEnvironmentPageSize over 50", client: fake, params: good, opt: func(o *devsessions.SpaceSessionsOptions) { o.DevEnvironmentPageSize = 51 }, wantErr: devsessions.ErrInvalidParameter, mention: "DevEnvironmentPageSize"},
		{name: "SessionPageSize over 200", client: fake, params: good, opt: func(o *devsessions.SpaceSessionsOptions) { o.SessionPageSize = 201 }, wantErr: devsessions.ErrInvalidParameter, mention: "SessionPageSize"},
		{name: "empty Statuses", client: fake, params: good, opt: func(o *devsessions.SpaceSessionsOptions) { o.Statuses = []types.DevEnvironmentStatus{} }, wantErr: devsessions.ErrInvalidParameter, mention: "Statuses"},
		{name: "unknown status", client: fake, params: good, opt: func(o *devsessions.SpaceSessionsOptions) { o.Statuses = []types.DevEnvironmentStatus{"RUNNIN"} }, wantErr: devsessions.ErrInvalidParameter, mention: "RUNNIN"},
		{name: "a paginator's token", client: fake, params: good, opt: func(o *devsessions.SpaceSessionsOptions) { o.StartingToken = b64(`{"nextToken": "tok-2"}`) }, wantErr: devsessions.ErrInvalidStartingToken, mention: "dss2."},
		{name: "a token of the first format", client: fake, params: good, opt: func(o *devsessions.SpaceSessionsOptions) {
			o.StartingToken = "dss1." + b64url(`{"space":"test-space","env":""}`)
		}, wantErr: devsessions.ErrInvalidStartingToken, mention: "start over"},
		{name: "a damaged token", client: fake, params: good, opt: func(o *devsessions.SpaceSessionsOptions) { o.StartingToken = tok[:len(tok)-3] }, wantErr: devsessions.ErrInvalidStartingToken, mention: "damaged"},
		{name: "a token of another space", client: fake, params: &codecatalyst.ListDevEnvironmentsInput{SpaceName: aws.String("other-space")}, opt: func(o *devsessions.SpaceSessionsOptions) { o.StartingToken = tok }, wantErr: devsessions.ErrInvalidStartingToken, mention: "other-space"},
		{name: "a token of the whole space used for a project", client: fake, params: &codecatalyst.ListDevEnvironmentsInput{SpaceName: aws.String(testSpace), ProjectName: aws.String("project-1")}, opt: func(o *devsessions.SpaceSessionsOptions) { o.StartingToken = tok }, wantErr: devsessions.ErrInvalidStartingToken, mention: "project"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opt := tc.opt
			if opt == nil {
				opt = func(*devsessions.SpaceSessionsOptions) {}
			}
			before := fake.Calls()
			s := devsessions.NewSpaceSessions(tc.client, tc.params, opt)
			_, err := s.Collect(t.Context())
			require.ErrorIs(t, err, tc.wantErr)
			assert.Contains(t, err.Error(), tc.mention)
			assert.Equal(t, before, fake.Calls(), "no request is sent")
			var o devsessions.SpaceSessionsOptions
			opt(&o)
			if errors.Is(err, devsessions.ErrInvalidParameter) {
				assert.Equal(t, o.StartingToken, s.ResumeToken(), "the start as given")
			} else {
				assert.Empty(t, s.ResumeToken(), "a token that did not decode is not handed back")
			}
		})
	}
}

// The contract over the real client and the local endpoint.
func TestSpaceSessionsOverTheRealClient(t *testing.T) {
	sp := newSpace(30, func(i int) int { return i % 4 })
	srv, err := devsessionstest.NewServer(devsessionstest.ServerOptions{DevEnvironments: sp.envs, Sessions: sp.sessions, PageSize: 4})
	require.NoError(t, err)
	defer srv.Close()
	client := srv.Client()

	t.Run("in order for every concurrency, never asking a stopped dev environment", func(t *testing.T) {
		for _, conc := range []int{1, 5, 16} {
			before := len(srv.Requests())
			got, err := devsessions.NewSpaceSessions(client, spaceInput(), func(o *devsessions.SpaceSessionsOptions) {
				o.Concurrency, o.SessionPageSize = conc, 2
			}).Collect(t.Context())
			require.NoError(t, err)
			assert.Equal(t, sp.want, spaceIDs(got), "concurrency %d", conc)
			for _, r := range srv.Requests()[before:] {
				if r.Operation != devsessionstest.OpListDevEnvironmentSessions {
					continue
				}
				var i int
				_, err := fmt.Sscanf(r.Path[len("/v1/spaces/test-space/projects/project-0/devEnvironments/"):][:8], "%x", &i)
				require.NoError(t, err, r.Path)
				assert.Equal(t, types.DevEnvironmentStatusRunning, sp.envs[i].Status, r.Path)
			}
		}
	})
	t.Run("MaxItems chains across runs deliver every session once", func(t *testing.T) {
		var got []string
		tok := ""
		for run := 0; ; run++ {
			require.Less(t, run, 100)
			s := devsessions.NewSpaceSessions(client, spaceInput(), func(o *devsessions.SpaceSessionsOptions) {
				o.MaxItems, o.StartingToken, o.DevEnvironmentPageSize = 4, tok, 7
			})
			items, err := s.Collect(t.Context())
			require.NoError(t, err)
			got = append(got, spaceIDs(items)...)
			if tok = s.ResumeToken(); tok == "" {
				break
			}
		}
		assert.Equal(t, sp.want, got)
	})
	t.Run("a refused session listing is typed, named, and resumable", func(t *testing.T) {
		srv, err := devsessionstest.NewServer(devsessionstest.ServerOptions{DevEnvironments: sp.envs, Sessions: sp.sessions})
		require.NoError(t, err)
		defer srv.Close()
		client := srv.Client()
		srv.ScriptDevEnvironment(envID(6), 1, devsessionstest.Fault{Status: 403, Code: "AccessDeniedException"})
		s := devsessions.NewSpaceSessions(client, spaceInput())
		got, err := s.Collect(t.Context())
		var ae *types.AccessDeniedException
		require.ErrorAs(t, err, &ae)
		assert.Contains(t, err.Error(), envID(6))
		rest, err := devsessions.NewSpaceSessions(client, spaceInput(), func(o *devsessions.SpaceSessionsOptions) {
			o.StartingToken = s.ResumeToken()
		}).Collect(t.Context())
		require.NoError(t, err)
		assert.Equal(t, sp.want, append(spaceIDs(got), spaceIDs(rest)...))
	})
}

// A dev environment created before the one a token is inside moves
// nothing: the resumed listing passes over what was delivered (the fake's
// tokens are offsets, so every place shifted) and continues inside the
// token's dev environment. The new dev environment was not delivered: its
// session is.
func TestSpaceSessionsResumeAfterAnInsertion(t *testing.T) {
	sp := newSpace(6, func(int) int { return 3 })
	fake := devsessionstest.NewSpaceClient(sp.envs, sp.sessions)
	s := devsessions.NewSpaceSessions(fake, spaceInput(), func(o *devsessions.SpaceSessionsOptions) {
		o.MaxItems, o.DevEnvironmentPageSize, o.SessionPageSize = 4, 1, 1
	})
	first, err := s.Collect(t.Context())
	require.NoError(t, err)
	require.Equal(t, []string{"s-0-0", "s-0-1", "s-0-2", "s-1-0"}, spaceIDs(first))

	// A new RUNNING dev environment is listed first from now on.
	extra := newSpace(7, func(int) int { return 1 })
	newEnv, newSession := extra.envs[6], extra.sessions[len(extra.sessions)-1]
	fake = devsessionstest.NewSpaceClient(append([]types.DevEnvironmentSummary{newEnv}, sp.envs...), append([]types.DevEnvironmentSessionSummary{newSession}, sp.sessions...))
	rest, err := devsessions.NewSpaceSessions(fake, spaceInput(), func(o *devsessions.SpaceSessionsOptions) {
		o.StartingToken = s.ResumeToken()
	}).Collect(t.Context())
	require.NoError(t, err)
	assert.Equal(t, []string{"s-6-0", "s-1-1", "s-1-2", "s-2-0", "s-2-1", "s-2-2", "s-5-0", "s-5-1", "s-5-2"}, spaceIDs(rest),
		"the shifted listing repeats nothing and loses nothing")
}

// Dev environments deleted between two runs move nothing either: the
// resumed run finds its place again and loses no session of those left.
func TestSpaceSessionsResumeAcrossDeletions(t *testing.T) {
	sp := newSpace(8, func(int) int { return 3 }) // RUNNING: 0, 1, 2, 5, 6, 7
	after := func(from int, skip int) []string {
		var out []string
		for _, id := range sp.want {
			var i, j int
			fmt.Sscanf(id, "s-%d-%d", &i, &j)
			if i > from || (i == from && j >= skip) {
				out = append(out, id)
			}
		}
		return out
	}
	without := func(ids []string, env int) []string {
		var out []string
		for _, id := range ids {
			if !strings.HasPrefix(id, fmt.Sprintf("s-%d-", env)) {
				out = append(out, id)
			}
		}
		return out
	}
	cases := []struct {
		name     string
		maxItems int32 // of the first run
		deleted  int   // dev environment deleted before the second
		want     []string
	}{
		{name: "one before the dev environment the token is inside", maxItems: 5, deleted: 0, want: after(1, 2)},
		{name: "one before the dev environment the token is past", maxItems: 6, deleted: 0, want: after(2, 0)},
		{name: "the dev environment the token is inside", maxItems: 5, deleted: 1, want: after(2, 0)},
		{name: "the dev environment the token is past", maxItems: 6, deleted: 1, want: after(2, 0)},
		{name: "one after the position", maxItems: 5, deleted: 2, want: without(after(1, 2), 2)},
	}
	for _, tc := range cases {
		for _, envPage := range []int32{0, 1, 2} {
			t.Run(fmt.Sprintf("%s, pages of %d", tc.name, envPage), func(t *testing.T) {
				opt := func(o *devsessions.SpaceSessionsOptions) { o.DevEnvironmentPageSize, o.SessionPageSize = envPage, 2 }
				s := devsessions.NewSpaceSessions(devsessionstest.NewSpaceClient(sp.envs, sp.sessions), spaceInput(), opt,
					func(o *devsessions.SpaceSessionsOptions) { o.MaxItems = tc.maxItems })
				first, err := s.Collect(t.Context())
				require.NoError(t, err)
				require.Len(t, first, int(tc.maxItems))

				var envs []types.DevEnvironmentSummary
				var sessions []types.DevEnvironmentSessionSummary
				for _, e := range sp.envs {
					if *e.Id != envID(tc.deleted) {
						envs = append(envs, e)
					}
				}
				for _, ss := range sp.sessions {
					if *ss.DevEnvironmentId != envID(tc.deleted) {
						sessions = append(sessions, ss)
					}
				}
				rest, err := devsessions.NewSpaceSessions(devsessionstest.NewSpaceClient(envs, sessions), spaceInput(), opt,
					func(o *devsessions.SpaceSessionsOptions) { o.StartingToken = s.ResumeToken() }).Collect(t.Context())
				require.NoError(t, err)
				assert.Equal(t, tc.want, spaceIDs(rest))
			})
		}
	}
}

// MaxItems reached on the last session of the space is the end: "", even
// when dev environments with nothing to deliver follow.
// The promise holds for every Concurrency (with 1, the feed's end is not
// yet seen when the cap is reached), with and without stopped dev
// environments after the last session.
func TestSpaceSessionsCapOnTheLastSessionIsTheEnd(t *testing.T) {
	for conc := 1; conc <= 4; conc++ {
		for _, n := range []int{1, 3, 9} { // 9: the last, 8, is STOPPED
			t.Run(fmt.Sprintf("conc=%d/envs=%d", conc, n), func(t *testing.T) {
				sp := newSpace(n, func(int) int { return 2 })
				s := devsessions.NewSpaceSessions(devsessionstest.NewSpaceClient(sp.envs, sp.sessions), spaceInput(),
					func(o *devsessions.SpaceSessionsOptions) { o.MaxItems, o.Concurrency = int32(len(sp.want)), conc })
				got, err := s.Collect(t.Context())
				require.NoError(t, err)
				assert.Equal(t, sp.want, spaceIDs(got))
				assert.Empty(t, s.ResumeToken(), "nothing remains")
			})
		}
	}
}

func b64url(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
