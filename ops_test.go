package devsessions_test

import (
	"context"
	"fmt"
	"iter"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// The contract tests run one table over every public paginator: each
// operation below is a paginator seen through anyPager, whose pages and
// items are item ids. An operation's n items have ids op.span(0, n).

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
	maxPageSize int32
	maxToken    int // the model's bound on nextToken, in characters
	idPrefix    string
	// newFake returns a fake serving n items with ids span(0, n).
	newFake func(n int) *devsessionstest.Client
	// newPager returns the paginator over client (nil, or a value that
	// implements the operation's client interface) for the operation's
	// valid params changed by a.
	newPager func(client any, a args, o popts) anyPager
	// invalid are the operation's own invalid inputs.
	invalid []invalidInput
}

// span returns the ids of the operation's items from..to-1.
func (op operation) span(from, to int) []string {
	out := []string{}
	for i := from; i < to; i++ {
		out = append(out, fmt.Sprintf("%s%04d", op.idPrefix, i))
	}
	return out
}

// pager returns the paginator over fake with the valid params.
func (op operation) pager(client any, o popts) anyPager { return op.newPager(client, args{}, o) }

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

// wrapSessions and wrapEnvs see a typed paginator as anyPager.
func wrapSessions(p *devsessions.ListDevEnvironmentSessionsPaginator) anyPager {
	return adapter[codecatalyst.ListDevEnvironmentSessionsOutput, types.DevEnvironmentSessionSummary]{
		p: p,
		page: func(o *codecatalyst.ListDevEnvironmentSessionsOutput) ([]types.DevEnvironmentSessionSummary, *string) {
			return o.Items, o.NextToken
		},
		id: func(it types.DevEnvironmentSessionSummary) string { return aws.ToString(it.Id) },
	}
}

func wrapEnvs(p *devsessions.ListDevEnvironmentsPaginator) anyPager {
	return adapter[codecatalyst.ListDevEnvironmentsOutput, types.DevEnvironmentSummary]{
		p: p,
		page: func(o *codecatalyst.ListDevEnvironmentsOutput) ([]types.DevEnvironmentSummary, *string) {
			return o.Items, o.NextToken
		},
		id: func(it types.DevEnvironmentSummary) string { return aws.ToString(it.Id) },
	}
}

var sessionsOp = operation{
	name: "ListDevEnvironmentSessions", maxPageSize: 200, maxToken: 10000, idPrefix: "sess-",
	newFake: func(n int) *devsessionstest.Client { return devsessionstest.NewClient(devsessionstest.Sessions(n)) },
	newPager: func(client any, a args, o popts) anyPager {
		c, _ := client.(devsessions.ListDevEnvironmentSessionsAPIClient)
		in := input()
		in.MaxResults, in.NextToken = a.MaxResults, a.NextToken
		return wrapSessions(devsessions.NewListDevEnvironmentSessionsPaginator(c, in, sessionsOptions(o)))
	},
	invalid: []invalidInput{
		{name: "nil params", mention: "params", newPager: func(client any) anyPager {
			return wrapSessions(devsessions.NewListDevEnvironmentSessionsPaginator(client.(devsessions.ListDevEnvironmentSessionsAPIClient), nil))
		}},
		{name: "missing space", mention: "SpaceName", newPager: sessionsWith(func(in *codecatalyst.ListDevEnvironmentSessionsInput) { in.SpaceName = nil })},
		{name: "empty space", mention: "SpaceName", newPager: sessionsWith(func(in *codecatalyst.ListDevEnvironmentSessionsInput) { in.SpaceName = aws.String("") })},
		{name: "missing project", mention: "ProjectName", newPager: sessionsWith(func(in *codecatalyst.ListDevEnvironmentSessionsInput) { in.ProjectName = nil })},
		{name: "empty project", mention: "ProjectName", newPager: sessionsWith(func(in *codecatalyst.ListDevEnvironmentSessionsInput) { in.ProjectName = aws.String("") })},
		{name: "missing dev environment", mention: "DevEnvironmentId", newPager: sessionsWith(func(in *codecatalyst.ListDevEnvironmentSessionsInput) { in.DevEnvironmentId = nil })},
		{name: "empty dev environment", mention: "DevEnvironmentId", newPager: sessionsWith(func(in *codecatalyst.ListDevEnvironmentSessionsInput) { in.DevEnvironmentId = aws.String("") })},
	},
}

func sessionsWith(f func(*codecatalyst.ListDevEnvironmentSessionsInput)) func(client any) anyPager {
	return func(client any) anyPager {
		in := input()
		f(in)
		return wrapSessions(devsessions.NewListDevEnvironmentSessionsPaginator(client.(devsessions.ListDevEnvironmentSessionsAPIClient), in))
	}
}

var envsOp = operation{
	name: "ListDevEnvironments", maxPageSize: 50, maxToken: 10000, idPrefix: "env-",
	newFake: func(n int) *devsessionstest.Client { return devsessionstest.NewSpaceClient(devEnvironments(n), nil) },
	newPager: func(client any, a args, o popts) anyPager {
		c, _ := client.(devsessions.ListDevEnvironmentsAPIClient)
		in := envInput()
		in.MaxResults, in.NextToken = a.MaxResults, a.NextToken
		return wrapEnvs(devsessions.NewListDevEnvironmentsPaginator(c, in, envOptions(o)))
	},
	invalid: []invalidInput{
		{name: "nil params", mention: "params", newPager: func(client any) anyPager {
			return wrapEnvs(devsessions.NewListDevEnvironmentsPaginator(client.(devsessions.ListDevEnvironmentsAPIClient), nil))
		}},
		{name: "missing space", mention: "SpaceName", newPager: envsWith(func(in *codecatalyst.ListDevEnvironmentsInput) { in.SpaceName = nil })},
		{name: "empty space", mention: "SpaceName", newPager: envsWith(func(in *codecatalyst.ListDevEnvironmentsInput) { in.SpaceName = aws.String("") })},
		{name: "empty project", mention: "ProjectName", newPager: envsWith(func(in *codecatalyst.ListDevEnvironmentsInput) { in.ProjectName = aws.String("") })},
	},
}

func envsWith(f func(*codecatalyst.ListDevEnvironmentsInput)) func(client any) anyPager {
	return func(client any) anyPager {
		in := envInput()
		f(in)
		return wrapEnvs(devsessions.NewListDevEnvironmentsPaginator(client.(devsessions.ListDevEnvironmentsAPIClient), in))
	}
}

// operations are the paginators every contract test runs over.
var operations = []operation{sessionsOp, envsOp}

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

func (a adapter[Out, Item]) HasMorePages() bool  { return a.p.HasMorePages() }
func (a adapter[Out, Item]) ResumeToken() string { return a.p.ResumeToken() }

func (a adapter[Out, Item]) toPage(out *Out) *page {
	if out == nil {
		return nil
	}
	items, next := a.page(out)
	return &page{ids: a.ids(items), next: next}
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

// wrappedClient lets a test wrapper see every call of either operation:
// before runs ahead of each call with the input's description.
type wrappedClient struct {
	*devsessionstest.Client
	before func(ctx context.Context, in any, optFns int)
}

func (w *wrappedClient) ListDevEnvironmentSessions(ctx context.Context, in *codecatalyst.ListDevEnvironmentSessionsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	w.before(ctx, in, len(optFns))
	return w.Client.ListDevEnvironmentSessions(ctx, in, optFns...)
}

func (w *wrappedClient) ListDevEnvironments(ctx context.Context, in *codecatalyst.ListDevEnvironmentsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentsOutput, error) {
	w.before(ctx, in, len(optFns))
	return w.Client.ListDevEnvironments(ctx, in, optFns...)
}

// describeAny describes either operation's input: space, token, size.
func describeAny(in any) string {
	var space, next *string
	var size *int32
	switch in := in.(type) {
	case *codecatalyst.ListDevEnvironmentSessionsInput:
		space, next, size = in.SpaceName, in.NextToken, in.MaxResults
	case *codecatalyst.ListDevEnvironmentsInput:
		space, next, size = in.SpaceName, in.NextToken, in.MaxResults
	default:
		panic(fmt.Sprintf("unknown input %T", in))
	}
	return aws.ToString(space) + "|" + aws.ToString(next) + "|" + strconv.Itoa(int(aws.ToInt32(size)))
}

// nilClient returns no output and no error, for either operation.
type nilClient struct{}

func (nilClient) ListDevEnvironmentSessions(context.Context, *codecatalyst.ListDevEnvironmentSessionsInput,
	...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	return nil, nil
}

func (nilClient) ListDevEnvironments(context.Context, *codecatalyst.ListDevEnvironmentsInput,
	...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentsOutput, error) {
	return nil, nil
}
