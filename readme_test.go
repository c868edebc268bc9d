package devsessions_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The README's "Your own program" is complete code: it compiles as it is,
// against this module.
func TestReadmeProgramCompiles(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(readme), "## Your own program")
	require.True(t, ok, "the README has the section")
	_, code, ok := strings.Cut(section, "```go\n")
	require.True(t, ok, "the section has Go code")
	code, _, ok = strings.Cut(code, "```")
	require.True(t, ok)
	require.Contains(t, code, "package main")

	dir, err := os.MkdirTemp(".", "readme-program-") // inside the module, so it builds against it
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(code), 0o644))
	cmd := exec.CommandContext(t.Context(), "go", "vet", "./"+filepath.Base(dir))
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "the README program does not build:\n%s", out)
}
