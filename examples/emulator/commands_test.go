package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// cliEnv is the environment for the real AWS CLI against the emulator e,
// taken from its export line, isolated from the machine's AWS
// configuration, credentials, instance metadata and proxies. It skips
// loudly when aws is not installed.
func cliEnv(t *testing.T, e *emulator) []string {
	t.Helper()
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("SKIPPED: the AWS CLI (aws) is not installed; the emulator's AWS CLI test did not run")
	}
	home := t.TempDir()
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"AWS_CONFIG_FILE=" + filepath.Join(home, "none"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "none"),
		"AWS_EC2_METADATA_DISABLED=true",
		"NO_PROXY=127.0.0.1,localhost",
	}
	for k, v := range e.vars {
		env = append(env, k+"="+v)
	}
	for _, k := range []string{"PYENV_ROOT", "PYENV_VERSION", "LANG", "LC_ALL"} { // how aws finds its Python here
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// aws runs the AWS CLI with args and returns its standard output, standard
// error and whether it succeeded.
func runAWS(t *testing.T, env []string, args ...string) ([]byte, string, bool) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), "aws", append(args, "--output", "json")...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	return out, stderr.String(), err == nil
}

// listing is what the CLI prints for a list command.
type listing struct {
	Items     []map[string]any `json:"items"`
	NextToken string           `json:"NextToken"`
}

// keys are the items' ids, or names for the items without an id.
func (l listing) keys() []string {
	out := []string{}
	for _, it := range l.Items {
		k, ok := it["id"].(string)
		if !ok {
			k, _ = it["name"].(string)
		}
		out = append(out, k)
	}
	return out
}

func list(t *testing.T, env []string, c command, more ...string) listing {
	t.Helper()
	args := append(c.args(), more...)
	out, stderr, ok := runAWS(t, env, args...)
	require.True(t, ok, "aws %v: %s", args, stderr)
	var l listing
	require.NoError(t, json.Unmarshal(out, &l), string(out))
	return l
}

// demoKeys are the ids (names for projects, spaces and branches) of the
// items the demo data holds in the scope of op's command.
func demoKeys(d devsessionstest.Data, op string) []string {
	var out []string
	id := func(s *string) { out = append(out, aws.ToString(s)) }
	project := devsessionstest.ProjectKey{Space: devsessionstest.DemoSpace, Project: devsessionstest.DemoProject}
	switch op {
	case devsessionstest.OpListAccessTokens:
		for _, it := range d.AccessTokens {
			id(it.Id)
		}
	case devsessionstest.OpListDevEnvironmentSessions:
		for _, it := range d.Sessions {
			if aws.ToString(it.DevEnvironmentId) == devsessionstest.DemoDevEnvironment {
				id(it.Id)
			}
		}
	case devsessionstest.OpListDevEnvironments:
		for _, it := range d.DevEnvironments {
			id(it.Id)
		}
	case devsessionstest.OpListEventLogs:
		for _, it := range d.EventLogs[devsessionstest.DemoSpace] {
			id(it.Id)
		}
	case devsessionstest.OpListProjects:
		for _, it := range d.Projects[devsessionstest.DemoSpace] {
			id(it.Name)
		}
	case devsessionstest.OpListSourceRepositories:
		for _, it := range d.SourceRepositories[project] {
			id(it.Id)
		}
	case devsessionstest.OpListSourceRepositoryBranches:
		for _, it := range d.SourceRepositoryBranches[devsessionstest.RepositoryKey{Space: project.Space, Project: project.Project, Repository: devsessionstest.DemoRepository}] {
			id(it.Name)
		}
	case devsessionstest.OpListSpaces:
		for _, it := range d.Spaces {
			id(it.Name)
		}
	case devsessionstest.OpListWorkflowRuns:
		for _, it := range d.WorkflowRuns[project] {
			if aws.ToString(it.WorkflowId) == devsessionstest.DemoWorkflow {
				id(it.Id)
			}
		}
	case devsessionstest.OpListWorkflows:
		for _, it := range d.Workflows[project] {
			id(it.Id)
		}
	}
	return out
}

func TestCommandsNameEveryOperation(t *testing.T) {
	var ops []string
	for _, c := range commands() {
		ops = append(ops, c.op)
	}
	assert.Equal(t, append(devsessionstest.ListOperations(), devsessionstest.OpGetUserDetails), ops)
	assert.Equal(t, "list-source-repository-branches", command{op: devsessionstest.OpListSourceRepositoryBranches}.name())
}

// TestAWSCLIListsEveryOperation runs the real AWS CLI's list command of
// every operation against the emulator: it gets every item of the demo
// scope (at least 8), through several pages, and with --max-items a
// NextToken that resumes at the next item.
func TestAWSCLIListsEveryOperation(t *testing.T) {
	const sessions = 11
	e := startEmulator(t, "--sessions", strconv.Itoa(sessions), "--page-size", "4")
	env := cliEnv(t, e)
	d := devsessionstest.DemoData(sessions)
	for _, c := range commands() {
		if c.op == devsessionstest.OpGetUserDetails {
			continue
		}
		t.Run(c.name(), func(t *testing.T) {
			want := demoKeys(d, c.op)
			require.GreaterOrEqual(t, len(want), 8, "the demo holds at least 8 items")

			all := list(t, env, c)
			assert.Equal(t, want, all.keys(), "every item, 4 a page")
			assert.Empty(t, all.NextToken)

			var paging []string
			if devsessionstest.MaxResults(c.op) > 0 {
				paging = []string{"--page-size", "3"} // ListSpaces has no maxResults
			}
			first := list(t, env, c, append([]string{"--max-items", "5"}, paging...)...)
			assert.Equal(t, want[:5], first.keys())
			require.NotEmpty(t, first.NextToken, "--max-items cuts the listing")
			rest := list(t, env, c, append([]string{"--starting-token", first.NextToken}, paging...)...)
			assert.Equal(t, want[5:], rest.keys(), "the token resumes at the next item")
			assert.Empty(t, rest.NextToken)
		})
	}
}

func TestAWSCLIGetsTheDemoUsers(t *testing.T) {
	e := startEmulator(t, "--sessions", "1")
	env := cliEnv(t, e)
	envs, _ := devsessionstest.DemoSpaceData(1)
	var creators []string
	for _, it := range envs {
		if id := aws.ToString(it.CreatorId); !slices.Contains(creators, id) {
			creators = append(creators, id)
		}
	}
	require.NotEmpty(t, creators)
	for _, id := range creators {
		out, stderr, ok := runAWS(t, env, "codecatalyst", "get-user-details", "--id", id)
		require.True(t, ok, "creator %s: %s", id, stderr)
		var u map[string]any
		require.NoError(t, json.Unmarshal(out, &u))
		assert.Equal(t, id, u["userId"])
		assert.NotEmpty(t, u["userName"])
		assert.NotEmpty(t, u["displayName"])
	}
	out, stderr, ok := runAWS(t, env, "codecatalyst", "get-user-details", "--user-name", "heidi")
	require.True(t, ok, stderr)
	assert.Contains(t, string(out), `"userId": "user-heidi"`)

	_, stderr, ok = runAWS(t, env, "codecatalyst", "get-user-details", "--id", "user-mallory")
	assert.False(t, ok)
	assert.Contains(t, stderr, "ResourceNotFoundException")
}

// TestEmulatorNamesEveryOperation checks that what the emulator prints on
// standard error names a command of every operation.
func TestEmulatorNamesEveryOperation(t *testing.T) {
	var stderr lockedBuffer
	e := startEmulatorTo(t, &stderr, "--sessions", "2")
	e.stop()
	require.Equal(t, 0, e.wait())
	for _, c := range commands() {
		assert.Contains(t, stderr.String(), c.String()+"\n")
	}
	assert.Contains(t, stderr.String(), fmt.Sprintf("%d spaces", len(devsessionstest.DemoData(2).Spaces)))
}

func TestDemoDataAnswersEveryCommandThroughTheSDK(t *testing.T) {
	e := startEmulator(t, "--sessions", "2")
	client := e.client(t, e.vars["AWS_CA_BUNDLE"])
	d := devsessionstest.DemoData(2)
	// Every dev environment's creator is a user GetUserDetails knows.
	for _, it := range d.DevEnvironments {
		out, err := client.GetUserDetails(t.Context(), &codecatalyst.GetUserDetailsInput{Id: it.CreatorId})
		require.NoError(t, err, aws.ToString(it.CreatorId))
		assert.Equal(t, it.CreatorId, out.UserId)
	}
	_, err := client.GetUserDetails(t.Context(), &codecatalyst.GetUserDetailsInput{Id: aws.String("user-mallory")})
	var nf *types.ResourceNotFoundException
	require.ErrorAs(t, err, &nf)
	assert.True(t, strings.Contains(err.Error(), "user-mallory"))
}
