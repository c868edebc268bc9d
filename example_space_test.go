package devsessions_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// The real *codecatalyst.Client satisfies the other interfaces unchanged too.
var (
	_ devsessions.ListDevEnvironmentsAPIClient = (*codecatalyst.Client)(nil)
	_ devsessions.SpaceSessionsAPIClient       = (*codecatalyst.Client)(nil)
)

// The dev environments of one project, a page at a time, with the same
// options as the sessions paginator.
func ExampleListDevEnvironmentsPaginator_NextPage() {
	envs, sessions := devsessionstest.DemoSpaceData(3)
	client := devsessionstest.NewSpaceClient(envs, sessions)
	p := devsessions.NewListDevEnvironmentsPaginator(client, &codecatalyst.ListDevEnvironmentsInput{
		SpaceName:   aws.String(devsessionstest.DemoSpace),
		ProjectName: aws.String(devsessionstest.DemoPaymentsProject),
	}, func(o *devsessions.ListDevEnvironmentsPaginatorOptions) {
		o.PageSize = 2
	})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		for _, e := range page.Items {
			fmt.Printf("%s %s\n", aws.ToString(e.Alias), e.Status)
		}
	}
	fmt.Printf("resume token: %q\n", p.ResumeToken())
	// Output:
	// pay-main RUNNING
	// pay-hotfix RUNNING
	// pay-refactor STOPPED
	// pay-migration STARTING
	// resume token: ""
}

// Every active session of a space, in order, listed a few dev environments
// at a time; a second run resumes exactly where a capped one stopped.
func ExampleSpaceSessions_Items() {
	envs, sessions := devsessionstest.DemoSpaceData(3)
	client := devsessionstest.NewSpaceClient(envs, sessions)
	in := &codecatalyst.ListDevEnvironmentsInput{SpaceName: aws.String(devsessionstest.DemoSpace)}
	ctx := context.Background()

	s := devsessions.NewSpaceSessions(client, in, func(o *devsessions.SpaceSessionsOptions) {
		o.Concurrency = 4
		o.MaxItems = 4
	})
	for it, err := range s.Items(ctx) {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		fmt.Println(aws.ToString(it.DevEnvironment.Alias), aws.ToString(it.Session.Id))
	}
	token := s.ResumeToken()
	fmt.Println("--- resumed from a", token[:5], "token")
	rest, err := devsessions.NewSpaceSessions(client, in, func(o *devsessions.SpaceSessionsOptions) {
		o.StartingToken = token
	}).Collect(ctx)
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	for _, it := range rest {
		fmt.Println(aws.ToString(it.DevEnvironment.Alias), aws.ToString(it.Session.Id))
	}
	// Output:
	// demo sess-0000
	// demo sess-0001
	// demo sess-0002
	// docs sess-docs-00
	// --- resumed from a dss2. token
	// docs sess-docs-01
	// pay-main sess-pay-main-00
	// pay-main sess-pay-main-01
	// pay-main sess-pay-main-02
	// pay-hotfix sess-pay-hotfix-00
	// web-main sess-web-main-00
	// web-main sess-web-main-01
	// web-main sess-web-main-02
	// web-main sess-web-main-03
	// web-a11y sess-web-a11y-00
	// web-a11y sess-web-a11y-01
}

// An error listing one dev environment's sessions comes with that dev
// environment, as a *DevEnvironmentError. Going on past it lists the rest;
// that dev environment stays undelivered, so ResumeToken is not "", and a
// run resumed from it lists exactly what was skipped.
func ExampleSpaceSessions_Items_errors() {
	envs, sessions := devsessionstest.DemoSpaceData(2)
	client := devsessionstest.NewSpaceClient(envs, sessions)
	var denied string
	for _, e := range envs {
		if aws.ToString(e.Alias) == "pay-main" {
			denied = aws.ToString(e.Id)
		}
	}
	// Its first listing is refused; a later one succeeds.
	client.ScriptDevEnvironment(denied, 1, devsessionstest.Fault{Err: &types.AccessDeniedException{Message: aws.String("not yours")}})
	in := &codecatalyst.ListDevEnvironmentsInput{
		SpaceName:   aws.String(devsessionstest.DemoSpace),
		ProjectName: aws.String(devsessionstest.DemoPaymentsProject),
	}
	s := devsessions.NewSpaceSessions(client, in)
	for it, err := range s.Items(context.Background()) {
		var envErr *devsessions.DevEnvironmentError
		var ae *types.AccessDeniedException
		if errors.As(err, &envErr) && errors.As(err, &ae) {
			fmt.Println("skipped", aws.ToString(envErr.DevEnvironment.Alias)+":", ae.ErrorMessage())
			continue
		}
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		fmt.Println(aws.ToString(it.DevEnvironment.Alias), aws.ToString(it.Session.Id))
	}
	fmt.Println("complete:", s.ResumeToken() == "")
	rest, err := devsessions.NewSpaceSessions(client, in, func(o *devsessions.SpaceSessionsOptions) {
		o.StartingToken = s.ResumeToken()
	}).Collect(context.Background())
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	for _, it := range rest {
		fmt.Println("resumed:", aws.ToString(it.DevEnvironment.Alias), aws.ToString(it.Session.Id))
	}
	// Output:
	// skipped pay-main: not yours
	// pay-hotfix sess-pay-hotfix-00
	// complete: false
	// resumed: pay-main sess-pay-main-00
	// resumed: pay-main sess-pay-main-01
	// resumed: pay-main sess-pay-main-02
}
