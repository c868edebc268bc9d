package devsessionstest_test

import (
	"context"
	"math/rand/v2"
	"net/http"
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
	make func(tb testing.TB, d devsessionstest.Data, pageSize int32) (api, scripter)
}

// scripter is the fault scripting both doubles share.
type scripter interface {
	ScriptOperation(op string, call int, f devsessionstest.Fault)
}

var doubles = []double{
	{
		name: "Client",
		make: func(_ testing.TB, d devsessionstest.Data, pageSize int32) (api, scripter) {
			c := devsessionstest.NewDataClient(d)
			c.PageSize = pageSize
			return c, c
		},
	},
	{
		name: "Server",
		make: func(tb testing.TB, d devsessionstest.Data, pageSize int32) (api, scripter) {
			srv, err := devsessionstest.NewServer(devsessionstest.ServerOptions{Data: d, PageSize: pageSize})
			require.NoError(tb, err)
			tb.Cleanup(srv.Close)
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
				first := aws.String(*p.next)
				require.NotNil(t, p.next, "call 2: an empty page goes on")

				p, err = o.list(t.Context(), c, nil, p.next)
				require.NoError(t, err)
				assert.Equal(t, o.want(d)[:4], p.items, "call 3: one item more than the page size, from the start")

				p, err = o.list(t.Context(), c, nil, p.next)
				require.NoError(t, err)
				assert.Equal(t, o.want(d)[4:7], p.items, "call 4: no fault")
				at7 := p.next

				sc.ScriptOperation(o.op, 5, devsessionstest.Fault{Status: http.StatusTooManyRequests})
				sc.ScriptOperation(o.op, 6, devsessionstest.Fault{RepeatToken: true})
				sc.ScriptOperation(o.op, 7, devsessionstest.Fault{NextToken: first})
				_, err = o.list(t.Context(), c, nil, at7)
				var te *types.ThrottlingException
				require.ErrorAs(t, err, &te, "call 5: throttled")

				p, err = o.list(t.Context(), c, nil, at7)
				require.NoError(t, err)
				assert.Equal(t, o.want(d)[7:], p.items, "call 6: the last page")
				assert.Equal(t, at7, p.next, "call 6: its own token again")

				p, err = o.list(t.Context(), c, nil, at7)
				require.NoError(t, err)
				assert.Equal(t, o.want(d)[7:], p.items, "call 7: the last page")
				assert.Equal(t, first, p.next, "call 7: the scripted token")
			})
		}
	}
}

// TestEveryOperationListsEveryItemOnceWhateverThePageSizes is the doubles'
// promise as a property: over random data sizes and random maxResults on
// every call, following the tokens yields every item of the scope once, in
// order, and the listing ends.
func TestEveryOperationListsEveryItemOnceWhateverThePageSizes(t *testing.T) {
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	for round := range 6 {
		n := rng.IntN(30)
		pageSize := int32(1 + rng.IntN(12))
		d := devsessionstest.SampleData(n)
		for _, db := range doubles {
			c, _ := db.make(t, d, pageSize)
			for _, o := range operations {
				if n == 0 && o.op == devsessionstest.OpListDevEnvironmentSessions {
					continue // SampleData(0) has no DemoDevEnvironment
				}
				var got []any
				var tok *string
				for calls := 0; ; calls++ {
					require.LessOrEqual(t, calls, n+1, "round %d, %s %s: the listing does not end", round, db.name, o.op)
					var m *int32
					if limit := devsessionstest.MaxResults(o.op); limit > 0 && rng.IntN(3) > 0 {
						m = aws.Int32(1 + rng.Int32N(min(limit, 12)))
					}
					p, err := o.list(t.Context(), c, m, tok)
					require.NoError(t, err)
					got = append(got, p.items...)
					if p.next == nil {
						break
					}
					tok = p.next
				}
				want := o.want(d)
				if len(want) == 0 {
					want = nil
				}
				require.Equal(t, want, got, "round %d (n=%d, page size %d), %s %s", round, n, pageSize, db.name, o.op)
			}
		}
	}
}

// recorded returns the operations of the requests a double has received.
func recorded(sc scripter) []string {
	var ops []string
	switch d := sc.(type) {
	case *devsessionstest.Client:
		for _, r := range d.Requests() {
			ops = append(ops, r.Operation)
		}
	case *devsessionstest.Server:
		for _, r := range d.Requests() {
			ops = append(ops, r.Operation)
		}
	}
	return ops
}

func TestEveryOperationIsRecordedByName(t *testing.T) {
	d := devsessionstest.SampleData(2)
	for _, db := range doubles {
		t.Run(db.name, func(t *testing.T) {
			c, sc := db.make(t, d, 0)
			var want []string
			for _, o := range operations {
				_, err := o.list(t.Context(), c, nil, nil)
				require.NoError(t, err)
				want = append(want, o.op)
			}
			_, err := c.GetUserDetails(t.Context(), &codecatalyst.GetUserDetailsInput{UserName: aws.String("user-0000")})
			require.NoError(t, err)
			want = append(want, devsessionstest.OpGetUserDetails)
			assert.Equal(t, want, recorded(sc))
		})
	}
}

func TestClientRecordsCopiesOfTheNewOperationsInputs(t *testing.T) {
	c := devsessionstest.NewDataClient(devsessionstest.SampleData(2))
	start, end, name := logStart, logEnd, "createDevEnvironment"
	_, err := c.ListEventLogs(t.Context(), &codecatalyst.ListEventLogsInput{SpaceName: demoSpace, StartTime: &start, EndTime: &end, EventName: &name})
	require.NoError(t, err)
	filters := []types.ProjectListFilter{{Key: types.FilterKeyName, Values: []string{"project-0001"}}}
	_, err = c.ListProjects(t.Context(), &codecatalyst.ListProjectsInput{SpaceName: demoSpace, Filters: filters})
	require.NoError(t, err)
	wf := devsessionstest.DemoWorkflow
	_, err = c.ListWorkflowRuns(t.Context(), &codecatalyst.ListWorkflowRunsInput{SpaceName: demoSpace, ProjectName: demoProject, WorkflowId: &wf})
	require.NoError(t, err)
	id := "user-0001"
	_, err = c.GetUserDetails(t.Context(), &codecatalyst.GetUserDetailsInput{Id: &id})
	require.NoError(t, err)

	start, end, name, wf, id = time.Time{}, time.Time{}, "changed", "changed", "changed"
	filters[0].Values[0] = "changed"
	r := c.Requests()
	require.Len(t, r, 4)
	assert.Equal(t, logStart, *r[0].StartTime)
	assert.Equal(t, logEnd, *r[0].EndTime)
	assert.Equal(t, "createDevEnvironment", *r[0].EventName)
	assert.Equal(t, devsessionstest.DemoSpace, r[0].SpaceName)
	assert.Equal(t, []string{"project-0001"}, r[1].ProjectFilters[0].Values)
	assert.Equal(t, devsessionstest.DemoWorkflow, *r[2].WorkflowID)
	assert.Equal(t, devsessionstest.DemoProject, r[2].ProjectName)
	assert.Equal(t, "user-0001", *r[3].UserID)
	assert.Nil(t, r[3].UserName)
}
