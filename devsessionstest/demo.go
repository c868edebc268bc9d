package devsessionstest

import (
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
)

// DemoUsers are the people of the demo space: every creatorId of
// [DemoSpaceData]'s dev environments, and one more (heidi, who created
// none), as GetUserDetails answers for them. Their ids are the creatorIds
// (user-alice, ...), their user names the bare names (alice, ...).
func DemoUsers() []User {
	names := []string{"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"}
	out := make([]User, len(names))
	for i, n := range names {
		out[i] = User{
			ID: "user-" + n, UserName: n, DisplayName: string(n[0]-'a'+'A') + n[1:] + " Example",
			Email: n + "@example.com", EmailVerified: i%4 != 3, Version: "1",
		}
	}
	return out
}

// DemoData returns what the emulator serves: [DemoSpaceData](sessions) and,
// for every other operation, at least 8 items in a scope the demo names:
//
//   - ListSpaces: 9 spaces, DemoSpace first;
//   - ListAccessTokens: 9 tokens;
//   - ListProjects: 9 projects of DemoSpace (DemoProject, DemoPaymentsProject
//     and DemoWebProject, whose dev environments DemoSpaceData holds, first);
//   - ListSourceRepositories: 9 repositories of DemoProject (DemoRepository
//     first), and one of each other project named after it;
//   - ListSourceRepositoryBranches: 9 branches of DemoRepository (main first);
//   - ListWorkflows: 9 workflows of DemoProject (DemoWorkflow first);
//   - ListWorkflowRuns: 18 runs of DemoProject, 2 of each workflow, 9 of
//     them (every other) of DemoWorkflow, newest last;
//   - ListEventLogs: 24 entries of DemoSpace, one an hour through
//     2024-05-01 (UTC), of six event names (createDevEnvironment first);
//   - GetUserDetails: [DemoUsers], every creatorId of the dev environments.
//
// The same sessions always gives the same data.
func DemoData(sessions int) Data {
	envs, all := DemoSpaceData(sessions)
	d := Data{
		DevEnvironments:          envs,
		Sessions:                 all,
		Projects:                 map[string][]types.ProjectSummary{},
		SourceRepositories:       map[ProjectKey][]types.ListSourceRepositoriesItem{},
		SourceRepositoryBranches: map[RepositoryKey][]types.ListSourceRepositoryBranchesItem{},
		Workflows:                map[ProjectKey][]types.WorkflowSummary{},
		WorkflowRuns:             map[ProjectKey][]types.WorkflowRunSummary{},
		EventLogs:                map[string][]types.EventLogEntry{},
		Users:                    DemoUsers(),
	}
	spaceNames := []string{DemoSpace, "acme-labs", "billing-team", "data-science", "growth", "mobile", "platform", "security", "sandbox"}
	for i, n := range spaceNames {
		d.Spaces = append(d.Spaces, types.SpaceSummary{
			Name: ptr(n), RegionName: ptr(DemoRegion), DisplayName: ptr(n), Description: ptr(fmt.Sprintf("Demo space %d.", i+1)),
		})
	}
	for i, n := range []string{"laptop", "ci-bot", "release", "backup", "deploy", "docs-sync", "metrics", "on-call", "scratch"} {
		exp := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC).AddDate(0, i, 0)
		d.AccessTokens = append(d.AccessTokens, types.AccessTokenSummary{
			Id: ptr(fmt.Sprintf("7d6f%04x-0000-4000-8000-%012x", i, i)), Name: ptr(n), ExpiresTime: &exp,
		})
	}
	projects := []string{DemoProject, DemoPaymentsProject, DemoWebProject, "mobile-app", "data-pipeline", "infra", "docs-site", "ml-models", "billing"}
	for i, p := range projects {
		d.Projects[DemoSpace] = append(d.Projects[DemoSpace], types.ProjectSummary{
			Name: ptr(p), DisplayName: ptr(p), Description: ptr("The " + p + " project."),
		})
		key := ProjectKey{DemoSpace, p}
		d.SourceRepositories[key] = []types.ListSourceRepositoriesItem{demoRepository(p, 100+i)}
	}
	demo := ProjectKey{DemoSpace, DemoProject}
	for i, r := range []string{"docs", "infra-config", "design-system", "load-tests", "notebooks", "scripts", "protos", "website"} {
		d.SourceRepositories[demo] = append(d.SourceRepositories[demo], demoRepository(r, i+1))
	}
	repo := RepositoryKey{DemoSpace, DemoProject, DemoRepository}
	for i, b := range []string{"main", "develop", "release-1.0", "release-1.1", "feature-login", "feature-search", "fix-timeout", "docs-update", "experiment"} {
		d.SourceRepositoryBranches[repo] = append(d.SourceRepositoryBranches[repo], types.ListSourceRepositoryBranchesItem{
			Name: ptr(b), Ref: ptr("refs/heads/" + b), HeadCommitId: ptr(fmt.Sprintf("%040x", 0xdecaf000+i)), LastUpdatedTime: minute(-i * 90),
		})
	}
	workflowNames := []string{"build", "test", "deploy-staging", "deploy-prod", "lint", "nightly", "security-scan", "docs", "release"}
	for i, n := range workflowNames {
		mode := types.WorkflowRunModeQueued
		if i%3 == 1 {
			mode = types.WorkflowRunModeParallel
		}
		d.Workflows[demo] = append(d.Workflows[demo], types.WorkflowSummary{
			Id: ptr(fmt.Sprintf("f1000000-0000-4000-8000-%012d", i)), Name: ptr(n),
			SourceRepositoryName: ptr(DemoRepository), SourceBranchName: ptr("main"),
			Definition:  &types.WorkflowDefinitionSummary{Path: ptr(".codecatalyst/workflows/" + n + ".yaml")},
			CreatedTime: minute(-30 * 24 * 60), LastUpdatedTime: minute(-i * 60), RunMode: mode, Status: types.WorkflowStatusActive,
		})
	}
	statuses := []types.WorkflowRunStatus{types.WorkflowRunStatusSucceeded, types.WorkflowRunStatusFailed, types.WorkflowRunStatusSucceeded,
		types.WorkflowRunStatusStopped, types.WorkflowRunStatusSucceeded, types.WorkflowRunStatusInProgress}
	for i := range 2 * len(workflowNames) {
		w := d.Workflows[demo][0]
		if i%2 == 1 {
			w = d.Workflows[demo][i/2%len(workflowNames)]
		}
		run := types.WorkflowRunSummary{
			Id: ptr(fmt.Sprintf("4a000000-0000-4000-8000-%012d", i)), WorkflowId: w.Id, WorkflowName: w.Name,
			Status: statuses[i%len(statuses)], StartTime: minute(i * 20), LastUpdatedTime: minute(i*20 + 7),
		}
		if run.Status != types.WorkflowRunStatusInProgress {
			run.EndTime = minute(i*20 + 7)
		}
		d.WorkflowRuns[demo] = append(d.WorkflowRuns[demo], run)
	}
	events := []string{"createDevEnvironment", "startDevEnvironment", "stopDevEnvironment", "createAccessToken", "getProject", "listSourceRepositories"}
	users := DemoUsers()
	day := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	for i := range 24 {
		d.EventLogs[DemoSpace] = append(d.EventLogs[DemoSpace], eventLog(
			fmt.Sprintf("e7e00000-0000-4000-8000-%012d", i), events[i%len(events)], day.Add(time.Duration(i)*time.Hour),
			users[i%len(users)].ID, projects[i%3]))
	}
	return d
}

// demoRepository is repository i (unique in the demo space), named name.
func demoRepository(name string, i int) types.ListSourceRepositoriesItem {
	return types.ListSourceRepositoriesItem{
		Id: ptr(fmt.Sprintf("5e9a0000-0000-4000-8000-%012d", i)), Name: ptr(name), Description: ptr("The " + name + " repository."),
		CreatedTime: minute(-(i%100 + 10) * 24 * 60), LastUpdatedTime: minute(-(i % 100) * 60),
	}
}
