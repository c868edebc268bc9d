package devsessions_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
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

// assertReportsAgain checks that p, whose permanent error (matching want)
// has been reported, reports it again from every call: NextPage, Collect,
// Items and Pages each return or yield it once, with nothing else.
func assertReportsAgain(t *testing.T, p anyPager, want error) {
	t.Helper()
	ctx := t.Context()
	_, err := p.NextPage(ctx)
	require.ErrorIs(t, err, want, "NextPage")
	items, err := p.Collect(ctx)
	require.ErrorIs(t, err, want, "Collect")
	require.Empty(t, items, "Collect")
	var yielded []error
	for id, err := range p.Items(ctx) {
		require.Empty(t, id, "Items")
		yielded = append(yielded, err)
	}
	require.Len(t, yielded, 1, "Items yields the error once")
	require.ErrorIs(t, yielded[0], want, "Items")
	yielded = nil
	for pg, err := range p.Pages(ctx) {
		require.Nil(t, pg, "Pages")
		yielded = append(yielded, err)
	}
	require.Len(t, yielded, 1, "Pages yields the error once")
	require.ErrorIs(t, yielded[0], want, "Pages")
	require.False(t, p.HasMorePages())
}

// nonCanonical returns s, padded base64 whose last character carries unused
// bits, with one of those bits set: the same bytes to a decoder that ignores
// them (Python's, and so botocore's), another string to a strict one.
func nonCanonical(t *testing.T, s string) string {
	t.Helper()
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	i := len(strings.TrimRight(s, "=")) - 1
	require.Less(t, i, len(s)-1, "s must be padded")
	out := s[:i] + string(alphabet[strings.IndexByte(alphabet, s[i])+1]) + s[i+1:]
	want, err := base64.StdEncoding.DecodeString(s)
	require.NoError(t, err)
	got, err := base64.StdEncoding.DecodeString(out)
	require.NoError(t, err)
	require.Equal(t, want, got)
	_, err = base64.StdEncoding.Strict().DecodeString(out)
	require.Error(t, err, "not canonical")
	return out
}
