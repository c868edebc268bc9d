package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// The dev environments of the shapes test besides the demo one: one whose
// session ids need escaping in JSON and count two columns wide in a table,
// and one without sessions.
const (
	oddEnv   = "0dd0dd00-0000-4000-8000-000000000001"
	emptyEnv = "e0e0e0e0-0000-4000-8000-000000000002"
)

// serveShapes serves the demo space with the odd and the empty dev
// environments added, and points the environment at it.
func serveShapes(t *testing.T) *devsessionstest.Server {
	return serveSpace(t, 7, func(o *devsessionstest.ServerOptions) {
		at := time.Date(2024, 5, 2, 9, 0, 0, 0, time.UTC)
		for i, id := range []string{`sess-ключ-日本`, `sess-"quoted"\back`, "sess-é-😀", "sess-tab\there"} {
			started := at.Add(time.Duration(i) * time.Minute)
			o.Sessions = append(o.Sessions, types.DevEnvironmentSessionSummary{
				SpaceName: aws.String(devsessionstest.DemoSpace), ProjectName: aws.String(devsessionstest.DemoProject),
				DevEnvironmentId: aws.String(oddEnv), Id: aws.String(id), StartedTime: &started,
			})
		}
		o.DevEnvironments = append(o.DevEnvironments, types.DevEnvironmentSummary{
			SpaceName: aws.String(devsessionstest.DemoSpace), ProjectName: aws.String(devsessionstest.DemoProject),
			Id: aws.String(emptyEnv), Status: types.DevEnvironmentStatusRunning,
		})
	})
}

// awsEnv is the environment of the real AWS CLI against the server
// serveSpace set up: its token, endpoint and certificate, no shared
// configuration, instance metadata or proxy. It skips loudly when aws is
// not installed.
func awsEnv(t *testing.T) []string {
	t.Helper()
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("SKIPPED: the AWS CLI (aws) is not installed; the output shapes were not compared with it")
	}
	home := os.Getenv("HOME")
	env := []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + home,
		"AWS_CONFIG_FILE=" + filepath.Join(home, "none"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "none"),
		"AWS_EC2_METADATA_DISABLED=true", "NO_PROXY=127.0.0.1,localhost",
	}
	for _, k := range []string{"AWS_BEARER_TOKEN_CODECATALYST", "AWS_CA_BUNDLE", "AWS_ENDPOINT_URL_CODECATALYST", "PYENV_ROOT", "PYENV_VERSION", "LANG", "LC_ALL"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// For one dev environment, --output json, text and table print what
// `aws codecatalyst list-dev-environment-sessions` prints for the same
// call, byte for byte (where both stop at the same place: under
// --max-items inside a page the tokens differ by design, see the README).
func TestOutputIsTheAWSCLIs(t *testing.T) {
	serveShapes(t)
	env := awsEnv(t)
	cases := []struct {
		name, env string
		args      []string
	}{
		{"everything", devsessionstest.DemoDevEnvironment, nil},
		{"pages of 3", devsessionstest.DemoDevEnvironment, []string{"--page-size", "3"}},
		{"cut at a page boundary", devsessionstest.DemoDevEnvironment, []string{"--max-items", "4", "--page-size", "2"}},
		{"one item, wider than 80 columns", devsessionstest.DemoDevEnvironment, []string{"--max-items", "1", "--page-size", "1"}},
		{"escapes and wide characters", oddEnv, nil},
		{"escapes and wide characters, cut", oddEnv, []string{"--max-items", "2", "--page-size", "2"}},
		{"no sessions", emptyEnv, nil},
	}
	for _, tc := range cases {
		for _, output := range []string{"json", "text", "table"} {
			t.Run(tc.name+", "+output, func(t *testing.T) {
				args := append([]string{"--space-name", devsessionstest.DemoSpace, "--project-name", devsessionstest.DemoProject,
					"--dev-environment-id", tc.env, "--output", output}, tc.args...)
				cmd := exec.CommandContext(t.Context(), "aws", append([]string{"codecatalyst", "list-dev-environment-sessions"}, args...)...)
				cmd.Env = env
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				theirs, err := cmd.Output()
				require.NoError(t, err, stderr.String())

				code, ours, errOut := runCmd(t, args...)
				require.Equal(t, 0, code, errOut)
				assert.Equal(t, string(theirs), ours)
				if tc.env == oddEnv && output == "table" {
					assert.Contains(t, ours, "日本", "the wide characters are there")
				}
			})
		}
	}
}

// The AWS CLI counts a character two columns wide by Python's
// unicodedata; the table is that data.
func TestWideCharactersArePythons(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("SKIPPED: python3 is not installed; the width table was not compared with Python's unicodedata")
	}
	out := filepath.Join(t.TempDir(), "widths_table.go")
	b, err := exec.CommandContext(t.Context(), "python3", "widths_gen.py", out).CombinedOutput()
	require.NoError(t, err, string(b))
	fresh, err := os.ReadFile(out)
	require.NoError(t, err)
	committed, err := os.ReadFile("widths_table.go")
	require.NoError(t, err)
	if !bytes.Equal(fresh, committed) {
		first, _, _ := strings.Cut(string(fresh), "\n")
		t.Errorf("widths_table.go is not this Python's (%s): run go generate in examples/list-sessions", first)
	}
	for r, want := range map[rune]int{'a': 1, 'é': 2, 'ж': 2, '日': 2, '😀': 2, '\u00a0': 1, 'Ａ': 2} {
		assert.Equal(t, want, textWidth(string(r)), "%q", r)
	}
}

// onTerminal runs argv with its standard output and error on a new
// terminal cols wide (a pty, through Python's pty module) and returns what
// the terminal received.
const onTerminal = `
import fcntl, os, pty, struct, sys, termios
cols, argv = int(sys.argv[1]), sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 50, cols, 0, 0))
out = b''
while True:
    try:
        d = os.read(fd, 65536)
    except OSError:
        break
    if not d:
        break
    out += d
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
sys.exit(os.waitstatus_to_exitcode(status))
`

// On a terminal, the table is the AWS CLI's there too: coloured, and
// fitted to the terminal's width.
func TestTableOnATerminalIsTheAWSCLIs(t *testing.T) {
	serveShapes(t)
	env := awsEnv(t)
	if err := exec.CommandContext(t.Context(), "python3", "-c", "import pty").Run(); err != nil {
		t.Skip("SKIPPED: no python3 with pty to give the commands a terminal")
	}
	ours := binary(t)
	for _, cols := range []string{"200", "100", "60"} {
		for _, tc := range []struct {
			name string
			args []string
		}{
			{"everything", []string{"--dev-environment-id", devsessionstest.DemoDevEnvironment}},
			{"cut", []string{"--dev-environment-id", devsessionstest.DemoDevEnvironment, "--max-items", "2", "--page-size", "2"}},
			{"wide characters", []string{"--dev-environment-id", oddEnv}},
		} {
			t.Run(tc.name+", "+cols+" columns", func(t *testing.T) {
				args := append([]string{"--space-name", devsessionstest.DemoSpace, "--project-name", devsessionstest.DemoProject, "--output", "table"}, tc.args...)
				terminal := func(argv ...string) string {
					cmd := exec.CommandContext(t.Context(), "python3", append([]string{"-c", onTerminal, cols}, argv...)...)
					cmd.Env = env
					out, err := cmd.Output()
					require.NoError(t, err, "%v: %s", argv, out)
					return string(out)
				}
				theirs := terminal(append([]string{"aws", "codecatalyst", "list-dev-environment-sessions"}, args...)...)
				require.Contains(t, theirs, ansiElement, "the CLI colours its table on a terminal")
				assert.Equal(t, theirs, terminal(append([]string{ours}, args...)...))
			})
		}
	}
}

// --starting-token None starts from the beginning, as the AWS CLI's does
// (None is what its text output prints for no NextToken); in space mode
// too.
func TestStartingTokenNoneStartsFromTheBeginningAsTheAWSCLIs(t *testing.T) {
	serveShapes(t)
	env := awsEnv(t)
	for _, output := range []string{"json", "text"} {
		t.Run("one dev environment, "+output, func(t *testing.T) {
			args := append([]string{"--max-items", "4", "--page-size", "2", "--output", output}, demoArgs...) // a page boundary: the same NextToken
			cmd := exec.CommandContext(t.Context(), "aws", append([]string{"codecatalyst", "list-dev-environment-sessions", "--starting-token", "None"}, args...)...)
			cmd.Env = env
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			theirs, err := cmd.Output()
			require.NoError(t, err, stderr.String())
			code, ours, errOut := runCmd(t, append([]string{"--starting-token", "None"}, args...)...)
			require.Equal(t, 0, code, errOut)
			assert.Equal(t, string(theirs), ours)
			_, fromStart, _ := runCmd(t, args...)
			assert.Equal(t, fromStart, ours, "the same as no --starting-token")
		})
	}
	t.Run("space", func(t *testing.T) {
		args := append([]string{"--max-items", "4"}, spaceArgs...)
		code, ours, errOut := runCmd(t, append([]string{"--starting-token", "None"}, args...)...)
		require.Equal(t, 0, code, errOut)
		_, fromStart, _ := runCmd(t, args...)
		assert.Equal(t, fromStart, ours)
		assert.Len(t, decode(t, ours).Items, 4)
	})
}

// Every ASCII character is quoted as Python's json module quotes it (with
// ensure_ascii off, which for ASCII is encoding/json's quoting without
// HTML escapes): control characters, the last of them (0x1f) included,
// are escaped, alone or among other text; DEL is not.
func TestJSONStringsQuoteEveryASCIICharacterAsPython(t *testing.T) {
	for r := rune(0); r < 0x80; r++ {
		for _, s := range []string{string(r), "a" + string(r) + "b"} {
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(false)
			require.NoError(t, enc.Encode(s))
			var got strings.Builder
			writeJSONString(&got, s)
			assert.Equal(t, strings.TrimSuffix(want.String(), "\n"), got.String(), "%U in %q", r, s)
		}
	}
}
