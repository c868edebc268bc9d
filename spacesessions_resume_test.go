package devsessions_test

import (
	"context"
	"reflect"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// runningSpace is newSpace with every dev environment RUNNING.
func runningSpace(n int, perEnv func(i int) int) space {
	sp := newSpace(n, perEnv)
	sp.want = nil
	for i := range sp.envs {
		sp.envs[i].Status = types.DevEnvironmentStatusRunning
	}
	for _, ss := range sp.sessions {
		sp.want = append(sp.want, aws.ToString(ss.Id))
	}
	return sp
}

// sessionsOf returns the sessions of envs, in their order.
func sessionsOf(sp space, envs []types.DevEnvironmentSummary) []types.DevEnvironmentSessionSummary {
	var out []types.DevEnvironmentSessionSummary
	for _, e := range envs {
		for _, ss := range sp.sessions {
			if *ss.DevEnvironmentId == *e.Id {
				out = append(out, ss)
			}
		}
	}
	return out
}

// Dev environments reordered between runs (the service does not promise an
// order): the resumed run delivers every session not delivered, once,
// wherever its dev environment moved.
func TestSpaceSessionsResumeAfterAReorder(t *testing.T) {
	sp := runningSpace(6, func(int) int { return 2 })
	for _, envPage := range []int32{0, 1, 2} {
		opt := func(o *devsessions.SpaceSessionsOptions) { o.DevEnvironmentPageSize = envPage }
		s := devsessions.NewSpaceSessions(devsessionstest.NewSpaceClient(sp.envs, sp.sessions), spaceInput(), opt,
			func(o *devsessions.SpaceSessionsOptions) { o.MaxItems = 3 })
		first, err := s.Collect(t.Context())
		require.NoError(t, err)
		require.Equal(t, sp.want[:3], spaceIDs(first))

		reversed := slices.Clone(sp.envs)
		slices.Reverse(reversed)
		rest, err := devsessions.NewSpaceSessions(devsessionstest.NewSpaceClient(reversed, sessionsOf(sp, reversed)), spaceInput(), opt,
			func(o *devsessions.SpaceSessionsOptions) { o.StartingToken = s.ResumeToken() }).Collect(t.Context())
		require.NoError(t, err)
		assert.ElementsMatch(t, sp.want[3:], spaceIDs(rest), "pages of %d", envPage)
		assert.Len(t, rest, len(sp.want)-3, "nothing twice")
	}
}

// A token inside a dev environment whose sessions have since ended keeps no
// sessions token for the service to refuse: the resumed run lists that dev
// environment again and goes on to the rest of the space.
func TestSpaceSessionsResumeAfterSessionsEnded(t *testing.T) {
	sp := runningSpace(3, func(int) int { return 5 })
	opt := func(o *devsessions.SpaceSessionsOptions) { o.SessionPageSize = 2 }
	s := devsessions.NewSpaceSessions(devsessionstest.NewSpaceClient(sp.envs, sp.sessions), spaceInput(), opt,
		func(o *devsessions.SpaceSessionsOptions) { o.MaxItems = 4 })
	first, err := s.Collect(t.Context())
	require.NoError(t, err)
	require.Equal(t, []string{"s-0-0", "s-0-1", "s-0-2", "s-0-3"}, spaceIDs(first))

	// s-0-2, s-0-3 and s-0-4 end: 2 sessions left where the token was at the 5th.
	sessions := slices.DeleteFunc(slices.Clone(sp.sessions), func(ss types.DevEnvironmentSessionSummary) bool {
		return slices.Contains([]string{"s-0-2", "s-0-3", "s-0-4"}, *ss.Id)
	})
	fake := devsessionstest.NewSpaceClient(sp.envs, sessions)
	s = devsessions.NewSpaceSessions(fake, spaceInput(), opt, func(o *devsessions.SpaceSessionsOptions) { o.StartingToken = s.ResumeToken() })
	rest, err := s.Collect(t.Context())
	require.NoError(t, err, "the resumed run is not stuck on a refused token")
	assert.Equal(t, sp.want[5:], spaceIDs(rest))
	assert.Empty(t, s.ResumeToken())
}

// A dev environment delivered in part (MaxItems inside it) is listed again
// from its first page by the resumed run, which delivers the sessions not
// delivered, also when sessions started before them in the meantime.
func TestSpaceSessionsResumeInsideADevEnvironment(t *testing.T) {
	sp := runningSpace(2, func(int) int { return 4 })
	opt := func(o *devsessions.SpaceSessionsOptions) { o.SessionPageSize = 1 }
	s := devsessions.NewSpaceSessions(devsessionstest.NewSpaceClient(sp.envs, sp.sessions), spaceInput(), opt,
		func(o *devsessions.SpaceSessionsOptions) { o.MaxItems = 2 })
	_, err := s.Collect(t.Context())
	require.NoError(t, err)
	started := types.DevEnvironmentSessionSummary{Id: aws.String("s-0-new"), DevEnvironmentId: sp.envs[0].Id,
		SpaceName: aws.String(testSpace), ProjectName: sp.envs[0].ProjectName}
	sessions := append([]types.DevEnvironmentSessionSummary{started}, sp.sessions...)
	fake := devsessionstest.NewSpaceClient(sp.envs, sessions)
	rest, err := devsessions.NewSpaceSessions(fake, spaceInput(), opt, func(o *devsessions.SpaceSessionsOptions) {
		o.StartingToken = s.ResumeToken()
	}).Collect(t.Context())
	require.NoError(t, err)
	assert.Equal(t, []string{"s-0-new", "s-0-2", "s-0-3", "s-1-0", "s-1-1", "s-1-2", "s-1-3"}, spaceIDs(rest))
	for _, r := range fake.Requests() {
		if r.Operation == devsessionstest.OpListDevEnvironmentSessions && r.DevEnvironmentID == *sp.envs[0].Id {
			assert.Nil(t, r.NextToken, "its first page: no service token kept across runs")
			break
		}
	}
}

// A resumed run lists the dev environments again from the first page and
// asks for the sessions of none delivered in full.
func TestSpaceSessionsResumeAsksNothingDelivered(t *testing.T) {
	sp := runningSpace(10, func(int) int { return 1 })
	s := devsessions.NewSpaceSessions(devsessionstest.NewSpaceClient(sp.envs, sp.sessions), spaceInput(),
		func(o *devsessions.SpaceSessionsOptions) { o.MaxItems = 7 })
	_, err := s.Collect(t.Context())
	require.NoError(t, err)
	fake := devsessionstest.NewSpaceClient(sp.envs, sp.sessions)
	rest, err := devsessions.NewSpaceSessions(fake, spaceInput(), func(o *devsessions.SpaceSessionsOptions) {
		o.StartingToken = s.ResumeToken()
	}).Collect(t.Context())
	require.NoError(t, err)
	assert.Equal(t, sp.want[7:], spaceIDs(rest))
	asked := sessionRequests(fake.Requests())
	assert.Len(t, asked, 3, "only the 3 dev environments not delivered")
	for _, e := range sp.envs[:7] {
		assert.Zero(t, asked[*e.Id])
	}
}

// projectless strips projectName from ListDevEnvironments answers, as a
// listing scoped to one project may.
type projectless struct {
	devsessions.SpaceSessionsAPIClient
}

func (c projectless) ListDevEnvironments(ctx context.Context, in *codecatalyst.ListDevEnvironmentsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentsOutput, error) {
	out, err := c.SpaceSessionsAPIClient.ListDevEnvironments(ctx, in, optFns...)
	if out != nil {
		items := slices.Clone(out.Items)
		for i := range items {
			items[i].ProjectName = nil
		}
		out = &codecatalyst.ListDevEnvironmentsOutput{Items: items, NextToken: out.NextToken}
	}
	return out, err
}

// A project's listing whose dev environments come without projectName lists
// their sessions in the params' project; a whole space's cannot, and says
// so for each dev environment.
func TestSpaceSessionsProjectNameFallback(t *testing.T) {
	sp := runningSpace(6, func(int) int { return 1 })
	fake := devsessionstest.NewSpaceClient(sp.envs, sp.sessions)
	in := spaceInput()
	in.ProjectName = aws.String("project-1")
	got, err := devsessions.NewSpaceSessions(projectless{fake}, in).Collect(t.Context())
	require.NoError(t, err)
	assert.Equal(t, []string{"s-1-0", "s-4-0"}, spaceIDs(got))
	for _, r := range fake.Requests() {
		if r.Operation == devsessionstest.OpListDevEnvironmentSessions {
			assert.Equal(t, "project-1", r.ProjectName)
		}
	}

	s := devsessions.NewSpaceSessions(projectless{fake}, spaceInput())
	var errs []error
	for _, err := range s.Items(t.Context()) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 6)
	var de *devsessions.DevEnvironmentError
	require.ErrorAs(t, errs[0], &de)
	assert.Contains(t, errs[0].Error(), "projectName")
	assert.NotEmpty(t, s.ResumeToken(), "nothing was delivered")
}

// The optFns given to Items are passed on, and the caller's backing array
// (spare capacity included) is never written.
func TestSpaceSessionsKeepsTheCallersOptFns(t *testing.T) {
	sp := runningSpace(3, func(int) int { return 1 })
	srv, err := devsessionstest.NewServer(devsessionstest.ServerOptions{DevEnvironments: sp.envs, Sessions: sp.sessions})
	require.NoError(t, err)
	defer srv.Close()
	var calls atomic.Int32
	mine := func(*codecatalyst.Options) { calls.Add(1) }
	sentinel := func(*codecatalyst.Options) {}
	backing := []func(*codecatalyst.Options){mine, sentinel}
	got, err := devsessions.NewSpaceSessions(srv.Client(), spaceInput()).Collect(t.Context(), backing[:1]...)
	require.NoError(t, err)
	assert.Equal(t, sp.want, spaceIDs(got))
	assert.Positive(t, calls.Load(), "the caller's optFns reach the client")
	assert.True(t, funcEqual(backing[1], sentinel), "the spare slot of the caller's array is untouched")
}

// funcEqual compares two funcs by their code pointers.
func funcEqual(a, b func(*codecatalyst.Options)) bool {
	return reflect.ValueOf(a).Pointer() == reflect.ValueOf(b).Pointer()
}
