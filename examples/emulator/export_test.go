package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exportVars evaluates the export line in a POSIX shell, as a script
// does, and returns the values the shell then holds.
func exportVars(t *testing.T, export string) map[string]string {
	t.Helper()
	names := []string{"AWS_ENDPOINT_URL_CODECATALYST", "AWS_BEARER_TOKEN_CODECATALYST", "AWS_CA_BUNDLE"}
	script := export + "\n"
	for _, n := range names {
		script += `printf '%s\0' "$` + n + `"` + "\n"
	}
	out, err := exec.CommandContext(t.Context(), "sh", "-c", script).Output()
	require.NoError(t, err, "sh runs the export line: %s", export)
	values := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	require.Len(t, values, len(names))
	vars := map[string]string{}
	for i, n := range names {
		vars[n] = values[i]
	}
	return vars
}

// The export line quotes every value for the shell: a certificate path
// with spaces, quotes and shell characters, and such a token, come out of
// eval as they went in.
func TestExportLineIsShellQuoted(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("SKIPPED: no sh to evaluate the export line with")
	}
	dir := filepath.Join(t.TempDir(), "a dir with spaces, 'quotes' and $HOME")
	require.NoError(t, mkdir(dir))
	cert := filepath.Join(dir, `it's "the" ca;.pem`)
	token := `tok en'$(false)"`
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	r, w := io.Pipe()
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"--sessions", "1", "--token", token, "--cert-file", cert}, w, io.Discard)
		w.Close()
	}()
	lines := bufio.NewScanner(r)
	require.True(t, lines.Scan())
	export := lines.Text()
	go io.Copy(io.Discard, r) //nolint:errcheck // drain

	vars := exportVars(t, export)
	assert.Equal(t, cert, vars["AWS_CA_BUNDLE"])
	assert.Equal(t, token, vars["AWS_BEARER_TOKEN_CODECATALYST"])
	assert.True(t, strings.HasPrefix(vars["AWS_ENDPOINT_URL_CODECATALYST"], "https://127.0.0.1:"))
	cancel()
	assert.Equal(t, 0, <-done)
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"":          "''",
		"plain":     "'plain'",
		"a b":       "'a b'",
		"it's":      `'it'\''s'`,
		`$x "y" \z`: `'$x "y" \z'`,
		"''":        `''\'''\'''`,
		"new\nline": "'new\nline'",
	} {
		assert.Equal(t, want, shellQuote(in), "%q", in)
	}
}

func mkdir(dir string) error { return os.MkdirAll(dir, 0o755) }
