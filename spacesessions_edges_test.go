package devsessions_test

import (
	"context"
	"fmt"
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

// Every ResumeToken read inside the loop body resumes at the next session,
// with stopped dev environments in runs and MaxItems at the very end.
func TestSpaceSessionsResumeTokenAtEveryStep(t *testing.T) {
	sp := newSpace(23, func(i int) int {
		if i%4 == 0 {
			return 0
		}
		return 1 + i%3
	})
	// Make a run of stopped dev environments at the end and in the middle.
	for _, i := range []int{8, 9, 10, 11, 19, 20, 21, 22} {
		sp.envs[i].Status = types.DevEnvironmentStatusStopped
	}
	sp.want = nil
	for _, ss := range sp.sessions {
		var i int
		fmt.Sscanf(aws.ToString(ss.DevEnvironmentId)[:8], "%x", &i)
		if sp.envs[i].Status == types.DevEnvironmentStatusRunning {
			sp.want = append(sp.want, aws.ToString(ss.Id))
		}
	}
	for _, conc := range []int{1, 2, 8} {
		for _, envPage := range []int32{0, 1, 3} {
			for _, sessPage := range []int32{0, 1, 2} {
				fake := devsessionstest.NewSpaceClient(sp.envs, sp.sessions)
				opt := func(o *devsessions.SpaceSessionsOptions) {
					o.Concurrency, o.DevEnvironmentPageSize, o.SessionPageSize = conc, envPage, sessPage
				}
				s := devsessions.NewSpaceSessions(fake, spaceInput(), opt)
				var toks []string
				var got []string
				for it, err := range s.Items(t.Context()) {
					require.NoError(t, err)
					got = append(got, aws.ToString(it.Session.Id))
					toks = append(toks, s.ResumeToken())
				}
				require.Equal(t, sp.want, got)
				assert.Empty(t, s.ResumeToken())
				for k, tok := range toks {
					name := fmt.Sprintf("conc %d envPage %d sessPage %d after %d", conc, envPage, sessPage, k+1)
					if tok == "" {
						assert.Equal(t, len(sp.want), k+1, name)
						continue
					}
					rest, err := devsessions.NewSpaceSessions(fake, spaceInput(), opt, func(o *devsessions.SpaceSessionsOptions) {
						o.StartingToken = tok
					}).Collect(t.Context())
					require.NoError(t, err, name)
					require.Equal(t, sp.want[k+1:], append([]string{}, spaceIDs(rest)...), name)
				}
				// MaxItems on the last session of the whole space.
				m := devsessions.NewSpaceSessions(fake, spaceInput(), opt, func(o *devsessions.SpaceSessionsOptions) {
					o.MaxItems = int32(len(sp.want))
				})
				all, err := m.Collect(t.Context())
				require.NoError(t, err)
				require.Len(t, all, len(sp.want))
				if tok := m.ResumeToken(); tok != "" {
					rest, err := devsessions.NewSpaceSessions(fake, spaceInput(), func(o *devsessions.SpaceSessionsOptions) {
						o.StartingToken = tok
					}).Collect(t.Context())
					require.NoError(t, err)
					require.Empty(t, rest)
				}
				more, err := m.Collect(t.Context())
				require.NoError(t, err)
				require.Empty(t, more, "Items again after MaxItems")
			}
		}
	}
}

// A repeated token in one dev environment's session listing, mid-space.
func TestSpaceSessionsDuplicateTokenMidSpace(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	sp := newSpace(12, func(int) int { return 5 })
	fake := devsessionstest.NewSpaceClient(sp.envs, sp.sessions)
	fake.ScriptDevEnvironment(envID(5), 3, devsessionstest.Fault{NextToken: aws.String("tok-2")})
	s := devsessions.NewSpaceSessions(fake, spaceInput(), func(o *devsessions.SpaceSessionsOptions) { o.SessionPageSize = 2 })
	var got []string
	var errs []error
	for it, err := range s.Items(t.Context()) {
		if err != nil {
			errs = append(errs, err)
			assert.Equal(t, envID(5), aws.ToString(it.DevEnvironment.Id))
			continue
		}
		got = append(got, aws.ToString(it.Session.Id))
	}
	require.Len(t, errs, 1)
	require.ErrorIs(t, errs[0], devsessions.ErrDuplicateToken)
	assert.Contains(t, errs[0].Error(), envID(5))
	assert.Equal(t, sp.want, got, "env 5's 5 sessions are on 3 pages: all delivered before the repeat")
	require.NotEmpty(t, s.ResumeToken(), "env 5's listing failed: not known to be complete")
	rest, err := devsessions.NewSpaceSessions(fake, spaceInput(), func(o *devsessions.SpaceSessionsOptions) {
		o.StartingToken, o.SessionPageSize = s.ResumeToken(), 2
	}).Collect(t.Context())
	require.NoError(t, err)
	assert.Empty(t, rest, "resuming lists env 5 again and finds nothing undelivered")
}

// ListDevEnvironments fails on the very first request, or the ctx is
// cancelled before the first step: nothing is sent (cancel), the error is
// yielded once, and the same value (Items again) and the token continue.
func TestSpaceSessionsFirstRequestFailsAndItemsAgain(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	sp := newSpace(10, func(int) int { return 2 })
	fake := devsessionstest.NewSpaceClient(sp.envs, sp.sessions)
	fake.ScriptOperation(devsessionstest.OpListDevEnvironments, 1, devsessionstest.Fault{Err: &types.ThrottlingException{Message: aws.String("slow")}})
	s := devsessions.NewSpaceSessions(fake, spaceInput())
	tok0 := s.ResumeToken()
	_, err := s.Collect(t.Context())
	require.ErrorAs(t, err, new(*types.ThrottlingException))
	assert.Equal(t, tok0, s.ResumeToken())
	all, err := s.Collect(t.Context())
	require.NoError(t, err)
	assert.Equal(t, sp.want, spaceIDs(all))
	assert.Empty(t, s.ResumeToken())
	again, err := s.Collect(t.Context())
	require.NoError(t, err)
	assert.Empty(t, again)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	before := fake.Calls()
	s = devsessions.NewSpaceSessions(fake, spaceInput())
	n := 0
	for _, err := range s.Items(ctx) {
		n++
		require.ErrorIs(t, err, context.Canceled)
	}
	assert.Equal(t, 1, n)
	assert.Equal(t, before, fake.Calls(), "nothing is sent")
}

type panicEnvs struct {
	devsessions.SpaceSessionsAPIClient
}

func (panicEnvs) ListDevEnvironments(context.Context, *codecatalyst.ListDevEnvironmentsInput,
	...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentsOutput, error) {
	panic("envs bug")
}

func TestSpaceSessionsPanicInListDevEnvironments(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	sp := newSpace(10, func(int) int { return 2 })
	fake := devsessionstest.NewSpaceClient(sp.envs, sp.sessions)
	s := devsessions.NewSpaceSessions(panicEnvs{fake}, spaceInput())
	assert.PanicsWithValue(t, "envs bug", func() { _, _ = s.Collect(t.Context()) })
}

// A token whose dev environment was deleted meanwhile continues with the
// one now at its place, from its first session.
func TestSpaceSessionsResumeAfterDeletion(t *testing.T) {
	sp := newSpace(6, func(int) int { return 3 })
	fake := devsessionstest.NewSpaceClient(sp.envs, sp.sessions)
	s := devsessions.NewSpaceSessions(fake, spaceInput())
	var got []string
	for it, err := range s.Items(t.Context()) {
		require.NoError(t, err)
		got = append(got, aws.ToString(it.Session.Id))
		if len(got) == 4 { // s-1-0: inside env 1
			break
		}
	}
	tok := s.ResumeToken()
	envs := append(append([]types.DevEnvironmentSummary{}, sp.envs[:1]...), sp.envs[2:]...)
	var sessions []types.DevEnvironmentSessionSummary
	for _, ss := range sp.sessions {
		if aws.ToString(ss.DevEnvironmentId) != envID(1) {
			sessions = append(sessions, ss)
		}
	}
	fake2 := devsessionstest.NewSpaceClient(envs, sessions)
	rest, err := devsessions.NewSpaceSessions(fake2, spaceInput(), func(o *devsessions.SpaceSessionsOptions) {
		o.StartingToken = tok
	}).Collect(t.Context())
	require.NoError(t, err)
	assert.Equal(t, []string{"s-2-0", "s-2-1", "s-2-2", "s-5-0", "s-5-1", "s-5-2"}, spaceIDs(rest))
}

// maxIndexClient records the highest dev environment index whose sessions
// were requested.
type maxIndexClient struct {
	devsessions.SpaceSessionsAPIClient
	mu  sync.Mutex
	max int
}

func (c *maxIndexClient) ListDevEnvironmentSessions(ctx context.Context, in *codecatalyst.ListDevEnvironmentSessionsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	var i int
	fmt.Sscanf(aws.ToString(in.DevEnvironmentId)[:8], "%x", &i)
	c.mu.Lock()
	c.max = max(c.max, i)
	c.mu.Unlock()
	return c.SpaceSessionsAPIClient.ListDevEnvironmentSessions(ctx, in, optFns...)
}

// With every dev environment RUNNING, the window holds at most Concurrency
// of them: while the caller is on dev environment i, no session request
// has concerned one past i+Concurrency-1.
func TestSpaceSessionsAtMostConcurrencyListingsAhead(t *testing.T) {
	sp := newSpace(30, func(int) int { return 2 })
	for i := range sp.envs {
		sp.envs[i].Status = types.DevEnvironmentStatusRunning
	}
	for _, conc := range []int{1, 2, 5} {
		c := &maxIndexClient{SpaceSessionsAPIClient: devsessionstest.NewSpaceClient(sp.envs, sp.sessions)}
		s := devsessions.NewSpaceSessions(c, spaceInput(), func(o *devsessions.SpaceSessionsOptions) { o.Concurrency = conc })
		n := 0
		for it, err := range s.Items(t.Context()) {
			require.NoError(t, err)
			var i int
			fmt.Sscanf(aws.ToString(it.DevEnvironment.Id)[:8], "%x", &i)
			time.Sleep(2 * time.Millisecond) // the workers started have sent their requests
			c.mu.Lock()
			ahead := c.max
			c.mu.Unlock()
			require.LessOrEqual(t, ahead, i+conc-1, "concurrency %d: on dev environment %d", conc, i)
			n++
		}
		assert.Equal(t, 60, n)
	}
}

// aheadClient records the highest dev environment offset that
// ListDevEnvironments was asked for (page size 1) while the first dev
// environment's sessions were being listed: how far the window reached.
type aheadClient struct {
	devsessions.SpaceSessionsAPIClient
	mu        sync.Mutex
	requested int
	maxAhead  int
}

func (c *aheadClient) ListDevEnvironments(ctx context.Context, in *codecatalyst.ListDevEnvironmentsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentsOutput, error) {
	k := 0
	if in.NextToken != nil {
		fmt.Sscanf(*in.NextToken, "tok-%d", &k)
	}
	c.mu.Lock()
	c.requested = max(c.requested, k)
	c.mu.Unlock()
	return c.SpaceSessionsAPIClient.ListDevEnvironments(ctx, in, optFns...)
}

func (c *aheadClient) ListDevEnvironmentSessions(ctx context.Context, in *codecatalyst.ListDevEnvironmentSessionsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	if aws.ToString(in.DevEnvironmentId) == envID(0) {
		time.Sleep(20 * time.Millisecond) // the loop fills its window meanwhile
		c.mu.Lock()
		c.maxAhead = max(c.maxAhead, c.requested)
		c.mu.Unlock()
	}
	return c.SpaceSessionsAPIClient.ListDevEnvironmentSessions(ctx, in, optFns...)
}

// A long run of stopped dev environments is held at most 4×Concurrency at
// a time.
func TestSpaceSessionsStoppedRunIsBoundedByTheWindow(t *testing.T) {
	sp := newSpace(60, func(int) int { return 1 })
	for i := range sp.envs {
		sp.envs[i].Status = types.DevEnvironmentStatusStopped
	}
	sp.envs[0].Status, sp.envs[59].Status = types.DevEnvironmentStatusRunning, types.DevEnvironmentStatusRunning
	for _, conc := range []int{1, 3} {
		c := &aheadClient{SpaceSessionsAPIClient: devsessionstest.NewSpaceClient(sp.envs, sp.sessions)}
		s := devsessions.NewSpaceSessions(c, spaceInput(), func(o *devsessions.SpaceSessionsOptions) {
			o.Concurrency, o.DevEnvironmentPageSize = conc, 1
		})
		got, err := s.Collect(t.Context())
		require.NoError(t, err)
		assert.Equal(t, []string{"s-0-0", "s-59-0"}, spaceIDs(got))
		// 4×conc dev environments in the window (offsets 0..4conc-1), and
		// one page of dev environments fetched ahead (offset 4conc).
		assert.Positive(t, c.maxAhead, "the window filled while the first dev environment was listed")
		assert.LessOrEqual(t, c.maxAhead, 4*conc, "concurrency %d", conc)
	}
}

// A dev environment or a session the service lists twice, every time (in
// one page or across pages), is delivered once, and the listing ends with
// "" in one loop: the readings agree, so the listing settles.
func TestSpaceSessionsStableDuplicateSettles(t *testing.T) {
	for _, tc := range []struct {
		name   string
		dupEnv bool // else a session is listed twice
	}{
		{"a dev environment listed twice", true},
		{"a session listed twice", false},
	} {
		for _, n := range []int{1, 5} { // one page, or several with every page size
			for conc := 1; conc <= 4; conc++ {
				for ps := int32(1); ps <= 3; ps++ {
					t.Run(fmt.Sprintf("%s/envs=%d/conc=%d/pagesize=%d", tc.name, n, conc, ps), func(t *testing.T) {
						sp := newSpace(n, func(int) int { return 3 })
						if tc.dupEnv {
							sp.envs = append(sp.envs, sp.envs[0])
						} else {
							sp.sessions = append(sp.sessions, sp.sessions[0])
						}
						s := devsessions.NewSpaceSessions(devsessionstest.NewSpaceClient(sp.envs, sp.sessions), spaceInput(),
							func(o *devsessions.SpaceSessionsOptions) {
								o.Concurrency = conc
								o.DevEnvironmentPageSize, o.SessionPageSize = ps, ps
							})
						got, err := s.Collect(t.Context())
						require.NoError(t, err)
						assert.Equal(t, sp.want, spaceIDs(got), "every session once, in order")
						assert.Empty(t, s.ResumeToken(), "the listing settled")
					})
				}
			}
		}
	}
}

// A dev environment listed twice while its first listing is still in the
// window is listed once: the run passes over a dev environment it has taken
// already, instead of asking for its sessions again.
func TestSpaceSessionsDevEnvironmentListedTwiceIsAskedOnce(t *testing.T) {
	for conc := 2; conc <= 4; conc++ {
		t.Run(fmt.Sprintf("conc=%d", conc), func(t *testing.T) {
			sp := newSpace(1, func(int) int { return 3 })
			sp.envs = append(sp.envs, sp.envs[0], sp.envs[0])
			fake := devsessionstest.NewSpaceClient(sp.envs, sp.sessions)
			got, err := devsessions.NewSpaceSessions(fake, spaceInput(),
				func(o *devsessions.SpaceSessionsOptions) { o.Concurrency = conc }).Collect(t.Context())
			require.NoError(t, err)
			require.Equal(t, sp.want, spaceIDs(got))
			asked := 0
			for _, rq := range fake.Requests() {
				if rq.Operation == devsessionstest.OpListDevEnvironmentSessions {
					asked++
				}
			}
			assert.Equal(t, 1, asked, "one page of sessions, asked once")
		})
	}
}
