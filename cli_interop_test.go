package devsessions_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	return &awsCLI{t: t, srv: srv, env: isolatedCLIEnv(t, srv)}
}

// isolatedCLIEnv is the environment for the real AWS CLI against srv: its
// token and certificate, no shared configuration, credentials, instance
// metadata or proxy. It skips loudly when aws is not installed.
func isolatedCLIEnv(tb testing.TB, srv *devsessionstest.Server) []string {
	tb.Helper()
	if _, err := exec.LookPath("aws"); err != nil {
		tb.Skip("SKIPPED: the AWS CLI (aws) is not installed; the AWS CLI interop test did not run")
	}
	home := tb.TempDir()
	cert := filepath.Join(home, "ca.pem")
	require.NoError(tb, srv.WriteCert(cert))
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
	return env
}

type cliResult struct {
	Items     []map[string]any `json:"items"`
	NextToken string           `json:"NextToken"`
}

// listOp runs the operation's AWS CLI command (aws codecatalyst list-...)
// with the operation's valid params as options, in the demo scope. An
// operation without a page size (ListSpaces) gets no --page-size, which the
// AWS CLI refuses for it: the server's page size stands in for it.
func (c *awsCLI) listOp(op operation, maxItems, pageSize int, startingToken string) ([]string, string) {
	c.t.Helper()
	args := append([]string{"codecatalyst", kebab(op.name)}, cliOptions(op.params())...)
	args = append(args, "--endpoint-url", c.srv.URL, "--output", "json")
	if maxItems > 0 {
		args = append(args, "--max-items", strconv.Itoa(maxItems))
	}
	if pageSize > 0 && op.maxPageSize > 0 {
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
		id, ok := it[op.key].(string)
		require.True(c.t, ok, "item %v has no %s", it, op.key)
		got = append(got, id)
	}
	return got, res.NextToken
}

// kebab is the AWS CLI's spelling of a Go name: ListDevEnvironments is
// list-dev-environments.
func kebab(name string) string {
	var b strings.Builder
	for i, r := range name {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('-')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// cliOptions are the AWS CLI options for the set members of params (a
// pointer to an SDK input of strings and times).
func cliOptions(params any) []string {
	var out []string
	v := reflect.ValueOf(params).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		if !v.Type().Field(i).IsExported() || f.Kind() != reflect.Pointer || f.IsNil() {
			continue
		}
		value := fmt.Sprint(f.Elem().Interface())
		if t, ok := f.Interface().(*time.Time); ok {
			value = t.Format(time.RFC3339)
		}
		out = append(out, "--"+kebab(v.Type().Field(i).Name), value)
	}
	return out
}

// opServer starts a server holding the operation's n items in the demo
// scope, two to a page when a request has no maxResults (so ListSpaces has
// several pages).
func opServer(t *testing.T, op operation, n int) *devsessionstest.Server {
	t.Helper()
	o := devsessionstest.ServerOptions{Token: secret, Data: devsessionstest.SampleData(n), PageSize: 2}
	if op.name == envsOp.name { // the fixture's dev environments, and no other
		o.Data.DevEnvironments, o.Data.Sessions = devEnvironments(n), nil
	}
	srv, err := devsessionstest.NewServer(o)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	return srv
}

// goListOp runs the operation's paginator over srv with the same settings
// as the CLI.
func goListOp(t *testing.T, op operation, srv *devsessionstest.Server, maxItems, pageSize int, startingToken string) ([]string, string) {
	t.Helper()
	p := op.pager(srv.Client(), po(int32(maxItems), int32(pageSize), startingToken))
	items, err := p.Collect(t.Context())
	require.NoError(t, err)
	if items == nil {
		items = []string{}
	}
	return items, p.ResumeToken()
}

// The same hand-over checks for every operation, and the two hand-overs of
// issue 7 section 3.3.
func TestAWSCLIInterop(t *testing.T) {
	for _, op := range operations {
		t.Run(op.name, func(t *testing.T) {
			span := op.span
			srv := opServer(t, op, 23)
			cli := newAWSCLI(t, srv)
			t.Run("same settings deliver the same items", func(t *testing.T) {
				for _, s := range []struct{ maxItems, pageSize int }{{5, 2}, {7, 0}, {10, 3}, {0, 4}, {23, 5}, {100, 6}} {
					theirs, theirTok := cli.listOp(op, s.maxItems, s.pageSize, "")
					ours, ourTok := goListOp(t, op, srv, s.maxItems, s.pageSize, "")
					assert.Equal(t, theirs, ours, "--max-items %d --page-size %d", s.maxItems, s.pageSize)
					assert.Equal(t, theirTok == "", ourTok == "", "both say whether anything remains")
				}
			})
			t.Run("a CLI token inside a page resumes in Go at the next item", func(t *testing.T) {
				first, tok := cli.listOp(op, 3, 2, "")
				require.Equal(t, span(0, 3), first)
				rest, _ := goListOp(t, op, srv, 0, 2, tok)
				assert.Equal(t, span(3, 23), rest)
			})
			t.Run("at a page boundary Go prints the CLI's very token, and each resumes the other", func(t *testing.T) {
				cliItems, cliTok := cli.listOp(op, 4, 2, "")
				goItems, goTok := goListOp(t, op, srv, 4, 2, "")
				require.Equal(t, cliItems, goItems)
				require.NotEmpty(t, cliTok)
				assert.Equal(t, cliTok, goTok)
				rest, _ := goListOp(t, op, srv, 0, 2, cliTok)
				assert.Equal(t, span(4, 23), rest)
				rest, _ = cli.listOp(op, 0, 2, goTok)
				assert.Equal(t, span(4, 23), rest)
			})
			t.Run("a Go token inside a page resumes in the CLI at the next item", func(t *testing.T) {
				p := op.pager(srv.Client(), po(0, 5, ""))
				var got []string
				for id, err := range p.Items(t.Context()) {
					require.NoError(t, err)
					if got = append(got, id); len(got) == 7 {
						break
					}
				}
				require.Equal(t, span(0, 7), got)
				rest, next := cli.listOp(op, 4, 5, p.ResumeToken())
				assert.Equal(t, span(7, 11), rest)
				rest, next = goListOp(t, op, srv, 0, 5, next)
				assert.Equal(t, span(11, 23), rest)
				assert.Empty(t, next)
			})

			big := opServer(t, op, 60)
			bigCLI := newAWSCLI(t, big)
			t.Run("Go MaxItems 50 without PageSize, broken after 30, continues in the CLI without --page-size at item 31", func(t *testing.T) {
				p := op.pager(big.Client(), po(50, 0, ""))
				var got []string
				for id, err := range p.Items(t.Context()) {
					require.NoError(t, err)
					if got = append(got, id); len(got) == 30 {
						break
					}
				}
				require.Equal(t, span(0, 30), got)
				rest, next := bigCLI.listOp(op, 0, 0, p.ResumeToken())
				assert.Equal(t, span(30, 60), rest, "nothing repeated, nothing lost")
				assert.Empty(t, next)
			})
			t.Run("a CLI token 17 deep, resumed in Go at PageSize 5 and broken after 3, continues in the CLI at --page-size 5 at item 21", func(t *testing.T) {
				first, tok := bigCLI.listOp(op, 17, 0, "")
				require.Equal(t, span(0, 17), first)
				p := op.pager(big.Client(), po(0, 5, tok))
				var got []string
				for id, err := range p.Items(t.Context()) {
					require.NoError(t, err)
					if got = append(got, id); len(got) == 3 {
						break
					}
				}
				require.Equal(t, span(17, 20), got)
				rest, next := bigCLI.listOp(op, 0, 5, p.ResumeToken())
				assert.Equal(t, span(20, 60), rest, "nothing repeated, nothing lost")
				assert.Empty(t, next)
			})
		})
	}
}
