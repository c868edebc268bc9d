// Command list-sessions lists the sessions of a CodeCatalyst dev environment
// with the AWS CLI's flags and output shapes, paging with devsessions.
//
//	go run ./examples/list-sessions --demo --max-items 5
//	go run ./examples/list-sessions --space-name S --project-name P --dev-environment-id ID \
//	    --max-items 20 --page-size 10 [--starting-token T] [--output json|table|text]
//
// It finds its bearer token as the AWS CLI does: AWS_BEARER_TOKEN_CODECATALYST,
// then the SSO session of the profile. It honours AWS_ENDPOINT_URL_CODECATALYST
// and AWS_CA_BUNDLE. --demo serves demo data from an embedded local endpoint
// and needs nothing set up. Exit status: 0 on success, 1 for a service or
// connection error, 2 for bad flags or missing credentials.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/smithy-go"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/cliconfig"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// demoSessions is how many sessions --demo serves.
const demoSessions = 30

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

type flags struct {
	space, project, env       string
	maxItems, pageSize        int
	startingToken, output     string
	endpoint, region, profile string
	demo                      bool
}

func parse(args []string, stderr io.Writer) (flags, error) {
	var f flags
	fs := flag.NewFlagSet("list-sessions", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.space, "space-name", "", "name of the space (required unless --demo)")
	fs.StringVar(&f.project, "project-name", "", "name of the project (required unless --demo)")
	fs.StringVar(&f.env, "dev-environment-id", "", "ID of the dev environment (required unless --demo)")
	fs.IntVar(&f.maxItems, "max-items", 0, "total sessions to print; a NextToken resumes after them (0: all)")
	fs.IntVar(&f.pageSize, "page-size", 0, "sessions per request, 1-200 (0: the service default)")
	fs.StringVar(&f.startingToken, "starting-token", "", "NextToken printed by a previous run, or by the AWS CLI")
	fs.StringVar(&f.output, "output", "json", "json, table or text")
	fs.StringVar(&f.endpoint, "endpoint-url", "", "endpoint URL (default: AWS_ENDPOINT_URL_CODECATALYST, else the service's)")
	fs.StringVar(&f.region, "region", "", "AWS region")
	fs.StringVar(&f.profile, "profile", "", "shared config profile")
	fs.BoolVar(&f.demo, "demo", false, "serve demo data from an embedded local endpoint and list it")
	if err := fs.Parse(args); err != nil {
		return f, err
	}
	switch {
	case fs.NArg() > 0:
		return f, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case f.output != "json" && f.output != "table" && f.output != "text":
		return f, fmt.Errorf("--output must be json, table or text, got %q", f.output)
	case f.maxItems < 0 || f.maxItems > 1<<31-1:
		return f, fmt.Errorf("--max-items must be a positive number (0 means all), got %d", f.maxItems)
	case f.pageSize < 0 || f.pageSize > 200:
		return f, fmt.Errorf("--page-size must be between 1 and 200, got %d", f.pageSize)
	}
	if f.demo {
		f.space = cmp(f.space, devsessionstest.DemoSpace)
		f.project = cmp(f.project, devsessionstest.DemoProject)
		f.env = cmp(f.env, devsessionstest.DemoDevEnvironment)
	}
	for _, r := range []struct{ name, v string }{{"--space-name", f.space}, {"--project-name", f.project}, {"--dev-environment-id", f.env}} {
		if r.v == "" {
			return f, fmt.Errorf("%s is required (or use --demo)", r.name)
		}
	}
	return f, nil
}

func cmp(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f, err := parse(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "list-sessions:", err)
		return 2
	}
	var client *codecatalyst.Client
	if f.demo {
		srv, err := devsessionstest.NewServer(devsessionstest.ServerOptions{Sessions: devsessionstest.Sessions(demoSessions)})
		if err != nil {
			fmt.Fprintln(stderr, "list-sessions: starting the demo endpoint:", err)
			return 1
		}
		defer srv.Close()
		fmt.Fprintf(stderr, "list-sessions: demo: %d sessions served at %s\n", demoSessions, srv.URL)
		client = srv.Client() // trusts the demo certificate
	} else if client, err = newClient(ctx, f); err != nil {
		fmt.Fprintln(stderr, "list-sessions:", err)
		return 2
	}

	p := devsessions.NewListDevEnvironmentSessionsPaginator(client, &codecatalyst.ListDevEnvironmentSessionsInput{
		SpaceName: &f.space, ProjectName: &f.project, DevEnvironmentId: &f.env,
	}, func(o *devsessions.ListDevEnvironmentSessionsPaginatorOptions) {
		o.MaxItems, o.PageSize, o.StartingToken = int32(f.maxItems), int32(f.pageSize), f.startingToken
	})
	items, err := p.Collect(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "list-sessions:", describe(err))
		if len(items) > 0 {
			fmt.Fprintf(stderr, "list-sessions: %d sessions were listed before the error; resume with --starting-token %s\n", len(items), p.ResumeToken())
		}
		if errors.Is(err, devsessions.ErrInvalidParameter) || errors.Is(err, devsessions.ErrInvalidStartingToken) {
			return 2
		}
		return 1
	}
	if err := write(stdout, f.output, items, p.ResumeToken()); err != nil {
		fmt.Fprintln(stderr, "list-sessions:", err)
		return 1
	}
	return 0
}

// newClient builds the real client as the AWS CLI would find its settings.
func newClient(ctx context.Context, f flags) (*codecatalyst.Client, error) {
	return cliconfig.NewClient(ctx, func(o *cliconfig.Options) {
		o.Profile, o.Region, o.EndpointURL = f.profile, f.region, f.endpoint
	})
}

// describe turns an error into one line in the AWS CLI's words.
func describe(err error) string {
	var apiErr smithy.APIError
	switch {
	case cliconfig.IsCertificateError(err):
		return "the endpoint's TLS certificate is not trusted; set AWS_CA_BUNDLE to the PEM file of the authority that signed it"
	case errors.As(err, &apiErr):
		return fmt.Sprintf("An error occurred (%s) when calling the ListDevEnvironmentSessions operation: %s", apiErr.ErrorCode(), apiErr.ErrorMessage())
	}
	return err.Error()
}
