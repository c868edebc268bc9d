package devsessionstest_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// api is what both doubles serve: the methods of *codecatalyst.Client the
// fake Client implements, and which a Server answers through a real one.
type api interface {
	ListAccessTokens(context.Context, *codecatalyst.ListAccessTokensInput, ...func(*codecatalyst.Options)) (*codecatalyst.ListAccessTokensOutput, error)
	ListDevEnvironments(context.Context, *codecatalyst.ListDevEnvironmentsInput, ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentsOutput, error)
	ListDevEnvironmentSessions(context.Context, *codecatalyst.ListDevEnvironmentSessionsInput, ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error)
	ListEventLogs(context.Context, *codecatalyst.ListEventLogsInput, ...func(*codecatalyst.Options)) (*codecatalyst.ListEventLogsOutput, error)
	ListProjects(context.Context, *codecatalyst.ListProjectsInput, ...func(*codecatalyst.Options)) (*codecatalyst.ListProjectsOutput, error)
	ListSourceRepositories(context.Context, *codecatalyst.ListSourceRepositoriesInput, ...func(*codecatalyst.Options)) (*codecatalyst.ListSourceRepositoriesOutput, error)
	ListSourceRepositoryBranches(context.Context, *codecatalyst.ListSourceRepositoryBranchesInput, ...func(*codecatalyst.Options)) (*codecatalyst.ListSourceRepositoryBranchesOutput, error)
	ListSpaces(context.Context, *codecatalyst.ListSpacesInput, ...func(*codecatalyst.Options)) (*codecatalyst.ListSpacesOutput, error)
	ListWorkflowRuns(context.Context, *codecatalyst.ListWorkflowRunsInput, ...func(*codecatalyst.Options)) (*codecatalyst.ListWorkflowRunsOutput, error)
	ListWorkflows(context.Context, *codecatalyst.ListWorkflowsInput, ...func(*codecatalyst.Options)) (*codecatalyst.ListWorkflowsOutput, error)
	GetUserDetails(context.Context, *codecatalyst.GetUserDetailsInput, ...func(*codecatalyst.Options)) (*codecatalyst.GetUserDetailsOutput, error)
}

var _ api = (*devsessionstest.Client)(nil)
var _ api = (*codecatalyst.Client)(nil)

// double is one of the two doubles, made to serve d with pageSize as the
// default page size, and what it has received.
type double struct {
	name string
	make func(t *testing.T, d devsessionstest.Data, pageSize int32) (api, scripter)
}

// scripter is the fault scripting both doubles share.
type scripter interface {
	ScriptOperation(op string, call int, f devsessionstest.Fault)
}

var doubles = []double{
	{
		name: "Client",
		make: func(_ *testing.T, d devsessionstest.Data, pageSize int32) (api, scripter) {
			c := devsessionstest.NewDataClient(d)
			c.PageSize = pageSize
			return c, c
		},
	},
	{
		name: "Server",
		make: func(t *testing.T, d devsessionstest.Data, pageSize int32) (api, scripter) {
			srv, err := devsessionstest.NewServer(devsessionstest.ServerOptions{Data: d, PageSize: pageSize})
			require.NoError(t, err)
			t.Cleanup(srv.Close)
			return srv.Client(noRetry), srv
		},
	},
}

// page is one answer of a listing, its items as values to compare.
type page struct {
	items []any
	next  *string
}

// operation is one listing operation as the table tests call it: list asks
// for one page of the demo scope, with maxResults (nil for none) and
// token, and want is what the demo scope of d holds.
type operation struct {
	op   string
	list func(ctx context.Context, c api, maxResults *int32, token *string) (page, error)
	want func(d devsessionstest.Data) []any
	// unknown lists in a scope the data does not know.
	unknown func(ctx context.Context, c api) error
}

func items[T any](in []T) []any {
	out := make([]any, len(in))
	for i, v := range in {
		out[i] = v
	}
	return out
}

var (
	demoSpace   = aws.String(devsessionstest.DemoSpace)
	demoProject = aws.String(devsessionstest.DemoProject)
	demoKey     = devsessionstest.ProjectKey{Space: devsessionstest.DemoSpace, Project: devsessionstest.DemoProject}
	demoRepo    = devsessionstest.RepositoryKey{Space: devsessionstest.DemoSpace, Project: devsessionstest.DemoProject, Repository: devsessionstest.DemoRepository}
	// the window of every generated event log entry
	logStart = time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	logEnd   = time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC)
)

var operations = []operation{
	{
		op: devsessionstest.OpListAccessTokens,
		list: func(ctx context.Context, c api, m *int32, tok *string) (page, error) {
			out, err := c.ListAccessTokens(ctx, &codecatalyst.ListAccessTokensInput{MaxResults: m, NextToken: tok})
			if err != nil {
				return page{}, err
			}
			return page{items(out.Items), out.NextToken}, nil
		},
		want: func(d devsessionstest.Data) []any { return items(d.AccessTokens) },
	},
	{
		op: devsessionstest.OpListDevEnvironmentSessions,
		list: func(ctx context.Context, c api, m *int32, tok *string) (page, error) {
			in := demoInput()
			in.MaxResults, in.NextToken = m, tok
			out, err := c.ListDevEnvironmentSessions(ctx, in)
			if err != nil {
				return page{}, err
			}
			return page{items(out.Items), out.NextToken}, nil
		},
		want: func(d devsessionstest.Data) []any { return items(d.Sessions) },
		unknown: func(ctx context.Context, c api) error {
			in := demoInput()
			in.DevEnvironmentId = aws.String("99999999-2222-3333-4444-555555555555")
			_, err := c.ListDevEnvironmentSessions(ctx, in)
			return err
		},
	},
	{
		op: devsessionstest.OpListDevEnvironments,
		list: func(ctx context.Context, c api, m *int32, tok *string) (page, error) {
			out, err := c.ListDevEnvironments(ctx, &codecatalyst.ListDevEnvironmentsInput{SpaceName: demoSpace, MaxResults: m, NextToken: tok})
			if err != nil {
				return page{}, err
			}
			return page{items(out.Items), out.NextToken}, nil
		},
		want: func(d devsessionstest.Data) []any { return items(d.DevEnvironments) },
		unknown: func(ctx context.Context, c api) error {
			_, err := c.ListDevEnvironments(ctx, &codecatalyst.ListDevEnvironmentsInput{SpaceName: aws.String("no-such-space")})
			return err
		},
	},
	{
		op: devsessionstest.OpListEventLogs,
		list: func(ctx context.Context, c api, m *int32, tok *string) (page, error) {
			out, err := c.ListEventLogs(ctx, &codecatalyst.ListEventLogsInput{
				SpaceName: demoSpace, StartTime: &logStart, EndTime: &logEnd, MaxResults: m, NextToken: tok,
			})
			if err != nil {
				return page{}, err
			}
			return page{items(out.Items), out.NextToken}, nil
		},
		want: func(d devsessionstest.Data) []any { return items(d.EventLogs[devsessionstest.DemoSpace]) },
		unknown: func(ctx context.Context, c api) error {
			_, err := c.ListEventLogs(ctx, &codecatalyst.ListEventLogsInput{SpaceName: aws.String("no-such-space"), StartTime: &logStart, EndTime: &logEnd})
			return err
		},
	},
	{
		op: devsessionstest.OpListProjects,
		list: func(ctx context.Context, c api, m *int32, tok *string) (page, error) {
			out, err := c.ListProjects(ctx, &codecatalyst.ListProjectsInput{SpaceName: demoSpace, MaxResults: m, NextToken: tok})
			if err != nil {
				return page{}, err
			}
			return page{items(out.Items), out.NextToken}, nil
		},
		want: func(d devsessionstest.Data) []any { return items(d.Projects[devsessionstest.DemoSpace]) },
		unknown: func(ctx context.Context, c api) error {
			_, err := c.ListProjects(ctx, &codecatalyst.ListProjectsInput{SpaceName: aws.String("no-such-space")})
			return err
		},
	},
	{
		op: devsessionstest.OpListSourceRepositories,
		list: func(ctx context.Context, c api, m *int32, tok *string) (page, error) {
			out, err := c.ListSourceRepositories(ctx, &codecatalyst.ListSourceRepositoriesInput{
				SpaceName: demoSpace, ProjectName: demoProject, MaxResults: m, NextToken: tok,
			})
			if err != nil {
				return page{}, err
			}
			return page{items(out.Items), out.NextToken}, nil
		},
		want: func(d devsessionstest.Data) []any { return items(d.SourceRepositories[demoKey]) },
		unknown: func(ctx context.Context, c api) error {
			_, err := c.ListSourceRepositories(ctx, &codecatalyst.ListSourceRepositoriesInput{SpaceName: demoSpace, ProjectName: aws.String("no-such-project")})
			return err
		},
	},
	{
		op: devsessionstest.OpListSourceRepositoryBranches,
		list: func(ctx context.Context, c api, m *int32, tok *string) (page, error) {
			out, err := c.ListSourceRepositoryBranches(ctx, &codecatalyst.ListSourceRepositoryBranchesInput{
				SpaceName: demoSpace, ProjectName: demoProject, SourceRepositoryName: aws.String(devsessionstest.DemoRepository),
				MaxResults: m, NextToken: tok,
			})
			if err != nil {
				return page{}, err
			}
			return page{items(out.Items), out.NextToken}, nil
		},
		want: func(d devsessionstest.Data) []any { return items(d.SourceRepositoryBranches[demoRepo]) },
		unknown: func(ctx context.Context, c api) error {
			_, err := c.ListSourceRepositoryBranches(ctx, &codecatalyst.ListSourceRepositoryBranchesInput{
				SpaceName: demoSpace, ProjectName: demoProject, SourceRepositoryName: aws.String("no-such-repo"),
			})
			return err
		},
	},
	{
		op: devsessionstest.OpListSpaces,
		list: func(ctx context.Context, c api, _ *int32, tok *string) (page, error) {
			out, err := c.ListSpaces(ctx, &codecatalyst.ListSpacesInput{NextToken: tok})
			if err != nil {
				return page{}, err
			}
			return page{items(out.Items), out.NextToken}, nil
		},
		want: func(d devsessionstest.Data) []any { return items(d.Spaces) },
	},
	{
		op: devsessionstest.OpListWorkflowRuns,
		list: func(ctx context.Context, c api, m *int32, tok *string) (page, error) {
			out, err := c.ListWorkflowRuns(ctx, &codecatalyst.ListWorkflowRunsInput{
				SpaceName: demoSpace, ProjectName: demoProject, MaxResults: m, NextToken: tok,
			})
			if err != nil {
				return page{}, err
			}
			return page{items(out.Items), out.NextToken}, nil
		},
		want: func(d devsessionstest.Data) []any { return items(d.WorkflowRuns[demoKey]) },
		unknown: func(ctx context.Context, c api) error {
			_, err := c.ListWorkflowRuns(ctx, &codecatalyst.ListWorkflowRunsInput{SpaceName: demoSpace, ProjectName: aws.String("no-such-project")})
			return err
		},
	},
	{
		op: devsessionstest.OpListWorkflows,
		list: func(ctx context.Context, c api, m *int32, tok *string) (page, error) {
			out, err := c.ListWorkflows(ctx, &codecatalyst.ListWorkflowsInput{
				SpaceName: demoSpace, ProjectName: demoProject, MaxResults: m, NextToken: tok,
			})
			if err != nil {
				return page{}, err
			}
			return page{items(out.Items), out.NextToken}, nil
		},
		want: func(d devsessionstest.Data) []any { return items(d.Workflows[demoKey]) },
		unknown: func(ctx context.Context, c api) error {
			_, err := c.ListWorkflows(ctx, &codecatalyst.ListWorkflowsInput{SpaceName: aws.String("no-such-space"), ProjectName: demoProject})
			return err
		},
	},
}

// listAllPages follows a listing to its end, maxResults at a time, and
// returns its items and how many pages it took.
func listAllPages(t *testing.T, c api, o operation, maxResults *int32) ([]any, int) {
	t.Helper()
	var all []any
	var tok *string
	pages := 0
	for {
		p, err := o.list(t.Context(), c, maxResults, tok)
		require.NoError(t, err, "page %d", pages+1)
		pages++
		all = append(all, p.items...)
		if p.next == nil {
			return all, pages
		}
		require.Less(t, pages, 100, "the listing does not end")
		tok = p.next
	}
}

func TestOperationsTableCoversEveryOperation(t *testing.T) {
	var ops []string
	for _, o := range operations {
		ops = append(ops, o.op)
	}
	assert.Equal(t, devsessionstest.ListOperations(), ops)
}

func TestEveryOperationServesAllItemsInPages(t *testing.T) {
	d := devsessionstest.SampleData(8)
	for _, db := range doubles {
		for _, o := range operations {
			t.Run(db.name+"/"+o.op, func(t *testing.T) {
				c, _ := db.make(t, d, 3)
				want := o.want(d)
				require.Len(t, want, 8)
				got, pages := listAllPages(t, c, o, nil)
				assert.Equal(t, want, got, "the default page size")
				assert.Equal(t, 3, pages, "8 items, 3 a page")
				if devsessionstest.MaxResults(o.op) == 0 {
					return
				}
				got, pages = listAllPages(t, c, o, aws.Int32(5))
				assert.Equal(t, want, got, "maxResults 5")
				assert.Equal(t, 2, pages)
				got, pages = listAllPages(t, c, o, aws.Int32(devsessionstest.MaxResults(o.op)))
				assert.Equal(t, want, got, "the largest maxResults")
				assert.Equal(t, 1, pages)
			})
		}
	}
}

func TestEveryOperationRefusesMaxResultsOutOfBounds(t *testing.T) {
	d := devsessionstest.SampleData(2)
	for _, db := range doubles {
		for _, o := range operations {
			limit := devsessionstest.MaxResults(o.op)
			if limit == 0 {
				continue // ListSpaces has no maxResults
			}
			for _, m := range []int32{0, -1, limit + 1} {
				t.Run(db.name+"/"+o.op, func(t *testing.T) {
					c, _ := db.make(t, d, 0)
					_, err := o.list(t.Context(), c, aws.Int32(m), nil)
					var ve *types.ValidationException
					require.ErrorAs(t, err, &ve, "maxResults %d", m)
				})
			}
		}
	}
}

func TestEveryOperationRefusesATokenItDidNotIssue(t *testing.T) {
	d := devsessionstest.SampleData(2)
	for _, db := range doubles {
		for _, o := range operations {
			t.Run(db.name+"/"+o.op, func(t *testing.T) {
				c, _ := db.make(t, d, 0)
				for _, tok := range []string{"", "not-a-token", "tok-99"} {
					_, err := o.list(t.Context(), c, nil, aws.String(tok))
					var ve *types.ValidationException
					require.ErrorAs(t, err, &ve, "token %q", tok)
				}
			})
		}
	}
}

func TestServerRefusesATokenOfAnotherListing(t *testing.T) {
	d := devsessionstest.SampleData(8)
	srv, err := devsessionstest.NewServer(devsessionstest.ServerOptions{Data: d, PageSize: 3})
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	c := srv.Client(noRetry)
	tokens := make(map[string]*string, len(operations))
	for _, o := range operations {
		p, err := o.list(t.Context(), c, nil, nil)
		require.NoError(t, err)
		require.NotNil(t, p.next, o.op)
		tokens[o.op] = p.next
	}
	for _, o := range operations {
		for _, from := range operations {
			t.Run(o.op+"/token of "+from.op, func(t *testing.T) {
				_, err := o.list(t.Context(), c, nil, tokens[from.op])
				if from.op == o.op {
					require.NoError(t, err)
					return
				}
				var ve *types.ValidationException
				require.ErrorAs(t, err, &ve)
			})
		}
	}
}

func TestEveryScopedOperationAnswersAnUnknownScopeWithNotFound(t *testing.T) {
	d := devsessionstest.SampleData(2)
	for _, db := range doubles {
		for _, o := range operations {
			if o.unknown == nil {
				continue // not scoped
			}
			t.Run(db.name+"/"+o.op, func(t *testing.T) {
				c, _ := db.make(t, d, 0)
				var nf *types.ResourceNotFoundException
				require.ErrorAs(t, o.unknown(t.Context(), c), &nf)
			})
		}
	}
}

func TestEveryOperationTakesScriptedFaults(t *testing.T) {
	d := devsessionstest.SampleData(8)
	for _, db := range doubles {
		for _, o := range operations {
			t.Run(db.name+"/"+o.op, func(t *testing.T) {
				c, sc := db.make(t, d, 3)
				sc.ScriptOperation(o.op, 1, devsessionstest.Fault{Err: &types.ConflictException{Message: aws.String("scripted")}})
				sc.ScriptOperation(o.op, 2, devsessionstest.Fault{Empty: true})
				sc.ScriptOperation(o.op, 3, devsessionstest.Fault{Extra: 1})

				_, err := o.list(t.Context(), c, nil, nil)
				var ce *types.ConflictException
				require.ErrorAs(t, err, &ce, "call 1: the scripted error")

				p, err := o.list(t.Context(), c, nil, nil)
				require.NoError(t, err)
				assert.Empty(t, p.items, "call 2: an empty page")
				require.NotNil(t, p.next, "call 2: an empty page goes on")

				p, err = o.list(t.Context(), c, nil, p.next)
				require.NoError(t, err)
				assert.Equal(t, o.want(d)[:4], p.items, "call 3: one item more than the page size, from the start")

				p, err = o.list(t.Context(), c, nil, p.next)
				require.NoError(t, err)
				assert.Equal(t, o.want(d)[4:7], p.items, "call 4: no fault")
			})
		}
	}
}
