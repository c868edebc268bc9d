// Command emulator serves a local CodeCatalyst ListDevEnvironmentSessions
// endpoint over HTTPS on loopback, seeded with demo sessions, for the AWS
// CLI, the Go SDK or list-sessions to talk to.
//
//	go run ./examples/emulator --sessions 30
//
// Its first line of output is an export line to paste into a shell, its
// second an aws command that then works unchanged. It serves until
// interrupted.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on (loopback; port 0 picks a free one)")
	token := fs.String("token", devsessionstest.DefaultToken, "bearer token clients must send")
	certFile := fs.String("cert-file", filepath.Join(os.TempDir(), "devsessions-emulator-ca.pem"), "where to write the certificate clients must trust")
	sessions := fs.Int("sessions", 30, "number of demo sessions to serve")
	seed := fs.String("seed", "", "seed for page tokens: the same seed accepts the same tokens across runs")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *sessions < 0 || *token == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "emulator: --sessions must not be negative, --token must not be empty, and no arguments are taken")
		return 2
	}
	srv, err := devsessionstest.NewServer(devsessionstest.ServerOptions{
		Addr: *addr, Token: *token, Seed: *seed, Sessions: devsessionstest.Sessions(*sessions),
	})
	if err != nil {
		fmt.Fprintln(stderr, "emulator:", err)
		return 1
	}
	defer srv.Close()
	if err := srv.WriteCert(*certFile); err != nil {
		fmt.Fprintln(stderr, "emulator:", err)
		return 1
	}
	fmt.Fprintf(stdout, "export AWS_ENDPOINT_URL_CODECATALYST=%s AWS_BEARER_TOKEN_CODECATALYST=%s AWS_CA_BUNDLE=%s\n", srv.URL, *token, *certFile)
	fmt.Fprintf(stdout, "aws codecatalyst list-dev-environment-sessions --space-name %s --project-name %s --dev-environment-id %s --max-items 5 --page-size 2\n",
		devsessionstest.DemoSpace, devsessionstest.DemoProject, devsessionstest.DemoDevEnvironment)
	fmt.Fprintf(stderr, "emulator: serving %d sessions at %s until interrupted\n", *sessions, srv.URL)
	<-ctx.Done()
	return 0
}
