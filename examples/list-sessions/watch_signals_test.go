//go:build unix

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// The built command, stopped by a real SIGINT or SIGTERM while it watches,
// has printed each event as it happened (the test reads them before the
// signal), prints the checkpoint on standard error and exits 0.
func TestWatchStoppedBySignalPrintsTheCheckpointAndExits0(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(signalName(sig), func(t *testing.T) {
			serveSpace(t, 3)
			_, sessions := devsessionstest.DemoSpaceData(3)
			p := start(t, "--space-name", devsessionstest.DemoSpace, "--watch", "--interval", "50ms")
			out := bufio.NewReader(p.stdout)
			for i := range sessions {
				line, err := out.ReadString('\n')
				require.NoError(t, err, "event %d arrives before any signal", i)
				var ev eventLine
				require.NoError(t, json.Unmarshal([]byte(line), &ev))
				assert.Equal(t, "started "+*sessions[i].Id, ev.Event+" "+ev.ID)
			}
			require.NoError(t, p.cmd.Process.Signal(sig))
			rest, code := p.wait(t, out)
			assert.Equal(t, 0, code, p.stderr.String())
			assert.Empty(t, rest, "nothing changed: no more events")
			assert.Contains(t, p.stderr.String(), "list-sessions: stopped by "+signalName(sig)+"; resume with --checkpoint dsw2.")
			assert.True(t, strings.HasSuffix(p.stderr.String(), "\n"), "one line")
		})
	}
}

// A standard output whose reader has gone (list-sessions --watch | head -1)
// is a write error, not a SIGPIPE that kills the command silently: it
// exits 1 with the checkpoint that announces the unwritten event again.
func TestWatchIntoAClosedPipeExits1WithTheCheckpoint(t *testing.T) {
	serveSpace(t, 3)
	r, w, err := os.Pipe()
	require.NoError(t, err)
	require.NoError(t, r.Close()) // the reader is gone before the first line
	cmd := exec.Command(binary(t), "--space-name", devsessionstest.DemoSpace, "--watch", "--interval", "50ms")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = w, &stderr
	require.NoError(t, cmd.Start())
	require.NoError(t, w.Close())
	err = cmd.Wait()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "it exits with a status: %s", stderr.String())
	assert.Equal(t, 1, exit.ExitCode(), "not killed by SIGPIPE: %v; %s", exit, stderr.String())
	assert.Contains(t, stderr.String(), "list-sessions: writing the output: ")
	assert.Contains(t, stderr.String(), "; resume with --checkpoint dsw2.")
}
