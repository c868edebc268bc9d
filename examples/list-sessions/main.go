// Command list-sessions lists the active sessions of a CodeCatalyst space, of
// one project, or of one dev environment, with the AWS CLI's flags and output
// shapes, paging with devsessions.
//
//	go run ./examples/list-sessions --demo --max-items 5
//	go run ./examples/list-sessions --space-name S [--project-name P] \
//	    [--concurrency N] [--statuses RUNNING,STOPPED] [--dev-environment-page-size N] \
//	    [--max-items N] [--page-size N] [--starting-token T] [--output json|table|text]
//	go run ./examples/list-sessions --space-name S --project-name P --dev-environment-id ID \
//	    [--max-items N] [--page-size N] [--starting-token T] [--output json|table|text]
//
// Without --dev-environment-id it lists across the space, or the project
// with --project-name, through devsessions.SpaceSessions: every session of
// every dev environment whose status is in --statuses (RUNNING by default),
// --concurrency session listings at a time (0: the library's default). Each
// JSON item is then the session's own object plus a "devEnvironment" object.
// With --dev-environment-id (which needs --project-name) it lists that dev
// environment's sessions as `aws codecatalyst list-dev-environment-sessions`
// does, and its NextToken works with the AWS CLI's --starting-token (given
// the same --page-size). --max-items counts sessions and --page-size is
// sessions per request in both modes; a NextToken resumes in the same mode,
// scope and page sizes only.
//
// It finds its bearer token as the AWS CLI does: AWS_BEARER_TOKEN_CODECATALYST,
// then the SSO session of the profile. It honours AWS_ENDPOINT_URL_CODECATALYST
// and AWS_CA_BUNDLE. --demo serves the demo space from an embedded local
// endpoint, fills in --space-name and needs nothing set up.
//
// On a terminal, a long space-wide listing shows its progress on standard
// error; never when standard error is a pipe or a file.
//
// When a request fails part-way, the sessions listed before it are printed
// on standard output in the chosen format, with the NextToken that resumes
// right after them, then the error on standard error. In space mode an
// error listing one dev environment's sessions stops the listing there: the
// NextToken resumes at that dev environment's first session not printed.
// Exit status: 0 on success, 1 for a service or connection error, 2 for bad
// flags, a bad --starting-token or missing credentials (nothing is printed on
// standard output then).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/aws/smithy-go"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/cliconfig"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// demoSessions is how many sessions --demo serves for the demo dev
// environment (the rest of the demo space has a few more).
const demoSessions = 30

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// command is one run of list-sessions with what tests may replace.
type command struct {
	stdout, stderr io.Writer
	// terminal reports whether stderr is a terminal, for progress.
	terminal func() bool
	// now is the time "how long ago" is counted from in the table.
	now func() time.Time
	// progressDelay is how long a listing runs before progress shows;
	// progressEvery is how often it is updated.
	progressDelay, progressEvery time.Duration
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := command{stdout: stdout, stderr: stderr, terminal: func() bool { return isTerminal(stderr) },
		now: time.Now, progressDelay: 500 * time.Millisecond, progressEvery: 250 * time.Millisecond}
	return c.run(ctx, args)
}

// isTerminal reports whether w is a character device such as a terminal,
// and not the null device.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err != nil || !os.SameFile(fi, null)
}

type flags struct {
	space, project, env       string
	maxItems, pageSize        int
	envPageSize, concurrency  int
	statuses                  []types.DevEnvironmentStatus
	startingToken, output     string
	endpoint, region, profile string
	demo                      bool
}

// spaceMode tells whether the run lists across the space or project.
func (f flags) spaceMode() bool { return f.env == "" }

func parse(args []string, stderr io.Writer) (flags, error) {
	var f flags
	var statuses string
	fs := flag.NewFlagSet("list-sessions", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.space, "space-name", "", "name of the space (required unless --demo)")
	fs.StringVar(&f.project, "project-name", "", "name of the project: list only its dev environments (required with --dev-environment-id)")
	fs.StringVar(&f.env, "dev-environment-id", "", "ID of one dev environment to list the sessions of (default: every dev environment in scope)")
	fs.IntVar(&f.maxItems, "max-items", 0, "total sessions to print; a NextToken resumes after them (0: all)")
	fs.IntVar(&f.pageSize, "page-size", 0, "sessions per request, 1-200 (0: the service default)")
	fs.IntVar(&f.envPageSize, "dev-environment-page-size", 0, "space mode: dev environments per request, 1-50 (0: the service default)")
	fs.IntVar(&f.concurrency, "concurrency", 0, fmt.Sprintf("space mode: session listings in flight at once, 1-64 (0: %d)", devsessions.DefaultConcurrency))
	fs.StringVar(&statuses, "statuses", "", "space mode: comma-separated dev environment statuses whose sessions are listed (default: RUNNING)")
	fs.StringVar(&f.startingToken, "starting-token", "", "NextToken printed by a previous run (or, for one dev environment, by the AWS CLI)")
	fs.StringVar(&f.output, "output", "json", "json, table or text")
	fs.StringVar(&f.endpoint, "endpoint-url", "", "endpoint URL (default: AWS_ENDPOINT_URL_CODECATALYST, else the service's)")
	fs.StringVar(&f.region, "region", "", "AWS region")
	fs.StringVar(&f.profile, "profile", "", "shared config profile")
	fs.BoolVar(&f.demo, "demo", false, "serve the demo space from an embedded local endpoint and list it")
	if err := fs.Parse(args); err != nil {
		return f, err
	}
	if f.demo && f.space == "" {
		f.space = devsessionstest.DemoSpace
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	switch {
	case fs.NArg() > 0:
		return f, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case f.output != "json" && f.output != "table" && f.output != "text":
		return f, fmt.Errorf("--output must be json, table or text, got %q", f.output)
	case f.maxItems < 0 || f.maxItems > 1<<31-1:
		return f, fmt.Errorf("--max-items must be a positive number (0 means all), got %d", f.maxItems)
	case f.pageSize < 0 || f.pageSize > 200:
		return f, fmt.Errorf("--page-size must be between 1 and 200, got %d", f.pageSize)
	case f.envPageSize < 0 || f.envPageSize > 50:
		return f, fmt.Errorf("--dev-environment-page-size must be between 1 and 50, got %d", f.envPageSize)
	case f.concurrency < 0 || f.concurrency > 64:
		return f, fmt.Errorf("--concurrency must be between 1 and 64 (0 means %d), got %d", devsessions.DefaultConcurrency, f.concurrency)
	case f.space == "":
		return f, errors.New("--space-name is required (or use --demo)")
	case f.env != "" && f.project == "":
		return f, errors.New("--dev-environment-id needs --project-name")
	}
	if !f.spaceMode() {
		for _, name := range []string{"concurrency", "dev-environment-page-size", "statuses"} {
			if set[name] {
				return f, fmt.Errorf("--%s applies only to a space-wide listing (without --dev-environment-id)", name)
			}
		}
	}
	if set["statuses"] {
		if strings.TrimSpace(statuses) == "" {
			return f, errors.New("--statuses must name at least one dev environment status, e.g. RUNNING,STOPPED")
		}
		for s := range strings.SplitSeq(statuses, ",") {
			st := types.DevEnvironmentStatus(strings.ToUpper(strings.TrimSpace(s)))
			if !slices.Contains(st.Values(), st) {
				return f, fmt.Errorf("--statuses: unknown dev environment status %q (one of %v)", s, st.Values())
			}
			f.statuses = append(f.statuses, st)
		}
	}
	return f, nil
}

func (c command) run(ctx context.Context, args []string) int {
	f, err := parse(args, c.stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(c.stderr, "list-sessions:", err)
		return 2
	}
	var client *codecatalyst.Client
	if f.demo {
		envs, sessions := devsessionstest.DemoSpaceData(demoSessions)
		srv, err := devsessionstest.NewServer(devsessionstest.ServerOptions{DevEnvironments: envs, Sessions: sessions})
		if err != nil {
			fmt.Fprintln(c.stderr, "list-sessions: starting the demo endpoint:", err)
			return 1
		}
		defer srv.Close()
		fmt.Fprintf(c.stderr, "list-sessions: demo: space %s (%d dev environments, %d sessions) served at %s\n",
			devsessionstest.DemoSpace, len(envs), len(sessions), srv.URL)
		client = srv.Client() // trusts the demo certificate
	} else if client, err = newClient(ctx, f); err != nil {
		fmt.Fprintln(c.stderr, "list-sessions:", err)
		return 2
	}
	if f.spaceMode() {
		return c.space(ctx, f, client)
	}
	return c.single(ctx, f, client)
}

// single lists the sessions of one dev environment.
func (c command) single(ctx context.Context, f flags, client *codecatalyst.Client) int {
	p := devsessions.NewListDevEnvironmentSessionsPaginator(client, &codecatalyst.ListDevEnvironmentSessionsInput{
		SpaceName: &f.space, ProjectName: &f.project, DevEnvironmentId: &f.env,
	}, func(o *devsessions.ListDevEnvironmentSessionsPaginatorOptions) {
		o.MaxItems, o.PageSize, o.StartingToken = int32(f.maxItems), int32(f.pageSize), f.startingToken
	})
	items, err := p.Collect(ctx)
	return c.finish(len(items), p.ResumeToken(), err, "ListDevEnvironmentSessions", "", func(next string) error {
		return write(c.stdout, f.output, items, next)
	})
}

// space lists the sessions of every dev environment of the space or project.
func (c command) space(ctx context.Context, f flags, client *codecatalyst.Client) int {
	in := &codecatalyst.ListDevEnvironmentsInput{SpaceName: &f.space}
	if f.project != "" {
		in.ProjectName = &f.project
	}
	counting := &countingClient{SpaceSessionsAPIClient: client}
	s := devsessions.NewSpaceSessions(counting, in, func(o *devsessions.SpaceSessionsOptions) {
		o.MaxItems, o.StartingToken, o.Concurrency = int32(f.maxItems), f.startingToken, f.concurrency
		o.DevEnvironmentPageSize, o.SessionPageSize = int32(f.envPageSize), int32(f.pageSize)
		o.Statuses = f.statuses
	})
	var prog *progress
	if c.terminal() {
		prog = startProgress(c.stderr, counting, c.progressDelay, c.progressEvery)
	}
	var items []devsessions.SpaceSession
	var err error
	op, env := "ListDevEnvironments", ""
	for it, e := range s.Items(ctx) {
		if e != nil {
			// An error listing one dev environment's sessions comes with
			// that dev environment: stop there, so that NextToken resumes
			// at it, rather than skip it silently.
			if id := aws.ToString(it.DevEnvironment.Id); id != "" {
				op = "ListDevEnvironmentSessions"
				env = fmt.Sprintf("%s (%s) in project %s", id, devEnvLabel(it.DevEnvironment), aws.ToString(it.DevEnvironment.ProjectName))
			}
			err = e
			break
		}
		items = append(items, it)
		counting.sessions.Add(1)
	}
	prog.stop()
	return c.finish(len(items), s.ResumeToken(), err, op, env, func(next string) error {
		return writeSpace(c.stdout, f.output, scopeTitle(f), items, next, c.now())
	})
}

// finish prints what was listed and the error, if any, and returns the exit
// status. After an error it prints the n sessions listed before it (when
// there are any) with next, which resumes after them, so that none is lost;
// invalid input prints nothing on standard output and exits 2.
func (c command) finish(n int, next string, err error, op, env string, print func(next string) error) int {
	var apiErr smithy.APIError
	if errors.Is(err, devsessions.ErrInvalidParameter) || errors.Is(err, devsessions.ErrInvalidStartingToken) && !errors.As(err, &apiErr) {
		fmt.Fprintln(c.stderr, "list-sessions:", err)
		return 2
	}
	if err == nil || n > 0 {
		if werr := print(next); werr != nil {
			fmt.Fprintln(c.stderr, "list-sessions:", werr)
			return 1
		}
	}
	if err == nil {
		return 0
	}
	fmt.Fprintln(c.stderr, "list-sessions:", describe(err, op, env))
	if n > 0 && next != "" {
		fmt.Fprintf(c.stderr, "list-sessions: %d sessions were listed before the error (printed above); resume with --starting-token %s\n", n, next)
	}
	return 1
}

func scopeTitle(f flags) string {
	if f.project != "" {
		return fmt.Sprintf("Sessions of project %s in space %s", f.project, f.space)
	}
	return "Sessions of space " + f.space
}

// newClient builds the real client as the AWS CLI would find its settings.
func newClient(ctx context.Context, f flags) (*codecatalyst.Client, error) {
	return cliconfig.NewClient(ctx, func(o *cliconfig.Options) {
		o.Profile, o.Region, o.EndpointURL = f.profile, f.region, f.endpoint
	})
}

// describe turns an error into one line in the AWS CLI's words; op is the
// operation that failed and env, when not "", the dev environment whose
// sessions it was listing.
func describe(err error, op, env string) string {
	var apiErr smithy.APIError
	switch {
	case cliconfig.IsCertificateError(err):
		return "the endpoint's TLS certificate is not trusted; set AWS_CA_BUNDLE to the PEM file of the authority that signed it"
	case errors.As(err, &apiErr):
		msg := fmt.Sprintf("An error occurred (%s) when calling the %s operation: %s", apiErr.ErrorCode(), op, apiErr.ErrorMessage())
		if env != "" {
			msg += " (dev environment " + env + ")"
		}
		if errors.Is(err, devsessions.ErrInvalidStartingToken) { // the service refused the token
			msg += " (the --starting-token was refused: it may be damaged or from another listing or endpoint; omit it to start over)"
		}
		return msg
	}
	return err.Error() // the library's own words, which name the dev environment
}

// countingClient counts the dev environments ListDevEnvironments returns,
// and the sessions delivered, for progress.
type countingClient struct {
	devsessions.SpaceSessionsAPIClient
	envs, sessions atomicInt
}

func (c *countingClient) ListDevEnvironments(ctx context.Context, in *codecatalyst.ListDevEnvironmentsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentsOutput, error) {
	out, err := c.SpaceSessionsAPIClient.ListDevEnvironments(ctx, in, optFns...)
	if err == nil && out != nil {
		c.envs.Add(int64(len(out.Items)))
	}
	return out, err
}

// ensure the wrapper still satisfies the library's interface.
var _ devsessions.SpaceSessionsAPIClient = (*countingClient)(nil)

// devEnvLabel is a dev environment's alias, else its id.
func devEnvLabel(e types.DevEnvironmentSummary) string {
	if a := aws.ToString(e.Alias); a != "" {
		return a
	}
	return aws.ToString(e.Id)
}
