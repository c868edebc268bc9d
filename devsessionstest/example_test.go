package devsessionstest_test

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

// Test your own listing code against the fake: script a fault, then check
// what was asked.
func ExampleClient() {
	fake := devsessionstest.NewClient(devsessionstest.Sessions(5))
	fake.Script(2, devsessionstest.Fault{Err: &types.ThrottlingException{Message: aws.String("slow down")}})

	p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, &codecatalyst.ListDevEnvironmentSessionsInput{
		SpaceName:        aws.String(devsessionstest.DemoSpace),
		ProjectName:      aws.String(devsessionstest.DemoProject),
		DevEnvironmentId: aws.String(devsessionstest.DemoDevEnvironment),
	}, func(o *devsessions.ListDevEnvironmentSessionsPaginatorOptions) { o.PageSize = 2 })
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			fmt.Println("error:", err) // the same page is asked for again
			continue
		}
		fmt.Println(len(page.Items), "sessions")
	}
	for _, r := range fake.Requests() {
		fmt.Printf("maxResults=%d nextToken=%q\n", aws.ToInt32(r.MaxResults), aws.ToString(r.NextToken))
	}
	// Output:
	// 2 sessions
	// error: devsessions: ListDevEnvironmentSessions page 2: ThrottlingException: slow down
	// 2 sessions
	// 1 sessions
	// maxResults=2 nextToken=""
	// maxResults=2 nextToken="tok-2"
	// maxResults=2 nextToken="tok-2"
	// maxResults=2 nextToken="tok-4"
}

// Fault.Empty and Fault.Extra model services that return empty pages or
// more items than asked.
func ExampleFault() {
	fake := devsessionstest.NewClient(devsessionstest.Sessions(6))
	fake.Script(1, devsessionstest.Fault{Empty: true})
	fake.Script(2, devsessionstest.Fault{Extra: 2})
	in := &codecatalyst.ListDevEnvironmentSessionsInput{
		SpaceName: aws.String("s"), ProjectName: aws.String("p"), DevEnvironmentId: aws.String("d"), MaxResults: aws.Int32(2),
	}
	for call := 1; call <= 3; call++ {
		out, err := fake.ListDevEnvironmentSessions(context.Background(), in)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%d items, next %q\n", len(out.Items), aws.ToString(out.NextToken))
		in.NextToken = out.NextToken
	}
	// Output:
	// 0 items, next "tok-0~1"
	// 4 items, next "tok-4"
	// 2 items, next ""
}

// Server runs a local HTTPS CodeCatalyst endpoint; its Client is the real
// SDK client, with bearer token, retries and typed errors, pointed at it.
func ExampleServer() {
	srv, err := devsessionstest.NewServer(devsessionstest.ServerOptions{Sessions: devsessionstest.Sessions(5)})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	p := devsessions.NewListDevEnvironmentSessionsPaginator(srv.Client(), &codecatalyst.ListDevEnvironmentSessionsInput{
		SpaceName:        aws.String(devsessionstest.DemoSpace),
		ProjectName:      aws.String(devsessionstest.DemoProject),
		DevEnvironmentId: aws.String(devsessionstest.DemoDevEnvironment),
	}, func(o *devsessions.ListDevEnvironmentSessionsPaginatorOptions) { o.MaxItems = 3 })
	sessions, err := p.Collect(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range sessions {
		fmt.Println(aws.ToString(s.Id))
	}
	fmt.Println("requests:", len(srv.Requests()), "resume token set:", p.ResumeToken() != "")
	// Output:
	// sess-0000
	// sess-0001
	// sess-0002
	// requests: 1 resume token set: true
}

// Seed a Client with a Data to serve any operation in the scope a request
// names; the generators make n items of each.
func ExampleNewDataClient() {
	d := devsessionstest.Data{
		Projects: map[string][]types.ProjectSummary{"my-space": devsessionstest.Projects(3)},
		WorkflowRuns: map[devsessionstest.ProjectKey][]types.WorkflowRunSummary{
			{Space: "my-space", Project: "project-0001"}: devsessionstest.WorkflowRuns(4),
		},
	}
	fake := devsessionstest.NewDataClient(d)
	ctx := context.Background()

	projects, _ := fake.ListProjects(ctx, &codecatalyst.ListProjectsInput{SpaceName: aws.String("my-space")})
	for _, p := range projects.Items {
		fmt.Println(aws.ToString(p.Name))
	}
	runs, _ := fake.ListWorkflowRuns(ctx, &codecatalyst.ListWorkflowRunsInput{
		SpaceName: aws.String("my-space"), ProjectName: aws.String("project-0001"), MaxResults: aws.Int32(3),
	})
	fmt.Println(len(runs.Items), "runs, next", aws.ToString(runs.NextToken))
	_, err := fake.ListWorkflows(ctx, &codecatalyst.ListWorkflowsInput{SpaceName: aws.String("my-space"), ProjectName: aws.String("nope")})
	var nf *types.ResourceNotFoundException
	fmt.Println("unknown project:", errors.As(err, &nf))
	// Output:
	// project-0000
	// project-0001
	// project-0002
	// 3 runs, next tok-3
	// unknown project: true
}

// A Server serves the same Data to the real SDK client (and the AWS CLI);
// its page tokens are opaque and bound to the listing that issued them.
func ExampleServerOptions_data() {
	srv, err := devsessionstest.NewServer(devsessionstest.ServerOptions{Data: devsessionstest.SampleData(3)})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	spaces, err := client.ListSpaces(ctx, &codecatalyst.ListSpacesInput{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(spaces.Items), "spaces, first", aws.ToString(spaces.Items[0].Name))
	user, err := client.GetUserDetails(ctx, &codecatalyst.GetUserDetailsInput{Id: aws.String("user-0000")})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(aws.ToString(user.DisplayName), aws.ToString(user.PrimaryEmail.Email))
	_, err = client.GetUserDetails(ctx, &codecatalyst.GetUserDetailsInput{Id: aws.String("user-9999")})
	var nf *types.ResourceNotFoundException
	fmt.Println("unknown user:", errors.As(err, &nf))
	// Output:
	// 3 spaces, first space-0000
	// User 0 user-0000@example.com
	// unknown user: true
}
