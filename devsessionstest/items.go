package devsessionstest

import (
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
)

// Generators of n items of one operation, deterministic (the same n always
// gives the same items), in the order the doubles serve them, with every
// member the model requires set and the model's patterns kept (UUIDs where
// the model wants them). Item i's id or name holds i in four or more
// digits, as the comment of each says; times are a minute apart from
// 2024-05-01T10:00:00Z unless said otherwise. [SampleData] puts n of each
// in the demo scope.

// The demo scope the generators and [DemoData] fill, beside DemoSpace,
// DemoProject and DemoDevEnvironment.
const (
	// DemoRepository is the demo project's source repository, named after
	// the project as the demo dev environments' repositories are.
	DemoRepository = "demo-project"
	// DemoWorkflow is the id of the demo project's first workflow, which
	// [WorkflowRuns] runs.
	DemoWorkflow = "f1000000-0000-4000-8000-000000000000"
	// DemoRegion is the region of the demo spaces.
	DemoRegion = "us-west-2"
)

func minute(i int) *time.Time {
	t := demoEpoch.Add(time.Duration(i) * time.Minute)
	return &t
}

// Spaces returns n spaces named space-0000, space-0001, ... in DemoRegion.
func Spaces(n int) []types.SpaceSummary {
	out := make([]types.SpaceSummary, n)
	for i := range out {
		out[i] = types.SpaceSummary{
			Name: ptr(fmt.Sprintf("space-%04d", i)), RegionName: ptr(DemoRegion), DisplayName: ptr(fmt.Sprintf("Space %d", i)),
		}
	}
	return out
}

// AccessTokens returns n access tokens with ids token-0000, token-0001, ...
// named access-token-0000, ..., expiring a day apart from 2024-06-01.
func AccessTokens(n int) []types.AccessTokenSummary {
	out := make([]types.AccessTokenSummary, n)
	for i := range out {
		exp := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)
		out[i] = types.AccessTokenSummary{Id: ptr(fmt.Sprintf("token-%04d", i)), Name: ptr(fmt.Sprintf("access-token-%04d", i)), ExpiresTime: &exp}
	}
	return out
}

// Projects returns n projects named project-0000, project-0001, ...
func Projects(n int) []types.ProjectSummary {
	out := make([]types.ProjectSummary, n)
	for i := range out {
		out[i] = types.ProjectSummary{
			Name: ptr(fmt.Sprintf("project-%04d", i)), DisplayName: ptr(fmt.Sprintf("Project %d", i)),
			Description: ptr(fmt.Sprintf("Generated project %d.", i)),
		}
	}
	return out
}

// DevEnvironments returns n RUNNING dev environments of DemoSpace and
// DemoProject, created by user-0000 (see [Users]), with ids
// 11111111-2222-3333-4444-555555555555 (DemoDevEnvironment),
// 11111112-2222-..., counting up in the first group (in hexadecimal).
func DevEnvironments(n int) []types.DevEnvironmentSummary {
	out := make([]types.DevEnvironmentSummary, n)
	for i := range out {
		id := fmt.Sprintf("%08x-2222-3333-4444-555555555555", 0x11111111+i)
		e := implicitEnv(id, DemoSpace, DemoProject, *minute(i))
		e.CreatorId = ptr("user-0000")
		e.Alias = ptr(fmt.Sprintf("env-%04d", i))
		out[i] = e
	}
	return out
}

// SourceRepositories returns n source repositories named repo-0000,
// repo-0001, ... with ids 5e900000-0000-4000-8000-000000000000,
// ...-000000000001, ...
func SourceRepositories(n int) []types.ListSourceRepositoriesItem {
	out := make([]types.ListSourceRepositoriesItem, n)
	for i := range out {
		out[i] = types.ListSourceRepositoriesItem{
			Id: ptr(fmt.Sprintf("5e900000-0000-4000-8000-%012d", i)), Name: ptr(fmt.Sprintf("repo-%04d", i)),
			Description: ptr(fmt.Sprintf("Generated repository %d.", i)), CreatedTime: minute(i), LastUpdatedTime: minute(i + 60),
		}
	}
	return out
}

// SourceRepositoryBranches returns n branches named branch-0000,
// branch-0001, ... (refs/heads/branch-0000, ...).
func SourceRepositoryBranches(n int) []types.ListSourceRepositoryBranchesItem {
	out := make([]types.ListSourceRepositoryBranchesItem, n)
	for i := range out {
		name := fmt.Sprintf("branch-%04d", i)
		out[i] = types.ListSourceRepositoryBranchesItem{
			Name: ptr(name), Ref: ptr("refs/heads/" + name), HeadCommitId: ptr(fmt.Sprintf("%040x", 0xc0ffee00+i)), LastUpdatedTime: minute(i),
		}
	}
	return out
}

// Workflows returns n ACTIVE workflows of DemoRepository's main branch
// with ids f1000000-0000-4000-8000-000000000000 (DemoWorkflow),
// ...-000000000001, ... named workflow-0000, ...
func Workflows(n int) []types.WorkflowSummary {
	out := make([]types.WorkflowSummary, n)
	for i := range out {
		name := fmt.Sprintf("workflow-%04d", i)
		out[i] = types.WorkflowSummary{
			Id: ptr(fmt.Sprintf("f1000000-0000-4000-8000-%012d", i)), Name: ptr(name),
			SourceRepositoryName: ptr(DemoRepository), SourceBranchName: ptr("main"),
			Definition:  &types.WorkflowDefinitionSummary{Path: ptr(".codecatalyst/workflows/" + name + ".yaml")},
			CreatedTime: minute(i), LastUpdatedTime: minute(i + 30), RunMode: types.WorkflowRunModeQueued, Status: types.WorkflowStatusActive,
		}
	}
	return out
}

// WorkflowRuns returns n SUCCEEDED runs of DemoWorkflow with ids
// 4a000000-0000-4000-8000-000000000000, ...-000000000001, ... each taking
// five minutes.
func WorkflowRuns(n int) []types.WorkflowRunSummary {
	out := make([]types.WorkflowRunSummary, n)
	for i := range out {
		out[i] = types.WorkflowRunSummary{
			Id: ptr(fmt.Sprintf("4a000000-0000-4000-8000-%012d", i)), WorkflowId: ptr(DemoWorkflow), WorkflowName: ptr("workflow-0000"),
			Status: types.WorkflowRunStatusSucceeded, StartTime: minute(i), EndTime: minute(i + 5), LastUpdatedTime: minute(i + 5),
		}
	}
	return out
}

// EventLogs returns n event log entries with ids event-0000, event-0001,
// ... at 2024-05-01T10:00:00Z plus i minutes, every one a
// createDevEnvironment call by user-0000.
func EventLogs(n int) []types.EventLogEntry {
	out := make([]types.EventLogEntry, n)
	for i := range out {
		out[i] = eventLog(fmt.Sprintf("event-%04d", i), "createDevEnvironment", *minute(i), "user-0000", DemoProject)
	}
	return out
}

// eventLog is one entry with every member the model requires.
func eventLog(id, name string, at time.Time, user, project string) types.EventLogEntry {
	op := types.OperationTypeMutation
	if len(name) > 3 && (name[:3] == "get" || name[:4] == "list") {
		op = types.OperationTypeReadonly
	}
	return types.EventLogEntry{
		Id: ptr(id), EventName: ptr(name), EventType: ptr("AwsApiCall"), EventCategory: ptr("MANAGEMENT"),
		EventSource: ptr("codecatalyst.amazonaws.com"), EventTime: &at, OperationType: op,
		UserIdentity:       &types.UserIdentity{UserType: types.UserTypeUser, PrincipalId: ptr(user), UserName: ptr(user)},
		ProjectInformation: &types.ProjectInformation{Name: ptr(project)},
		RequestId:          ptr("req-" + id), SourceIpAddress: ptr("192.0.2.10"), UserAgent: ptr("aws-cli/1.45"),
	}
}

// Users returns n users with ids user-0000, user-0001, ... (the same as
// their user names), display names "User 0", ... and verified emails
// user-0000@example.com, ...
func Users(n int) []User {
	out := make([]User, n)
	for i := range out {
		id := fmt.Sprintf("user-%04d", i)
		out[i] = User{ID: id, UserName: id, DisplayName: fmt.Sprintf("User %d", i), Email: id + "@example.com", EmailVerified: true}
	}
	return out
}

// SampleData returns n items of every operation in the demo scope, for
// tests that run one table over every operation: Spaces(n),
// AccessTokens(n), Projects(n) of DemoSpace, DevEnvironments(n) of
// DemoProject (the first, DemoDevEnvironment, with Sessions(n)),
// SourceRepositories(n) of DemoProject and SourceRepositoryBranches(n) of
// DemoRepository (which is known, though not among the n repositories),
// Workflows(n) and WorkflowRuns(n) of DemoProject, EventLogs(n) of
// DemoSpace, and Users(max(n, 1)) (user-0000 creates the dev
// environments). With n = 0 every listing is empty, and
// DemoDevEnvironment unknown.
func SampleData(n int) Data {
	project := ProjectKey{DemoSpace, DemoProject}
	return Data{
		Spaces:                   Spaces(n),
		AccessTokens:             AccessTokens(n),
		Projects:                 map[string][]types.ProjectSummary{DemoSpace: Projects(n)},
		DevEnvironments:          DevEnvironments(n),
		Sessions:                 Sessions(n),
		SourceRepositories:       map[ProjectKey][]types.ListSourceRepositoriesItem{project: SourceRepositories(n)},
		SourceRepositoryBranches: map[RepositoryKey][]types.ListSourceRepositoryBranchesItem{{DemoSpace, DemoProject, DemoRepository}: SourceRepositoryBranches(n)},
		Workflows:                map[ProjectKey][]types.WorkflowSummary{project: Workflows(n)},
		WorkflowRuns:             map[ProjectKey][]types.WorkflowRunSummary{project: WorkflowRuns(n)},
		EventLogs:                map[string][]types.EventLogEntry{DemoSpace: EventLogs(n)},
		Users:                    Users(max(n, 1)),
	}
}
