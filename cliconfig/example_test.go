package cliconfig_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/url"
	"os"
	"syscall"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/cliconfig"
)

// A program of your own: the client the AWS CLI's settings describe, at
// most 100 sessions a run, and a resume token kept between runs.
func ExampleNewClient() {
	ctx := context.Background()
	client, err := cliconfig.NewClient(ctx) // or: func(o *cliconfig.Options) { o.Profile = "codecatalyst" }
	if err != nil {
		log.Fatal(err) // says what to set, e.g. AWS_BEARER_TOKEN_CODECATALYST
	}

	saved, _ := os.ReadFile("resume-token") // what the last run left, if any
	p := devsessions.NewListDevEnvironmentSessionsPaginator(client, &codecatalyst.ListDevEnvironmentSessionsInput{
		SpaceName:        aws.String("my-space"),
		ProjectName:      aws.String("my-project"),
		DevEnvironmentId: aws.String("my-dev-environment-id"),
	}, func(o *devsessions.ListDevEnvironmentSessionsPaginatorOptions) {
		o.MaxItems = 100 // at most 100 sessions this run
		o.PageSize = 25  // maxResults per request
		o.StartingToken = string(saved)
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if cliconfig.IsCertificateError(err) {
			log.Fatal("the endpoint's TLS certificate is not trusted; set AWS_CA_BUNDLE to the PEM file of the authority that signed it")
		}
		if err != nil {
			log.Fatal(err)
		}
		for _, s := range page.Items {
			fmt.Println(aws.ToString(s.Id), aws.ToTime(s.StartedTime))
		}
	}
	// "" when nothing remains; else the next run starts at the next session.
	if err := os.WriteFile("resume-token", []byte(p.ResumeToken()), 0o600); err != nil {
		log.Fatal(err)
	}
}

// A connection that cannot be made, in the AWS CLI's words.
func ExampleIsConnectionError() {
	err := fmt.Errorf("operation error CodeCatalyst: ListDevEnvironments: %w", &url.Error{
		Op: "Post", URL: "https://127.0.0.1:9/v1/spaces/demo-space/devEnvironments",
		Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED},
	})
	var u *url.Error
	if cliconfig.IsConnectionError(err) && errors.As(err, &u) {
		fmt.Printf("Could not connect to the endpoint URL: %q\n", u.URL)
	}
	// Output: Could not connect to the endpoint URL: "https://127.0.0.1:9/v1/spaces/demo-space/devEnvironments"
}
