package devsessionstest

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
)

// The Client's operations, each with the signature of
// *codecatalyst.Client's method of the same name. Per-call options are
// accepted and ignored. A nil input is answered as an empty one.

// ListDevEnvironmentSessions implements devsessions.ListDevEnvironmentSessionsAPIClient.
func (c *Client) ListDevEnvironmentSessions(ctx context.Context, in *codecatalyst.ListDevEnvironmentSessionsInput,
	_ ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	if in == nil {
		in = &codecatalyst.ListDevEnvironmentSessionsInput{}
	}
	req := Request{
		Operation: OpListDevEnvironmentSessions,
		SpaceName: deref(in.SpaceName), ProjectName: deref(in.ProjectName), DevEnvironmentID: deref(in.DevEnvironmentId),
		MaxResults: copyPtr(in.MaxResults), NextToken: copyPtr(in.NextToken),
	}
	items, next, err := serve(c, ctx, req, func() error {
		if req.SpaceName == "" || req.ProjectName == "" || req.DevEnvironmentID == "" {
			return validation("spaceName, projectName and devEnvironmentId are required")
		}
		return nil
	}, func() ([]types.DevEnvironmentSessionSummary, error) {
		if c.byEnv == nil {
			return c.sessions, nil
		}
		sessions, ok := c.byEnv[req.DevEnvironmentID]
		if !ok {
			return nil, notFound("dev environment %s not found", req.DevEnvironmentID)
		}
		return sessions, nil
	})
	if err != nil {
		return nil, err
	}
	return &codecatalyst.ListDevEnvironmentSessionsOutput{Items: items, NextToken: next}, nil
}

// ListDevEnvironments lists the client's dev environments as
// codecatalyst.Client.ListDevEnvironments does (see [NewSpaceClient] and
// [NewDataClient]). It answers an empty space name, an empty (non-nil)
// project name, a maxResults outside 1..50, a bad nextToken and any filter
// with a *types.ValidationException (the model documents no filter keys).
func (c *Client) ListDevEnvironments(ctx context.Context, in *codecatalyst.ListDevEnvironmentsInput,
	_ ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentsOutput, error) {
	if in == nil {
		in = &codecatalyst.ListDevEnvironmentsInput{}
	}
	req := Request{
		Operation: OpListDevEnvironments, SpaceName: deref(in.SpaceName), ProjectName: deref(in.ProjectName),
		MaxResults: copyPtr(in.MaxResults), NextToken: copyPtr(in.NextToken), Filters: copyFilters(in.Filters),
	}
	items, next, err := serve(c, ctx, req, func() error {
		switch {
		case req.SpaceName == "":
			return validation("spaceName is required")
		case in.ProjectName != nil && req.ProjectName == "":
			return validation("projectName must not be empty")
		case len(req.Filters) > 0:
			return invalid("filter key %s is not supported by this endpoint", deref(req.Filters[0].Key))
		}
		return nil
	}, func() ([]types.DevEnvironmentSummary, error) {
		if c.bySpace {
			if err := c.st.space(req.SpaceName); err != nil {
				return nil, err
			}
			if in.ProjectName != nil {
				if err := c.st.project(ProjectKey{req.SpaceName, req.ProjectName}); err != nil {
					return nil, err
				}
			}
		}
		if !c.bySpace && in.ProjectName == nil {
			return c.envs, nil
		}
		key := selectionKey{op: OpListDevEnvironments, project: req.ProjectName, hasName: in.ProjectName != nil}
		if c.bySpace {
			key.space = req.SpaceName
		}
		return selected(c.st, key, func() ([]types.DevEnvironmentSummary, error) {
			var envs []types.DevEnvironmentSummary
			for _, e := range c.envs {
				if c.bySpace && e.SpaceName != nil && *e.SpaceName != req.SpaceName {
					continue
				}
				if in.ProjectName != nil && deref(e.ProjectName) != req.ProjectName {
					continue
				}
				envs = append(envs, e)
			}
			return envs, nil
		})
	})
	if err != nil {
		return nil, err
	}
	return &codecatalyst.ListDevEnvironmentsOutput{Items: items, NextToken: next}, nil
}

// ListAccessTokens lists Data.AccessTokens.
func (c *Client) ListAccessTokens(ctx context.Context, in *codecatalyst.ListAccessTokensInput,
	_ ...func(*codecatalyst.Options)) (*codecatalyst.ListAccessTokensOutput, error) {
	if in == nil {
		in = &codecatalyst.ListAccessTokensInput{}
	}
	req := Request{Operation: OpListAccessTokens, MaxResults: copyPtr(in.MaxResults), NextToken: copyPtr(in.NextToken)}
	items, next, err := serve(c, ctx, req, func() error { return nil }, func() ([]types.AccessTokenSummary, error) {
		return c.st.d.AccessTokens, nil
	})
	if err != nil {
		return nil, err
	}
	return &codecatalyst.ListAccessTokensOutput{Items: items, NextToken: next}, nil
}

// ListSpaces lists Data.Spaces, DefaultPageSize (or PageSize) a page: the
// operation has no maxResults.
func (c *Client) ListSpaces(ctx context.Context, in *codecatalyst.ListSpacesInput,
	_ ...func(*codecatalyst.Options)) (*codecatalyst.ListSpacesOutput, error) {
	if in == nil {
		in = &codecatalyst.ListSpacesInput{}
	}
	req := Request{Operation: OpListSpaces, NextToken: copyPtr(in.NextToken)}
	items, next, err := serve(c, ctx, req, func() error { return nil }, func() ([]types.SpaceSummary, error) {
		return c.st.d.Spaces, nil
	})
	if err != nil {
		return nil, err
	}
	return &codecatalyst.ListSpacesOutput{Items: items, NextToken: next}, nil
}

// ListProjects lists the space's projects (Data.Projects), those the
// filters keep: key name with any comparison operator (EQ when none) and
// key hasAccessTo with "true" (every project) or "false" (none); a project
// is kept when every filter holds for one of its values.
func (c *Client) ListProjects(ctx context.Context, in *codecatalyst.ListProjectsInput,
	_ ...func(*codecatalyst.Options)) (*codecatalyst.ListProjectsOutput, error) {
	if in == nil {
		in = &codecatalyst.ListProjectsInput{}
	}
	req := Request{
		Operation: OpListProjects, SpaceName: deref(in.SpaceName),
		MaxResults: copyPtr(in.MaxResults), NextToken: copyPtr(in.NextToken), ProjectFilters: copyProjectFilters(in.Filters),
	}
	items, next, err := serve(c, ctx, req, func() error { return required("spaceName", req.SpaceName) },
		func() ([]types.ProjectSummary, error) { return c.st.listProjects(req.SpaceName, req.ProjectFilters) })
	if err != nil {
		return nil, err
	}
	return &codecatalyst.ListProjectsOutput{Items: items, NextToken: next}, nil
}

// ListSourceRepositories lists the project's source repositories
// (Data.SourceRepositories).
func (c *Client) ListSourceRepositories(ctx context.Context, in *codecatalyst.ListSourceRepositoriesInput,
	_ ...func(*codecatalyst.Options)) (*codecatalyst.ListSourceRepositoriesOutput, error) {
	if in == nil {
		in = &codecatalyst.ListSourceRepositoriesInput{}
	}
	req := Request{
		Operation: OpListSourceRepositories, SpaceName: deref(in.SpaceName), ProjectName: deref(in.ProjectName),
		MaxResults: copyPtr(in.MaxResults), NextToken: copyPtr(in.NextToken),
	}
	items, next, err := serve(c, ctx, req, func() error { return required("spaceName", req.SpaceName, "projectName", req.ProjectName) },
		func() ([]types.ListSourceRepositoriesItem, error) {
			return c.st.listSourceRepositories(ProjectKey{req.SpaceName, req.ProjectName})
		})
	if err != nil {
		return nil, err
	}
	return &codecatalyst.ListSourceRepositoriesOutput{Items: items, NextToken: next}, nil
}

// ListSourceRepositoryBranches lists the repository's branches
// (Data.SourceRepositoryBranches).
func (c *Client) ListSourceRepositoryBranches(ctx context.Context, in *codecatalyst.ListSourceRepositoryBranchesInput,
	_ ...func(*codecatalyst.Options)) (*codecatalyst.ListSourceRepositoryBranchesOutput, error) {
	if in == nil {
		in = &codecatalyst.ListSourceRepositoryBranchesInput{}
	}
	req := Request{
		Operation: OpListSourceRepositoryBranches, SpaceName: deref(in.SpaceName), ProjectName: deref(in.ProjectName),
		SourceRepositoryName: deref(in.SourceRepositoryName), MaxResults: copyPtr(in.MaxResults), NextToken: copyPtr(in.NextToken),
	}
	items, next, err := serve(c, ctx, req, func() error {
		return required("spaceName", req.SpaceName, "projectName", req.ProjectName, "sourceRepositoryName", req.SourceRepositoryName)
	}, func() ([]types.ListSourceRepositoryBranchesItem, error) {
		return c.st.listSourceRepositoryBranches(RepositoryKey{req.SpaceName, req.ProjectName, req.SourceRepositoryName})
	})
	if err != nil {
		return nil, err
	}
	return &codecatalyst.ListSourceRepositoryBranchesOutput{Items: items, NextToken: next}, nil
}

// ListWorkflows lists the project's workflows (Data.Workflows). sortBy is
// accepted (the model's criteria have no members) and changes nothing.
func (c *Client) ListWorkflows(ctx context.Context, in *codecatalyst.ListWorkflowsInput,
	_ ...func(*codecatalyst.Options)) (*codecatalyst.ListWorkflowsOutput, error) {
	if in == nil {
		in = &codecatalyst.ListWorkflowsInput{}
	}
	req := Request{
		Operation: OpListWorkflows, SpaceName: deref(in.SpaceName), ProjectName: deref(in.ProjectName),
		MaxResults: copyPtr(in.MaxResults), NextToken: copyPtr(in.NextToken),
	}
	items, next, err := serve(c, ctx, req, func() error {
		if err := required("spaceName", req.SpaceName, "projectName", req.ProjectName); err != nil {
			return err
		}
		return checkSortBy(len(in.SortBy))
	}, func() ([]types.WorkflowSummary, error) {
		return c.st.listWorkflows(ProjectKey{req.SpaceName, req.ProjectName})
	})
	if err != nil {
		return nil, err
	}
	return &codecatalyst.ListWorkflowsOutput{Items: items, NextToken: next}, nil
}

// ListWorkflowRuns lists the project's workflow runs (Data.WorkflowRuns),
// only those of the workflow a workflowId names. sortBy is accepted and
// changes nothing.
func (c *Client) ListWorkflowRuns(ctx context.Context, in *codecatalyst.ListWorkflowRunsInput,
	_ ...func(*codecatalyst.Options)) (*codecatalyst.ListWorkflowRunsOutput, error) {
	if in == nil {
		in = &codecatalyst.ListWorkflowRunsInput{}
	}
	req := Request{
		Operation: OpListWorkflowRuns, SpaceName: deref(in.SpaceName), ProjectName: deref(in.ProjectName),
		MaxResults: copyPtr(in.MaxResults), NextToken: copyPtr(in.NextToken), WorkflowID: copyPtr(in.WorkflowId),
	}
	items, next, err := serve(c, ctx, req, func() error {
		if err := required("spaceName", req.SpaceName, "projectName", req.ProjectName); err != nil {
			return err
		}
		if req.WorkflowID != nil && *req.WorkflowID == "" {
			return invalid("workflowId must not be empty.")
		}
		return checkSortBy(len(in.SortBy))
	}, func() ([]types.WorkflowRunSummary, error) {
		return c.st.listWorkflowRuns(ProjectKey{req.SpaceName, req.ProjectName}, req.WorkflowID)
	})
	if err != nil {
		return nil, err
	}
	return &codecatalyst.ListWorkflowRunsOutput{Items: items, NextToken: next}, nil
}

// ListEventLogs lists the space's event log entries in the window
// [startTime, endTime), of the eventName when one is given (see
// Data.EventLogs). Any window is accepted whose start is before its end.
func (c *Client) ListEventLogs(ctx context.Context, in *codecatalyst.ListEventLogsInput,
	_ ...func(*codecatalyst.Options)) (*codecatalyst.ListEventLogsOutput, error) {
	if in == nil {
		in = &codecatalyst.ListEventLogsInput{}
	}
	req := Request{
		Operation: OpListEventLogs, SpaceName: deref(in.SpaceName),
		MaxResults: copyPtr(in.MaxResults), NextToken: copyPtr(in.NextToken),
		StartTime: copyPtr(in.StartTime), EndTime: copyPtr(in.EndTime), EventName: copyPtr(in.EventName),
	}
	items, next, err := serve(c, ctx, req, func() error {
		if err := required("spaceName", req.SpaceName); err != nil {
			return err
		}
		if req.StartTime == nil || req.EndTime == nil {
			return invalid("startTime and endTime are required.")
		}
		if !req.StartTime.Before(*req.EndTime) {
			return invalid("startTime must be before endTime.")
		}
		return nil
	}, func() ([]types.EventLogEntry, error) {
		return c.st.listEventLogs(req.SpaceName, *req.StartTime, *req.EndTime, req.EventName)
	})
	if err != nil {
		return nil, err
	}
	return &codecatalyst.ListEventLogsOutput{Items: items, NextToken: next}, nil
}

// GetUserDetails answers with the user (Data.Users) whose id and userName
// are the input's, for each of them given; neither is a
// *types.ValidationException, an unknown user a
// *types.ResourceNotFoundException. Page faults (Empty, Extra, tokens) do
// not apply.
func (c *Client) GetUserDetails(ctx context.Context, in *codecatalyst.GetUserDetailsInput,
	_ ...func(*codecatalyst.Options)) (*codecatalyst.GetUserDetailsOutput, error) {
	if in == nil {
		in = &codecatalyst.GetUserDetailsInput{}
	}
	req := Request{Operation: OpGetUserDetails, UserID: copyPtr(in.Id), UserName: copyPtr(in.UserName)}
	_, _, leave, err := c.begin(ctx, req)
	defer leave()
	if err != nil {
		return nil, err
	}
	u, err := c.st.user(req.UserID, req.UserName)
	if err != nil {
		return nil, err
	}
	return u.output(), nil
}

// output is u as GetUserDetails returns it.
func (u User) output() *codecatalyst.GetUserDetailsOutput {
	out := &codecatalyst.GetUserDetailsOutput{
		UserId: nonEmpty(u.ID), UserName: nonEmpty(u.UserName), DisplayName: nonEmpty(u.DisplayName), Version: ptr(u.Version),
	}
	if u.Version == "" {
		out.Version = ptr("1")
	}
	if u.Email != "" {
		out.PrimaryEmail = &types.EmailAddress{Email: ptr(u.Email), Verified: ptr(u.EmailVerified)}
	}
	return out
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// checkSortBy applies the model's bound on sortBy: at most one criterion.
func checkSortBy(n int) error {
	if n > 1 {
		return invalid("sortBy takes at most 1 criterion, got %d.", n)
	}
	return nil
}
