//go:build unix

package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// started is the command running as a process, its standard error
// collected, its standard output read by the test.
type started struct {
	cmd    *exec.Cmd
	stdout io.ReadCloser
	stderr *bytes.Buffer
}

// start runs the built command with args in the test's environment (as
// serveSpace set it).
func start(t *testing.T, args ...string) *started {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill() //nolint:errcheck // already ended, or ending
			cmd.Wait()         //nolint:errcheck // the test has failed
		}
	})
	return &started{cmd: cmd, stdout: stdout, stderr: &stderr}
}

// wait reads the rest of standard output and returns it with the exit
// status.
func (s *started) wait(t *testing.T, stdout io.Reader) (string, int) {
	t.Helper()
	rest, err := io.ReadAll(stdout)
	require.NoError(t, err)
	err = s.cmd.Wait()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		require.NoError(t, err)
	}
	return string(rest), s.cmd.ProcessState.ExitCode()
}

// untilRequests waits until srv has received n requests.
func untilRequests(srv *devsessionstest.Server, n int) {
	for len(srv.Requests()) < n {
		time.Sleep(5 * time.Millisecond)
	}
}

// The listing a signal stops prints what it listed, in the chosen output,
// with the NextToken that resumes right after it, and exits 128 + the
// signal's number: nothing is lost, nothing repeated.
func TestSignalPrintsWhatWasListedAndExits128PlusSignal(t *testing.T) {
	cases := []struct {
		name   string
		sig    syscall.Signal
		code   int
		output string
		args   []string
		after  int // requests before the signal
		all    func() []string
	}{
		{"SIGTERM, text, one dev environment", syscall.SIGTERM, 143, "text", append([]string{"--page-size", "2"}, demoArgs...), 6,
			func() []string { return wantSessions(40, devsessionstest.DemoProject)[:40] }},
		{"SIGINT, json, one dev environment", syscall.SIGINT, 130, "json", append([]string{"--page-size", "2"}, demoArgs...), 6,
			func() []string { return wantSessions(40, devsessionstest.DemoProject)[:40] }},
		{"SIGTERM, json, space", syscall.SIGTERM, 143, "json", append([]string{"--page-size", "2", "--concurrency", "1"}, spaceArgs...), 24, // the first dev environment is listed in full
			func() []string { return wantSessions(40, "") }},
		{"SIGINT, text, space", syscall.SIGINT, 130, "text", append([]string{"--page-size", "2", "--concurrency", "1"}, spaceArgs...), 24, // the first dev environment is listed in full
			func() []string { return wantSessions(40, "") }},
		{"SIGTERM, table, one dev environment", syscall.SIGTERM, 143, "table", append([]string{"--page-size", "2"}, demoArgs...), 6,
			func() []string { return wantSessions(40, devsessionstest.DemoProject)[:40] }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := serveSpace(t, 40, func(o *devsessionstest.ServerOptions) { o.Latency = 20 * time.Millisecond })
			p := start(t, append([]string{"--output", tc.output}, tc.args...)...)
			untilRequests(srv, tc.after)
			require.NoError(t, p.cmd.Process.Signal(tc.sig))
			stdout, code := p.wait(t, p.stdout)
			stderr := p.stderr.String()
			assert.Equal(t, tc.code, code, stderr)

			listed, next := parseOutput(t, tc.output, stdout)
			require.NotEmpty(t, listed, "what was listed is printed")
			require.NotEmpty(t, next, "with the NextToken that resumes after it")
			assert.Less(t, len(listed), len(tc.all()), "stopped part-way")
			assert.Contains(t, stderr, "list-sessions: interrupted by "+signalName(tc.sig)+"\n")
			assert.Contains(t, stderr, "sessions were listed before "+signalName(tc.sig)+" (printed above); resume with --starting-token "+next+"\n")

			code, rest, errOut := runCmd(t, append(append([]string{"--output", "json"}, tc.args...), "--starting-token", next)...)
			require.Equal(t, 0, code, errOut)
			assert.Equal(t, tc.all(), append(listed, decode(t, rest).ids()...), "the NextToken resumes exactly after what was printed")
		})
	}
}

// parseOutput returns the session ids and the NextToken of an output.
func parseOutput(t *testing.T, format, out string) ([]string, string) {
	t.Helper()
	var ids []string
	next := ""
	switch format {
	case "json":
		o := decode(t, out)
		if o.NextToken != nil {
			next = *o.NextToken
		}
		return o.ids(), next
	case "text":
		for line := range strings.Lines(out) {
			f := strings.Split(strings.TrimSuffix(line, "\n"), "\t")
			switch f[0] {
			case "ITEMS":
				ids = append(ids, f[2])
			case "NEXTTOKEN":
				next = f[1]
			}
		}
	case "table":
		for line := range strings.Lines(out) {
			f := strings.Split(line, "|")
			for i := range f {
				f[i] = strings.TrimSpace(f[i])
			}
			if len(f) > 3 && f[1] == "NextToken" {
				next = f[2]
			}
			if len(f) > 4 && strings.HasPrefix(f[3], "sess-") {
				ids = append(ids, f[3])
			}
		}
	}
	return ids, next
}

// A second signal ends the command at once, even while it cannot print
// (nobody reads its output here), with 128 + that signal's number.
func TestSecondSignalExitsAtOnce(t *testing.T) {
	srv := serveSpace(t, 1000, func(o *devsessionstest.ServerOptions) { o.Latency = 20 * time.Millisecond })
	p := start(t, append([]string{"--page-size", "200"}, demoArgs...)...)
	untilRequests(srv, 4) // 600 sessions listed: more JSON than a pipe holds
	// Sent at once, they are delivered lowest number first: SIGINT stops
	// the listing (which would exit 130 once printed), SIGTERM exits.
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGINT))
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM))
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select { // a hang guard, not a bound on how fast: without the second signal's exit this never ends
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("the command is still running a minute after the second signal")
	}
	assert.Equal(t, 143, p.cmd.ProcessState.ExitCode(), "128 + SIGTERM, the second signal: %s", p.stderr.String())
	assert.Empty(t, p.stderr.String(), "it ended while still printing the output")
}

// Text is written as it is delivered: the first session reaches the
// reader while a later request is still unanswered.
func TestTextStreams(t *testing.T) {
	slow := devsessionstest.Fault{Latency: 3 * time.Second}
	cases := []struct {
		name   string
		args   []string
		script func(*devsessionstest.Server)
	}{
		{"one dev environment", append([]string{"--page-size", "2"}, demoArgs...),
			func(s *devsessionstest.Server) { s.Script(3, slow) }},
		{"space", append([]string{"--concurrency", "1"}, spaceArgs...),
			func(s *devsessionstest.Server) { s.ScriptDevEnvironment(demoEnvID(t, "pay-main"), 1, slow) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			serveSpace(t, 6)
			code, stdout, stderr := runCmd(t, append([]string{"--output", "text"}, tc.args...)...)
			require.Equal(t, 0, code, stderr)
			want, _ := parseOutput(t, "text", stdout)

			srv := serveSpace(t, 6)
			code, _, stderr = runCmd(t, append([]string{"--output", "text"}, tc.args...)...)
			require.Equal(t, 0, code, stderr)
			all := len(srv.Requests()) // what the whole listing asks

			srv = serveSpace(t, 6)
			tc.script(srv)
			p := start(t, append([]string{"--output", "text"}, tc.args...)...)
			lines := bufio.NewReader(p.stdout)
			first, err := lines.ReadString('\n')
			require.NoError(t, err)
			assert.False(t, len(srv.Requests()) == all && srv.InFlight() == 0,
				"the first line came before the listing's last answer, not with it")

			rest, code := p.wait(t, lines)
			require.Equal(t, 0, code, p.stderr.String())
			ids, next := parseOutput(t, "text", first+rest)
			assert.Equal(t, want, ids)
			assert.Empty(t, next)
		})
	}
}

// onSignals: the first signal cancels with its cause, the second exits at
// once with 128 + its number, and stop leaves no goroutine behind.
func TestOnSignals(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	exited := make(chan int, 1)
	ctx, stop := onSignals(context.Background(), func(code int) { exited <- code })
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGTERM))
	<-ctx.Done()
	in, ok := interruption(ctx)
	require.True(t, ok)
	assert.Equal(t, 143, in.exitCode())
	assert.Equal(t, "interrupted by SIGTERM", in.Error())
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGINT))
	assert.Equal(t, 130, <-exited)
	stop()

	ctx, stop = onSignals(context.Background(), func(int) { t.Error("no signal, no exit") })
	stop()
	_, ok = interruption(ctx)
	assert.False(t, ok, "stop cancels without a signal")
	assert.Error(t, ctx.Err())
}

// A run leaves no goroutine of its own behind: not the progress line's, not
// a listing's, whether it ends, fails or is interrupted.
func TestRunLeavesNoGoroutine(t *testing.T) {
	for _, tc := range []struct {
		name   string
		cancel bool
		script func(*devsessionstest.Server)
	}{
		{"complete", false, func(*devsessionstest.Server) {}},
		{"failed", false, func(s *devsessionstest.Server) { s.ScriptDevEnvironment(demoEnvID(t, "pay-main"), 1, accessDenied) }},
		{"interrupted", true, func(*devsessionstest.Server) {}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := serveSpace(t, 5, func(o *devsessionstest.ServerOptions) { o.Latency = 5 * time.Millisecond })
			tc.script(srv)
			ignore := goleak.IgnoreCurrent()
			ctx, cancel := context.WithCancelCause(t.Context())
			defer cancel(nil)
			cancelled := make(chan struct{})
			go func() {
				defer close(cancelled)
				if tc.cancel {
					untilRequests(srv, 3)
					cancel(interrupted{syscall.SIGINT})
				}
			}()
			var stdout, stderr bytes.Buffer
			c := command{stdout: &stdout, stderr: &stderr, terminal: func() bool { return true }, width: 80, now: time.Now,
				progressDelay: 0, progressEvery: time.Millisecond}
			c.run(ctx, append([]string{"--concurrency", "4"}, spaceArgs...))
			<-cancelled // the test's own goroutine has ended
			goleak.VerifyNone(t, ignore,
				goleak.IgnoreTopFunction("net/http.(*persistConn).readLoop"),
				goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
				goleak.IgnoreTopFunction("internal/poll.runtime_pollWait"))
		})
	}
}
