package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/aws/smithy-go/auth/bearer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// emulator is a run of the emulator in this process.
type emulator struct {
	vars map[string]string
	stop context.CancelFunc
	wait func() int // the exit status, once run has returned
}

// startEmulator runs the emulator with args until the test ends (or stop)
// and returns what its export line says.
func startEmulator(t *testing.T, args ...string) *emulator {
	t.Helper()
	return startEmulatorTo(t, io.Discard, args...)
}

// startEmulatorTo is startEmulator with the emulator's standard error
// written to stderr.
func startEmulatorTo(t *testing.T, stderr io.Writer, args ...string) *emulator {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	r, w := io.Pipe()
	done := make(chan int, 1)
	e := &emulator{vars: map[string]string{}, stop: cancel, wait: sync.OnceValue(func() int { return <-done })}
	go func() {
		done <- run(ctx, args, w, stderr)
		w.Close()
	}()
	t.Cleanup(func() {
		cancel()
		e.wait()
	})
	lines := bufio.NewScanner(r)
	require.True(t, lines.Scan(), "the export line")
	export := lines.Text()
	go io.Copy(io.Discard, r) //nolint:errcheck // drain
	for k, v := range exportVars(t, export) {
		e.vars[k] = v
	}
	return e
}

// lockedBuffer is a bytes.Buffer safe for concurrent use.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// client returns a real client for endpoint that trusts the certificate in
// caFile.
func (e *emulator) client(t *testing.T, caFile string, optFns ...func(*codecatalyst.Options)) *codecatalyst.Client {
	return codecatalyst.New(codecatalyst.Options{
		BaseEndpoint:            aws.String(e.vars["AWS_ENDPOINT_URL_CODECATALYST"]),
		BearerAuthTokenProvider: bearer.StaticTokenProvider{Token: bearer.Token{Value: e.vars["AWS_BEARER_TOKEN_CODECATALYST"]}},
		HTTPClient:              trusting(t, caFile),
	}, optFns...)
}

func listSpace(ctx context.Context, c *codecatalyst.Client) (*codecatalyst.ListDevEnvironmentsOutput, error) {
	return c.ListDevEnvironments(ctx, &codecatalyst.ListDevEnvironmentsInput{
		SpaceName: aws.String(devsessionstest.DemoSpace), MaxResults: aws.Int32(50),
	})
}

func TestTwoEmulatorsEachServeWithTheirOwnCertificate(t *testing.T) {
	a, b := startEmulator(t, "--sessions", "3"), startEmulator(t, "--sessions", "5")
	certA, certB := a.vars["AWS_CA_BUNDLE"], b.vars["AWS_CA_BUNDLE"]
	require.NotEqual(t, certA, certB, "each run writes its own certificate file")
	for _, f := range []string{certA, certB} {
		assert.True(t, strings.HasPrefix(filepath.Base(f), "devsessions-emulator-"), f)
		assert.FileExists(t, f)
	}
	envs, _ := devsessionstest.DemoSpaceData(0)

	var wg sync.WaitGroup
	for _, e := range []*emulator{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := e.client(t, e.vars["AWS_CA_BUNDLE"])
			for range 5 {
				out, err := listSpace(t.Context(), client)
				if assert.NoError(t, err) {
					assert.Len(t, out.Items, len(envs))
				}
			}
		}()
	}
	wg.Wait()

	_, err := listSpace(t.Context(), a.client(t, certB, func(o *codecatalyst.Options) { o.RetryMaxAttempts = 1 }))
	require.Error(t, err, "a client trusting B's certificate does not trust A")
	assert.Contains(t, err.Error(), "certificate")

	a.stop()
	assert.Equal(t, 0, a.wait())
	assert.NoFileExists(t, certA, "the run removed its own file")
	assert.FileExists(t, certB, "B still serves")
	out, err := listSpace(t.Context(), b.client(t, certB))
	require.NoError(t, err)
	assert.Len(t, out.Items, len(envs))
}

func TestEmulatorRemovesOnlyTheCertificateFileItCreated(t *testing.T) {
	cases := []struct {
		name        string
		existed     bool
		wantRemoved bool
	}{
		{"a named file it created is removed", false, true},
		{"a named file that existed is overwritten and kept", true, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "ca.pem")
			if tc.existed {
				require.NoError(t, os.WriteFile(path, []byte("old"), 0o600))
			}
			e := startEmulator(t, "--cert-file", path)
			assert.Equal(t, path, e.vars["AWS_CA_BUNDLE"])
			_, err := listSpace(t.Context(), e.client(t, path))
			require.NoError(t, err, "the file holds the certificate")
			e.stop()
			assert.Equal(t, 0, e.wait())
			if tc.wantRemoved {
				assert.NoFileExists(t, path)
			} else {
				assert.FileExists(t, path)
			}
		})
	}
}

func TestEmulatorPassesLatencyAndRateLimitThrough(t *testing.T) {
	t.Run("latency", func(t *testing.T) {
		e := startEmulator(t, "--latency", "150ms")
		client := e.client(t, e.vars["AWS_CA_BUNDLE"])
		start := time.Now()
		_, err := listSpace(t.Context(), client)
		require.NoError(t, err)
		assert.GreaterOrEqual(t, time.Since(start), 150*time.Millisecond)
	})
	t.Run("rate limit", func(t *testing.T) {
		e := startEmulator(t, "--rate-limit", "0.5")
		client := e.client(t, e.vars["AWS_CA_BUNDLE"], func(o *codecatalyst.Options) { o.Retryer = aws.NopRetryer{} })
		_, err := listSpace(t.Context(), client)
		require.NoError(t, err, "the bucket starts full")
		_, err = listSpace(t.Context(), client)
		var throttled *types.ThrottlingException
		require.ErrorAs(t, err, &throttled)
	})
	t.Run("bad values are refused", func(t *testing.T) {
		for _, args := range [][]string{{"--latency", "-1s"}, {"--rate-limit", "-2"}, {"--latency", "soon"}} {
			assert.Equal(t, 2, run(t.Context(), args, io.Discard, io.Discard), "%v", args)
		}
	})
}

func TestEmulatorBinaryStopsCleanlyOnSignals(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the emulator")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	bin := filepath.Join(t.TempDir(), "emulator")
	build := exec.CommandContext(t.Context(), goTool, "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)

	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.CommandContext(t.Context(), bin, "--sessions", "4")
			stdout, err := cmd.StdoutPipe()
			require.NoError(t, err)
			require.NoError(t, cmd.Start())
			lines := bufio.NewScanner(stdout)
			require.True(t, lines.Scan())
			export := lines.Text()
			drained := make(chan struct{})
			go func() {
				io.Copy(io.Discard, stdout) //nolint:errcheck // drain until the process exits
				close(drained)
			}()
			cert := exportVars(t, export)["AWS_CA_BUNDLE"]
			assert.FileExists(t, cert)

			require.NoError(t, cmd.Process.Signal(sig))
			<-drained // Wait closes the pipe: read it to the end first
			require.NoError(t, cmd.Wait(), "exit status 0")
			assert.Equal(t, 0, cmd.ProcessState.ExitCode())
			assert.NoFileExists(t, cert, "the certificate file is removed")
		})
	}
}
