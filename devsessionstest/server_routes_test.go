package devsessionstest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// rawAnswer is a Server's answer to one HTTP request.
type rawAnswer struct {
	status int
	code   string // X-Amzn-ErrorType
	body   map[string]any
}

// send sends one request to srv as the SDK would, with its token.
func send(t *testing.T, srv *devsessionstest.Server, method, path, body string) rawAnswer {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+srv.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := srv.HTTPClient().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	a := rawAnswer{status: resp.StatusCode, code: resp.Header.Get("X-Amzn-ErrorType")}
	require.NoError(t, json.Unmarshal(raw, &a.body), string(raw))
	return a
}

const (
	spacePath   = "/v1/spaces/demo-space"
	projectPath = spacePath + "/projects/demo-project"
	window      = `"startTime":"2024-05-01T00:00:00Z","endTime":"2024-05-02T00:00:00Z"`
)

func TestServerRefusesWhatTheModelRefuses(t *testing.T) {
	srv, err := devsessionstest.NewServer(devsessionstest.ServerOptions{Data: devsessionstest.SampleData(3)})
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	cases := []struct {
		name, method, path, body string
	}{
		{"ListEventLogs without startTime", "POST", spacePath + "/eventLogs", `{"endTime":"2024-05-02T00:00:00Z"}`},
		{"ListEventLogs without endTime", "POST", spacePath + "/eventLogs", `{"startTime":"2024-05-01T00:00:00Z"}`},
		{"ListEventLogs with a number for startTime", "POST", spacePath + "/eventLogs", `{"startTime":1714521600,"endTime":"2024-05-02T00:00:00Z"}`},
		{"ListEventLogs with a date that is no timestamp", "POST", spacePath + "/eventLogs", `{"startTime":"yesterday","endTime":"2024-05-02T00:00:00Z"}`},
		{"ListEventLogs with start after end", "POST", spacePath + "/eventLogs", `{"startTime":"2024-05-02T00:00:00Z","endTime":"2024-05-01T00:00:00Z"}`},
		{"ListEventLogs with maxResults 251", "POST", spacePath + "/eventLogs", `{` + window + `,"maxResults":251}`},
		{"ListProjects of a two-letter space", "POST", "/v1/spaces/ab/projects", `{}`},
		{"ListProjects of a space name with a space", "POST", "/v1/spaces/a%20b/projects", `{}`},
		{"ListProjects with a body that is not JSON", "POST", spacePath + "/projects", `{`},
		{"ListProjects with an empty nextToken", "POST", spacePath + "/projects", `{"nextToken":""}`},
		{"ListAccessTokens with maxResults 11", "POST", "/v1/accessTokens", `{"maxResults":11}`},
		{"ListSourceRepositories of a bad project name", "POST", spacePath + "/projects/-x-/sourceRepositories", `{}`},
		{"ListSourceRepositoryBranches of a .git repository", "POST", projectPath + "/sourceRepositories/demo-project.git/branches", `{}`},
		{"ListDevEnvironmentSessions of an id that is no UUID", "POST", projectPath + "/devEnvironments/env-1/sessions", `{}`},
		{"ListDevEnvironments with a filter", "POST", spacePath + "/devEnvironments", `{"filters":[{"key":"status","values":["RUNNING"]}]}`},
		{"ListWorkflows of a space name with two dots", "POST", "/v1/spaces/a..b/projects/demo-project/workflows", ``},
		{"ListWorkflowRuns of a project name that ends in '-'", "POST", spacePath + "/projects/p-/workflowRuns", ``},
		{"ListWorkflows with maxResults 101 in the query", "POST", projectPath + "/workflows?maxResults=101", ``},
		{"ListWorkflows with maxResults not a number", "POST", projectPath + "/workflows?maxResults=ten", ``},
		{"ListWorkflows with two sort criteria", "POST", projectPath + "/workflows", `{"sortBy":[{},{}]}`},
		{"ListWorkflowRuns with a workflowId that is no UUID", "POST", projectPath + "/workflowRuns?workflowId=build", ``},
		{"ListWorkflowRuns with a token of 2049 characters", "POST", projectPath + "/workflowRuns?nextToken=" + strings.Repeat("a", 2049), ``},
		{"GetUserDetails without id or userName", "GET", "/userDetails", ``},
		{"GetUserDetails with a two-letter userName", "GET", "/userDetails?userName=ab", ``},
		{"GetUserDetails with an empty id", "GET", "/userDetails?id=", ``},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := send(t, srv, tc.method, tc.path, tc.body)
			assert.Equal(t, http.StatusBadRequest, a.status)
			assert.Equal(t, "ValidationException", a.code)
			assert.NotEmpty(t, a.body["message"])
		})
	}
}

func TestServerAnswersAnUnknownResourceWith404(t *testing.T) {
	srv, err := devsessionstest.NewServer(devsessionstest.ServerOptions{Data: devsessionstest.SampleData(3)})
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	for _, path := range []string{
		"/userDetails?id=user-mallory",
		"/userDetails?userName=mallory",
	} {
		a := send(t, srv, "GET", path, "")
		assert.Equal(t, http.StatusNotFound, a.status, path)
		assert.Equal(t, "ResourceNotFoundException", a.code, path)
	}
	for _, path := range []string{
		"/v1/spaces/no-such-space/projects",
		spacePath + "/projects/no-such-project/workflows",
		"/v1/spaces/x/projects/demo-project/workflows",                               // one character: valid here, unknown
		spacePath + "/projects/p/workflowRuns",                                       // the same for ListWorkflowRuns' projectName
		"/v1/spaces/" + strings.Repeat("s", 64) + "/projects/demo-project/workflows", // no maximum either
		projectPath + "/sourceRepositories/no-such-repo/branches",
	} {
		a := send(t, srv, "POST", path, "{}")
		assert.Equal(t, http.StatusNotFound, a.status, path)
		assert.Equal(t, "ResourceNotFoundException", a.code, path)
	}
}

// TestServerSpeaksTheModelsWireFormat checks what the SDK's deserializers
// and botocore's parsers rely on: timestamps as RFC 3339 strings, the
// model's member names, maxResults and nextToken of ListWorkflows and
// ListWorkflowRuns in the query string, GetUserDetails' members in the
// query string.
func TestServerSpeaksTheModelsWireFormat(t *testing.T) {
	srv, err := devsessionstest.NewServer(devsessionstest.ServerOptions{Data: devsessionstest.SampleData(3)})
	require.NoError(t, err)
	t.Cleanup(srv.Close)

	a := send(t, srv, "POST", spacePath+"/eventLogs", `{`+window+`,"maxResults":2}`)
	require.Equal(t, http.StatusOK, a.status, a.body)
	items := a.body["items"].([]any)
	require.Len(t, items, 2)
	first := items[0].(map[string]any)
	assert.Equal(t, "2024-05-01T10:00:00Z", first["eventTime"])
	assert.Equal(t, "createDevEnvironment", first["eventName"])
	assert.Equal(t, map[string]any{"userType": "USER", "principalId": "user-0000", "userName": "user-0000"}, first["userIdentity"])
	assert.IsType(t, "", a.body["nextToken"])

	a = send(t, srv, "POST", projectPath+"/workflows?maxResults=2", "")
	require.Equal(t, http.StatusOK, a.status, a.body)
	require.Len(t, a.body["items"], 2, "maxResults from the query string")
	wf := a.body["items"].([]any)[0].(map[string]any)
	assert.Equal(t, "2024-05-01T10:00:00Z", wf["createdTime"])
	assert.Equal(t, map[string]any{"path": ".codecatalyst/workflows/workflow-0000.yaml"}, wf["definition"])
	a = send(t, srv, "POST", projectPath+"/workflows?maxResults=2&nextToken="+a.body["nextToken"].(string), "")
	require.Equal(t, http.StatusOK, a.status, a.body)
	assert.Len(t, a.body["items"], 1, "nextToken from the query string")
	assert.NotContains(t, a.body, "nextToken", "the last page has no nextToken member")

	a = send(t, srv, "POST", projectPath+"/workflowRuns?workflowId="+devsessionstest.DemoWorkflow+"&maxResults=1", "")
	require.Equal(t, http.StatusOK, a.status, a.body)
	require.Len(t, a.body["items"], 1)

	a = send(t, srv, "GET", "/userDetails?id=user-0000&userName=user-0000", "")
	require.Equal(t, http.StatusOK, a.status, a.body)
	assert.Equal(t, map[string]any{
		"userId": "user-0000", "userName": "user-0000", "displayName": "User 0",
		"primaryEmail": map[string]any{"email": "user-0000@example.com", "verified": true}, "version": "1",
	}, a.body)

	// What the SDK sends is what the Server reads.
	_, err = srv.Client(noRetry).GetUserDetails(t.Context(), &codecatalyst.GetUserDetailsInput{Id: aws.String("user-0001"), UserName: aws.String("user-0001")})
	require.NoError(t, err)
	_, err = srv.Client(noRetry).ListWorkflowRuns(t.Context(), &codecatalyst.ListWorkflowRunsInput{
		SpaceName: demoSpace, ProjectName: demoProject, WorkflowId: aws.String(devsessionstest.DemoWorkflow), MaxResults: aws.Int32(2),
	})
	require.NoError(t, err)
	reqs := srv.Requests()
	require.GreaterOrEqual(t, len(reqs), 2)
	user, runs := reqs[len(reqs)-2], reqs[len(reqs)-1]
	assert.Equal(t, devsessionstest.OpGetUserDetails, user.Operation)
	assert.Equal(t, "GET", user.Method)
	assert.ElementsMatch(t, []string{"id=user-0001", "userName=user-0001"}, strings.Split(user.Query, "&"))
	assert.Equal(t, devsessionstest.OpListWorkflowRuns, runs.Operation)
	assert.Equal(t, aws.Int32(2), runs.MaxResults, "read from the query string")
	assert.Contains(t, runs.Query, "workflowId="+devsessionstest.DemoWorkflow)
}
