package devsessions_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// The real *codecatalyst.Client satisfies the interface unchanged.
var _ devsessions.ListDevEnvironmentSessionsAPIClient = (*codecatalyst.Client)(nil)

func demoInput() *codecatalyst.ListDevEnvironmentSessionsInput {
	return &codecatalyst.ListDevEnvironmentSessionsInput{
		SpaceName:        aws.String(devsessionstest.DemoSpace),
		ProjectName:      aws.String(devsessionstest.DemoProject),
		DevEnvironmentId: aws.String(devsessionstest.DemoDevEnvironment),
	}
}

// The page loop of the SDK's own paginator, with boto3's MaxItems and
// PageSize. In real code the client is codecatalyst.NewFromConfig(cfg).
func ExampleListDevEnvironmentSessionsPaginator_NextPage() {
	client := devsessionstest.NewClient(devsessionstest.Sessions(7))
	p := devsessions.NewListDevEnvironmentSessionsPaginator(client, demoInput(),
		func(o *devsessions.ListDevEnvironmentSessionsPaginatorOptions) {
			o.MaxItems = 5
			o.PageSize = 2
		})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		for i, s := range page.Items {
			if i > 0 {
				fmt.Print(" ")
			}
			fmt.Print(aws.ToString(s.Id))
		}
		fmt.Println()
	}
	fmt.Println("resume with:", p.ResumeToken())
	// Output:
	// sess-0000 sess-0001
	// sess-0002 sess-0003
	// sess-0004
	// resume with: eyJuZXh0VG9rZW4iOiAidG9rLTUifQ==
}

// Items walks sessions one at a time. Breaking out of the loop leaves the
// paginator at the next session.
func ExampleListDevEnvironmentSessionsPaginator_Items() {
	client := devsessionstest.NewClient(devsessionstest.Sessions(7))
	p := devsessions.NewListDevEnvironmentSessionsPaginator(client, demoInput(),
		func(o *devsessions.ListDevEnvironmentSessionsPaginatorOptions) { o.PageSize = 3 })
	for s, err := range p.Items(context.Background()) {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		fmt.Println(aws.ToString(s.Id), s.StartedTime.Format("15:04"))
		if aws.ToString(s.Id) == "sess-0003" {
			break
		}
	}
	fmt.Println("resume with:", p.ResumeToken())
	// Output:
	// sess-0000 10:00
	// sess-0001 10:01
	// sess-0002 10:02
	// sess-0003 10:03
	// resume with: eyJuZXh0VG9rZW4iOiAidG9rLTMiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ==
}

// A token from ResumeToken, or the NextToken the AWS CLI prints for
// --max-items, continues at exactly the next session.
func ExampleListDevEnvironmentSessionsPaginatorOptions_startingToken() {
	client := devsessionstest.NewClient(devsessionstest.Sessions(7))
	// Printed by: aws codecatalyst list-dev-environment-sessions ... --max-items 3 --page-size 2
	const cliToken = "eyJuZXh0VG9rZW4iOiAidG9rLTIiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="
	p := devsessions.NewListDevEnvironmentSessionsPaginator(client, demoInput(),
		func(o *devsessions.ListDevEnvironmentSessionsPaginatorOptions) {
			o.StartingToken = cliToken
			o.PageSize = 2
		})
	sessions, err := p.Collect(context.Background())
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	for _, s := range sessions {
		fmt.Println(aws.ToString(s.Id))
	}
	fmt.Printf("done: %q\n", p.ResumeToken())
	// Output:
	// sess-0003
	// sess-0004
	// sess-0005
	// sess-0006
	// done: ""
}

// A service that hands back a token it already gave ends paging with
// ErrDuplicateToken instead of looping forever.
func ExampleErrDuplicateToken() {
	client := devsessionstest.NewClient(devsessionstest.Sessions(10))
	client.Script(2, devsessionstest.Fault{NextToken: aws.String("tok-2")}) // page 2 points back at itself
	p := devsessions.NewListDevEnvironmentSessionsPaginator(client, demoInput(),
		func(o *devsessions.ListDevEnvironmentSessionsPaginatorOptions) { o.PageSize = 2 })
	n := 0
	for _, err := range p.Items(context.Background()) {
		if errors.Is(err, devsessions.ErrDuplicateToken) {
			fmt.Println("stopped after", n, "sessions:", err)
			break
		}
		n++
	}
	// Output:
	// stopped after 4 sessions: devsessions: the service repeated a next token: ListDevEnvironmentSessions page 2's nextToken was already sent in this run
}

// Pages walks whole pages; with Prefetch the next pages are requested while
// the loop body works, and the results are the same as without.
func ExampleListDevEnvironmentSessionsPaginator_Pages() {
	client := devsessionstest.NewClient(devsessionstest.Sessions(7))
	p := devsessions.NewListDevEnvironmentSessionsPaginator(client, demoInput(),
		func(o *devsessions.ListDevEnvironmentSessionsPaginatorOptions) {
			o.PageSize = 3
			o.Prefetch = 2
		})
	for page, err := range p.Pages(context.Background()) {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		fmt.Println(len(page.Items), "sessions, first", aws.ToString(page.Items[0].Id))
	}
	// Output:
	// 3 sessions, first sess-0000
	// 3 sessions, first sess-0003
	// 1 sessions, first sess-0006
}

// With StopOnDuplicateToken a repeated token ends paging quietly after the
// page that carried it.
func ExampleListDevEnvironmentSessionsPaginatorOptions_stopOnDuplicateToken() {
	client := devsessionstest.NewClient(devsessionstest.Sessions(10))
	client.Script(3, devsessionstest.Fault{NextToken: aws.String("tok-2")}) // a cycle back to page 2
	p := devsessions.NewListDevEnvironmentSessionsPaginator(client, demoInput(),
		func(o *devsessions.ListDevEnvironmentSessionsPaginatorOptions) {
			o.PageSize = 2
			o.StopOnDuplicateToken = true
		})
	sessions, err := p.Collect(context.Background())
	fmt.Println(len(sessions), "sessions, error:", err, "more:", p.HasMorePages())
	// Output:
	// 6 sessions, error: <nil> more: false
}

// Every operation botocore pages has the SDK's constructor name and the
// same paginator and options: here the projects of a space, then the first
// two workflow runs of a project, with a token that resumes after them.
func ExampleNewListProjectsPaginator() {
	client := devsessionstest.NewDataClient(devsessionstest.SampleData(3))
	ctx := context.Background()
	projects := devsessions.NewListProjectsPaginator(client,
		&codecatalyst.ListProjectsInput{SpaceName: aws.String(devsessionstest.DemoSpace)})
	for project, err := range projects.Items(ctx) {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		fmt.Println(aws.ToString(project.Name))
	}
	runs := devsessions.NewListWorkflowRunsPaginator(client, &codecatalyst.ListWorkflowRunsInput{
		SpaceName: aws.String(devsessionstest.DemoSpace), ProjectName: aws.String(devsessionstest.DemoProject),
	}, func(o *devsessions.ListWorkflowRunsPaginatorOptions) { o.MaxItems = 2 })
	first, err := runs.Collect(ctx)
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(len(first), "runs, then", runs.ResumeToken())
	// Output:
	// project-0000
	// project-0001
	// project-0002
	// 2 runs, then eyJuZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAyfQ==
}
