// Command quickstart pages through demo sessions offline, with the real SDK
// client against the local HTTPS endpoint of package devsessionstest: it
// stops at a cap, prints the resume token, and resumes from it in a second
// run. The token is a real one: the emulator (go run ./examples/emulator,
// same default seed) and the AWS CLI pointed at it accept it too.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	// In real code: client, err := cliconfig.NewClient(ctx).
	srv, err := devsessionstest.NewServer(devsessionstest.ServerOptions{Sessions: devsessionstest.Sessions(12)})
	if err != nil {
		return err
	}
	defer srv.Close()
	client := srv.Client()
	in := &codecatalyst.ListDevEnvironmentSessionsInput{
		SpaceName:        aws.String(devsessionstest.DemoSpace),
		ProjectName:      aws.String(devsessionstest.DemoProject),
		DevEnvironmentId: aws.String(devsessionstest.DemoDevEnvironment),
	}

	fmt.Println("first run: pages of 4, at most 6 sessions")
	p := devsessions.NewListDevEnvironmentSessionsPaginator(client, in,
		func(o *devsessions.ListDevEnvironmentSessionsPaginatorOptions) {
			o.PageSize = 4
			o.MaxItems = 6
		})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		fmt.Printf("  page of %d:", len(page.Items))
		for _, s := range page.Items {
			fmt.Print(" ", aws.ToString(s.Id))
		}
		fmt.Println()
	}
	token := p.ResumeToken()
	fmt.Println("  resume token:", token)
	fmt.Println("  (a token of the local endpoint: the emulator and `aws ... --starting-token --page-size 4` against it accept it)")

	fmt.Println("second run: resume, one session at a time")
	p = devsessions.NewListDevEnvironmentSessionsPaginator(client, in,
		func(o *devsessions.ListDevEnvironmentSessionsPaginatorOptions) {
			o.PageSize = 4
			o.StartingToken = token
		})
	for s, err := range p.Items(ctx) {
		if err != nil {
			return err
		}
		fmt.Printf("  %s started %s\n", aws.ToString(s.Id), s.StartedTime.Format("2006-01-02 15:04"))
	}
	fmt.Printf("  resume token: %q (nothing left)\n", p.ResumeToken())
	fmt.Println("requests sent:", len(srv.Requests()))
	return nil
}
