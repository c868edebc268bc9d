package devsessions_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"iter"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
	"github.com/stretchr/testify/require"
)

// This file holds what the tests share: the operations the contract tests
// run over, one fixture each, and the helpers that drive them. The contract
// tests run one table over every public paginator: each operation below is
// a paginator seen through anyPager, whose pages and items are item ids. An
// operation's n items have ids op.span(0, n). (The client doubles of every
// operation are generated into client_test.go.)

// popts are the options every paginator has, field for field.
type popts struct {
	MaxItems             int32
	PageSize             int32
	StartingToken        string
	StopOnDuplicateToken bool
	Prefetch             int
}

// po builds popts from the three options most tests set.
func po(maxItems, pageSize int32, start string) popts {
	return popts{MaxItems: maxItems, PageSize: pageSize, StartingToken: start}
}

// args are the changes a test makes to an operation's valid params.
type args struct {
	MaxResults *int32
	NextToken  *string
}

// page is one page as anyPager returns it: the ids of its items and the
// service's nextToken.
type page struct {
	ids  []string
	next *string
	// clear sets the output's Items and NextToken to nil, as a caller that
	// owns the page may.
	clear func()
}

// anyPager is what every paginator offers, with items as ids.
type anyPager interface {
	HasMorePages() bool
	NextPage(ctx context.Context, optFns ...func(*codecatalyst.Options)) (*page, error)
	ResumeToken() string
	Pages(ctx context.Context, optFns ...func(*codecatalyst.Options)) iter.Seq2[*page, error]
	Items(ctx context.Context, optFns ...func(*codecatalyst.Options)) iter.Seq2[string, error]
	Collect(ctx context.Context, optFns ...func(*codecatalyst.Options)) ([]string, error)
}

// invalidInput is an operation-specific input that the paginator refuses.
type invalidInput struct {
	name, mention string
	newPager      func(client any) anyPager
}

// operation is one paginated operation for the contract tests.
type operation struct {
	name        string
	maxPageSize int32 // 0: the operation has no page size (ListSpaces)
	maxToken    int   // the model's bound on nextToken, in characters
	// idFormat formats item i's id (or name): op.span(from, to) are the ids
	// of items from..to-1; idPrefix is what comes before the number.
	idFormat, idPrefix string
	// newFake returns a fake serving n items with ids span(0, n).
	newFake func(n int) *devsessionstest.Client
	// newPager returns the paginator over client (nil, or a value that
	// implements the operation's client interface) for the operation's
	// valid params changed by a.
	newPager func(client any, a args, o popts) anyPager
	// invalid are the operation's own invalid inputs.
	invalid []invalidInput
	// bounded are its strings with length bounds.
	bounded []boundedString
	// construct returns the paginator over client for params, a *In of
	// the operation, as given.
	construct func(client any, params any, o popts) anyPager
	// params returns the operation's valid params; key is the JSON member
	// of an item that holds its id.
	params func() any
	key    string
}

// span returns the ids of the operation's items from..to-1.
func (op operation) span(from, to int) []string {
	out := []string{}
	for i := from; i < to; i++ {
		out = append(out, fmt.Sprintf(op.idFormat, i))
	}
	return out
}

// pager returns the paginator over fake with the valid params.
func (op operation) pager(client any, o popts) anyPager { return op.newPager(client, args{}, o) }

// fixture is what the contract tests need to know of one operation; the
// rest (the invalid inputs, the adapter to anyPager) is derived from it.
// C is the operation's client interface.
type fixture[C any, In, Out, Item any] struct {
	name        string
	maxPageSize int32
	maxToken    int
	idFormat    string
	// key is the item's field whose value is its id in the tests (Id or
	// Name).
	key     string
	newFake func(n int) *devsessionstest.Client
	// params returns the valid params, set to list the fake's n items.
	params func() *In
	// construct is NewXPaginator with popts as the operation's options.
	construct func(c C, in *In, o popts) *devsessions.Paginator[Out, Item]
	// required are the names of In's required fields: each one nil, and
	// each string one empty, is an invalid input. nonEmpty are optional
	// strings that must not be set empty.
	required, nonEmpty []string
	// lengths are the model's length bounds on In's strings, {min, max}
	// (max 0: none); maxMembers bounds its lists. A string one character
	// short or over, or a list one member over, is an invalid input.
	lengths    map[string][2]int
	maxMembers map[string]int
	// window: StartTime must be before EndTime.
	window bool
}

// operation derives the contract tests' view of f.
func (f fixture[C, In, Out, Item]) operation() operation {
	wrap := func(p *devsessions.Paginator[Out, Item]) anyPager {
		return adapter[Out, Item]{p: p,
			page: func(o *Out) ([]Item, *string) {
				v := reflect.ValueOf(o).Elem()
				return v.FieldByName("Items").Interface().([]Item), v.FieldByName("NextToken").Interface().(*string)
			},
			id: func(it Item) string {
				return aws.ToString(reflect.ValueOf(it).FieldByName(f.key).Interface().(*string))
			},
		}
	}
	with := func(change func(reflect.Value)) func(client any) anyPager {
		return func(client any) anyPager {
			in := f.params()
			change(reflect.ValueOf(in).Elem())
			c, _ := client.(C)
			return wrap(f.construct(c, in, popts{}))
		}
	}
	op := operation{
		name: f.name, maxPageSize: f.maxPageSize, maxToken: f.maxToken,
		idFormat: f.idFormat, idPrefix: f.idFormat[:strings.IndexByte(f.idFormat, '%')],
		newFake: f.newFake,
		params:  func() any { return f.params() },
		key:     strings.ToLower(f.key[:1]) + f.key[1:],
		newPager: func(client any, a args, o popts) anyPager {
			c, _ := client.(C)
			in := f.params()
			v := reflect.ValueOf(in).Elem()
			v.FieldByName("NextToken").Set(reflect.ValueOf(a.NextToken))
			if a.MaxResults != nil || f.maxPageSize > 0 {
				v.FieldByName("MaxResults").Set(reflect.ValueOf(a.MaxResults))
			}
			return wrap(f.construct(c, in, o))
		},
		construct: func(client any, params any, o popts) anyPager {
			c, _ := client.(C)
			return wrap(f.construct(c, params.(*In), o))
		},
		invalid: []invalidInput{{name: "nil params", mention: "params", newPager: func(client any) anyPager {
			c, _ := client.(C)
			return wrap(f.construct(c, nil, popts{}))
		}}},
	}
	for _, name := range f.required {
		op.invalid = append(op.invalid, invalidInput{name: "missing " + name, mention: name, newPager: with(func(v reflect.Value) {
			field := v.FieldByName(name)
			field.Set(reflect.Zero(field.Type()))
		})})
	}
	for _, name := range append(slices.Clone(f.required), f.nonEmpty...) {
		if _, ok := reflect.ValueOf(f.params()).Elem().FieldByName(name).Interface().(*string); ok {
			op.invalid = append(op.invalid, invalidInput{name: "empty " + name, mention: name, newPager: with(func(v reflect.Value) {
				v.FieldByName(name).Set(reflect.ValueOf(aws.String("")))
			})})
		}
	}
	for _, name := range slices.Sorted(maps.Keys(f.lengths)) {
		b := f.lengths[name]
		op.bounded = append(op.bounded, boundedString{name: name, min: b[0], max: b[1], newPager: func(client any, s string) anyPager {
			return with(func(v reflect.Value) { v.FieldByName(name).Set(reflect.ValueOf(aws.String(s))) })(client)
		}})
		if b[0] > 1 {
			// Characters are code points, as botocore counts them: min-1
			// two-byte characters have enough bytes but too few characters.
			short := strings.Repeat("é", b[0]-1)
			op.invalid = append(op.invalid, invalidInput{name: name + " one character short", mention: name, newPager: with(func(v reflect.Value) {
				v.FieldByName(name).Set(reflect.ValueOf(aws.String(short)))
			})})
		}
		if b[1] > 0 {
			long := strings.Repeat("a", b[1]+1)
			op.invalid = append(op.invalid, invalidInput{name: name + " one character over", mention: name, newPager: with(func(v reflect.Value) {
				v.FieldByName(name).Set(reflect.ValueOf(aws.String(long)))
			})})
		}
	}
	for name, n := range f.maxMembers {
		op.invalid = append(op.invalid, invalidInput{name: name + " one member over", mention: name, newPager: with(func(v reflect.Value) {
			field := v.FieldByName(name)
			field.Set(reflect.MakeSlice(field.Type(), n+1, n+1))
		})})
	}
	if f.window {
		for _, c := range []struct {
			name string
			end  time.Duration // EndTime - StartTime
		}{{"StartTime equal to EndTime", 0}, {"StartTime after EndTime", -time.Hour}} {
			op.invalid = append(op.invalid, invalidInput{name: c.name, mention: "StartTime (2024-06-01T00:00:00Z) must be before params.EndTime", newPager: with(func(v reflect.Value) {
				start := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
				v.FieldByName("StartTime").Set(reflect.ValueOf(aws.Time(start)))
				v.FieldByName("EndTime").Set(reflect.ValueOf(aws.Time(start.Add(c.end))))
			})})
		}
	}
	return op
}

// boundedString is a string member with the model's length bounds; newPager
// returns the paginator over client with the member set to s.
type boundedString struct {
	name     string
	min, max int
	newPager func(client any, s string) anyPager
}

// options converts popts to an operation's options, which are
// PaginatorOptions for all but ListSpaces.
func options(o popts) func(*devsessions.PaginatorOptions) {
	return func(x *devsessions.PaginatorOptions) { *x = devsessions.PaginatorOptions(o) }
}

// space, project and repository name the demo scope.
func demoSpace() *string { return aws.String(devsessionstest.DemoSpace) }

func demoProject() *string { return aws.String(devsessionstest.DemoProject) }

func demoRepository() *string { return aws.String(devsessionstest.DemoRepository) }

// sample is a fake serving n items of every operation in the demo scope.
func sample(n int) *devsessionstest.Client {
	return devsessionstest.NewDataClient(devsessionstest.SampleData(n))
}

// operations are the paginators every contract test runs over, one fixture
// each.
var operations = []operation{
	fixture[devsessions.ListAccessTokensAPIClient, codecatalyst.ListAccessTokensInput, codecatalyst.ListAccessTokensOutput, types.AccessTokenSummary]{
		name: "ListAccessTokens", maxPageSize: 10, maxToken: 10000, idFormat: "token-%04d", key: "Id", newFake: sample,
		params: func() *codecatalyst.ListAccessTokensInput { return &codecatalyst.ListAccessTokensInput{} },
		construct: func(c devsessions.ListAccessTokensAPIClient, in *codecatalyst.ListAccessTokensInput, o popts) *devsessions.ListAccessTokensPaginator {
			return devsessions.NewListAccessTokensPaginator(c, in, options(o))
		},
	}.operation(),
	fixture[devsessions.ListDevEnvironmentSessionsAPIClient, codecatalyst.ListDevEnvironmentSessionsInput, codecatalyst.ListDevEnvironmentSessionsOutput, types.DevEnvironmentSessionSummary]{
		name: "ListDevEnvironmentSessions", maxPageSize: 200, maxToken: 10000, idFormat: "sess-%04d", key: "Id",
		newFake: func(n int) *devsessionstest.Client { return devsessionstest.NewClient(devsessionstest.Sessions(n)) },
		params:  input,
		construct: func(c devsessions.ListDevEnvironmentSessionsAPIClient, in *codecatalyst.ListDevEnvironmentSessionsInput, o popts) *devsessions.ListDevEnvironmentSessionsPaginator {
			return devsessions.NewListDevEnvironmentSessionsPaginator(c, in, options(o))
		},
		required: []string{"SpaceName", "ProjectName", "DevEnvironmentId"},
		lengths:  map[string][2]int{"SpaceName": {3, 63}, "ProjectName": {3, 63}},
	}.operation(),
	fixture[devsessions.ListDevEnvironmentsAPIClient, codecatalyst.ListDevEnvironmentsInput, codecatalyst.ListDevEnvironmentsOutput, types.DevEnvironmentSummary]{
		name: "ListDevEnvironments", maxPageSize: 50, maxToken: 10000, idFormat: "env-%04d", key: "Id",
		newFake: func(n int) *devsessionstest.Client { return devsessionstest.NewSpaceClient(devEnvironments(n), nil) },
		params:  envInput,
		construct: func(c devsessions.ListDevEnvironmentsAPIClient, in *codecatalyst.ListDevEnvironmentsInput, o popts) *devsessions.ListDevEnvironmentsPaginator {
			return devsessions.NewListDevEnvironmentsPaginator(c, in, options(o))
		},
		required: []string{"SpaceName"}, nonEmpty: []string{"ProjectName"},
		lengths: map[string][2]int{"SpaceName": {3, 63}, "ProjectName": {3, 63}},
	}.operation(),
	fixture[devsessions.ListEventLogsAPIClient, codecatalyst.ListEventLogsInput, codecatalyst.ListEventLogsOutput, types.EventLogEntry]{
		name: "ListEventLogs", maxPageSize: 250, maxToken: 10000, idFormat: "event-%04d", key: "Id", newFake: sample,
		params: func() *codecatalyst.ListEventLogsInput {
			return &codecatalyst.ListEventLogsInput{SpaceName: demoSpace(),
				StartTime: aws.Time(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)), EndTime: aws.Time(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))}
		},
		construct: func(c devsessions.ListEventLogsAPIClient, in *codecatalyst.ListEventLogsInput, o popts) *devsessions.ListEventLogsPaginator {
			return devsessions.NewListEventLogsPaginator(c, in, options(o))
		},
		required: []string{"SpaceName", "StartTime", "EndTime"},
		lengths:  map[string][2]int{"SpaceName": {3, 63}}, window: true,
	}.operation(),
	fixture[devsessions.ListProjectsAPIClient, codecatalyst.ListProjectsInput, codecatalyst.ListProjectsOutput, types.ProjectSummary]{
		name: "ListProjects", maxPageSize: 100, maxToken: 10000, idFormat: "project-%04d", key: "Name", newFake: sample,
		params: func() *codecatalyst.ListProjectsInput { return &codecatalyst.ListProjectsInput{SpaceName: demoSpace()} },
		construct: func(c devsessions.ListProjectsAPIClient, in *codecatalyst.ListProjectsInput, o popts) *devsessions.ListProjectsPaginator {
			return devsessions.NewListProjectsPaginator(c, in, options(o))
		},
		required: []string{"SpaceName"}, lengths: map[string][2]int{"SpaceName": {3, 63}},
	}.operation(),
	fixture[devsessions.ListSourceRepositoriesAPIClient, codecatalyst.ListSourceRepositoriesInput, codecatalyst.ListSourceRepositoriesOutput, types.ListSourceRepositoriesItem]{
		name: "ListSourceRepositories", maxPageSize: 200, maxToken: 10000, idFormat: "repo-%04d", key: "Name", newFake: sample,
		params: func() *codecatalyst.ListSourceRepositoriesInput {
			return &codecatalyst.ListSourceRepositoriesInput{SpaceName: demoSpace(), ProjectName: demoProject()}
		},
		construct: func(c devsessions.ListSourceRepositoriesAPIClient, in *codecatalyst.ListSourceRepositoriesInput, o popts) *devsessions.ListSourceRepositoriesPaginator {
			return devsessions.NewListSourceRepositoriesPaginator(c, in, options(o))
		},
		required: []string{"SpaceName", "ProjectName"},
		lengths:  map[string][2]int{"SpaceName": {3, 63}, "ProjectName": {3, 63}},
	}.operation(),
	fixture[devsessions.ListSourceRepositoryBranchesAPIClient, codecatalyst.ListSourceRepositoryBranchesInput, codecatalyst.ListSourceRepositoryBranchesOutput, types.ListSourceRepositoryBranchesItem]{
		name: "ListSourceRepositoryBranches", maxPageSize: 50, maxToken: 10000, idFormat: "branch-%04d", key: "Name", newFake: sample,
		params: func() *codecatalyst.ListSourceRepositoryBranchesInput {
			return &codecatalyst.ListSourceRepositoryBranchesInput{SpaceName: demoSpace(), ProjectName: demoProject(), SourceRepositoryName: demoRepository()}
		},
		construct: func(c devsessions.ListSourceRepositoryBranchesAPIClient, in *codecatalyst.ListSourceRepositoryBranchesInput, o popts) *devsessions.ListSourceRepositoryBranchesPaginator {
			return devsessions.NewListSourceRepositoryBranchesPaginator(c, in, options(o))
		},
		required: []string{"SpaceName", "ProjectName", "SourceRepositoryName"},
		lengths:  map[string][2]int{"SpaceName": {3, 63}, "ProjectName": {3, 63}, "SourceRepositoryName": {1, 100}},
	}.operation(),
	fixture[devsessions.ListSpacesAPIClient, codecatalyst.ListSpacesInput, codecatalyst.ListSpacesOutput, types.SpaceSummary]{
		name: "ListSpaces", maxToken: 10000, idFormat: "space-%04d", key: "Name", newFake: sample,
		params: func() *codecatalyst.ListSpacesInput { return &codecatalyst.ListSpacesInput{} },
		construct: func(c devsessions.ListSpacesAPIClient, in *codecatalyst.ListSpacesInput, o popts) *devsessions.ListSpacesPaginator {
			if o.PageSize != 0 {
				// No page size to send: the fake's own page is that size
				// instead, so that tests of small pages run here too.
				servePages(c, o.PageSize)
			}
			return devsessions.NewListSpacesPaginator(c, in, func(x *devsessions.ListSpacesPaginatorOptions) {
				*x = devsessions.ListSpacesPaginatorOptions{MaxItems: o.MaxItems, StartingToken: o.StartingToken,
					StopOnDuplicateToken: o.StopOnDuplicateToken, Prefetch: o.Prefetch}
			})
		},
	}.operation(),
	fixture[devsessions.ListWorkflowRunsAPIClient, codecatalyst.ListWorkflowRunsInput, codecatalyst.ListWorkflowRunsOutput, types.WorkflowRunSummary]{
		name: "ListWorkflowRuns", maxPageSize: 50, maxToken: 2048, idFormat: "4a000000-0000-4000-8000-%012d", key: "Id", newFake: sample,
		params: func() *codecatalyst.ListWorkflowRunsInput {
			return &codecatalyst.ListWorkflowRunsInput{SpaceName: demoSpace(), ProjectName: demoProject()}
		},
		construct: func(c devsessions.ListWorkflowRunsAPIClient, in *codecatalyst.ListWorkflowRunsInput, o popts) *devsessions.ListWorkflowRunsPaginator {
			return devsessions.NewListWorkflowRunsPaginator(c, in, options(o))
		},
		required: []string{"SpaceName", "ProjectName"},
		lengths:  map[string][2]int{"SpaceName": {3, 63}, "ProjectName": {1, 0}}, maxMembers: map[string]int{"SortBy": 1},
	}.operation(),
	fixture[devsessions.ListWorkflowsAPIClient, codecatalyst.ListWorkflowsInput, codecatalyst.ListWorkflowsOutput, types.WorkflowSummary]{
		name: "ListWorkflows", maxPageSize: 100, maxToken: 2048, idFormat: "workflow-%04d", key: "Name", newFake: sample,
		params: func() *codecatalyst.ListWorkflowsInput {
			return &codecatalyst.ListWorkflowsInput{SpaceName: demoSpace(), ProjectName: demoProject()}
		},
		construct: func(c devsessions.ListWorkflowsAPIClient, in *codecatalyst.ListWorkflowsInput, o popts) *devsessions.ListWorkflowsPaginator {
			return devsessions.NewListWorkflowsPaginator(c, in, options(o))
		},
		required: []string{"SpaceName", "ProjectName"},
		lengths:  map[string][2]int{"SpaceName": {1, 0}, "ProjectName": {3, 63}}, maxMembers: map[string]int{"SortBy": 1},
	}.operation(),
}

// devEnvironments returns n dev environments of the demo space and project,
// with ids env-0000, env-0001, ... and every field the model requires.
func devEnvironments(n int) []types.DevEnvironmentSummary {
	out := make([]types.DevEnvironmentSummary, n)
	epoch := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	for i := range out {
		updated := epoch.Add(time.Duration(i) * time.Minute)
		out[i] = types.DevEnvironmentSummary{
			SpaceName:                aws.String(devsessionstest.DemoSpace),
			ProjectName:              aws.String(devsessionstest.DemoProject),
			Id:                       aws.String(fmt.Sprintf("env-%04d", i)),
			LastUpdatedTime:          &updated,
			CreatorId:                aws.String("user-test"),
			Status:                   types.DevEnvironmentStatusRunning,
			Repositories:             []types.DevEnvironmentRepositorySummary{},
			InstanceType:             types.InstanceTypeDevStandard1Small,
			InactivityTimeoutMinutes: 15,
			PersistentStorage:        &types.PersistentStorage{SizeInGiB: aws.Int32(16)},
		}
	}
	return out
}

func envInput() *codecatalyst.ListDevEnvironmentsInput {
	return &codecatalyst.ListDevEnvironmentsInput{
		SpaceName:   aws.String(devsessionstest.DemoSpace),
		ProjectName: aws.String(devsessionstest.DemoProject),
	}
}

func sessionsOptions(o popts) func(*devsessions.ListDevEnvironmentSessionsPaginatorOptions) {
	return func(x *devsessions.ListDevEnvironmentSessionsPaginatorOptions) {
		*x = devsessions.ListDevEnvironmentSessionsPaginatorOptions(o)
	}
}

func envOptions(o popts) func(*devsessions.ListDevEnvironmentsPaginatorOptions) {
	return func(x *devsessions.ListDevEnvironmentsPaginatorOptions) {
		*x = devsessions.ListDevEnvironmentsPaginatorOptions(o)
	}
}

// servePages makes the fake behind c answer with pages of n items.
func servePages(c any, n int32) {
	switch c := c.(type) {
	case *devsessionstest.Client:
		c.PageSize = n
	case *wrappedClient:
		c.Client.PageSize = n
	}
}

// withPageSize returns the operations that have a page size (all but
// ListSpaces), for the tests of what is sent as maxResults.
func withPageSize(ops []operation) []operation {
	var out []operation
	for _, op := range ops {
		if op.maxPageSize > 0 {
			out = append(out, op)
		}
	}
	return out
}

// sessionsOp and envsOp are the operations that some tests single out.
var (
	sessionsOp = operations[1]
	envsOp     = operations[2]
)

// typedPaginator is the method set both public paginators have.
type typedPaginator[Out, Item any] interface {
	HasMorePages() bool
	NextPage(context.Context, ...func(*codecatalyst.Options)) (*Out, error)
	ResumeToken() string
	Pages(context.Context, ...func(*codecatalyst.Options)) iter.Seq2[*Out, error]
	Items(context.Context, ...func(*codecatalyst.Options)) iter.Seq2[Item, error]
	Collect(context.Context, ...func(*codecatalyst.Options)) ([]Item, error)
}

// adapter is a typed paginator seen as anyPager.
type adapter[Out, Item any] struct {
	p    typedPaginator[Out, Item]
	page func(*Out) ([]Item, *string)
	id   func(Item) string
}

func (a adapter[Out, Item]) HasMorePages() bool { return a.p.HasMorePages() }

func (a adapter[Out, Item]) ResumeToken() string { return a.p.ResumeToken() }

func (a adapter[Out, Item]) toPage(out *Out) *page {
	if out == nil {
		return nil
	}
	items, next := a.page(out)
	return &page{ids: a.ids(items), next: next, clear: func() {
		v := reflect.ValueOf(out).Elem()
		for _, name := range []string{"Items", "NextToken"} {
			v.FieldByName(name).SetZero()
		}
	}}
}

func (a adapter[Out, Item]) ids(items []Item) []string {
	if items == nil {
		return nil
	}
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = a.id(it)
	}
	return out
}

func (a adapter[Out, Item]) NextPage(ctx context.Context, optFns ...func(*codecatalyst.Options)) (*page, error) {
	out, err := a.p.NextPage(ctx, optFns...)
	return a.toPage(out), err
}

func (a adapter[Out, Item]) Pages(ctx context.Context, optFns ...func(*codecatalyst.Options)) iter.Seq2[*page, error] {
	return func(yield func(*page, error) bool) {
		for out, err := range a.p.Pages(ctx, optFns...) {
			if !yield(a.toPage(out), err) {
				return
			}
		}
	}
}

func (a adapter[Out, Item]) Items(ctx context.Context, optFns ...func(*codecatalyst.Options)) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for it, err := range a.p.Items(ctx, optFns...) {
			id := ""
			if err == nil {
				id = a.id(it)
			}
			if !yield(id, err) {
				return
			}
		}
	}
}

func (a adapter[Out, Item]) Collect(ctx context.Context, optFns ...func(*codecatalyst.Options)) ([]string, error) {
	items, err := a.p.Collect(ctx, optFns...)
	return a.ids(items), err
}

// loop drives NextPage to the end and returns the item ids per page.
func loop(t *testing.T, ctx context.Context, p anyPager) [][]string {
	t.Helper()
	var pages [][]string
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		require.NoError(t, err)
		pages = append(pages, out.ids)
	}
	return pages
}

// drainIDs runs Items to the end and returns the ids delivered and the
// errors yielded, in order.
func drainIDs(ctx context.Context, p anyPager) (got []string, errs []error) {
	for id, err := range p.Items(ctx) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, id)
	}
	return got, errs
}

// describeAny describes any operation's input, every field's value (the
// wrappedClient and nilClient doubles of every operation are in
// client_test.go, generated).
func describeAny(in any) string {
	v := reflect.ValueOf(in).Elem()
	var b strings.Builder
	for i := range v.NumField() {
		if !v.Type().Field(i).IsExported() {
			continue
		}
		f := v.Field(i)
		if f.Kind() == reflect.Pointer && !f.IsNil() {
			f = f.Elem()
		}
		fmt.Fprintf(&b, "%s=%v|", v.Type().Field(i).Name, f)
	}
	return b.String()
}

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
