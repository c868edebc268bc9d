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
// against this module; and its space-wide loop compiles in that program
// (with errors imported).
func TestReadmeProgramCompiles(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	program := goBlock(t, string(readme), "## Your own program")
	require.Contains(t, program, "package main")
	space := goBlock(t, string(readme), "## Every session of a space")

	end := strings.LastIndex(program, "}")
	// The space-wide loop matches a *DevEnvironmentError: the program
	// around it imports errors too.
	withSpace := strings.Replace(program[:end]+space+program[end:], "import (\n", "import (\n\t\"errors\"\n", 1)
	for name, code := range map[string]string{
		"the program":                     program,
		"the space-wide loop in its main": withSpace,
	} {
		dir, err := os.MkdirTemp(".", "readme-program-") // inside the module, so it builds against it
		require.NoError(t, err)
		t.Cleanup(func() { os.RemoveAll(dir) })
		require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(code), 0o644))
		out, err := exec.CommandContext(t.Context(), "go", "vet", "./"+filepath.Base(dir)).CombinedOutput()
		require.NoError(t, err, "%s does not build:\n%s", name, out)
	}
}

// goBlock returns the first Go code block after heading.
func goBlock(t *testing.T, readme, heading string) string {
	t.Helper()
	_, section, ok := strings.Cut(readme, heading)
	require.True(t, ok, "the README has %q", heading)
	_, code, ok := strings.Cut(section, "```go\n")
	require.True(t, ok, "%q has Go code", heading)
	code, _, ok = strings.Cut(code, "```")
	require.True(t, ok)
	return code
}
