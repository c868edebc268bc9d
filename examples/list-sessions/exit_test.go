package main

import (
	"bytes"
	"context"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// A service that repeats a page token cannot be got past by resuming: the
// command prints what it listed without a NextToken and exits 2 (issue 13).
func TestRepeatedTokenExits2WithoutNextToken(t *testing.T) {
	cases := []struct {
		name   string
		args   []string
		script func(*devsessionstest.Server)
		before int
	}{
		{"single", append([]string{"--page-size", "2"}, demoArgs...),
			func(s *devsessionstest.Server) { s.Script(2, devsessionstest.Fault{RepeatToken: true}) }, 4},
		{"space", append([]string{"--page-size", "2", "--concurrency", "1"}, spaceArgs...),
			func(s *devsessionstest.Server) {
				s.ScriptDevEnvironment(devsessionstest.DemoDevEnvironment, 2, devsessionstest.Fault{RepeatToken: true})
			}, 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := serveSpace(t, 7)
			tc.script(srv)
			code, stdout, stderr := runCmd(t, tc.args...)
			assert.Equal(t, 2, code, stderr)
			out := decode(t, stdout)
			assert.Len(t, out.Items, tc.before, "what was listed is printed")
			assert.Nil(t, out.NextToken, "no NextToken: resuming would repeat the same page")
			assert.Contains(t, stderr, "the service repeated a page token")
			assert.Contains(t, stderr, "the listing cannot go on")
			assert.NotContains(t, stderr, "--starting-token ")
			assert.NotContains(t, stderr, "devsessions:")
		})
	}
}

func TestStartingTokenTheServiceRefuses(t *testing.T) {
	cases := []struct {
		name  string
		args  []string
		token string
		want  string
		sent  bool
	}{
		{name: "a token cut short is sent, refused, and explained", args: demoArgs,
			token: "eyJuZXh0VG9rZW4iOiAiQUFBQUFBQUFBQXJRaTBK", want: "the service refused --starting-token", sent: true},
		{name: "a space token in single mode is refused before any request", args: demoArgs,
			token: "dss2.CmRlbW8tc3BhY2UAAWZv9syqWwECZB3ejqABPtFTi8Rd",
			want:  "--starting-token is the NextToken of a space-wide listing (a run without --dev-environment-id): drop --dev-environment-id"},
		{name: "a space token pasted with white space around it in single mode is refused before any request", args: demoArgs,
			token: " dss2.CmRlbW8tc3BhY2UAAWZv9syqWwECZB3ejqABPtFTi8Rd\n",
			want:  "--starting-token is the NextToken of a space-wide listing (a run without --dev-environment-id): drop --dev-environment-id"},
		{name: "a paginator's token in space mode is refused before any request", args: spaceArgs,
			token: "eyJuZXh0VG9rZW4iOiBudWxsfQ==",
			want:  "--starting-token is the NextToken of one dev environment's listing (a run with --dev-environment-id, or the AWS CLI's list-dev-environment-sessions): add --project-name and --dev-environment-id"},
		{name: "a token that does not decode is refused before any request", args: demoArgs,
			token: "a___b___c", want: "--starting-token is not a NextToken this command or the AWS CLI printed"},
		{name: "a space token that does not decode is refused before any request", args: spaceArgs,
			token: "dss2.!!", want: "--starting-token is not a NextToken this command or the AWS CLI printed"},
		{name: "a space token of the first format is refused before any request, in the command's words", args: spaceArgs,
			token: "dss1.eyJzcGFjZSI6ImRlbW8tc3BhY2UiLCJlbnYiOiIifQ",
			want:  "--starting-token is a NextToken of an earlier version of this command (dss1.), which does not record what was listed and cannot resume exactly: omit --starting-token to start over"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := serveSpace(t, 5)
			code, stdout, stderr := runCmd(t, append([]string{"--starting-token", tc.token}, tc.args...)...)
			assert.Equal(t, 2, code, "retrying cannot help: %s", stderr)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, tc.want)
			assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line")
			assert.True(t, strings.HasPrefix(stderr, "list-sessions: "))
			assert.Equal(t, 1, strings.Count(stderr, "list-sessions"), "one prefix")
			assert.NotContains(t, stderr, "devsessions")
			assert.NotContains(t, stderr, "SpaceSessions")
			if !tc.sent {
				assert.Empty(t, srv.Requests(), "nothing is sent")
			}
		})
	}
}

// Interrupted before anything was listed: nothing on standard output (the
// same command starts at the same place), the signal's status.
func TestInterruptedBeforeAnythingListed(t *testing.T) {
	for name, args := range map[string][]string{"single": demoArgs, "space": spaceArgs} {
		t.Run(name, func(t *testing.T) {
			srv := serveSpace(t, 5)
			ctx, cancel := context.WithCancelCause(t.Context())
			cancel(interrupted{syscall.SIGTERM})
			var stdout, stderr bytes.Buffer
			code := run(ctx, args, &stdout, &stderr)
			assert.Equal(t, 143, code)
			assert.Empty(t, stdout.String())
			assert.Equal(t, "list-sessions: interrupted by SIGTERM\n", stderr.String())
			assert.Empty(t, srv.Requests())
		})
	}
}
