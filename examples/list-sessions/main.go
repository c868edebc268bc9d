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
// --watch (space mode) polls with devsessions.SessionWatcher, one poll
// every --interval (a minute by default), and prints one JSON object per
// line for each session that starts or ends, as it happens: "event"
// ("started" or "ended"), the session's keys and "devEnvironment" (for an
// ended session, as last seen). A failed poll or dev environment is
// reported on standard error and the watch goes on (nothing is ended for
// what could not be listed). SIGINT or SIGTERM stops it: it prints
// "resume with --checkpoint C" on standard error and exits 0; --checkpoint C
// then announces only what changed meanwhile. --older-than D (in every
// mode) prints only sessions started more than D ago (--max-items and
// NextToken still count every session listed; with --watch, a session is
// announced as started once it is older than D, and ends as any other).
// When a line cannot be written, --watch exits 1 and prints a checkpoint
// that announces that line's event again.
//
// Without --dev-environment-id it lists across the space, or the project
// with --project-name, through devsessions.SpaceSessions: every session of
// every dev environment whose status is in --statuses (RUNNING by default),
// --concurrency session listings at a time (0: the library's default). Each
// JSON item is then the session's own object plus a "devEnvironment" object.
// With --dev-environment-id (which needs --project-name) it lists that dev
// environment's sessions as `aws codecatalyst list-dev-environment-sessions`
// does: --output json, text and table print what the AWS CLI prints for the
// same call, byte for byte (on a terminal the table is coloured and fitted
// to its width, as the CLI's), but for two things: timestamps are printed
// in RFC 3339 as the SDK parses them (the CLI echoes the service's string,
// so its .000Z and +00:00 forms differ), and a run cut inside a page by
// --max-items prints a NextToken that differs from the CLI's in string but
// resumes at the same session either way. Its NextToken works with the AWS
// CLI's --starting-token (given the same --page-size).
// --max-items counts sessions and --page-size is sessions per request in
// both modes; a NextToken resumes in the same mode, scope and page sizes
// only.
//
// --output text prints each session as it is delivered, one line at a time,
// so that a pipeline sees a long listing as it goes; json and table print
// one document at the end, as the AWS CLI does.
//
// It finds its bearer token as the AWS CLI does: AWS_BEARER_TOKEN_CODECATALYST,
// then the SSO session of the profile. It honours AWS_ENDPOINT_URL_CODECATALYST
// and AWS_CA_BUNDLE. --demo serves the demo space from an embedded local
// endpoint, fills in --space-name and needs nothing set up.
//
// On a terminal, a long space-wide listing shows its progress on standard
// error; never when standard error is a pipe or a file.
//
// When a request fails part-way, or SIGINT or SIGTERM stops the listing,
// the sessions listed before are printed on standard output in the chosen
// format, with the NextToken that resumes right after them, then the reason
// on standard error. In space mode an error listing one dev environment's
// sessions stops the listing there: the NextToken resumes at that dev
// environment's first session not printed. A second signal exits at once.
//
// Exit status: 0 the listing is complete; 1 a request failed (the printed
// NextToken continues, a retry may succeed); 2 bad flags or input, a
// --starting-token refused by the command or the service, or a page token
// the service repeated (retrying as is cannot help; no NextToken is
// printed); 130 and 143 interrupted by SIGINT and SIGTERM.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/cliconfig"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// demoSessions is how many sessions --demo serves for the demo dev
// environment (the rest of the demo space has a few more).
const demoSessions = 30

func main() {
	// A write to a closed pipe (list-sessions --watch | head -1) is an
	// error the command reports, with its exit status and, with --watch,
	// the checkpoint to resume from; not a SIGPIPE that kills it silently.
	signal.Ignore(syscall.SIGPIPE)
	ctx, stop := onSignals(context.Background(), os.Exit)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// command is one run of list-sessions with what tests may replace.
type command struct {
	stdout, stderr io.Writer
	// terminal reports whether stderr is a terminal, for progress.
	terminal func() bool
	// width is the width of the terminal standard output is, else 80: the
	// table's, as the AWS CLI's; outTerminal tells whether it is one (the
	// table is then coloured, as the CLI's).
	width       int
	outTerminal bool
	// now is the time "how long ago" is counted from in the table.
	now func() time.Time
	// progressDelay is how long a listing runs before progress shows;
	// progressEvery is how often it is updated.
	progressDelay, progressEvery time.Duration
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	width, outTerminal := terminalWidth(stdout)
	c := command{stdout: stdout, stderr: stderr, terminal: func() bool { return isTerminal(stderr) },
		width: width, outTerminal: outTerminal, now: time.Now, progressDelay: 500 * time.Millisecond, progressEvery: 250 * time.Millisecond}
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

func (c command) run(ctx context.Context, args []string) int {
	f, err := parse(args)
	if err != nil {
		return c.refused(err)
	}
	var client *codecatalyst.Client
	if f.demo {
		data := devsessionstest.DemoData(demoSessions) // GetUserDetails too, for --watch's creators
		envs, sessions := data.DevEnvironments, data.Sessions
		srv, err := devsessionstest.NewServer(devsessionstest.ServerOptions{Data: data})
		if err != nil {
			c.say("starting the demo endpoint: %v", err)
			return exitFailed
		}
		defer srv.Close()
		c.say("demo: space %s (%d dev environments, %d sessions) served at %s",
			devsessionstest.DemoSpace, len(envs), len(sessions), srv.URL)
		client = srv.Client() // trusts the demo certificate
	} else if client, err = newClient(ctx, f); err != nil {
		if in, ok := interruption(ctx); ok {
			c.say("%s", in.Error())
			return in.exitCode()
		}
		c.say("%s", describeSetup(err))
		return exitUsage
	}
	switch {
	case f.watch:
		return c.watch(ctx, f, client)
	case f.spaceMode():
		return c.space(ctx, f, client)
	}
	return c.single(ctx, f, client)
}

// single lists the sessions of one dev environment, page by page.
func (c command) single(ctx context.Context, f flags, client *codecatalyst.Client) int {
	now := c.now() // --older-than counts from the start of the run
	p := devsessions.NewListDevEnvironmentSessionsPaginator(client, &codecatalyst.ListDevEnvironmentSessionsInput{
		SpaceName: &f.space, ProjectName: &f.project, DevEnvironmentId: &f.env,
	}, func(o *devsessions.ListDevEnvironmentSessionsPaginatorOptions) {
		o.MaxItems, o.PageSize, o.StartingToken = int32(f.maxItems), int32(f.pageSize), f.startingToken
	})
	out := newPrinter(c.stdout, f.output, "ListDevEnvironmentSessions", c.tableStyle(), nil, nil)
	l := listing{op: "ListDevEnvironmentSessions"}
	for page, err := range p.Pages(ctx) {
		if err != nil {
			l.err = err
			break
		}
		items := make([]value, 0, len(page.Items))
		for _, it := range page.Items {
			if startedBefore(devsessions.SpaceSession{Session: it}, now, f.olderThan) {
				items = append(items, sessionValue(it))
			}
		}
		l.n += len(page.Items)
		if l.werr = out.add(items); l.werr != nil {
			break
		}
	}
	return c.finish(ctx, l, p.ResumeToken(), out)
}

// space lists the sessions of every dev environment of the space or
// project, each one as it is delivered.
func (c command) space(ctx context.Context, f flags, client *codecatalyst.Client) int {
	now := c.now() // --older-than counts from the start of the run
	in := &codecatalyst.ListDevEnvironmentsInput{SpaceName: &f.space}
	if f.project != "" {
		in.ProjectName = &f.project
	}
	s := devsessions.NewSpaceSessions(client, in, func(o *devsessions.SpaceSessionsOptions) {
		o.MaxItems, o.StartingToken, o.Concurrency = int32(f.maxItems), f.startingToken, f.concurrency
		o.DevEnvironmentPageSize, o.SessionPageSize = int32(f.envPageSize), int32(f.pageSize)
		o.Statuses = f.statuses
	})
	var prog *progress
	if c.terminal() && (f.output != "text" || !c.outTerminal) { // streamed text is its own progress
		prog = startProgress(c.stderr, spaceProgress(s), c.progressDelay, c.progressEvery)
	}
	out := newPrinter(c.stdout, f.output, scopeTitle(f), c.tableStyle(), spaceColumns(c.now()), spaceHeaders)
	l := func() (l listing) {
		defer prog.stop() // before the output, and on every path
		l.op = "ListDevEnvironments"
		for it, err := range s.Items(ctx) {
			if err != nil {
				// An error listing one dev environment's sessions comes with
				// that dev environment: stop there, so that NextToken resumes
				// at it, rather than skip it silently.
				if id := aws.ToString(it.DevEnvironment.Id); id != "" {
					l.op = "ListDevEnvironmentSessions"
					l.env = id + " (" + devEnvLabel(it.DevEnvironment) + ") in project " + aws.ToString(it.DevEnvironment.ProjectName)
				}
				l.err = err
				break
			}
			l.n++
			if !startedBefore(it, now, f.olderThan) {
				continue // listed (NextToken resumes after it), not printed
			}
			if l.werr = out.add([]value{spaceValue(it)}); l.werr != nil {
				break
			}
		}
		return l
	}()
	return c.finish(ctx, l, s.ResumeToken(), out)
}

// tableStyle is the table's width and colour: as the AWS CLI's, coloured
// on a terminal.
func (c command) tableStyle() table { return table{width: c.width, color: c.outTerminal} }

func scopeTitle(f flags) string {
	if f.project != "" {
		return "Sessions of project " + f.project + " in space " + f.space
	}
	return "Sessions of space " + f.space
}

// newClient builds the real client as the AWS CLI would find its settings.
func newClient(ctx context.Context, f flags) (*codecatalyst.Client, error) {
	return cliconfig.NewClient(ctx, func(o *cliconfig.Options) {
		o.Profile, o.Region, o.EndpointURL = f.profile, f.region, f.endpoint
	})
}

// devEnvLabel is a dev environment's alias, else its id.
func devEnvLabel(e types.DevEnvironmentSummary) string {
	if a := aws.ToString(e.Alias); a != "" {
		return a
	}
	return aws.ToString(e.Id)
}
