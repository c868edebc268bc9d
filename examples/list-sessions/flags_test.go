package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// Messages are the command's own: they name its flags and what to change,
// carry one prefix, and use the AWS CLI's words where it has some.
func TestMessagesInTheCommandsWords(t *testing.T) {
	refused, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	endpoint := "https://" + refused.Addr().String()
	require.NoError(t, refused.Close()) // nothing listens there now

	cases := []struct {
		name string
		args []string
		code int
		want string // the whole of standard error
	}{
		{"max items negative", []string{"--demo", "--max-items", "-1"}, 2,
			"list-sessions: --max-items must be between 1 and 2147483647, or 0 for all sessions, got -1\n"},
		{"max items one over int32", []string{"--demo", "--max-items", "2147483648"}, 2,
			"list-sessions: --max-items must be between 1 and 2147483647, or 0 for all sessions, got 2147483648\n"},
		{"max items that would wrap to 1", []string{"--demo", "--max-items", "4294967297"}, 2,
			"list-sessions: --max-items must be between 1 and 2147483647, or 0 for all sessions, got 4294967297\n"},
		{"not a number: one line, not the whole usage", []string{"--demo", "--max-items", "abc"}, 2,
			"list-sessions: invalid value \"abc\" for flag --max-items: parse error (see --help)\n"},
		{"unknown flag", []string{"--demo", "--colour"}, 2,
			"list-sessions: flag provided but not defined: --colour (see --help)\n"},
		{"unknown flag given with one dash", []string{"--demo", "-colour"}, 2,
			"list-sessions: flag provided but not defined: --colour (see --help)\n"},
		{"a flag without its value", []string{"--demo", "--max-items"}, 2,
			"list-sessions: flag needs an argument: --max-items (see --help)\n"},
		{"a boolean flag with a value that is not one", []string{"--demo=maybe"}, 2,
			"list-sessions: invalid boolean value \"maybe\" for --demo: parse error (see --help)\n"},
		{"a value holding what looks like a flag", []string{"--page-size", "x for flag -y"}, 2,
			"list-sessions: invalid value \"x for flag -y\" for flag --page-size: parse error (see --help)\n"},
		{"bad flag syntax as the flag package words it", []string{"---demo"}, 2,
			"list-sessions: bad flag syntax: ---demo (see --help)\n"},
		{"page size", []string{"--demo", "--page-size", "201"}, 2,
			"list-sessions: --page-size must be between 1 and 200, or 0 for the service's default, got 201\n"},
		{"dev environment without project", []string{"--demo", "--dev-environment-id", devsessionstest.DemoDevEnvironment}, 2,
			"list-sessions: --dev-environment-id needs --project-name: add the project the dev environment belongs to\n"},
		{"space flag in single mode", append([]string{"--demo", "--concurrency", "2"}, demoArgs...), 2,
			"list-sessions: --concurrency applies only to a space-wide listing: drop it, or drop --dev-environment-id\n"},
		{"unknown profile, in the AWS CLI's words", append([]string{"--profile", "nope"}, demoArgs...), 2,
			"list-sessions: The config profile (nope) could not be found\n"},
		{"connection refused, one dev environment, in the AWS CLI's words", append([]string{"--endpoint-url", endpoint}, demoArgs...), 1,
			`list-sessions: Could not connect to the endpoint URL: "` + endpoint + `/v1/spaces/demo-space/projects/demo-project/devEnvironments/` +
				devsessionstest.DemoDevEnvironment + `/sessions"` + "\n"},
		{"connection refused, space, in the AWS CLI's words", append([]string{"--endpoint-url", endpoint}, spaceArgs...), 1,
			`list-sessions: Could not connect to the endpoint URL: "` + endpoint + `/v1/spaces/demo-space/devEnvironments"` + "\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			home := isolate(t)
			t.Setenv("AWS_BEARER_TOKEN_CODECATALYST", secret)
			config := filepath.Join(home, "config")
			require.NoError(t, os.WriteFile(config, []byte("[default]\nregion = us-west-2\n"), 0o600))
			t.Setenv("AWS_CONFIG_FILE", config)
			code, stdout, stderr := runCmd(t, tc.args...)
			assert.Equal(t, tc.code, code)
			assert.Empty(t, stdout)
			assert.Equal(t, tc.want, stderr)
			assert.Equal(t, 1, strings.Count(stderr, "list-sessions:"), "one prefix")
			assert.NotContains(t, stderr, "devsessions")
		})
	}
}

// --max-items takes the whole int32 range and nothing past it.
func TestMaxItemsInt32Bound(t *testing.T) {
	srv := serveSpace(t, 7)
	code, stdout, stderr := runCmd(t, append([]string{"--max-items", "2147483647"}, demoArgs...)...)
	require.Equal(t, 0, code, stderr)
	assert.Len(t, decode(t, stdout).Items, 7, "the largest --max-items lists everything")
	n := len(srv.Requests())
	for _, v := range []string{"2147483648", "4294967297", "9223372036854775807"} {
		code, stdout, _ = runCmd(t, append([]string{"--max-items", v}, demoArgs...)...)
		assert.Equal(t, 2, code, v)
		assert.Empty(t, stdout, v)
	}
	assert.Len(t, srv.Requests(), n, "refused before any request")
}

// --help spells every flag with two dashes, as the messages do.
func TestHelpSpellsFlagsWithTwoDashes(t *testing.T) {
	code, stdout, _ := runCmd(t, "--help")
	require.Equal(t, 0, code)
	flagLines := 0
	for line := range strings.SplitSeq(stdout, "\n") {
		if strings.HasPrefix(line, "  -") {
			flagLines++
			assert.True(t, strings.HasPrefix(line, "  --"), line)
		}
	}
	assert.Equal(t, 18, flagLines, "one line per flag")
	assert.Contains(t, stdout, "  --starting-token string\n")
}
