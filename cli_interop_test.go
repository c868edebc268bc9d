package devsessions_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// awsCLI runs the real AWS CLI against a local server, isolated from the
// machine's AWS configuration and proxies, on loopback only.
type awsCLI struct {
	t   *testing.T
	srv *devsessionstest.Server
	env []string
}

func newAWSCLI(t *testing.T, srv *devsessionstest.Server) *awsCLI {
	t.Helper()
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("SKIPPED: the AWS CLI (aws) is not installed; the AWS CLI interop test did not run")
	}
	home := t.TempDir()
	cert := filepath.Join(home, "ca.pem")
	require.NoError(t, srv.WriteCert(cert))
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"AWS_CONFIG_FILE=" + filepath.Join(home, "none"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "none"),
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_BEARER_TOKEN_CODECATALYST=" + srv.Token,
		"AWS_CA_BUNDLE=" + cert,
		"NO_PROXY=127.0.0.1,localhost",
	}
	for _, k := range []string{"PYENV_ROOT", "PYENV_VERSION", "LANG", "LC_ALL"} { // how aws finds its Python here
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return &awsCLI{t: t, srv: srv, env: env}
}

type cliResult struct {
	Items []struct {
		ID string `json:"id"`
	} `json:"items"`
	NextToken string `json:"NextToken"`
}

func (c *awsCLI) list(maxItems, pageSize int, startingToken string) ([]string, string) {
	c.t.Helper()
	args := []string{"codecatalyst", "list-dev-environment-sessions",
		"--space-name", devsessionstest.DemoSpace, "--project-name", devsessionstest.DemoProject,
		"--dev-environment-id", devsessionstest.DemoDevEnvironment,
		"--endpoint-url", c.srv.URL, "--output", "json"}
	if maxItems > 0 {
		args = append(args, "--max-items", strconv.Itoa(maxItems))
	}
	if pageSize > 0 {
		args = append(args, "--page-size", strconv.Itoa(pageSize))
	}
	if startingToken != "" {
		args = append(args, "--starting-token", startingToken)
	}
	cmd := exec.CommandContext(c.t.Context(), "aws", args...)
	cmd.Env = c.env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(c.t, err, "aws %v: %s", args, stderr.String())
	var res cliResult
	require.NoError(c.t, json.Unmarshal(out, &res), string(out))
	got := []string{}
	for _, it := range res.Items {
		got = append(got, it.ID)
	}
	return got, res.NextToken
}

// goList runs devsessions with the same settings.
func goList(t *testing.T, srv *devsessionstest.Server, maxItems, pageSize int, startingToken string) ([]string, string) {
	t.Helper()
	p := devsessions.NewListDevEnvironmentSessionsPaginator(srv.Client(), input(), opts(int32(maxItems), int32(pageSize), startingToken))
	items, err := p.Collect(t.Context())
	require.NoError(t, err)
	return ids(items), p.ResumeToken()
}

func TestAWSCLIInterop(t *testing.T) {
	srv := startServer(t, 23)
	cli := newAWSCLI(t, srv)

	t.Run("same settings deliver the same items", func(t *testing.T) {
		for _, s := range []struct{ maxItems, pageSize int }{{5, 2}, {7, 0}, {10, 3}, {0, 4}, {23, 5}, {100, 6}} {
			theirs, theirTok := cli.list(s.maxItems, s.pageSize, "")
			ours, ourTok := goList(t, srv, s.maxItems, s.pageSize, "")
			assert.Equal(t, theirs, ours, "--max-items %d --page-size %d", s.maxItems, s.pageSize)
			assert.Equal(t, theirTok == "", ourTok == "", "both say whether anything remains")
		}
	})

	t.Run("a CLI token inside a page resumes in Go at the next item", func(t *testing.T) {
		first, tok := cli.list(3, 2, "")
		require.Equal(t, span(0, 3), first)
		rest, _ := goList(t, srv, 0, 2, tok)
		assert.Equal(t, span(3, 23), rest)
	})

	t.Run("at a page boundary Go prints the CLI's very token, and each resumes the other", func(t *testing.T) {
		cliItems, cliTok := cli.list(4, 2, "")
		goItems, goTok := goList(t, srv, 4, 2, "")
		require.Equal(t, cliItems, goItems)
		require.NotEmpty(t, cliTok)
		assert.Equal(t, cliTok, goTok)
		rest, _ := goList(t, srv, 0, 2, cliTok)
		assert.Equal(t, span(4, 23), rest)
		rest, _ = cli.list(0, 2, goTok)
		assert.Equal(t, span(4, 23), rest)
	})

	t.Run("a Go token inside a page resumes in the CLI at the next item", func(t *testing.T) {
		p := devsessions.NewListDevEnvironmentSessionsPaginator(srv.Client(), input(), opts(0, 5, ""))
		var got []string
		for it, err := range p.Items(t.Context()) {
			require.NoError(t, err)
			if got = append(got, aws.ToString(it.Id)); len(got) == 7 {
				break
			}
		}
		tok := p.ResumeToken()
		require.Equal(t, span(0, 7), got)
		rest, next := cli.list(4, 5, tok)
		assert.Equal(t, span(7, 11), rest)
		rest, next = goList(t, srv, 0, 5, next) // and back to Go, from the CLI's token
		assert.Equal(t, span(11, 23), rest)
		assert.Empty(t, next)
	})
}
