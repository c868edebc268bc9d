package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/smithy-go/auth/bearer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// moduleRoot is where the README's commands run.
const moduleRoot = "../.."

// readmeBlock returns the first code block of lang after heading in the
// README.
func readmeBlock(t *testing.T, heading, lang string) string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join(moduleRoot, "README.md"))
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(readme), "\n"+heading+"\n")
	require.True(t, ok, "the README has %q", heading)
	_, code, ok := strings.Cut(section, "```"+lang+"\n")
	require.True(t, ok, "%q has a %s block", heading, lang)
	code, _, ok = strings.Cut(code, "```")
	require.True(t, ok)
	return code
}

// scriptEnv is the environment without the machine's AWS settings, with
// TMPDIR set to tmp.
func scriptEnv(tmp string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") && !strings.HasPrefix(kv, "TMPDIR=") {
			env = append(env, kv)
		}
	}
	return append(env, "TMPDIR="+tmp, "AWS_CONFIG_FILE="+filepath.Join(tmp, "none"),
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(tmp, "none"), "AWS_EC2_METADATA_DISABLED=true")
}

// The README's emulator script runs as written, with a TMPDIR that holds a
// space (eval of the export line cut AWS_CA_BUNDLE there), and leaves
// nothing behind.
func TestReadmeEmulatorScript(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("SKIPPED: no sh to run the README's script with")
	}
	script := readmeBlock(t, "## The emulator", "sh")
	assert.NotContains(t, script, "/tmp/", "no fixed path an earlier run may have left")
	tmp := filepath.Join(t.TempDir(), "tmp dir with a space")
	require.NoError(t, os.Mkdir(tmp, 0o755))

	cmd := exec.CommandContext(t.Context(), "sh", "-c", script)
	cmd.Dir = moduleRoot
	cmd.Env = scriptEnv(tmp)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "the script fails:\n%s", stderr.String())
	for _, complaint := range []string{"cannot open", "No such file", "Illegal number", "integer expression", "not found"} {
		assert.NotContains(t, stderr.String(), complaint, "the shell has nothing to complain of")
	}
	// The export line is in the script's output file, which it removed;
	// what reaches standard output is list-sessions' listing.
	out := decode(t, stdout.String())
	assert.Len(t, out.Items, 5)
	assert.NotNil(t, out.NextToken)
	left, err := filepath.Glob(filepath.Join(tmp, "*"))
	require.NoError(t, err)
	assert.Empty(t, left, "the certificate file and the script's directory are removed")
}

// The README's adoption commands work in a module next to a copy.
func TestReadmeAdoptionCommands(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("SKIPPED: no sh to run the README's commands with")
	}
	script := readmeBlock(t, "## For people adopting it", "sh")
	dir := t.TempDir()
	root, err := filepath.Abs(moduleRoot)
	require.NoError(t, err)
	require.NoError(t, os.Symlink(root, filepath.Join(dir, "devsessions")))
	app := filepath.Join(dir, "app")
	require.NoError(t, os.Mkdir(app, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(app, "go.mod"), []byte("module example.com/app\n\ngo 1.24\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(app, "main.go"), []byte(`package main

import "github.com/codecatalyst-contrib/devsessions"

func main() { println(devsessions.DefaultConcurrency) }
`), 0o644))
	bin := filepath.Join(dir, "bin")

	run := func(name string, args ...string) string {
		cmd := exec.CommandContext(t.Context(), name, args...)
		cmd.Dir = app
		cmd.Env = append(scriptEnv(t.TempDir()), "GOBIN="+bin, "GOFLAGS=-mod=mod")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s %v:\n%s", name, args, out)
		return string(out)
	}
	run("sh", "-e", "-c", script)
	gomod, err := os.ReadFile(filepath.Join(app, "go.mod"))
	require.NoError(t, err)
	assert.Contains(t, string(gomod), "require github.com/codecatalyst-contrib/devsessions v0.0.0-")
	assert.FileExists(t, filepath.Join(bin, "list-sessions"), "go install put the command in GOBIN")
	run("go", "build", "./...")
	help := run(filepath.Join(bin, "list-sessions"), "--help")
	assert.Contains(t, help, exitStatuses)
}

// The README's retryer compiles in a program that has a ctx.
func TestReadmeRetryerCompiles(t *testing.T) {
	snippet := readmeBlock(t, "## For people adopting it", "go")
	program := `package main

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"

	"github.com/codecatalyst-contrib/devsessions/cliconfig"
)

func main() {
	ctx := context.Background()
` + snippet + `	_, _ = client, err
}
`
	dir, err := os.MkdirTemp(moduleRoot, "readme-retryer-") // inside the module, so it builds against it
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(program), 0o644))
	cmd := exec.CommandContext(t.Context(), "go", "vet", "./"+filepath.Base(dir))
	cmd.Dir = moduleRoot
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "the README's retryer does not build:\n%s\n%s", out, program)
}

// What the README says of retries: against an endpoint that refuses every
// connection, the SDK's default retryer runs out of retry quota, and from
// then on a request fails without retrying; the README's retryer retries
// every request to its own bound.
func TestReadmeRetryerOutlastsTheRetryQuota(t *testing.T) {
	refused, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	endpoint := "https://" + refused.Addr().String()
	require.NoError(t, refused.Close())

	readme := retry.AddWithMaxAttempts(retry.NewStandard(func(so *retry.StandardOptions) {
		so.RateLimiter = ratelimit.None
	}), 5)
	cases := []struct {
		name          string
		retryer       aws.Retryer
		quotaExceeded bool
		attempts      int
	}{
		{"the SDK's default", retry.NewStandard(), true, retry.DefaultMaxAttempts},
		{"the README's", readme, false, 5},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			client := codecatalyst.New(codecatalyst.Options{
				BaseEndpoint: aws.String(endpoint), Region: "us-west-2", Retryer: tc.retryer,
				BearerAuthTokenProvider: bearer.StaticTokenProvider{Token: bearer.Token{Value: secret}},
			})
			exceeded, exhausted := 0, 0
			for range 20 { // each retried until it gives up: more than the quota's 35 retries in all
				_, err := client.ListDevEnvironmentSessions(context.Background(), &codecatalyst.ListDevEnvironmentSessionsInput{
					SpaceName: aws.String("s"), ProjectName: aws.String("p"), DevEnvironmentId: aws.String("d"),
				})
				require.Error(t, err)
				var quota ratelimit.QuotaExceededError
				var max *retry.MaxAttemptsError
				switch {
				case errors.As(err, &quota):
					exceeded++
				case errors.As(err, &max):
					assert.Equal(t, tc.attempts, max.Attempt)
					exhausted++
				}
			}
			if tc.quotaExceeded {
				assert.Positive(t, exceeded, "the quota ran out")
				assert.Positive(t, exhausted, "before it did, requests were retried")
				return
			}
			assert.Zero(t, exceeded, "no quota to run out of")
			assert.Equal(t, 20, exhausted, "every request retried to its bound")
		})
	}
}

// --help and the README list the same exit statuses.
func TestHelpAndReadmeListTheExitStatuses(t *testing.T) {
	isolate(t)
	for _, help := range []string{"--help", "-h"} {
		code, stdout, stderr := runCmd(t, help)
		assert.Equal(t, 0, code)
		assert.Empty(t, stderr)
		assert.True(t, strings.HasPrefix(stdout, "Usage: list-sessions "), "on standard output, for a pager")
		assert.Contains(t, stdout, "\n  --max-items int\n")
		assert.True(t, strings.HasSuffix(stdout, "\n"+exitStatuses))
	}
	readme, err := os.ReadFile(filepath.Join(moduleRoot, "README.md"))
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(readme), "\n## The command: list-sessions\n")
	require.True(t, ok)
	for _, row := range []string{"| 0 |", "| 1 |", "| 2 |", "| 130, 143 |"} {
		assert.Contains(t, section, "\n"+row, "the README's table")
	}
	for _, status := range []string{"  0 ", "  1 ", "  2 ", "  130 ", " 143 "} {
		assert.Contains(t, exitStatuses, status, "--help")
	}
}

// handOver is the README's hand-over between the AWS CLI and the command
// in "Tokens shared with the AWS CLI", read from its sh block.
type handOver struct {
	awsArgs, goArgs []string // after "aws" and after "go run ./examples/list-sessions"
	lastID          string   // the last session the AWS CLI lists
	token           string   // the NextToken it prints
	nextID          string   // the session the command continues with
}

func readmeHandOver(t *testing.T) handOver {
	t.Helper()
	block := strings.ReplaceAll(readmeBlock(t, "## Tokens shared with the AWS CLI", "sh"), "\\\n", " ")
	var h handOver
	for line := range strings.SplitSeq(block, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "aws "):
			h.awsArgs = strings.Fields(line)[1:]
		case strings.HasPrefix(line, "go run ./examples/list-sessions "):
			h.goArgs = strings.Fields(line)[3:]
		case strings.HasPrefix(line, `# "NextToken": "`):
			h.token = strings.TrimSuffix(strings.TrimPrefix(line, `# "NextToken": "`), `"`)
		case strings.HasPrefix(line, "# continues with "):
			h.nextID = strings.TrimPrefix(line, "# continues with ")
		case strings.Contains(line, `"id": "`):
			_, id, _ := strings.Cut(line, `"id": "`)
			h.lastID, _, _ = strings.Cut(id, `"`)
		}
	}
	require.NotEmpty(t, h.awsArgs, "the block has the aws command")
	require.NotEmpty(t, h.goArgs, "the block has the go run command")
	require.NotEmpty(t, h.token, "the block has the NextToken")
	require.NotEmpty(t, h.nextID, "the block says where the command continues")
	require.NotEmpty(t, h.lastID, "the block has the last session the CLI lists")
	return h
}

// startEmulator runs the emulator as built from examples/emulator, with its
// defaults, and returns the environment its export line sets.
func startEmulator(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "emulator")
	out, err := exec.CommandContext(t.Context(), "go", "build", "-o", bin, filepath.Join(moduleRoot, "examples", "emulator")).CombinedOutput()
	require.NoError(t, err, "building the emulator: %s", out)
	cmd := exec.Command(bin, "--cert-file", filepath.Join(dir, "ca.pem"))
	cmd.Env = scriptEnv(dir)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err, "the emulator's export line")
	export, ok := strings.CutPrefix(strings.TrimSpace(line), "export ")
	require.True(t, ok, line)
	var env []string
	for _, m := range regexp.MustCompile(`(\w+)='([^']*)'`).FindAllStringSubmatch(export, -1) {
		env = append(env, m[1]+"="+m[2])
	}
	require.Len(t, env, 3, "endpoint, token and certificate: %s", line)
	return env
}

// The README's hand-over runs as written against the emulator: the AWS
// CLI prints the NextToken the README shows, and the command given it
// continues at the session the README says. So the token cannot go stale.
func TestReadmeTokenHandOverRunsAsWritten(t *testing.T) {
	h := readmeHandOver(t)
	emulator := startEmulator(t)
	home := t.TempDir()
	// The later HOME wins (exec keeps the last of a duplicate key).
	env := append(append(scriptEnv(home), "HOME="+home, "NO_PROXY=127.0.0.1,localhost"), emulator...)

	t.Run("the command continues where the README says", func(t *testing.T) {
		cmd := exec.CommandContext(t.Context(), binary(t), h.goArgs...)
		cmd.Env = env
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		require.NoError(t, err, stderr.String())
		ids := decode(t, string(out)).ids()
		require.NotEmpty(t, ids)
		assert.Equal(t, h.nextID, ids[0])
		assert.Contains(t, h.goArgs, h.token, "the command is given the README's NextToken")
	})
	t.Run("the AWS CLI prints the README's NextToken", func(t *testing.T) {
		if _, err := exec.LookPath("aws"); err != nil {
			t.Skip("SKIPPED: the AWS CLI (aws) is not installed; the README's aws command was not run")
		}
		cmd := exec.CommandContext(t.Context(), "aws", h.awsArgs...)
		cmd.Env = env
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		require.NoError(t, err, stderr.String())
		got := decode(t, string(out))
		require.NotNil(t, got.NextToken)
		assert.Equal(t, h.token, *got.NextToken)
		ids := got.ids()
		require.NotEmpty(t, ids)
		assert.Equal(t, h.lastID, ids[len(ids)-1])
	})
}
