package devsessionstest

import "fmt"

// The operations the doubles serve, as a [Request] or [ServerRequest] names
// them and as [Client.ScriptOperation] and [Server.ScriptOperation] take
// them.
const (
	OpGetUserDetails               = "GetUserDetails"
	OpListAccessTokens             = "ListAccessTokens"
	OpListDevEnvironments          = "ListDevEnvironments"
	OpListDevEnvironmentSessions   = "ListDevEnvironmentSessions"
	OpListEventLogs                = "ListEventLogs"
	OpListProjects                 = "ListProjects"
	OpListSourceRepositories       = "ListSourceRepositories"
	OpListSourceRepositoryBranches = "ListSourceRepositoryBranches"
	OpListSpaces                   = "ListSpaces"
	OpListWorkflowRuns             = "ListWorkflowRuns"
	OpListWorkflows                = "ListWorkflows"
)

// ListOperations returns the ten paginated operations the doubles serve, in
// alphabetical order (a new slice each call).
func ListOperations() []string {
	return []string{
		OpListAccessTokens, OpListDevEnvironmentSessions, OpListDevEnvironments, OpListEventLogs, OpListProjects,
		OpListSourceRepositories, OpListSourceRepositoryBranches, OpListSpaces, OpListWorkflowRuns, OpListWorkflows,
	}
}

// MaxResults returns the largest maxResults the model allows for op (the
// smallest is 1), and 0 for an operation without maxResults: ListSpaces,
// GetUserDetails, or a name no operation has.
func MaxResults(op string) int32 { return rules[op].maxResults }

// rule is what the model says of one operation's paging members.
type rule struct {
	maxResults int32 // 0: no maxResults member
	tokenMax   int   // the longest nextToken
}

// rules are the paging members' bounds, from botocore's model.
var rules = map[string]rule{
	OpListAccessTokens:             {10, 10000},
	OpListDevEnvironmentSessions:   {200, 10000},
	OpListDevEnvironments:          {50, 10000},
	OpListEventLogs:                {250, 10000},
	OpListProjects:                 {100, 10000},
	OpListSourceRepositories:       {200, 10000},
	OpListSourceRepositoryBranches: {50, 10000},
	OpListSpaces:                   {0, 10000},
	OpListWorkflowRuns:             {50, 2048},
	OpListWorkflows:                {100, 2048},
}

// checkPaging applies op's bounds to maxResults and the nextToken's length,
// returning the service's message for the first one broken, or "".
func checkPaging(op string, maxResults *int32, nextToken *string) string {
	r := rules[op]
	if maxResults != nil && r.maxResults > 0 && (*maxResults < 1 || *maxResults > r.maxResults) {
		return fmt.Sprintf("maxResults must be between 1 and %d, got %d.", r.maxResults, *maxResults)
	}
	if nextToken != nil && (len(*nextToken) < 1 || len(*nextToken) > r.tokenMax) {
		return fmt.Sprintf("nextToken must be 1 to %d characters.", r.tokenMax)
	}
	return ""
}
