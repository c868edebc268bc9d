package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// flags is a parsed command line.
type flags struct {
	space, project, env       string
	maxItems, pageSize        int
	envPageSize, concurrency  int
	statuses                  []types.DevEnvironmentStatus
	startingToken, output     string
	endpoint, region, profile string
	demo                      bool
	// watch mode: poll until a signal; interval between polls, the
	// checkpoint to resume from; olderThan keeps sessions started more than
	// that long ago (in every mode).
	watch               bool
	interval, olderThan time.Duration
	checkpoint          string
}

// spaceMode tells whether the run lists across the space or project.
func (f flags) spaceMode() bool { return f.env == "" }

// spaceTokenPrefix starts every NextToken of a space-wide listing, before
// its format version and a dot ("dss2.").
const spaceTokenPrefix = "dss"

// firstSpaceTokenPrefix starts the NextTokens of the first space-wide
// format, which no version of the library resumes any more.
const firstSpaceTokenPrefix = spaceTokenPrefix + "1."

// isSpaceToken tells whether t is a space-wide listing's NextToken, of any
// format version.
func isSpaceToken(t string) bool {
	rest, ok := strings.CutPrefix(t, spaceTokenPrefix)
	if !ok {
		return false
	}
	version, _, dot := strings.Cut(rest, ".")
	return dot && version != "" && strings.Trim(version, "0123456789") == ""
}

// exitStatuses is the part of --help a script relies on.
const exitStatuses = `Exit status:
  0    the listing is complete.
  1    a request failed (service error, throttling, connection): the sessions
       listed before it are printed with the NextToken that resumes after
       them; retrying, with --starting-token NextToken, may succeed. Also
       when standard output cannot be written (a closed pipe too).
  2    bad flags or input, a --starting-token refused by the command or by
       the service, or the service repeating a page token: retrying as is
       cannot help (no NextToken is printed).
  130  interrupted by SIGINT, 143 by SIGTERM: what was listed is printed with
       the NextToken that resumes after it; a second signal exits at once.
With --watch: 0 when SIGINT or SIGTERM stops it (the --checkpoint to resume
from is on standard error); 1 when a line cannot be written (the --checkpoint
printed announces that line's event again); 2 bad flags or a --checkpoint
refused; a failed poll or dev environment is reported on standard error and
the watch goes on.
`

// flagSet is the command's flags, parsed into f and statuses, printing
// nothing itself.
func flagSet(f *flags, statuses *string) *flag.FlagSet {
	fs := flag.NewFlagSet("list-sessions", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&f.space, "space-name", "", "name of the space (required unless --demo)")
	fs.StringVar(&f.project, "project-name", "", "name of the project: list only its dev environments (required with --dev-environment-id)")
	fs.StringVar(&f.env, "dev-environment-id", "", "ID of one dev environment to list the sessions of (default: every dev environment in scope)")
	fs.IntVar(&f.maxItems, "max-items", 0, "total sessions to print; a NextToken resumes after them (0: all)")
	fs.IntVar(&f.pageSize, "page-size", 0, "sessions per request, 1-200 (0: the service default)")
	fs.IntVar(&f.envPageSize, "dev-environment-page-size", 0, "space mode: dev environments per request, 1-50 (0: the service default)")
	fs.IntVar(&f.concurrency, "concurrency", 0, fmt.Sprintf("space mode: session listings in flight at once, 1-64 (0: %d)", devsessions.DefaultConcurrency))
	fs.StringVar(statuses, "statuses", "", "space mode: comma-separated dev environment statuses whose sessions are listed (default: RUNNING)")
	fs.StringVar(&f.startingToken, "starting-token", "", "NextToken printed by a previous run (or, for one dev environment, by the AWS CLI); \"\" and None start from the beginning")
	fs.StringVar(&f.output, "output", "json", "json, table or text")
	fs.StringVar(&f.endpoint, "endpoint-url", "", "endpoint URL (default: AWS_ENDPOINT_URL_CODECATALYST, else the service's)")
	fs.StringVar(&f.region, "region", "", "AWS region")
	fs.StringVar(&f.profile, "profile", "", "shared config profile")
	fs.BoolVar(&f.demo, "demo", false, "serve the demo space from an embedded local endpoint and list it")
	fs.BoolVar(&f.watch, "watch", false, "space mode: poll until SIGINT or SIGTERM, printing one JSON line per session that starts or ends; "+
		"then print the --checkpoint to resume from on standard error and exit 0")
	fs.DurationVar(&f.interval, "interval", devsessions.DefaultWatchInterval, "with --watch: time between the end of one poll and the start of the next")
	fs.StringVar(&f.checkpoint, "checkpoint", "", "with --watch: the checkpoint a stopped --watch printed; it announces only what changed since")
	fs.DurationVar(&f.olderThan, "older-than", 0, "print only sessions started more than this long ago, e.g. 8h (0: all); with --watch, a session is announced once it is that old")
	return fs
}

// usage writes --help: the synopsis, the flags and the exit statuses.
func usage(w io.Writer) {
	var f flags
	var statuses string
	fs := flagSet(&f, &statuses)
	var defaults strings.Builder
	fs.SetOutput(&defaults)
	fs.PrintDefaults()
	fmt.Fprintf(w, "Usage: list-sessions --space-name S [--project-name P [--dev-environment-id ID]] [flags]\n"+
		"       list-sessions --space-name S [--project-name P] --watch [--interval D] [--checkpoint C] [flags]\n"+
		"       list-sessions --demo [flags]\n\nFlags:\n")
	// Each flag's line starts "  -name"; the command's flags are spelled
	// with two dashes, as the AWS CLI's.
	io.WriteString(w, strings.ReplaceAll("\n"+defaults.String(), "\n  -", "\n  --")[1:])
	fmt.Fprintf(w, "\n%s", exitStatuses)
}

// parse parses and checks a command line. It returns flag.ErrHelp for
// --help and -h.
func parse(args []string) (flags, error) {
	var f flags
	var statuses string
	fs := flagSet(&f, &statuses)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return f, err
		}
		return f, fmt.Errorf("%s (see --help)", twoDashes(err.Error()))
	}
	if f.demo && f.space == "" {
		f.space = devsessionstest.DemoSpace
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	switch {
	case fs.NArg() > 0:
		return f, fmt.Errorf("unexpected argument %q: every value follows its flag, e.g. --space-name S", fs.Arg(0))
	case f.output != "json" && f.output != "table" && f.output != "text":
		return f, fmt.Errorf("--output must be json, table or text, got %q", f.output)
	case f.maxItems < 0 || f.maxItems > math.MaxInt32:
		return f, fmt.Errorf("--max-items must be between 1 and %d, or 0 for all sessions, got %d", math.MaxInt32, f.maxItems)
	case f.pageSize < 0 || f.pageSize > 200:
		return f, fmt.Errorf("--page-size must be between 1 and 200, or 0 for the service's default, got %d", f.pageSize)
	case f.envPageSize < 0 || f.envPageSize > 50:
		return f, fmt.Errorf("--dev-environment-page-size must be between 1 and 50, or 0 for the service's default, got %d", f.envPageSize)
	case f.concurrency < 0 || f.concurrency > 64:
		return f, fmt.Errorf("--concurrency must be between 1 and 64, or 0 for %d, got %d", devsessions.DefaultConcurrency, f.concurrency)
	case f.space == "":
		return f, errors.New("--space-name is required (or use --demo)")
	case f.env != "" && f.project == "":
		return f, errors.New("--dev-environment-id needs --project-name: add the project the dev environment belongs to")
	}
	if err := f.checkWatch(set); err != nil {
		return f, err
	}
	if !f.spaceMode() {
		for _, name := range []string{"concurrency", "dev-environment-page-size", "statuses"} {
			if set[name] {
				return f, fmt.Errorf("--%s applies only to a space-wide listing: drop it, or drop --dev-environment-id", name)
			}
		}
	}
	if strings.TrimSpace(f.startingToken) == "None" {
		// The AWS CLI starts from the beginning with --starting-token None
		// (what its text output prints for no NextToken): so does the
		// command, in both modes.
		f.startingToken = ""
	}
	if err := f.checkTokenMode(); err != nil {
		return f, err
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

// checkWatch checks the flags of --watch, and --older-than.
func (f flags) checkWatch(set map[string]bool) error {
	switch {
	case f.olderThan < 0:
		return fmt.Errorf("--older-than must not be negative (0 prints every session), got %v", f.olderThan)
	case !f.watch:
		for _, name := range []string{"interval", "checkpoint"} {
			if set[name] {
				return fmt.Errorf("--%s applies only to --watch: add --watch, or drop --%s", name, name)
			}
		}
		return nil
	case !f.spaceMode():
		return errors.New("--watch watches a space or a project: drop --dev-environment-id")
	case f.interval <= 0:
		return fmt.Errorf("--interval must be positive, e.g. 30s, got %v", f.interval)
	case set["output"] && f.output != "json":
		return errors.New("--watch prints one JSON object per line: drop --output")
	}
	for _, name := range []string{"max-items", "starting-token"} {
		if set[name] {
			return fmt.Errorf("--%s does not apply to --watch, which runs until SIGINT or SIGTERM: drop it (--checkpoint resumes a watch)", name)
		}
	}
	return nil
}

// flagMarkers are the places where the flag package's messages name a
// flag, with one dash before its name.
var flagMarkers = []string{"flag provided but not defined: -", "flag needs an argument: -", " for flag -", " for -"}

// twoDashes is a message of the flag package with the flag it names
// spelled with two dashes, as the command's flags are everywhere else
// ("flag provided but not defined: --bogus"). Any other message is
// returned as is.
func twoDashes(msg string) string {
	for _, m := range flagMarkers {
		// The last one: a quoted value before it may hold anything.
		if i := strings.LastIndex(msg, m); i >= 0 && !strings.HasPrefix(msg[i+len(m):], "-") {
			return msg[:i+len(m)] + "-" + msg[i+len(m):]
		}
	}
	return msg
}

// checkTokenMode refuses a --starting-token of the other mode, saying which
// flags make the run the one that printed it.
func (f flags) checkTokenMode() error {
	if f.startingToken == "" {
		return nil
	}
	token := strings.TrimSpace(f.startingToken)
	space := isSpaceToken(token)
	switch {
	case strings.HasPrefix(token, firstSpaceTokenPrefix):
		return errors.New("--starting-token is a NextToken of an earlier version of this command (" + firstSpaceTokenPrefix +
			"), which does not record what was listed and cannot resume exactly: omit --starting-token to start over")
	case space && !f.spaceMode():
		return errors.New("--starting-token is the NextToken of a space-wide listing (a run without --dev-environment-id): " +
			"drop --dev-environment-id to resume it, with --project-name only if that run had it")
	case !space && f.spaceMode():
		return errors.New("--starting-token is the NextToken of one dev environment's listing (a run with --dev-environment-id, or the AWS CLI's " +
			"list-dev-environment-sessions): add --project-name and --dev-environment-id of that dev environment to resume it")
	}
	return nil
}
