package main

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

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

func runCmd(t *testing.T, args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), args, &stdout, &stderr)
	assert.NotContains(t, stdout.String()+stderr.String(), secret, "the bearer token is never printed")
	return code, stdout.String(), stderr.String()
}

var demoArgs = []string{"--space-name", devsessionstest.DemoSpace, "--project-name", devsessionstest.DemoProject,
	"--dev-environment-id", devsessionstest.DemoDevEnvironment}

type jsonOut struct {
	Items []struct {
		ID          string `json:"id"`
		StartedTime string `json:"startedTime"`
	} `json:"items"`
	NextToken *string `json:"NextToken"`
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
	assert.Len(t, out.Items, 5)
	require.NotNil(t, out.NextToken)

	code, stdout, stderr = runCmd(t, "--demo", "--starting-token", *out.NextToken, "--max-items", "2")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, "sess-0005", decode(t, stdout).Items[0].ID, "a token from one demo run resumes in the next")
}

func TestBadFlagsExit2(t *testing.T) {
	isolate(t)
	cases := map[string][]string{
		"unknown output":      {"--demo", "--output", "yaml"},
		"page size over 200":  {"--demo", "--page-size", "500"},
		"negative max items":  {"--demo", "--max-items", "-1"},
		"max items not a num": {"--demo", "--max-items", "abc"},
		"unknown flag":        {"--demo", "--colour"},
		"missing space name":  {"--project-name", "p", "--dev-environment-id", "d"},
		"bad starting token":  {"--demo", "--starting-token", "a___b___c"},
		"stray argument":      {"--demo", "extra"},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout)
			assert.NotEmpty(t, stderr)
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
	srv := serve(t, 4)
	other, err := devsessionstest.NewServer(devsessionstest.ServerOptions{})
	require.NoError(t, err)
	defer other.Close()
	wrong := filepath.Join(t.TempDir(), "other.pem")
	require.NoError(t, other.WriteCert(wrong))
	t.Setenv("AWS_CA_BUNDLE", wrong)

	code, stdout, stderr := runCmd(t, append(demoArgs, "--endpoint-url", srv.URL)...)
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout)
	assert.Equal(t, 1, strings.Count(strings.TrimSpace(stderr), "\n")+1, stderr)
	assert.Contains(t, stderr, "AWS_CA_BUNDLE")
	assert.Equal(t, 1, srv.TLSHandshakes(), "not retried")
	assert.Empty(t, srv.Requests())
}

func TestServiceErrorExit1(t *testing.T) {
	srv := serve(t, 4)
	code, stdout, stderr := runCmd(t, "--space-name", "demo-space", "--project-name", "demo-project",
		"--dev-environment-id", "99999999-9999-9999-9999-999999999999", "--endpoint-url", srv.URL)
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "An error occurred (ResourceNotFoundException) when calling the ListDevEnvironmentSessions operation:")
}
