package devsessions

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions/internal/paginate"
	"github.com/codecatalyst-contrib/devsessions/internal/token"
)

// A third CodeCatalyst paginator is data for the engine, with no change to
// it: this is ListProjects (maxResults 1..100) in a few dozen lines.
type listProjectsAPIClient interface {
	ListProjects(context.Context, *codecatalyst.ListProjectsInput, ...func(*codecatalyst.Options)) (*codecatalyst.ListProjectsOutput, error)
}

var projectsSpec = &paginate.Spec[listProjectsAPIClient, codecatalyst.ListProjectsInput, codecatalyst.ListProjectsOutput, types.ProjectSummary]{
	Operation:   "ListProjects",
	MaxPageSize: 100,
	Call: func(c listProjectsAPIClient, ctx context.Context, in *codecatalyst.ListProjectsInput, optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListProjectsOutput, error) {
		return c.ListProjects(ctx, in, optFns...)
	},
	Copy: func(in *codecatalyst.ListProjectsInput) codecatalyst.ListProjectsInput {
		return codecatalyst.ListProjectsInput{SpaceName: cloneString(in.SpaceName)} // (filters left out of this demonstration)
	},
	Check:  func(in *codecatalyst.ListProjectsInput) string { return required(field{"SpaceName", in.SpaceName}) },
	Limits: func(in *codecatalyst.ListProjectsInput) (*string, *int32) { return in.NextToken, in.MaxResults },
	SetLimits: func(in *codecatalyst.ListProjectsInput, next *string, size *int32) {
		in.NextToken, in.MaxResults = next, size
	},
	Page: func(out *codecatalyst.ListProjectsOutput) ([]types.ProjectSummary, *string) {
		return out.Items, out.NextToken
	},
	WithItems: func(out *codecatalyst.ListProjectsOutput, items []types.ProjectSummary) *codecatalyst.ListProjectsOutput {
		c := *out
		c.Items = items
		return &c
	},
	Errors: errs,
}

// projectsClient serves n projects, "p-<i>", with offset tokens.
type projectsClient struct {
	n     int
	sizes []int32
}

func (c *projectsClient) ListProjects(_ context.Context, in *codecatalyst.ListProjectsInput, _ ...func(*codecatalyst.Options)) (*codecatalyst.ListProjectsOutput, error) {
	start, size := 0, 10
	if in.NextToken != nil {
		start, _ = strconv.Atoi(*in.NextToken)
	}
	if in.MaxResults != nil {
		size = int(*in.MaxResults)
	}
	c.sizes = append(c.sizes, aws.ToInt32(in.MaxResults))
	out := &codecatalyst.ListProjectsOutput{}
	for i := start; i < min(start+size, c.n); i++ {
		out.Items = append(out.Items, types.ProjectSummary{Name: aws.String(fmt.Sprintf("p-%d", i))})
	}
	if start+size < c.n {
		out.NextToken = aws.String(strconv.Itoa(start + size))
	}
	return out, nil
}

func TestAThirdOperationIsOnlyData(t *testing.T) {
	names := func(items []types.ProjectSummary) (out []string) {
		for _, it := range items {
			out = append(out, aws.ToString(it.Name))
		}
		return out
	}
	c := &projectsClient{n: 23}
	var p paginate.Pager[listProjectsAPIClient, codecatalyst.ListProjectsInput, codecatalyst.ListProjectsOutput, types.ProjectSummary]
	p.Init(projectsSpec, c, &codecatalyst.ListProjectsInput{SpaceName: aws.String("s")}, paginate.Options{MaxItems: 7, PageSize: 5})
	first, err := p.Collect(t.Context())
	require.NoError(t, err)
	assert.Equal(t, []int32{5, 2}, c.sizes, "the page size, then what the cap needs")
	assert.Equal(t, token.Encode(token.Position{NextToken: aws.String("7")}), p.ResumeToken())

	p.Init(projectsSpec, c, &codecatalyst.ListProjectsInput{SpaceName: aws.String("s")}, paginate.Options{StartingToken: p.ResumeToken(), PageSize: 100})
	rest, err := p.Collect(t.Context())
	require.NoError(t, err)
	var want []string
	for i := range 23 {
		want = append(want, fmt.Sprintf("p-%d", i))
	}
	assert.Equal(t, want, append(names(first), names(rest)...))
	assert.Empty(t, p.ResumeToken())

	p.Init(projectsSpec, c, &codecatalyst.ListProjectsInput{SpaceName: aws.String("s")}, paginate.Options{PageSize: 101})
	_, err = p.Collect(t.Context())
	assert.ErrorIs(t, err, ErrInvalidParameter, "the model's bound is data too")
}
