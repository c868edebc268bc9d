package devsessions_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

func input() *codecatalyst.ListDevEnvironmentSessionsInput {
	return &codecatalyst.ListDevEnvironmentSessionsInput{
		SpaceName:        aws.String(devsessionstest.DemoSpace),
		ProjectName:      aws.String(devsessionstest.DemoProject),
		DevEnvironmentId: aws.String(devsessionstest.DemoDevEnvironment),
	}
}

// ids returns the session ids of items, "sess-0003" style.
func ids(items []types.DevEnvironmentSessionSummary) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = aws.ToString(it.Id)
	}
	return out
}

// span returns the ids sess-<from> .. sess-<to-1>.
func span(from, to int) []string {
	out := []string{}
	for i := from; i < to; i++ {
		out = append(out, fmt.Sprintf("sess-%04d", i))
	}
	return out
}

// opts builds a paginator option function.
func opts(maxItems, pageSize int32, start string) func(*devsessions.ListDevEnvironmentSessionsPaginatorOptions) {
	return func(o *devsessions.ListDevEnvironmentSessionsPaginatorOptions) {
		o.MaxItems, o.PageSize, o.StartingToken = maxItems, pageSize, start
	}
}

// pageLoop drives NextPage to the end and returns the item ids per page.
func pageLoop(t *testing.T, ctx context.Context, p *devsessions.ListDevEnvironmentSessionsPaginator) [][]string {
	t.Helper()
	var pages [][]string
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		require.NoError(t, err)
		pages = append(pages, ids(out.Items))
	}
	return pages
}

// sizes returns the maxResults of each request (0 when absent).
func sizes(reqs []devsessionstest.Request) []int32 {
	out := make([]int32, len(reqs))
	for i, r := range reqs {
		out[i] = aws.ToInt32(r.MaxResults)
	}
	return out
}

// tokens returns the nextToken of each request ("" when absent).
func tokens(reqs []devsessionstest.Request) []string {
	out := make([]string, len(reqs))
	for i, r := range reqs {
		out[i] = aws.ToString(r.NextToken)
	}
	return out
}
