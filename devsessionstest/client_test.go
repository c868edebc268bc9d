package devsessionstest_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

func TestClientRejectsWhatTheServiceRejects(t *testing.T) {
	cases := map[string]func(*codecatalyst.ListDevEnvironmentSessionsInput){
		"maxResults 0":        func(in *codecatalyst.ListDevEnvironmentSessionsInput) { in.MaxResults = aws.Int32(0) },
		"maxResults 201":      func(in *codecatalyst.ListDevEnvironmentSessionsInput) { in.MaxResults = aws.Int32(201) },
		"empty nextToken":     func(in *codecatalyst.ListDevEnvironmentSessionsInput) { in.NextToken = aws.String("") },
		"unknown nextToken":   func(in *codecatalyst.ListDevEnvironmentSessionsInput) { in.NextToken = aws.String("abc") },
		"token past the end":  func(in *codecatalyst.ListDevEnvironmentSessionsInput) { in.NextToken = aws.String("tok-6") },
		"token with padding":  func(in *codecatalyst.ListDevEnvironmentSessionsInput) { in.NextToken = aws.String("tok-01") },
		"missing space name":  func(in *codecatalyst.ListDevEnvironmentSessionsInput) { in.SpaceName = nil },
		"empty dev env id":    func(in *codecatalyst.ListDevEnvironmentSessionsInput) { in.DevEnvironmentId = aws.String("") },
		"negative token":      func(in *codecatalyst.ListDevEnvironmentSessionsInput) { in.NextToken = aws.String("tok--1") },
		"token not a number":  func(in *codecatalyst.ListDevEnvironmentSessionsInput) { in.NextToken = aws.String("tok-x") },
		"token without tok- ": func(in *codecatalyst.ListDevEnvironmentSessionsInput) { in.NextToken = aws.String("5") },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			fake := devsessionstest.NewClient(devsessionstest.Sessions(5))
			in := demoInput()
			mutate(in)
			out, err := fake.ListDevEnvironmentSessions(t.Context(), in)
			assert.Nil(t, out)
			var ve *types.ValidationException
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, 1, fake.Calls(), "the request is recorded")
			assert.Zero(t, fake.ItemsServed())
		})
	}
}

func TestClientPages(t *testing.T) {
	fake := devsessionstest.NewClient(devsessionstest.Sessions(30))
	out, err := fake.ListDevEnvironmentSessions(t.Context(), demoInput())
	require.NoError(t, err)
	assert.Len(t, out.Items, devsessionstest.DefaultPageSize)
	assert.Equal(t, "tok-25", aws.ToString(out.NextToken))

	fake.PageSize = 7
	in := demoInput()
	in.NextToken = aws.String("tok-25")
	out, err = fake.ListDevEnvironmentSessions(t.Context(), in)
	require.NoError(t, err)
	assert.Len(t, out.Items, 5)
	assert.Nil(t, out.NextToken)
	assert.Equal(t, 30, fake.ItemsServed())
}
