package devsessionstest_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

func eventIDs(es []types.EventLogEntry) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, aws.ToString(e.Id))
	}
	return out
}

func TestListEventLogsFiltersByWindowAndEventName(t *testing.T) {
	d := devsessionstest.SampleData(0)
	at := func(m int) *time.Time { return aws.Time(time.Date(2024, 5, 1, 10, m, 0, 0, time.UTC)) }
	entry := func(id, name string, m int) types.EventLogEntry {
		e := devsessionstest.EventLogs(1)[0]
		e.Id, e.EventName, e.EventTime = aws.String(id), aws.String(name), at(m)
		return e
	}
	d.EventLogs[devsessionstest.DemoSpace] = []types.EventLogEntry{
		entry("e0", "createDevEnvironment", 0), entry("e1", "stopDevEnvironment", 10),
		entry("e2", "createDevEnvironment", 20), entry("e3", "createDevEnvironment", 30),
	}
	cases := []struct {
		name       string
		start, end *time.Time
		eventName  *string
		want       []string
	}{
		{"a window holding every entry", at(0), at(31), nil, []string{"e0", "e1", "e2", "e3"}},
		{"start is inclusive, end exclusive", at(10), at(30), nil, []string{"e1", "e2"}},
		{"a window of one second", at(20), aws.Time(at(20).Add(time.Second)), nil, []string{"e2"}},
		{"a window of years", aws.Time(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)), aws.Time(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)), nil, []string{"e0", "e1", "e2", "e3"}},
		{"a window before every entry", at(-60), at(-1), nil, []string{}},
		{"an event name", at(0), at(31), aws.String("createDevEnvironment"), []string{"e0", "e2", "e3"}},
		{"an event name and a window", at(1), at(31), aws.String("createDevEnvironment"), []string{"e2", "e3"}},
		{"an event name no entry has", at(0), at(31), aws.String("deleteProject"), []string{}},
		{"a window in another time zone", aws.Time(at(10).In(time.FixedZone("x", 3600))), at(11), nil, []string{"e1"}},
	}
	for _, db := range doubles {
		c, _ := db.make(t, d, 0)
		for _, tc := range cases {
			t.Run(db.name+"/"+tc.name, func(t *testing.T) {
				out, err := c.ListEventLogs(t.Context(), &codecatalyst.ListEventLogsInput{
					SpaceName: demoSpace, StartTime: tc.start, EndTime: tc.end, EventName: tc.eventName,
				})
				require.NoError(t, err)
				assert.Equal(t, tc.want, eventIDs(out.Items))
			})
		}
		t.Run(db.name+"/start not before end", func(t *testing.T) {
			for _, end := range []*time.Time{at(10), at(9)} {
				_, err := c.ListEventLogs(t.Context(), &codecatalyst.ListEventLogsInput{SpaceName: demoSpace, StartTime: at(10), EndTime: end})
				var ve *types.ValidationException
				require.ErrorAs(t, err, &ve)
			}
		})
	}
}

func TestListWorkflowRunsOfOneWorkflow(t *testing.T) {
	d := devsessionstest.SampleData(4)
	runs := d.WorkflowRuns[demoKey]
	other := aws.String("f1000000-0000-4000-8000-000000000001")
	runs[1].WorkflowId, runs[3].WorkflowId = other, other
	for _, db := range doubles {
		t.Run(db.name, func(t *testing.T) {
			c, _ := db.make(t, d, 0)
			list := func(id *string) []types.WorkflowRunSummary {
				out, err := c.ListWorkflowRuns(t.Context(), &codecatalyst.ListWorkflowRunsInput{SpaceName: demoSpace, ProjectName: demoProject, WorkflowId: id})
				require.NoError(t, err)
				return out.Items
			}
			assert.Equal(t, runs, list(nil), "every run without a workflowId")
			assert.Equal(t, []types.WorkflowRunSummary{runs[0], runs[2]}, list(aws.String(devsessionstest.DemoWorkflow)))
			assert.Equal(t, []types.WorkflowRunSummary{runs[1], runs[3]}, list(other))
			assert.Empty(t, list(aws.String("f1000000-0000-4000-8000-000000000009")), "a workflow without runs")
		})
	}
}

func TestListProjectsFilters(t *testing.T) {
	d := devsessionstest.SampleData(5)
	names := func(ps []types.ProjectSummary) []string {
		out := []string{}
		for _, p := range ps {
			out = append(out, aws.ToString(p.Name))
		}
		return out
	}
	cases := []struct {
		name    string
		filters []types.ProjectListFilter
		want    []string
	}{
		{"name equals", []types.ProjectListFilter{{Key: types.FilterKeyName, Values: []string{"project-0003"}}}, []string{"project-0003"}},
		{"name equals any value", []types.ProjectListFilter{{Key: types.FilterKeyName, Values: []string{"project-0003", "project-0001"}, ComparisonOperator: types.ComparisonOperatorEquals}}, []string{"project-0001", "project-0003"}},
		{"name greater than", []types.ProjectListFilter{{Key: types.FilterKeyName, Values: []string{"project-0002"}, ComparisonOperator: types.ComparisonOperatorGreaterThan}}, []string{"project-0003", "project-0004"}},
		{"name begins with", []types.ProjectListFilter{{Key: types.FilterKeyName, Values: []string{"proj"}, ComparisonOperator: types.ComparisonOperatorBeginsWith}}, []string{"project-0000", "project-0001", "project-0002", "project-0003", "project-0004"}},
		{"has access to", []types.ProjectListFilter{{Key: types.FilterKeyHasAccessTo, Values: []string{"true"}}}, []string{"project-0000", "project-0001", "project-0002", "project-0003", "project-0004"}},
		{"has no access to", []types.ProjectListFilter{{Key: types.FilterKeyHasAccessTo, Values: []string{"false"}}}, []string{}},
		{"every filter holds", []types.ProjectListFilter{
			{Key: types.FilterKeyName, Values: []string{"project-0003"}, ComparisonOperator: types.ComparisonOperatorLessThan},
			{Key: types.FilterKeyName, Values: []string{"project-0001"}, ComparisonOperator: types.ComparisonOperatorGreaterThanOrEquals},
		}, []string{"project-0001", "project-0002"}},
	}
	for _, db := range doubles {
		c, _ := db.make(t, d, 0)
		for _, tc := range cases {
			t.Run(db.name+"/"+tc.name, func(t *testing.T) {
				out, err := c.ListProjects(t.Context(), &codecatalyst.ListProjectsInput{SpaceName: demoSpace, Filters: tc.filters})
				require.NoError(t, err)
				assert.Equal(t, tc.want, names(out.Items))
			})
		}
		t.Run(db.name+"/an unsupported filter", func(t *testing.T) {
			for _, f := range []types.ProjectListFilter{
				{Key: "status", Values: []string{"x"}},
				{Key: types.FilterKeyHasAccessTo, Values: []string{"maybe"}},
				{Key: types.FilterKeyName, Values: []string{}},
			} {
				_, err := c.ListProjects(t.Context(), &codecatalyst.ListProjectsInput{SpaceName: demoSpace, Filters: []types.ProjectListFilter{f}})
				var ve *types.ValidationException
				require.ErrorAs(t, err, &ve, "%+v", f)
			}
		})
	}
}

func TestGetUserDetails(t *testing.T) {
	d := devsessionstest.Data{Users: []devsessionstest.User{
		{ID: "user-alice", UserName: "alice", DisplayName: "Alice", Email: "alice@example.com", EmailVerified: true, Version: "3"},
		{ID: "user-bob", UserName: "bob"},
	}}
	alice := &codecatalyst.GetUserDetailsOutput{
		UserId: aws.String("user-alice"), UserName: aws.String("alice"), DisplayName: aws.String("Alice"),
		PrimaryEmail: &types.EmailAddress{Email: aws.String("alice@example.com"), Verified: aws.Bool(true)}, Version: aws.String("3"),
	}
	bob := &codecatalyst.GetUserDetailsOutput{UserId: aws.String("user-bob"), UserName: aws.String("bob"), Version: aws.String("1")}
	found := []struct {
		name         string
		id, userName *string
		want         *codecatalyst.GetUserDetailsOutput
	}{
		{"by id", aws.String("user-alice"), nil, alice},
		{"by user name", nil, aws.String("bob"), bob},
		{"by both", aws.String("user-bob"), aws.String("bob"), bob},
	}
	notFound := []struct {
		name         string
		id, userName *string
	}{
		{"an unknown id", aws.String("user-mallory"), nil},
		{"an unknown user name", nil, aws.String("mallory")},
		{"an id and another user's name", aws.String("user-alice"), aws.String("bob")},
	}
	for _, db := range doubles {
		c, _ := db.make(t, d, 0)
		for _, tc := range found {
			t.Run(db.name+"/"+tc.name, func(t *testing.T) {
				out, err := c.GetUserDetails(t.Context(), &codecatalyst.GetUserDetailsInput{Id: tc.id, UserName: tc.userName})
				require.NoError(t, err)
				out.ResultMetadata = tc.want.ResultMetadata
				assert.Equal(t, tc.want, out)
			})
		}
		for _, tc := range notFound {
			t.Run(db.name+"/"+tc.name, func(t *testing.T) {
				_, err := c.GetUserDetails(t.Context(), &codecatalyst.GetUserDetailsInput{Id: tc.id, UserName: tc.userName})
				var nf *types.ResourceNotFoundException
				require.ErrorAs(t, err, &nf)
			})
		}
		t.Run(db.name+"/scripted faults", func(t *testing.T) {
			c, sc := db.make(t, d, 0)
			sc.ScriptOperation(devsessionstest.OpGetUserDetails, 1, devsessionstest.Fault{Status: 429})
			sc.ScriptOperation(devsessionstest.OpGetUserDetails, 2, devsessionstest.Fault{Err: &types.AccessDeniedException{Message: aws.String("no")}})
			in := &codecatalyst.GetUserDetailsInput{Id: aws.String("user-bob")}
			_, err := c.GetUserDetails(t.Context(), in)
			var te *types.ThrottlingException
			require.ErrorAs(t, err, &te)
			_, err = c.GetUserDetails(t.Context(), in)
			var ae *types.AccessDeniedException
			require.ErrorAs(t, err, &ae)
			out, err := c.GetUserDetails(t.Context(), in)
			require.NoError(t, err, "the third call is not scripted")
			assert.Equal(t, "bob", aws.ToString(out.UserName))
		})
		t.Run(db.name+"/neither id nor user name", func(t *testing.T) {
			_, err := c.GetUserDetails(t.Context(), &codecatalyst.GetUserDetailsInput{})
			var ve *types.ValidationException
			require.ErrorAs(t, err, &ve)
		})
	}
}

func TestDataIsCopied(t *testing.T) {
	for _, db := range doubles {
		t.Run(db.name, func(t *testing.T) {
			d := devsessionstest.SampleData(3)
			want := devsessionstest.SampleData(3)
			c, _ := db.make(t, d, 0)
			d.Projects[devsessionstest.DemoSpace][0].Name = aws.String("changed")
			d.Spaces[0].Name = aws.String("changed")
			d.Users[0].ID = "changed"
			for _, o := range operations {
				got, _ := listAllPages(t, c, o, nil)
				assert.Equal(t, o.want(want), got, o.op)
			}
		})
	}
}

func TestEveryOperationRefusesAMissingRequiredMember(t *testing.T) {
	// The SDK checks required members before it sends anything, so only
	// the fake Client meets these; server_routes_test.go sends them to a
	// Server over HTTP.
	c := devsessionstest.NewDataClient(devsessionstest.SampleData(1))
	ctx := t.Context()
	repo := aws.String(devsessionstest.DemoRepository)
	start, end := aws.Time(logStart), aws.Time(logEnd)
	cases := map[string]func() error{
		"ListDevEnvironments without spaceName": func() error {
			_, err := c.ListDevEnvironments(ctx, &codecatalyst.ListDevEnvironmentsInput{})
			return err
		},
		"ListDevEnvironmentSessions without devEnvironmentId": func() error {
			_, err := c.ListDevEnvironmentSessions(ctx, &codecatalyst.ListDevEnvironmentSessionsInput{SpaceName: demoSpace, ProjectName: demoProject})
			return err
		},
		"ListEventLogs without spaceName": func() error {
			_, err := c.ListEventLogs(ctx, &codecatalyst.ListEventLogsInput{StartTime: start, EndTime: end})
			return err
		},
		"ListEventLogs without startTime": func() error {
			_, err := c.ListEventLogs(ctx, &codecatalyst.ListEventLogsInput{SpaceName: demoSpace, EndTime: end})
			return err
		},
		"ListEventLogs without endTime": func() error {
			_, err := c.ListEventLogs(ctx, &codecatalyst.ListEventLogsInput{SpaceName: demoSpace, StartTime: start})
			return err
		},
		"ListProjects without spaceName": func() error {
			_, err := c.ListProjects(ctx, &codecatalyst.ListProjectsInput{})
			return err
		},
		"ListProjects with an empty spaceName": func() error {
			_, err := c.ListProjects(ctx, &codecatalyst.ListProjectsInput{SpaceName: aws.String("")})
			return err
		},
		"ListSourceRepositories without projectName": func() error {
			_, err := c.ListSourceRepositories(ctx, &codecatalyst.ListSourceRepositoriesInput{SpaceName: demoSpace})
			return err
		},
		"ListSourceRepositoryBranches without sourceRepositoryName": func() error {
			_, err := c.ListSourceRepositoryBranches(ctx, &codecatalyst.ListSourceRepositoryBranchesInput{SpaceName: demoSpace, ProjectName: demoProject})
			return err
		},
		"ListSourceRepositoryBranches without spaceName": func() error {
			_, err := c.ListSourceRepositoryBranches(ctx, &codecatalyst.ListSourceRepositoryBranchesInput{ProjectName: demoProject, SourceRepositoryName: repo})
			return err
		},
		"ListWorkflows without projectName": func() error {
			_, err := c.ListWorkflows(ctx, &codecatalyst.ListWorkflowsInput{SpaceName: demoSpace})
			return err
		},
		"ListWorkflows with two sort criteria": func() error {
			_, err := c.ListWorkflows(ctx, &codecatalyst.ListWorkflowsInput{SpaceName: demoSpace, ProjectName: demoProject,
				SortBy: []types.WorkflowSortCriteria{{}, {}}})
			return err
		},
		"ListWorkflowRuns without spaceName": func() error {
			_, err := c.ListWorkflowRuns(ctx, &codecatalyst.ListWorkflowRunsInput{ProjectName: demoProject})
			return err
		},
		"ListWorkflowRuns with an empty workflowId": func() error {
			_, err := c.ListWorkflowRuns(ctx, &codecatalyst.ListWorkflowRunsInput{SpaceName: demoSpace, ProjectName: demoProject, WorkflowId: aws.String("")})
			return err
		},
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			var ve *types.ValidationException
			require.ErrorAs(t, call(), &ve)
		})
	}
}
