package main

// The model's facts about the ten operations botocore pages for CodeCatalyst
// (botocore 1.43's codecatalyst service-2.json and paginators-1.json; see
// TestFactsMatchBotocore). Each paginates with input_token = output_token =
// nextToken, result_key = items and, but for ListSpaces, limit_key =
// maxResults. A new operation is one more entry.
var operations = []operation{
	{
		Name: "ListAccessTokens", Path: "/v1/accessTokens",
		Item: "AccessTokenSummary", ItemKey: "id", MaxResults: 10, MaxToken: 10000,
		Doc: "the personal access tokens of the calling user",
	},
	{
		Name: "ListDevEnvironmentSessions", Path: "/v1/spaces/{spaceName}/projects/{projectName}/devEnvironments/{devEnvironmentId}/sessions",
		Item: "DevEnvironmentSessionSummary", ItemKey: "id", MaxResults: 200, MaxToken: 10000,
		Members: []member{
			{Model: "spaceName", Kind: stringKind, Required: true, Min: 3, Max: 63},
			{Model: "projectName", Kind: stringKind, Required: true, Min: 3, Max: 63},
			{Model: "devEnvironmentId", Kind: stringKind, Required: true},
		},
		Doc: "the sessions of one dev environment",
	},
	{
		Name: "ListDevEnvironments", Path: "/v1/spaces/{spaceName}/devEnvironments",
		Item: "DevEnvironmentSummary", ItemKey: "id", MaxResults: 50, MaxToken: 10000,
		Members: []member{
			{Model: "spaceName", Kind: stringKind, Required: true, Min: 3, Max: 63},
			{Model: "projectName", Kind: stringKind, Min: 3, Max: 63},
			{Model: "filters", Kind: listKind, Shape: "Filter"},
		},
		Doc: "the dev environments of a space, or of one project of it when params.ProjectName is set",
	},
	{
		Name: "ListEventLogs", Path: "/v1/spaces/{spaceName}/eventLogs",
		Item: "EventLogEntry", ItemKey: "id", MaxResults: 250, MaxToken: 10000,
		Members: []member{
			{Model: "spaceName", Kind: stringKind, Required: true, Min: 3, Max: 63},
			{Model: "startTime", Kind: timestampKind, Required: true},
			{Model: "endTime", Kind: timestampKind, Required: true},
			{Model: "eventName", Kind: stringKind},
		},
		Window: true,
		Doc:    "the events of a space between params.StartTime and params.EndTime",
	},
	{
		Name: "ListProjects", Path: "/v1/spaces/{spaceName}/projects",
		Item: "ProjectSummary", ItemKey: "name", MaxResults: 100, MaxToken: 10000,
		Members: []member{
			{Model: "spaceName", Kind: stringKind, Required: true, Min: 3, Max: 63},
			{Model: "filters", Kind: listKind, Shape: "ProjectListFilter"},
		},
		Doc: "the projects of a space",
	},
	{
		Name: "ListSourceRepositories", Path: "/v1/spaces/{spaceName}/projects/{projectName}/sourceRepositories",
		Item: "ListSourceRepositoriesItem", ItemKey: "id", MaxResults: 200, MaxToken: 10000,
		Members: []member{
			{Model: "spaceName", Kind: stringKind, Required: true, Min: 3, Max: 63},
			{Model: "projectName", Kind: stringKind, Required: true, Min: 3, Max: 63},
		},
		Doc: "the source repositories of a project",
	},
	{
		Name: "ListSourceRepositoryBranches", Path: "/v1/spaces/{spaceName}/projects/{projectName}/sourceRepositories/{sourceRepositoryName}/branches",
		Item: "ListSourceRepositoryBranchesItem", ItemKey: "name", MaxResults: 50, MaxToken: 10000,
		Members: []member{
			{Model: "spaceName", Kind: stringKind, Required: true, Min: 3, Max: 63},
			{Model: "projectName", Kind: stringKind, Required: true, Min: 3, Max: 63},
			{Model: "sourceRepositoryName", Kind: stringKind, Required: true, Min: 1, Max: 100},
		},
		Doc: "the branches of a source repository",
	},
	{
		Name: "ListSpaces", Path: "/v1/spaces",
		Item: "SpaceSummary", ItemKey: "name", MaxToken: 10000,
		Doc: "the spaces the caller can see",
	},
	{
		Name: "ListWorkflowRuns", Path: "/v1/spaces/{spaceName}/projects/{projectName}/workflowRuns",
		Item: "WorkflowRunSummary", ItemKey: "id", MaxResults: 50, MaxToken: 2048,
		Members: []member{
			{Model: "spaceName", Kind: stringKind, Required: true, Min: 3, Max: 63},
			{Model: "projectName", Kind: stringKind, Required: true, Min: 1},
			{Model: "workflowId", Kind: stringKind},
			{Model: "sortBy", Kind: listKind, Shape: "WorkflowRunSortCriteria", Max: 1},
		},
		Doc: "the workflow runs of a project, or of one workflow of it when params.WorkflowId is set",
	},
	{
		Name: "ListWorkflows", Path: "/v1/spaces/{spaceName}/projects/{projectName}/workflows",
		Item: "WorkflowSummary", ItemKey: "id", MaxResults: 100, MaxToken: 2048,
		Members: []member{
			{Model: "spaceName", Kind: stringKind, Required: true, Min: 1},
			{Model: "projectName", Kind: stringKind, Required: true, Min: 3, Max: 63},
			{Model: "sortBy", Kind: listKind, Shape: "WorkflowSortCriteria", Max: 1},
		},
		Doc: "the workflows of a project",
	},
}

// operation is what the model says of one paginated operation (every one is
// POST), plus Doc, the phrase its constructor's doc uses for what it lists.
type operation struct {
	Name       string   // the operation, as the model and the SDK name it
	Path       string   // its HTTP path
	Item       string   // the shape of its items (a type of the SDK's types package)
	ItemKey    string   // the member that identifies an item
	MaxResults int32    // the upper bound on maxResults (the lower is 1); 0: no limit key
	MaxToken   int      // the upper bound on nextToken, in characters
	Members    []member // the input members but nextToken and maxResults
	// Window: StartTime must be before EndTime (the service refuses a
	// request otherwise; the model cannot say so).
	Window bool
	Doc    string
}

// member is an input member other than nextToken and maxResults.
type member struct {
	Model    string // its name in the model; its Go name is this with a capital
	Kind     kind
	Required bool
	Min      int    // a string's minimum length in the model (0: none)
	Max      int    // a string's maximum length, or a list's maximum number of members, in the model (0: none)
	Shape    string // a list's member shape
}

type kind string

const (
	stringKind    kind = "string"
	timestampKind kind = "timestamp"
	listKind      kind = "list"
)
