package devsessionstest_test

import (
	"context"
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
