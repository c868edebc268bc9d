package main

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// eventLine is one line --watch prints.
type eventLine struct {
	Event            string `json:"event"`
	ID               string `json:"id"`
	DevEnvironmentID string `json:"devEnvironmentId"`
	StartedTime      string `json:"startedTime"`
	DevEnvironment   struct {
		ID, Alias, Status, CreatorID string
	} `json:"devEnvironment"`
	Creator struct {
		ID, UserName, DisplayName, Email string
	} `json:"creator"`
}

// watchFor runs the command in this process until polls polls of the demo
// space have ended (the next one has sent its ListDevEnvironments, first
// attempts counted: the demo's dev environments fit on one page), then
// stops it as SIGTERM
// would; it returns the exit status, the lines of standard output and
// standard error.
func watchFor(t *testing.T, srv *devsessionstest.Server, polls int, args ...string) (int, []string, string) {
	t.Helper()
	ctx, cancel := context.WithCancelCause(t.Context())
	defer cancel(nil)
	listings := func() int {
		n := 0
		for _, r := range srv.Requests() {
			if r.Operation == devsessionstest.OpListDevEnvironments && strings.HasPrefix(r.Attempt, "attempt=1;") {
				n++ // a retry is not a new poll
			}
		}
		return n
	}
	base := listings()
	go func() {
		for listings() <= base+polls && ctx.Err() == nil {
			time.Sleep(time.Millisecond)
		}
		cancel(interrupted{syscall.SIGTERM})
	}()
	var stdout, stderr bytes.Buffer
	code := run(ctx, append([]string{"--watch", "--interval", "1ms"}, args...), &stdout, &stderr)
	assert.NotContains(t, stdout.String()+stderr.String(), secret)
	var lines []string
	if s := strings.TrimSuffix(stdout.String(), "\n"); s != "" {
		lines = strings.Split(s, "\n")
	}
	return code, lines, stderr.String()
}

// checkpointOf returns the checkpoint a stopped watch printed.
func checkpointOf(t *testing.T, stderr string) string {
	t.Helper()
	_, cp, ok := strings.Cut(stderr, "resume with --checkpoint ")
	require.True(t, ok, stderr)
	cp = strings.TrimSpace(cp)
	require.True(t, strings.HasPrefix(cp, "dsw2."), cp)
	return cp
}

func parseEvents(t *testing.T, lines []string) []eventLine {
	t.Helper()
	out := make([]eventLine, len(lines))
	for i, l := range lines {
		require.NoError(t, json.Unmarshal([]byte(l), &out[i]), "line %d is one JSON object: %s", i, l)
	}
	return out
}

func TestWatchPrintsEachStartAndEndOnceAndTheCheckpointOnSIGTERM(t *testing.T) {
	envs, sessions := devsessionstest.DemoSpaceData(3)
	srv := serveSpace(t, 3)
	code, lines, stderr := watchFor(t, srv, 3, "--space-name", devsessionstest.DemoSpace)
	assert.Equal(t, 0, code, stderr)
	events := parseEvents(t, lines)
	require.Len(t, events, len(sessions), "three polls of an unchanged space: each session once")
	for i, ev := range events {
		assert.Equal(t, "started", ev.Event)
		assert.Equal(t, *sessions[i].Id, ev.ID)
		assert.Equal(t, *sessions[i].DevEnvironmentId, ev.DevEnvironment.ID)
		assert.NotEmpty(t, ev.DevEnvironment.CreatorID)
	}
	assert.True(t, strings.HasPrefix(lines[0], `{"event":"started","spaceName":"demo-space",`), lines[0])
	assert.Contains(t, stderr, "list-sessions: stopped by SIGTERM; resume with --checkpoint dsw2.")
	cp := checkpointOf(t, stderr)

	// Resumed over the same space: nothing to announce.
	code, lines, stderr = watchFor(t, srv, 2, "--space-name", devsessionstest.DemoSpace, "--checkpoint", cp)
	assert.Equal(t, 0, code, stderr)
	assert.Empty(t, lines)

	// Resumed after docs stopped and a session started on demo.
	i := slices.IndexFunc(envs, func(e types.DevEnvironmentSummary) bool { return *e.Alias == "docs" })
	envs[i].Status = types.DevEnvironmentStatusStopped
	added := sessions[0]
	added.Id = devsessionstest.Sessions(4)[3].Id
	later := serveSpace(t, 0, func(o *devsessionstest.ServerOptions) {
		o.DevEnvironments, o.Sessions = envs, append(slices.Clone(sessions), added)
	})
	code, lines, stderr = watchFor(t, later, 1, "--space-name", devsessionstest.DemoSpace, "--checkpoint", cp)
	assert.Equal(t, 0, code, stderr)
	events = parseEvents(t, lines)
	require.Len(t, events, 3, stderr)
	assert.Equal(t, []string{"started sess-0003", "ended sess-docs-00", "ended sess-docs-01"},
		[]string{events[0].Event + " " + events[0].ID, events[1].Event + " " + events[1].ID, events[2].Event + " " + events[2].ID})
	assert.Equal(t, "docs", events[1].DevEnvironment.Alias, "an ended session as the checkpoint kept it")
}

func TestWatchReportsAFailedDevEnvironmentAndGoesOn(t *testing.T) {
	srv := serveSpace(t, 3)
	srv.ScriptDevEnvironment(devsessionstest.DemoDevEnvironment, 1, devsessionstest.Fault{Status: 403, Code: "AccessDeniedException"})
	code, lines, stderr := watchFor(t, srv, 3, "--space-name", devsessionstest.DemoSpace)
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "An error occurred (AccessDeniedException) when calling the ListDevEnvironmentSessions operation")
	assert.Contains(t, stderr, "the watch goes on")
	events := parseEvents(t, lines)
	var demo int
	for _, ev := range events {
		require.Equal(t, "started", ev.Event)
		if ev.DevEnvironment.ID == devsessionstest.DemoDevEnvironment {
			demo++
		}
	}
	assert.Equal(t, 3, demo, "a later poll announced the demo dev environment's sessions, once: %s", stderr)
}

func TestWatchAndOlderThanFlagsRefused(t *testing.T) {
	isolate(t)
	space := []string{"--space-name", "s"}
	cases := map[string]struct {
		args []string
		says string
	}{
		"interval without watch":   {[]string{"--interval", "5s"}, "--interval applies only to --watch"},
		"checkpoint without watch": {[]string{"--checkpoint", "dsw2.x"}, "--checkpoint applies only to --watch"},
		"watch one dev environment": {[]string{"--watch", "--project-name", "p", "--dev-environment-id", "d"},
			"--watch watches a space or a project: drop --dev-environment-id"},
		"watch with max-items":      {[]string{"--watch", "--max-items", "3"}, "--max-items does not apply to --watch"},
		"watch with starting-token": {[]string{"--watch", "--starting-token", "dss2.x"}, "--starting-token does not apply to --watch"},
		"watch with table":          {[]string{"--watch", "--output", "table"}, "--watch prints one JSON object per line"},
		"zero interval":             {[]string{"--watch", "--interval", "0s"}, "--interval must be positive"},
		"negative older-than":       {[]string{"--older-than", "-1h"}, "--older-than must not be negative"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, append(slices.Clone(space), tc.args...)...)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, tc.says)
		})
	}
}

func TestWatchRefusesACheckpointOfAnotherScope(t *testing.T) {
	srv := serveSpace(t, 1)
	_, _, stderr := watchFor(t, srv, 1, "--space-name", devsessionstest.DemoSpace, "--project-name", devsessionstest.DemoProject)
	cp := checkpointOf(t, stderr)
	code, lines, stderr := watchFor(t, srv, 1, "--space-name", devsessionstest.DemoSpace, "--checkpoint", cp)
	assert.Equal(t, 2, code)
	assert.Empty(t, lines)
	assert.Contains(t, stderr, `list-sessions: --checkpoint is not one a --watch of this space or project printed (checkpoint was made for project "demo-project" of space "demo-space", not for space "demo-space")`)
}

func TestOlderThanKeepsSessionsStartedLongerAgo(t *testing.T) {
	serveSpace(t, 3) // sessions started on 2024-05-01
	_, sessions := devsessionstest.DemoSpaceData(3)
	for name, tc := range map[string]struct {
		olderThan string
		want      int
	}{
		"an hour: every session": {"1h", len(sessions)},
		"a century: none":        {"876000h", 0},
	} {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, "--space-name", devsessionstest.DemoSpace, "--older-than", tc.olderThan)
			require.Equal(t, 0, code, stderr)
			assert.Len(t, decode(t, stdout).Items, tc.want)
			code, stdout, stderr = runCmd(t, append(slices.Clone(demoArgs), "--older-than", tc.olderThan)...)
			require.Equal(t, 0, code, stderr)
			assert.Len(t, decode(t, stdout).Items, min(tc.want, 3), "one dev environment too")
		})
	}
}

// With --watch, --older-than D announces a session once it is older than
// D: none of the demo's sessions is a century old, so none is announced,
// and none is known either: a watch from that checkpoint without
// --older-than announces every one.
func TestOlderThanWithWatchAnnouncesOnlySessionsThatOld(t *testing.T) {
	srv := serveSpace(t, 3) // sessions started on 2024-05-01
	_, sessions := devsessionstest.DemoSpaceData(3)
	code, lines, stderr := watchFor(t, srv, 1, "--space-name", devsessionstest.DemoSpace, "--older-than", "876000h")
	assert.Equal(t, 0, code, stderr)
	assert.Empty(t, lines)
	code, lines, stderr = watchFor(t, srv, 1, "--space-name", devsessionstest.DemoSpace, "--checkpoint", checkpointOf(t, stderr))
	assert.Equal(t, 0, code, stderr)
	assert.Len(t, lines, len(sessions), "not announced, not known: announced when the age no longer holds them back")
	code, lines, stderr = watchFor(t, srv, 1, "--space-name", devsessionstest.DemoSpace, "--older-than", "1h")
	assert.Equal(t, 0, code, stderr)
	assert.Len(t, lines, len(sessions), "every session is more than an hour old")
}

// failingWriter takes ok writes, then fails every one.
type failingWriter struct {
	buf bytes.Buffer
	ok  int
}

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.ok == 0 {
		return 0, syscall.EPIPE
	}
	w.ok--
	return w.buf.Write(p)
}

// A line that cannot be written ends the watch with 1, and the checkpoint
// it prints announces that line's event again (and nothing written).
func TestWatchWriteErrorPrintsACheckpointThatAnnouncesTheLostEventAgain(t *testing.T) {
	srv := serveSpace(t, 3)
	stdout := &failingWriter{ok: 2}
	var stderr bytes.Buffer
	code := run(t.Context(), []string{"--watch", "--interval", "1ms", "--space-name", devsessionstest.DemoSpace}, stdout, &stderr)
	require.Equal(t, 1, code, stderr.String())
	assert.Contains(t, stderr.String(), "list-sessions: writing the output: broken pipe; resume with --checkpoint dsw2.")
	written := strings.Split(strings.TrimSuffix(stdout.buf.String(), "\n"), "\n")
	require.Len(t, written, 2)
	code, lines, errText := watchFor(t, srv, 1, "--space-name", devsessionstest.DemoSpace, "--checkpoint", checkpointOf(t, stderr.String()))
	require.Equal(t, 0, code, errText)
	_, all, _ := watchFor(t, srv, 1, "--space-name", devsessionstest.DemoSpace)
	require.Greater(t, len(all), 3)
	assert.Equal(t, all[2:], lines, "the lost line first, then the rest; nothing written twice")
	assert.Equal(t, all[:2], written)
}

// Each line says who: the creator resolved with GetUserDetails (the demo's
// users), or its id only when it cannot be.
func TestWatchLinesCarryTheCreator(t *testing.T) {
	data := devsessionstest.DemoData(1)
	data.Users = slices.DeleteFunc(data.Users, func(u devsessionstest.User) bool { return u.ID == "user-bob" })
	srv := serveSpace(t, 0, func(o *devsessionstest.ServerOptions) { o.DevEnvironments, o.Sessions, o.Data = nil, nil, data })
	code, lines, stderr := watchFor(t, srv, 1, "--space-name", devsessionstest.DemoSpace)
	assert.Equal(t, 0, code, stderr)
	events := parseEvents(t, lines)
	require.NotEmpty(t, events)
	users := map[string]devsessionstest.User{}
	for _, u := range data.Users {
		users[u.ID] = u
	}
	for _, ev := range events {
		require.Equal(t, ev.DevEnvironment.CreatorID, ev.Creator.ID)
		u, known := users[ev.Creator.ID]
		assert.Equal(t, u.UserName, ev.Creator.UserName, "%s: known %v", ev.Creator.ID, known)
		assert.Equal(t, u.Email, ev.Creator.Email)
	}
	assert.Contains(t, lines[0], `,"creator":{"id":"user-alice","userName":"alice","displayName":"Alice Example","email":"alice@example.com"}}`)
}
