// Command emulator serves a local CodeCatalyst endpoint over HTTPS on
// loopback for the ten paginated operations (ListAccessTokens,
// ListDevEnvironments, ListDevEnvironmentSessions, ListEventLogs,
// ListProjects, ListSourceRepositories, ListSourceRepositoryBranches,
// ListSpaces, ListWorkflowRuns, ListWorkflows) and GetUserDetails, seeded
// with the demo data (devsessionstest.DemoData: the demo space, its dev
// environments and sessions, and at least 8 items of every other
// operation), for the AWS CLI, the Go SDK or list-sessions to talk to.
//
//	go run ./examples/emulator --sessions 30 [--page-size 25] [--latency 50ms] [--rate-limit 10]
//
// Its output is two lines: an export line to paste into a shell (or to
// eval: every value is quoted for the shell), then an aws command that then
// works unchanged. On standard error it names an aws command for every
// operation, in the scope that holds the demo's items (aws codecatalyst
// list-projects --space-name demo-space, ...). It serves until interrupted
// (SIGINT or SIGTERM), then exits 0.
//
// The certificate clients must trust is written, by default, to a new file
// of its own (devsessions-emulator-*.pem in the temporary directory), so
// that emulators running at once never share one. --cert-file names the
// file instead. On exit the emulator removes the file if it created it: the
// default file always, a --cert-file only if it did not exist before the
// run (one that existed is overwritten and left in place).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr) // run's deferred cleanup is done when it returns
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("emulator", flag.ContinueOnError)
	flags.SetOutput(stderr)
	addr := flags.String("addr", "127.0.0.1:0", "address to listen on (loopback; port 0 picks a free one)")
	token := flags.String("token", devsessionstest.DefaultToken, "bearer token clients must send")
	certFile := flags.String("cert-file", "", "where to write the certificate clients must trust (default: a new devsessions-emulator-*.pem in the temporary directory, removed on exit)")
	sessions := flags.Int("sessions", 30, "number of sessions of the demo dev environment")
	pageSize := flags.Int("page-size", devsessionstest.DefaultPageSize, "items on a page when a request has no maxResults (always for ListSpaces), 1 to 1000")
	seed := flags.String("seed", "", "seed for page tokens: the same seed accepts the same tokens across runs")
	latency := flags.Duration("latency", 0, "delay every answer by this much (0: none)")
	rateLimit := flags.Float64("rate-limit", 0, "requests per second to answer, beyond which 429 ThrottlingException (0: no limit)")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if *sessions < 0 || *token == "" || *latency < 0 || *rateLimit < 0 || *pageSize < 1 || *pageSize > 1000 || flags.NArg() > 0 {
		fmt.Fprintln(stderr, "emulator: --sessions, --latency and --rate-limit must not be negative, --page-size must be 1 to 1000, --token must not be empty, and no arguments are taken")
		return 2
	}
	data := devsessionstest.DemoData(*sessions)
	srv, err := devsessionstest.NewServer(devsessionstest.ServerOptions{
		Addr: *addr, Token: *token, Seed: *seed, Data: data, PageSize: int32(*pageSize),
		Latency: *latency, RateLimit: *rateLimit,
	})
	if err != nil {
		fmt.Fprintln(stderr, "emulator:", err)
		return 1
	}
	defer srv.Close()
	path, created, err := writeCert(*certFile, srv.CertPEM)
	if created {
		defer os.Remove(path)
	}
	if err != nil {
		fmt.Fprintln(stderr, "emulator:", err)
		return 1
	}
	fmt.Fprintf(stdout, "export AWS_ENDPOINT_URL_CODECATALYST=%s AWS_BEARER_TOKEN_CODECATALYST=%s AWS_CA_BUNDLE=%s\n",
		shellQuote(srv.URL), shellQuote(*token), shellQuote(path))
	fmt.Fprintf(stdout, "aws codecatalyst list-dev-environment-sessions --space-name %s --project-name %s --dev-environment-id %s --max-items 5 --page-size 2\n",
		devsessionstest.DemoSpace, devsessionstest.DemoProject, devsessionstest.DemoDevEnvironment)
	fmt.Fprintf(stderr, "emulator: serving the demo data (%d dev environments, %d sessions, %d spaces, %d projects in %s, ...) at %s until interrupted; every operation:\n",
		len(data.DevEnvironments), len(data.Sessions), len(data.Spaces), len(data.Projects[devsessionstest.DemoSpace]), devsessionstest.DemoSpace, srv.URL)
	for _, c := range commands() {
		fmt.Fprintf(stderr, "  %s\n", c)
	}
	<-ctx.Done()
	return 0
}

// shellQuote quotes s for a POSIX shell: in single quotes, each single
// quote in s written as a closing quote, a backslash-escaped quote and an
// opening quote, so that eval of the export line gives every value as it
// is, spaces and quotes included.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// writeCert writes pem to path, or to a new temporary file when path is "".
// It returns the file's path and whether the file is the emulator's own (it
// did not exist before), which is then to be removed on exit.
func writeCert(path string, pem []byte) (string, bool, error) {
	var f *os.File
	var err error
	created := true
	if path == "" {
		f, err = os.CreateTemp("", "devsessions-emulator-*.pem")
	} else {
		f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			created = false
			f, err = os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0o644)
		}
	}
	if err != nil {
		return path, false, err
	}
	_, err = f.Write(pem)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return f.Name(), created, err
}
