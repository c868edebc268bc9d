package main

import (
	"bufio"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/smithy-go/auth/bearer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

func TestEmulatorPrintsWorkingExportAndCommand(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	cert := filepath.Join(t.TempDir(), "ca.pem")
	r, w := io.Pipe()
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"--sessions", "9", "--token", "tok-123", "--cert-file", cert}, w, io.Discard)
		w.Close()
	}()
	lines := bufio.NewScanner(r)
	require.True(t, lines.Scan())
	export := lines.Text()
	require.True(t, lines.Scan())
	command := lines.Text()
	go io.Copy(io.Discard, r) //nolint:errcheck // drain

	vars := exportVars(t, export)
	assert.Equal(t, "tok-123", vars["AWS_BEARER_TOKEN_CODECATALYST"])
	assert.Equal(t, cert, vars["AWS_CA_BUNDLE"])
	assert.True(t, strings.HasPrefix(vars["AWS_ENDPOINT_URL_CODECATALYST"], "https://127.0.0.1:"))
	assert.Contains(t, command, "aws codecatalyst list-dev-environment-sessions --space-name demo-space --project-name demo-project --dev-environment-id "+devsessionstest.DemoDevEnvironment)

	// What the export line says is enough for the real client.
	client := codecatalyst.New(codecatalyst.Options{
		BaseEndpoint:            aws.String(vars["AWS_ENDPOINT_URL_CODECATALYST"]),
		BearerAuthTokenProvider: bearer.StaticTokenProvider{Token: bearer.Token{Value: vars["AWS_BEARER_TOKEN_CODECATALYST"]}},
		HTTPClient:              trusting(t, vars["AWS_CA_BUNDLE"]),
	})
	p := devsessions.NewListDevEnvironmentSessionsPaginator(client, &codecatalyst.ListDevEnvironmentSessionsInput{
		SpaceName: aws.String(devsessionstest.DemoSpace), ProjectName: aws.String(devsessionstest.DemoProject),
		DevEnvironmentId: aws.String(devsessionstest.DemoDevEnvironment),
	})
	items, err := p.Collect(t.Context())
	require.NoError(t, err)
	assert.Len(t, items, 9)

	cancel()
	assert.Equal(t, 0, <-done)
}

func TestEmulatorBadFlags(t *testing.T) {
	for _, args := range [][]string{{"--sessions", "-1"}, {"--token", ""}, {"--nope"}, {"extra"}} {
		assert.Equal(t, 2, run(t.Context(), args, io.Discard, io.Discard), "%v", args)
	}
}
