package devsessionstest_test

import (
	"errors"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

func newSpaceClient() *devsessionstest.Client {
	return devsessionstest.NewSpaceClient(devsessionstest.DemoSpaceData(30))
}

func sessionsInput(e types.DevEnvironmentSummary) *codecatalyst.ListDevEnvironmentSessionsInput {
	return &codecatalyst.ListDevEnvironmentSessionsInput{
		SpaceName: aws.String(devsessionstest.DemoSpace), ProjectName: e.ProjectName, DevEnvironmentId: e.Id,
	}
}

func TestSpaceClientListsDevEnvironmentsInPages(t *testing.T) {
	envs, _ := devsessionstest.DemoSpaceData(30)
	fake := newSpaceClient()
	in := spaceInput()
	in.MaxResults = aws.Int32(5)
	var ids, tokens []string
	for {
		out, err := fake.ListDevEnvironments(t.Context(), in)
		require.NoError(t, err)
		ids = append(ids, envIDs(out.Items, "")...)
		if out.NextToken == nil {
			break
		}
		tokens = append(tokens, *out.NextToken)
		in.NextToken = out.NextToken
	}
	assert.Equal(t, envIDs(envs, ""), ids)
	assert.Equal(t, []string{"tok-5", "tok-10"}, tokens)
	assert.Equal(t, len(envs), fake.ItemsServed())

	fake.PageSize = 20
	out, err := fake.ListDevEnvironments(t.Context(), spaceInput())
	require.NoError(t, err)
	assert.Len(t, out.Items, len(envs), "PageSize applies without maxResults")

	reqs := fake.Requests()
	assert.Equal(t, devsessionstest.Request{
		Operation: devsessionstest.OpListDevEnvironments, SpaceName: devsessionstest.DemoSpace, MaxResults: aws.Int32(5),
	}, reqs[0])
}

func TestSpaceClientListsTheDevEnvironmentsOfAProject(t *testing.T) {
	envs, _ := devsessionstest.DemoSpaceData(30)
	fake := newSpaceClient()
	for _, project := range []string{devsessionstest.DemoProject, devsessionstest.DemoPaymentsProject, devsessionstest.DemoWebProject, "unknown-project"} {
		t.Run(project, func(t *testing.T) {
			in := spaceInput()
			in.ProjectName = aws.String(project)
			out, err := fake.ListDevEnvironments(t.Context(), in)
			require.NoError(t, err)
			assert.Equal(t, envIDs(envs, project), envIDs(out.Items, ""))
			if project == "unknown-project" {
				assert.Empty(t, out.Items, "the fake matches, it does not look projects up")
			}
		})
	}
}

func TestClientListDevEnvironmentsRejectsWhatTheServiceRejects(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*codecatalyst.ListDevEnvironmentsInput)
		want   string
	}{
		{"a missing space name", func(in *codecatalyst.ListDevEnvironmentsInput) { in.SpaceName = nil }, "spaceName"},
		{"an empty project name", func(in *codecatalyst.ListDevEnvironmentsInput) { in.ProjectName = aws.String("") }, "projectName"},
		{"maxResults 0", func(in *codecatalyst.ListDevEnvironmentsInput) { in.MaxResults = aws.Int32(0) }, "between 1 and 50"},
		{"maxResults 51", func(in *codecatalyst.ListDevEnvironmentsInput) { in.MaxResults = aws.Int32(51) }, "between 1 and 50"},
		{"a filter, named by its key", func(in *codecatalyst.ListDevEnvironmentsInput) {
			in.Filters = []types.Filter{{Key: aws.String("creatorId"), Values: []string{"x"}}}
		}, "filter key creatorId"},
		{"a token past the end", func(in *codecatalyst.ListDevEnvironmentsInput) { in.NextToken = aws.String("tok-14") }, "nextToken"},
		{"an unknown token", func(in *codecatalyst.ListDevEnvironmentsInput) { in.NextToken = aws.String("abc") }, "nextToken"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := newSpaceClient()
			in := spaceInput()
			tc.mutate(in)
			out, err := fake.ListDevEnvironments(t.Context(), in)
			assert.Nil(t, out)
			var ve *types.ValidationException
			require.ErrorAs(t, err, &ve)
			assert.Contains(t, ve.ErrorMessage(), tc.want)
			assert.Equal(t, 1, fake.Calls(), "the request is recorded")
		})
	}
}

func TestSpaceClientServesEachDevEnvironmentItsOwnSessions(t *testing.T) {
	envs, sessions := devsessionstest.DemoSpaceData(30)
	fake := newSpaceClient()
	for _, e := range envs {
		t.Run(aws.ToString(e.Alias), func(t *testing.T) {
			var want []string
			for _, s := range sessions {
				if aws.ToString(s.DevEnvironmentId) == aws.ToString(e.Id) {
					want = append(want, aws.ToString(s.Id))
				}
			}
			in := sessionsInput(e)
			in.MaxResults = aws.Int32(200)
			out, err := fake.ListDevEnvironmentSessions(t.Context(), in)
			require.NoError(t, err)
			var got []string
			for _, s := range out.Items {
				got = append(got, aws.ToString(s.Id))
			}
			assert.Equal(t, want, got)
			assert.NotNil(t, out.Items, "an empty list, not nil")
		})
	}
	t.Run("an unknown dev environment is not found", func(t *testing.T) {
		in := sessionsInput(envs[0])
		in.DevEnvironmentId = aws.String("99999999-2222-3333-4444-555555555555")
		_, err := fake.ListDevEnvironmentSessions(t.Context(), in)
		var nf *types.ResourceNotFoundException
		require.ErrorAs(t, err, &nf)
	})
}

func TestSpaceClientAddsTheDevEnvironmentsOnlySessionsName(t *testing.T) {
	envs, _ := devsessionstest.DemoSpaceData(0)
	sessions := devsessionstest.Sessions(3)
	fake := devsessionstest.NewSpaceClient(envs[1:2], sessions)
	out, err := fake.ListDevEnvironments(t.Context(), spaceInput())
	require.NoError(t, err)
	require.Len(t, out.Items, 2)
	assert.Equal(t, envs[1], out.Items[0], "given dev environments are served as given")
	added := out.Items[1]
	assert.Equal(t, devsessionstest.DemoDevEnvironment, aws.ToString(added.Id))
	assert.Equal(t, types.DevEnvironmentStatusRunning, added.Status)
	assert.Equal(t, devsessionstest.DemoProject, aws.ToString(added.ProjectName))
	assert.Equal(t, devsessionstest.DemoSpace, aws.ToString(added.SpaceName))
	assert.NotEmpty(t, aws.ToString(added.CreatorId))
	assert.NotNil(t, added.LastUpdatedTime)
	assert.NotNil(t, added.Repositories)
	assert.NotEmpty(t, added.InstanceType)
	require.NotNil(t, added.PersistentStorage)
	assert.Positive(t, aws.ToInt32(added.PersistentStorage.SizeInGiB))
}

func TestClientListsTheDevEnvironmentsItsSessionsName(t *testing.T) {
	sessions := devsessionstest.Sessions(4)
	sessions[3].DevEnvironmentId = aws.String("22222222-2222-3333-4444-555555555555")
	fake := devsessionstest.NewClient(sessions)
	out, err := fake.ListDevEnvironments(t.Context(), spaceInput())
	require.NoError(t, err)
	assert.Equal(t, []string{devsessionstest.DemoDevEnvironment, "22222222-2222-3333-4444-555555555555"}, envIDs(out.Items, ""))
	for _, e := range out.Items {
		assert.Equal(t, types.DevEnvironmentStatusRunning, e.Status)
	}
	page, err := fake.ListDevEnvironmentSessions(t.Context(), demoInput())
	require.NoError(t, err)
	assert.Len(t, page.Items, 4, "any dev environment gets the whole list, as before")
}

func TestClientScriptsFaultsPerOperationAndDevEnvironment(t *testing.T) {
	envs, _ := devsessionstest.DemoSpaceData(30)
	boom := errors.New("boom")
	fake := newSpaceClient()
	victim := envs[4]
	fake.ScriptDevEnvironment(aws.ToString(victim.Id), 2, devsessionstest.Fault{Err: boom})
	fake.ScriptOperation(devsessionstest.OpListDevEnvironments, 2, devsessionstest.Fault{Empty: true})
	fake.ScriptOperation(devsessionstest.OpListDevEnvironments, 3, devsessionstest.Fault{Extra: 1})

	var wg sync.WaitGroup
	errs := make([][]error, len(envs))
	for i, e := range envs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3 {
				_, err := fake.ListDevEnvironmentSessions(t.Context(), sessionsInput(e))
				errs[i] = append(errs[i], err)
			}
		}()
	}
	wg.Wait()
	for i := range envs {
		if i == 4 {
			assert.Equal(t, []error{nil, boom, nil}, errs[i], "the second call for the victim fails")
			continue
		}
		assert.Equal(t, []error{nil, nil, nil}, errs[i])
	}

	in := spaceInput()
	in.MaxResults = aws.Int32(2)
	out, err := fake.ListDevEnvironments(t.Context(), in)
	require.NoError(t, err)
	assert.Len(t, out.Items, 2)
	in.NextToken = out.NextToken
	out, err = fake.ListDevEnvironments(t.Context(), in)
	require.NoError(t, err)
	assert.Empty(t, out.Items, "the second ListDevEnvironments call is empty")
	assert.Equal(t, "tok-2~", aws.ToString(out.NextToken)[:6])
	in.NextToken = out.NextToken
	out, err = fake.ListDevEnvironments(t.Context(), in)
	require.NoError(t, err)
	assert.Len(t, out.Items, 3, "the third has one extra")
	assert.Equal(t, "tok-5", aws.ToString(out.NextToken))
}

func TestClientGlobalScriptCountsBothOperations(t *testing.T) {
	boom := errors.New("boom")
	fake := devsessionstest.NewClient(devsessionstest.Sessions(3))
	fake.Script(2, devsessionstest.Fault{Err: boom})
	_, err := fake.ListDevEnvironments(t.Context(), spaceInput())
	require.NoError(t, err)
	_, err = fake.ListDevEnvironmentSessions(t.Context(), demoInput())
	require.ErrorIs(t, err, boom)
	ops := []string{}
	for _, r := range fake.Requests() {
		ops = append(ops, r.Operation)
	}
	assert.Equal(t, []string{devsessionstest.OpListDevEnvironments, devsessionstest.OpListDevEnvironmentSessions}, ops)
}

func TestClientCountsCallsInFlight(t *testing.T) {
	fake := newSpaceClient()
	fake.Latency = 200 * time.Millisecond
	const n = 5
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if i%2 == 0 {
				_, err = fake.ListDevEnvironments(t.Context(), spaceInput())
			} else {
				_, err = fake.ListDevEnvironmentSessions(t.Context(), demoInput())
			}
			assert.NoError(t, err)
		}()
	}
	require.Eventually(t, func() bool { return fake.InFlight() == n }, time.Second, time.Millisecond, "calls waiting out Latency are in flight")
	wg.Wait()
	assert.Equal(t, 0, fake.InFlight())
	assert.Equal(t, n, fake.MaxInFlight())
}

func TestDemoSpaceData(t *testing.T) {
	const n = 7
	envs, sessions := devsessionstest.DemoSpaceData(n)
	again, againSessions := devsessionstest.DemoSpaceData(n)
	assert.Equal(t, envs, again, "deterministic")
	assert.Equal(t, sessions, againSessions, "deterministic")

	require.GreaterOrEqual(t, len(envs), 12)
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	projects := map[string]bool{}
	statuses := map[types.DevEnvironmentStatus]int{}
	byID := map[string]types.DevEnvironmentSummary{}
	for _, e := range envs {
		id := aws.ToString(e.Id)
		assert.Regexp(t, uuid, id)
		assert.NotContains(t, byID, id, "ids are unique")
		byID[id] = e
		projects[aws.ToString(e.ProjectName)] = true
		statuses[e.Status]++
		assert.Equal(t, devsessionstest.DemoSpace, aws.ToString(e.SpaceName))
		assert.NotEmpty(t, aws.ToString(e.Alias))
		assert.NotEmpty(t, aws.ToString(e.CreatorId))
		assert.NotNil(t, e.LastUpdatedTime)
		assert.NotEmpty(t, e.Repositories)
		assert.Contains(t, types.InstanceType("").Values(), e.InstanceType)
		require.NotNil(t, e.PersistentStorage)
		assert.Positive(t, aws.ToInt32(e.PersistentStorage.SizeInGiB))
	}
	assert.GreaterOrEqual(t, len(projects), 3)
	assert.Equal(t, devsessionstest.DemoProject, aws.ToString(envs[0].ProjectName), "DemoProject first")
	assert.Greater(t, statuses[types.DevEnvironmentStatusRunning], len(envs)/2, "mostly RUNNING")
	assert.Positive(t, statuses[types.DevEnvironmentStatusStopped])
	assert.Positive(t, statuses[types.DevEnvironmentStatusStarting]+statuses[types.DevEnvironmentStatusStopping]+statuses[types.DevEnvironmentStatusFailed])

	demo := byID[devsessionstest.DemoDevEnvironment]
	assert.Equal(t, devsessionstest.DemoProject, aws.ToString(demo.ProjectName))
	assert.Equal(t, types.DevEnvironmentStatusRunning, demo.Status)

	perEnv := map[string][]types.DevEnvironmentSessionSummary{}
	ids := map[string]bool{}
	for _, s := range sessions {
		env, ok := byID[aws.ToString(s.DevEnvironmentId)]
		require.True(t, ok, "every session names a listed dev environment")
		assert.Equal(t, aws.ToString(env.ProjectName), aws.ToString(s.ProjectName))
		assert.Equal(t, devsessionstest.DemoSpace, aws.ToString(s.SpaceName))
		assert.NotNil(t, s.StartedTime)
		assert.False(t, ids[aws.ToString(s.Id)], "session ids are unique across the space: %s", aws.ToString(s.Id))
		ids[aws.ToString(s.Id)] = true
		perEnv[aws.ToString(env.Id)] = append(perEnv[aws.ToString(env.Id)], s)
	}
	assert.Equal(t, devsessionstest.Sessions(n), perEnv[devsessionstest.DemoDevEnvironment], "the demo dev environment has exactly Sessions(n)")
	withSessions := 0
	for id, e := range byID {
		if e.Status != types.DevEnvironmentStatusRunning {
			assert.Empty(t, perEnv[id], "only a running dev environment has sessions")
			continue
		}
		if id != devsessionstest.DemoDevEnvironment {
			assert.LessOrEqual(t, len(perEnv[id]), 4)
			if len(perEnv[id]) > 0 {
				withSessions++
			}
		}
	}
	assert.GreaterOrEqual(t, withSessions, 3, "other running dev environments have sessions too")

	_, none := devsessionstest.DemoSpaceData(0)
	assert.Len(t, none, len(sessions)-n, "n only changes the demo dev environment's sessions")
}
