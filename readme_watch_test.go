package devsessions_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The README's periodic job compiles in the README's program (with the
// three imports it adds).
func TestReadmeWatcherCompiles(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	program := goBlock(t, string(readme), "## Your own program")
	job := goBlock(t, string(readme), "## A periodic job: each change once")
	program = strings.Replace(program, "import (", "import (\n\t\"os/signal\"\n\t\"syscall\"\n\t\"time\"\n", 1)
	end := strings.LastIndex(program, "}")
	dir, err := os.MkdirTemp(".", "readme-watch-") // inside the module, so it builds against it
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(program[:end]+job+program[end:]), 0o644))
	out, err := exec.CommandContext(t.Context(), "go", "vet", "./"+filepath.Base(dir)).CombinedOutput()
	require.NoError(t, err, "the periodic job does not build:\n%s", out)
}
