package main

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

const secret = "list-sessions-secret-token"

// isolate gives the command an empty AWS configuration and no token, CA
// bundle or endpoint from the machine; it returns the fake home.
func isolate(t *testing.T) string {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(home, "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(home, "none"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	for _, k := range []string{"AWS_BEARER_TOKEN_CODECATALYST", "AWS_CA_BUNDLE", "AWS_ENDPOINT_URL_CODECATALYST", "AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	return home
}

// serve starts an endpoint and points the environment at it as the
// emulator's export line would.
func serve(t *testing.T, n int) *devsessionstest.Server {
	home := isolate(t)
	srv, err := devsessionstest.NewServer(devsessionstest.ServerOptions{Token: secret, Sessions: devsessionstest.Sessions(n)})
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	cert := filepath.Join(home, "ca.pem")
	require.NoError(t, srv.WriteCert(cert))
	t.Setenv("AWS_CA_BUNDLE", cert)
	t.Setenv("AWS_BEARER_TOKEN_CODECATALYST", secret)
	return srv
}

// otherBinary, when set, is a build of the command (another version of it)
// that runCmd and the signal tests run instead of this package's code:
// LIST_SESSIONS_TEST_BINARY=/path/to/list-sessions go test ./examples/list-sessions
var otherBinary = os.Getenv("LIST_SESSIONS_TEST_BINARY")

// runCmd runs the command with args and returns its exit status, standard
// output and standard error.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	var code int
	if otherBinary != "" {
		cmd := exec.CommandContext(t.Context(), otherBinary, args...)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			require.NoError(t, err)
		}
		code = cmd.ProcessState.ExitCode()
	} else {
		code = run(t.Context(), args, &stdout, &stderr)
	}
	assert.NotContains(t, stdout.String()+stderr.String(), secret, "the bearer token is never printed")
	return code, stdout.String(), stderr.String()
}

var demoArgs = []string{"--space-name", devsessionstest.DemoSpace, "--project-name", devsessionstest.DemoProject,
	"--dev-environment-id", devsessionstest.DemoDevEnvironment}

type jsonOut struct {
	Items []struct {
		ID               string `json:"id"`
		DevEnvironmentID string `json:"devEnvironmentId"`
		StartedTime      string `json:"startedTime"`
		DevEnvironment   *struct {
			ID, ProjectName, Alias, Status, CreatorID, InstanceType string
		} `json:"devEnvironment"`
	} `json:"items"`
	NextToken *string `json:"NextToken"`
}

// ids returns the session ids of a JSON output, in order.
func (o jsonOut) ids() []string {
	var ids []string
	for _, it := range o.Items {
		ids = append(ids, it.ID)
	}
	return ids
}

func decode(t *testing.T, s string) jsonOut {
	var out jsonOut
	require.NoError(t, json.Unmarshal([]byte(s), &out), s)
	return out
}

func TestJSONOutputAndResume(t *testing.T) {
	srv := serve(t, 7)
	code, stdout, stderr := runCmd(t, append(demoArgs, "--endpoint-url", srv.URL, "--max-items", "3", "--page-size", "2")...)
	require.Equal(t, 0, code, stderr)
	first := decode(t, stdout)
	require.Len(t, first.Items, 3)
	assert.Equal(t, "sess-0002", first.Items[2].ID)
	assert.Equal(t, "2024-05-01T10:00:00Z", first.Items[0].StartedTime)
	require.NotNil(t, first.NextToken)

	t.Setenv("AWS_ENDPOINT_URL_CODECATALYST", srv.URL) // the environment instead of the flag
	code, stdout, stderr = runCmd(t, append(demoArgs, "--starting-token", *first.NextToken, "--page-size", "2")...)
	require.Equal(t, 0, code, stderr)
	rest := decode(t, stdout)
	require.Len(t, rest.Items, 4)
	assert.Equal(t, "sess-0003", rest.Items[0].ID)
	assert.Nil(t, rest.NextToken, "no NextToken key when the listing is complete")
}

func TestTextAndTableOutput(t *testing.T) {
	srv := serve(t, 7)
	code, stdout, _ := runCmd(t, append(demoArgs, "--endpoint-url", srv.URL, "--max-items", "2", "--output", "text")...)
	require.Equal(t, 0, code)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	require.Len(t, lines, 3)
	assert.Equal(t, "ITEMS\t"+devsessionstest.DemoDevEnvironment+"\tsess-0000\tdemo-project\tdemo-space\t2024-05-01T10:00:00Z", lines[0])
	assert.True(t, strings.HasPrefix(lines[2], "NEXTTOKEN\t"))

	code, stdout, _ = runCmd(t, append(demoArgs, "--endpoint-url", srv.URL, "--output", "table")...)
	require.Equal(t, 0, code)
	assert.Contains(t, stdout, "devEnvironmentId")
	assert.Contains(t, stdout, "sess-0006")
	assert.NotContains(t, stdout, "NextToken")
}

func TestDemoNeedsNothingSetUp(t *testing.T) {
	isolate(t)
	code, stdout, stderr := runCmd(t, "--demo", "--max-items", "5")
	require.Equal(t, 0, code, stderr)
	out := decode(t, stdout)
	require.Len(t, out.Items, 5, "the space-wide view")
	for _, it := range out.Items {
		require.NotNil(t, it.DevEnvironment, "each item carries its dev environment")
		assert.Equal(t, devsessionstest.DemoDevEnvironment, it.DevEnvironment.ID)
		assert.Equal(t, "demo", it.DevEnvironment.Alias)
		assert.Equal(t, "RUNNING", it.DevEnvironment.Status)
		assert.NotEmpty(t, it.DevEnvironment.CreatorID)
		assert.NotEmpty(t, it.DevEnvironment.InstanceType)
	}
	require.NotNil(t, out.NextToken)
	assert.True(t, strings.HasPrefix(*out.NextToken, "dss2."), "a space token")

	code, stdout, stderr = runCmd(t, "--demo", "--starting-token", *out.NextToken, "--max-items", "2")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, "sess-0005", decode(t, stdout).Items[0].ID, "a token from one demo run resumes in the next")
}

func TestBadFlagsExit2(t *testing.T) {
	isolate(t)
	cases := map[string][]string{
		"unknown output":        {"--demo", "--output", "yaml"},
		"page size over 200":    {"--demo", "--page-size", "500"},
		"negative max items":    {"--demo", "--max-items", "-1"},
		"max items not a num":   {"--demo", "--max-items", "abc"},
		"unknown flag":          {"--demo", "--colour"},
		"missing space name":    {"--project-name", "p", "--dev-environment-id", "d"},
		"env without project":   {"--demo", "--dev-environment-id", devsessionstest.DemoDevEnvironment},
		"concurrency single":    append([]string{"--demo", "--concurrency", "4"}, demoArgs...),
		"statuses single":       append([]string{"--demo", "--statuses", "RUNNING"}, demoArgs...),
		"unknown status":        {"--demo", "--statuses", "RUNNING,ASLEEP"},
		"concurrency over 64":   {"--demo", "--concurrency", "65"},
		"negative concurrency":  {"--demo", "--concurrency", "-1"},
		"env page size 51":      {"--demo", "--dev-environment-page-size", "51"},
		"single token in space": {"--demo", "--starting-token", "eyJuZXh0VG9rZW4iOiBudWxsfQ=="},
		"bad starting token":    {"--demo", "--starting-token", "a___b___c"},
		"stray argument":        {"--demo", "extra"},
		"empty statuses":        {"--demo", "--statuses", ""},
	}
	// The command's own flags are named in its words, not the library's.
	mentions := map[string]string{
		"concurrency over 64": "--concurrency must be between 1 and 64", "negative concurrency": "--concurrency must be",
		"empty statuses": "--statuses must name", "unknown status": "--statuses", "page size over 200": "--page-size",
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout)
			assert.NotEmpty(t, stderr)
			assert.Contains(t, stderr, mentions[name])
		})
	}
}

func TestNoBearerTokenSaysWhatToSet(t *testing.T) {
	isolate(t)
	code, _, stderr := runCmd(t, append(demoArgs, "--endpoint-url", "https://127.0.0.1:9")...)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "AWS_BEARER_TOKEN_CODECATALYST")
}

func TestSSOSessionToken(t *testing.T) {
	srv := serve(t, 4)
	t.Setenv("AWS_BEARER_TOKEN_CODECATALYST", "")
	home := os.Getenv("HOME")
	config := "[default]\nsso_session = dummy\n\n[sso-session dummy]\nsso_start_url = https://example.invalid/start\nsso_region = us-east-1\n"
	require.NoError(t, os.WriteFile(filepath.Join(home, "config"), []byte(config), 0o600))
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(home, "config"))
	sum := sha1.Sum([]byte("dummy"))
	cacheDir := filepath.Join(home, ".aws", "sso", "cache")
	require.NoError(t, os.MkdirAll(cacheDir, 0o700))
	cached := `{"startUrl": "https://example.invalid/start", "region": "us-east-1", "accessToken": "` + secret + `", "expiresAt": "2099-01-01T00:00:00Z"}`
	require.NoError(t, os.WriteFile(filepath.Join(cacheDir, hex.EncodeToString(sum[:])+".json"), []byte(cached), 0o600))

	code, stdout, stderr := runCmd(t, append(demoArgs, "--endpoint-url", srv.URL)...)
	require.Equal(t, 0, code, stderr)
	assert.Len(t, decode(t, stdout).Items, 4)
	assert.True(t, srv.Requests()[0].Authorized)
}

func TestUntrustedCertificateIsOneClearLine(t *testing.T) {
	for name, args := range map[string][]string{"single": demoArgs, "space": spaceArgs} {
		t.Run(name, func(t *testing.T) {
			srv := serveSpace(t, 4)
			other, err := devsessionstest.NewServer(devsessionstest.ServerOptions{})
			require.NoError(t, err)
			defer other.Close()
			wrong := filepath.Join(t.TempDir(), "other.pem")
			require.NoError(t, other.WriteCert(wrong))
			t.Setenv("AWS_CA_BUNDLE", wrong)

			code, stdout, stderr := runCmd(t, append(slices.Clone(args), "--endpoint-url", srv.URL)...)
			assert.Equal(t, 1, code)
			assert.Empty(t, stdout)
			assert.Equal(t, "list-sessions: the endpoint's TLS certificate is not trusted; set AWS_CA_BUNDLE to the PEM file of the authority that signed it\n", stderr)
			assert.Equal(t, 1, srv.TLSHandshakes(), "not retried")
			assert.Empty(t, srv.Requests())
		})
	}
}

func TestServiceErrorExit1(t *testing.T) {
	srv := serve(t, 4)
	code, stdout, stderr := runCmd(t, "--space-name", "demo-space", "--project-name", "demo-project",
		"--dev-environment-id", "99999999-9999-9999-9999-999999999999", "--endpoint-url", srv.URL)
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "An error occurred (ResourceNotFoundException) when calling the ListDevEnvironmentSessions operation:")
	assert.NotContains(t, stderr, "resume", "nothing was listed: no hint")
}

// serveSpace starts an endpoint serving the demo space, with n sessions in
// the demo dev environment, and points the environment at it.
func serveSpace(t *testing.T, n int, opts ...func(*devsessionstest.ServerOptions)) *devsessionstest.Server {
	home := isolate(t)
	envs, sessions := devsessionstest.DemoSpaceData(n)
	o := devsessionstest.ServerOptions{Token: secret, DevEnvironments: envs, Sessions: sessions}
	for _, fn := range opts {
		fn(&o)
	}
	srv, err := devsessionstest.NewServer(o)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	cert := filepath.Join(home, "ca.pem")
	require.NoError(t, srv.WriteCert(cert))
	t.Setenv("AWS_CA_BUNDLE", cert)
	t.Setenv("AWS_BEARER_TOKEN_CODECATALYST", secret)
	t.Setenv("AWS_ENDPOINT_URL_CODECATALYST", srv.URL)
	return srv
}

// demoEnvID returns the id of the demo space's dev environment alias.
func demoEnvID(t *testing.T, alias string) string {
	envs, _ := devsessionstest.DemoSpaceData(0)
	for _, e := range envs {
		if *e.Alias == alias {
			return *e.Id
		}
	}
	t.Fatalf("no dev environment %q in the demo space", alias)
	return ""
}

// wantSessions returns the ids of the sessions of the demo space (n in the
// demo dev environment) of the dev environments a listing visits.
func wantSessions(n int, project string, statuses ...types.DevEnvironmentStatus) []string {
	if statuses == nil {
		statuses = []types.DevEnvironmentStatus{types.DevEnvironmentStatusRunning}
	}
	envs, sessions := devsessionstest.DemoSpaceData(n)
	var ids []string
	for _, e := range envs {
		if (project != "" && *e.ProjectName != project) || !slices.Contains(statuses, e.Status) {
			continue
		}
		for _, s := range sessions {
			if *s.DevEnvironmentId == *e.Id {
				ids = append(ids, *s.Id)
			}
		}
	}
	return ids
}

var spaceArgs = []string{"--space-name", devsessionstest.DemoSpace}

func TestSpaceModeListsEverySession(t *testing.T) {
	srv := serveSpace(t, 6)
	cases := []struct {
		name    string
		args    []string
		project string
	}{
		{"space", spaceArgs, ""},
		{"space concurrency 1", append([]string{"--concurrency", "1"}, spaceArgs...), ""},
		{"space small pages", append([]string{"--concurrency", "3", "--page-size", "1", "--dev-environment-page-size", "2"}, spaceArgs...), ""},
		{"project", append([]string{"--project-name", devsessionstest.DemoPaymentsProject}, spaceArgs...), devsessionstest.DemoPaymentsProject},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, tc.args...)
			require.Equal(t, 0, code, stderr)
			out := decode(t, stdout)
			assert.Equal(t, wantSessions(6, tc.project), out.ids())
			assert.Nil(t, out.NextToken)
			for _, it := range out.Items {
				require.NotNil(t, it.DevEnvironment)
				assert.Equal(t, it.DevEnvironmentID, it.DevEnvironment.ID)
				if tc.project != "" {
					assert.Equal(t, tc.project, it.DevEnvironment.ProjectName)
				}
			}
		})
	}
	t.Run("statuses", func(t *testing.T) {
		n := len(srv.Requests())
		code, stdout, stderr := runCmd(t, append([]string{"--statuses", "stopped,FAILED"}, spaceArgs...)...)
		require.Equal(t, 0, code, stderr)
		assert.Empty(t, decode(t, stdout).Items, "stopped and failed dev environments have no sessions")
		for _, r := range srv.Requests()[n:] {
			assert.True(t, r.Authorized)
		}
		assert.Equal(t, 1+3+1, len(srv.Requests())-n, "one ListDevEnvironments, one listing per STOPPED or FAILED dev environment")
	})
}

func TestSpaceJSONShape(t *testing.T) {
	serveSpace(t, 2)
	code, stdout, stderr := runCmd(t, append([]string{"--max-items", "3"}, spaceArgs...)...)
	require.Equal(t, 0, code, stderr)
	var out map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &out))
	assert.ElementsMatch(t, []string{"items", "NextToken"}, keys(out))
	items := out["items"].([]any)
	require.Len(t, items, 3)
	item := items[2].(map[string]any)
	assert.ElementsMatch(t, []string{"spaceName", "projectName", "devEnvironmentId", "startedTime", "id", "devEnvironment"}, keys(item))
	env := item["devEnvironment"].(map[string]any)
	assert.ElementsMatch(t, []string{"id", "projectName", "alias", "status", "creatorId", "instanceType", "lastUpdatedTime"}, keys(env))
	assert.Equal(t, "docs", env["alias"])
	assert.Equal(t, "user-bob", env["creatorId"])
	assert.Equal(t, "sess-docs-00", item["id"])

	code, stdout, stderr = runCmd(t, spaceArgs...)
	require.Equal(t, 0, code, stderr)
	var all map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &all))
	assert.Equal(t, []string{"items"}, keys(all), "no NextToken when nothing remains")
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func TestSpaceTableAndText(t *testing.T) {
	serveSpace(t, 2)
	var stdout, stderr bytes.Buffer
	c := command{stdout: &stdout, stderr: &stderr, terminal: func() bool { return false }, width: 80,
		now: func() time.Time { return time.Date(2024, 5, 1, 16, 12, 30, 0, time.UTC) }}
	code := c.run(t.Context(), append([]string{"--output", "table", "--project-name", devsessionstest.DemoPaymentsProject}, spaceArgs...))
	require.Equal(t, 0, code, stderr.String())
	// The AWS CLI's style (see TestOutputIsTheAWSCLIs): a titled box, an
	// items section; the columns are the space-wide listing's own.
	assert.Equal(t, `---------------------------------------------------------------------------------------------------------------
|                            Sessions of project payments-api in space demo-space                             |
+-------------------------------------------------------------------------------------------------------------+
||                                                   items                                                   ||
|+--------------+-----------------+-------------+---------------------+------------------------+-------------+|
||    project   | devEnvironment  |   creator   |      sessionId      |        started         |     ago     ||
|+--------------+-----------------+-------------+---------------------+------------------------+-------------+|
||  payments-api|  pay-main       |  user-alice |  sess-pay-main-00   |  2024-05-01 14:00:00Z  |  2h12m ago  ||
||  payments-api|  pay-main       |  user-alice |  sess-pay-main-01   |  2024-05-01 14:01:00Z  |  2h11m ago  ||
||  payments-api|  pay-main       |  user-alice |  sess-pay-main-02   |  2024-05-01 14:02:00Z  |  2h10m ago  ||
||  payments-api|  pay-hotfix     |  user-erin  |  sess-pay-hotfix-00 |  2024-05-01 15:00:00Z  |  1h12m ago  ||
|+--------------+-----------------+-------------+---------------------+------------------------+-------------+|
`, stdout.String())

	stdout.Reset()
	code = c.run(t.Context(), append([]string{"--output", "table", "--max-items", "3"}, spaceArgs...))
	require.Equal(t, 0, code, stderr.String())
	lines := strings.Split(stdout.String(), "\n")
	assert.Regexp(t, `^\|\s+Sessions of space demo-space\s+\|$`, lines[1])
	assert.Regexp(t, `^\|  NextToken\s*\|  dss2\.\S+\s+\|$`, lines[3], "the NextToken row, as the CLI's")
	assert.Regexp(t, `^\|\|\s+items\s+\|\|$`, lines[5])
	assert.Regexp(t, `^\|\|\s+project\s+\|\s+devEnvironment\s+\|\s+creator\s+\|\s+sessionId\s+\|\s+started\s+\|\s+ago\s+\|\|$`, lines[7])
	assert.Regexp(t, `^\|\|  demo-project\s*\|  demo\s*\|  user-alice\s*\|  sess-0000\s*\|  2024-05-01 10:00:00Z\s*\|  6h12m ago\s*\|\|$`, lines[9])
	assert.Regexp(t, `^\|\|  demo-project\s*\|  docs\s*\|  user-bob\s*\|  sess-docs-00\s*\|  2024-05-01 11:00:00Z\s*\|  5h12m ago\s*\|\|$`, lines[11])

	code, out, errOut := runCmd(t, append([]string{"--output", "text", "--max-items", "3"}, spaceArgs...)...)
	require.Equal(t, 0, code, errOut)
	text := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, text, 7)
	docs := demoEnvID(t, "docs")
	assert.Equal(t, "ITEMS\t"+docs+"\tsess-docs-00\tdemo-project\tdemo-space\t2024-05-01T11:00:00Z", text[4])
	assert.Equal(t, "DEVENVIRONMENT\tdocs\tuser-bob\t"+docs+"\tdev.standard1.small\t2024-05-01T03:00:00Z\tdemo-project\tRUNNING", text[5])
	assert.True(t, strings.HasPrefix(text[6], "NEXTTOKEN\tdss2."))
}

func TestAgo(t *testing.T) {
	for d, want := range map[time.Duration]string{
		-time.Second:                 "in the future",
		42 * time.Second:             "42s ago",
		12*time.Minute + time.Second: "12m ago",
		3*time.Hour + 12*time.Minute: "3h12m ago",
		50 * time.Hour:               "2d2h ago",
	} {
		assert.Equal(t, want, agoString(d), d)
	}
}

// chain runs the command with --max-items k, passing each NextToken to the
// next run until there is none, and returns the ids printed.
func chain(t *testing.T, args []string, k int) []string {
	var ids []string
	token := ""
	for range 100 {
		a := append(slices.Clone(args), "--max-items", strconv.Itoa(k))
		if token != "" {
			a = append(a, "--starting-token", token)
		}
		code, stdout, stderr := runCmd(t, a...)
		require.Equal(t, 0, code, stderr)
		out := decode(t, stdout)
		assert.LessOrEqual(t, len(out.Items), k)
		ids = append(ids, out.ids()...)
		if out.NextToken == nil {
			return ids
		}
		token = *out.NextToken
	}
	t.Fatal("the token chain does not end")
	return nil
}

func TestTokenChainAcrossRuns(t *testing.T) {
	srv := serveSpace(t, 5)
	code, stdout, stderr := runCmd(t, spaceArgs...)
	require.Equal(t, 0, code, stderr)
	full := decode(t, stdout).ids()
	require.Equal(t, wantSessions(5, ""), full)

	code, stdout, stderr = runCmd(t, demoArgs...)
	require.Equal(t, 0, code, stderr)
	fullSingle := decode(t, stdout).ids()
	require.Len(t, fullSingle, 5)

	for _, k := range []int{1, 2, 3, 7} {
		for _, conc := range []string{"1", "4", "64"} {
			t.Run(fmt.Sprintf("space k=%d concurrency=%s", k, conc), func(t *testing.T) {
				args := append([]string{"--concurrency", conc, "--page-size", "2", "--dev-environment-page-size", "3"}, spaceArgs...)
				assert.Equal(t, full, chain(t, args, k))
			})
		}
		for _, pageSize := range []string{"0", "2"} {
			t.Run(fmt.Sprintf("single k=%d page-size=%s", k, pageSize), func(t *testing.T) {
				assert.Equal(t, fullSingle, chain(t, append([]string{"--page-size", pageSize}, demoArgs...), k))
			})
		}
	}
	assert.Zero(t, srv.Throttled())
}

var accessDenied = devsessionstest.Fault{Status: 403, Code: "AccessDeniedException"}

// TestFailurePrintsWhatWasListed checks that a request failing part-way
// prints the sessions listed before it with a NextToken that resumes
// exactly after them, then the error, and exits 1.
func TestFailurePrintsWhatWasListed(t *testing.T) {
	cases := []struct {
		name   string
		args   []string
		script func(*devsessionstest.Server)
		before int    // sessions printed before the error
		env    string // the dev environment named in the error line, or "ListDevEnvironments" when that failed
	}{
		{"single, third page", append([]string{"--page-size", "2"}, demoArgs...),
			func(s *devsessionstest.Server) { s.Script(3, accessDenied) }, 4, ""},
		{"single, second page", append([]string{"--page-size", "3"}, demoArgs...),
			func(s *devsessionstest.Server) { s.Script(2, accessDenied) }, 3, ""},
		{"single, one session listed: the resume hint still shows", append([]string{"--page-size", "1"}, demoArgs...),
			func(s *devsessionstest.Server) { s.Script(2, accessDenied) }, 1, ""},
		{"space, at a dev environment's first page", spaceArgs,
			func(s *devsessionstest.Server) { s.ScriptDevEnvironment(demoEnvID(t, "pay-main"), 1, accessDenied) }, 5 + 2,
			" (dev environment " + demoEnvID(t, "pay-main") + " (pay-main) in project payments-api)"},
		{"space, inside a dev environment", append([]string{"--page-size", "2", "--concurrency", "2"}, spaceArgs...),
			func(s *devsessionstest.Server) { s.ScriptDevEnvironment(demoEnvID(t, "pay-main"), 2, accessDenied) }, 5 + 2 + 2,
			" (dev environment " + demoEnvID(t, "pay-main") + " (pay-main) in project payments-api)"},
		{"space, concurrency 64", append([]string{"--concurrency", "64"}, spaceArgs...),
			func(s *devsessionstest.Server) { s.ScriptDevEnvironment(demoEnvID(t, "web-main"), 1, accessDenied) }, 5 + 2 + 3 + 1,
			" (dev environment " + demoEnvID(t, "web-main") + " (web-main) in project web-frontend)"},
		// One dev environment a page, one listing at a time: the third
		// ListDevEnvironments request (the page after demo and docs) fails.
		{"space, ListDevEnvironments part-way", append([]string{"--concurrency", "1", "--dev-environment-page-size", "1"}, spaceArgs...),
			func(s *devsessionstest.Server) {
				s.ScriptOperation(devsessionstest.OpListDevEnvironments, 3, accessDenied)
			}, 5 + 2, "ListDevEnvironments"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			serveSpace(t, 5)
			code, stdout, stderr := runCmd(t, tc.args...)
			require.Equal(t, 0, code, stderr)
			full := decode(t, stdout).ids()

			srv := serveSpace(t, 5) // a fresh server: scripted requests count from its first
			tc.script(srv)
			code, stdout, stderr = runCmd(t, tc.args...)
			assert.Equal(t, 1, code)
			out := decode(t, stdout)
			assert.Equal(t, full[:tc.before], out.ids(), "what was listed before the error is printed")
			require.NotNil(t, out.NextToken)
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			require.Len(t, lines, 2, stderr)
			op, env := "ListDevEnvironmentSessions", tc.env
			if tc.env == "ListDevEnvironments" {
				op, env = tc.env, ""
			}
			assert.Equal(t, "list-sessions: An error occurred (AccessDeniedException) when calling the "+op+" operation: scripted AccessDeniedException"+env, lines[0])
			assert.Equal(t, fmt.Sprintf("list-sessions: %d sessions were listed before the error (printed above); resume with --starting-token %s",
				tc.before, *out.NextToken), lines[1])

			code, stdout, stderr = runCmd(t, append(slices.Clone(tc.args), "--starting-token", *out.NextToken)...)
			require.Equal(t, 0, code, stderr)
			rest := decode(t, stdout)
			assert.Equal(t, full, append(out.ids(), rest.ids()...), "the NextToken resumes exactly after what was printed")
			assert.Nil(t, rest.NextToken)
		})
	}
}

func TestDemoModes(t *testing.T) {
	isolate(t)
	cases := []struct {
		name    string
		args    []string
		want    []string
		withEnv bool
	}{
		{"single dev environment", []string{"--project-name", devsessionstest.DemoProject, "--dev-environment-id", devsessionstest.DemoDevEnvironment, "--max-items", "3"},
			[]string{"sess-0000", "sess-0001", "sess-0002"}, false},
		{"one project", []string{"--project-name", devsessionstest.DemoWebProject},
			[]string{"sess-web-main-00", "sess-web-main-01", "sess-web-main-02", "sess-web-main-03", "sess-web-a11y-00", "sess-web-a11y-01"}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, append([]string{"--demo"}, tc.args...)...)
			require.Equal(t, 0, code, stderr)
			out := decode(t, stdout)
			assert.Equal(t, tc.want, out.ids())
			for _, it := range out.Items {
				assert.Equal(t, tc.withEnv, it.DevEnvironment != nil)
			}
		})
	}
}

func TestFailureBeforeAnythingListed(t *testing.T) {
	for name, args := range map[string][]string{"single": demoArgs, "space": spaceArgs} {
		t.Run(name, func(t *testing.T) {
			srv := serveSpace(t, 5)
			srv.Script(1, accessDenied)
			code, stdout, stderr := runCmd(t, args...)
			assert.Equal(t, 1, code)
			assert.Empty(t, stdout)
			op := map[string]string{"single": "ListDevEnvironmentSessions", "space": "ListDevEnvironments"}[name]
			assert.Equal(t, "list-sessions: An error occurred (AccessDeniedException) when calling the "+op+" operation: scripted AccessDeniedException\n", stderr)
		})
	}
}

func TestProgressOnlyOnATerminal(t *testing.T) {
	for _, terminal := range []bool{true, false} {
		t.Run(fmt.Sprint("terminal=", terminal), func(t *testing.T) {
			serveSpace(t, 5, func(o *devsessionstest.ServerOptions) { o.Latency = 20 * time.Millisecond })
			var stdout, stderr bytes.Buffer
			c := command{stdout: &stdout, stderr: &stderr, terminal: func() bool { return terminal }, now: time.Now,
				progressDelay: 0, progressEvery: 2 * time.Millisecond}
			code := c.run(t.Context(), append([]string{"--concurrency", "1", "--dev-environment-page-size", "2"}, spaceArgs...))
			require.Equal(t, 0, code, stderr.String())
			assert.Equal(t, wantSessions(5, ""), decode(t, stdout.String()).ids(), "progress never goes to standard output")
			if !terminal {
				assert.Empty(t, stderr.String())
				return
			}
			assert.Regexp(t, `\rlisted \d+ dev environments, \d+ sessions \(\d+ requests\)…\x1b\[K`, stderr.String())
			assert.Regexp(t, `listed [1-9]\d* dev environments, [1-9]\d* sessions`, stderr.String(), "counts what was listed")
			assert.True(t, strings.HasSuffix(stderr.String(), "\r\x1b[K"), "cleared at the end")
		})
	}
	t.Run("pipe is not a terminal", func(t *testing.T) {
		r, w, err := os.Pipe()
		require.NoError(t, err)
		defer r.Close()
		defer w.Close()
		assert.False(t, isTerminal(w))
		assert.False(t, isTerminal(&bytes.Buffer{}))
		f, err := os.Create(filepath.Join(t.TempDir(), "log"))
		require.NoError(t, err)
		defer f.Close()
		assert.False(t, isTerminal(f))
	})
}

func TestIsTerminal(t *testing.T) {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	require.NoError(t, err)
	defer null.Close()
	assert.False(t, isTerminal(null), "the null device is no terminal")
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	assert.False(t, isTerminal(w), "a pipe")
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	require.NoError(t, err)
	defer f.Close()
	assert.False(t, isTerminal(f), "a file")
	assert.False(t, isTerminal(&bytes.Buffer{}), "not a file")
}

// built is the command, built once for the tests that send it signals.
var built struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// binary returns the path of the command, built from this package.
func binary(t *testing.T) string {
	t.Helper()
	if otherBinary != "" {
		return otherBinary
	}
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "list-sessions-test-"); built.err != nil {
			return
		}
		built.path = filepath.Join(built.dir, "list-sessions")
		out, err := exec.Command("go", "build", "-o", built.path, ".").CombinedOutput()
		if err != nil {
			built.err = errors.New(string(out))
		}
	})
	require.NoError(t, built.err, "building the command")
	return built.path
}

// A setting every request would fail on exits 2 (retrying cannot help)
// before any request, naming the flag or the variable and never the token.
func TestASettingEveryRequestWouldFailOnExits2(t *testing.T) {
	cases := []struct {
		name, env, value string
		args             []string
		mention          string
	}{
		{name: "a region with a space", args: []string{"--region", "us east"}, mention: "--region"},
		{name: "a region from AWS_REGION", env: "AWS_REGION", value: "us_east_1", mention: "AWS_REGION"},
		{name: "an http endpoint flag", args: []string{"--endpoint-url", "http://127.0.0.1:9"}, mention: "--endpoint-url"},
		{name: "an http endpoint variable", env: "AWS_ENDPOINT_URL_CODECATALYST", value: "http://127.0.0.1:9", mention: "AWS_ENDPOINT_URL_CODECATALYST"},
		{name: "a token with a newline", env: "AWS_BEARER_TOKEN_CODECATALYST", value: secret + "\n", mention: "AWS_BEARER_TOKEN_CODECATALYST"},
		{name: "a token with a control character", env: "AWS_BEARER_TOKEN_CODECATALYST", value: "a\x01" + secret, mention: "AWS_BEARER_TOKEN_CODECATALYST"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := serve(t, 3)
			t.Setenv("AWS_ENDPOINT_URL_CODECATALYST", srv.URL)
			if tc.env != "" {
				t.Setenv(tc.env, tc.value)
			}
			code, stdout, stderr := runCmd(t, append(demoArgs, tc.args...)...)
			assert.Equal(t, exitUsage, code, stderr)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, tc.mention)
			assert.NotContains(t, stderr, "operation error", "refused before any request")
			assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line")
		})
	}
}
