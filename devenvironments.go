package devsessions

import (
	"context"
	"iter"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"

	"github.com/codecatalyst-contrib/devsessions/internal/paginate"
)

// ListDevEnvironmentsPaginator pages through ListDevEnvironments: the dev
// environments of a space, or of one project of it. It keeps the contract
// of [ListDevEnvironmentSessionsPaginator] (exact positions, botocore's
// tokens shared with `aws codecatalyst list-dev-environments`, repeated
// token detection, Prefetch) for this operation.
//
// A paginator is not safe for concurrent use.
type ListDevEnvironmentsPaginator struct {
	e paginate.Pager[ListDevEnvironmentsAPIClient, codecatalyst.ListDevEnvironmentsInput,
		codecatalyst.ListDevEnvironmentsOutput, types.DevEnvironmentSummary]
}

// NewListDevEnvironmentsPaginator returns a paginator over the dev
// environments of params.SpaceName, or of params.ProjectName in it when that
// is not nil. Filters are sent unchanged. It copies params deeply (the
// caller's value, and everything it points to, are never read again or
// written) and applies optFns to a zero [ListDevEnvironmentsPaginatorOptions].
//
// It never fails: a nil client or params, an empty or nil SpaceName, an
// empty (non-nil) ProjectName, a PageSize or params.MaxResults outside
// 1..50, a negative MaxItems or an unusable StartingToken is reported by the
// first NextPage (or iterator step), before any request, as an error
// matching [ErrInvalidParameter] or [ErrInvalidStartingToken]. Such an
// error is permanent.
//
// The starting position is StartingToken if set, else params.NextToken (a raw
// service token), else the first page.
func NewListDevEnvironmentsPaginator(client ListDevEnvironmentsAPIClient, params *codecatalyst.ListDevEnvironmentsInput,
	optFns ...func(*ListDevEnvironmentsPaginatorOptions)) *ListDevEnvironmentsPaginator {
	var o ListDevEnvironmentsPaginatorOptions
	for _, fn := range optFns {
		fn(&o)
	}
	p := &ListDevEnvironmentsPaginator{}
	p.e.Init(devEnvironmentsSpec, client, params, paginate.Options(o))
	return p
}

// HasMorePages reports whether NextPage has something to return: a page, or
// an error not yet reported. It is false after the last page, after MaxItems
// is reached, and once a permanent error (invalid input, a repeated token)
// has been returned. A failed request does not change it.
func (p *ListDevEnvironmentsPaginator) HasMorePages() bool { return p.e.HasMorePages() }

// NextPage returns the next page: the service's output with Items cut to
// what this run delivers (the items a starting token skips and those past
// MaxItems are removed; a page left partly unread by Items continues where
// it stopped, without a new request). Keep
// [ListDevEnvironmentsPaginator.ResumeToken] rather than the output's
// NextToken: it is exact to the item.
//
// A page with no items but a nextToken is returned as is, and paging goes
// on. An empty or absent nextToken ends paging. A nextToken this run has
// already sent is never followed: the page is returned, and the next call
// returns an error matching [ErrDuplicateToken] (unless
// StopOnDuplicateToken), also when MaxItems is reached on that page.
//
// A failed request changes nothing: calling NextPage again sends the same
// request. A cancelled ctx sends nothing. Service errors are wrapped with
// %w, so [errors.As] finds smithy.APIError and the typed CodeCatalyst
// exceptions; when the first request of a run started from StartingToken
// is refused as invalid (ValidationException), the error says so and that
// omitting StartingToken starts over. After the last page NextPage returns
// [ErrNoMorePages]; after a permanent error it returns that error again.
// optFns are passed to the client on every request. Inside a prefetching
// loop of the same paginator it returns [ErrInPrefetchLoop] and changes
// nothing.
func (p *ListDevEnvironmentsPaginator) NextPage(ctx context.Context,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentsOutput, error) {
	return p.e.NextPage(ctx, optFns...)
}

// ResumeToken returns the token that resumes exactly at the first dev
// environment this paginator has not delivered, for StartingToken here or
// --starting-token in `aws codecatalyst list-dev-environments` (given the
// same --page-size as this run's PageSize, none when it had none), in
// botocore's encoding byte for byte. Before the first page it encodes the
// starting position; after a repeated token it stays on the page that
// carried it, past the items delivered.
//
// "" means one thing: nothing remains. While the input is invalid it
// returns the starting position as given (the StartingToken if it decoded,
// else "").
func (p *ListDevEnvironmentsPaginator) ResumeToken() string { return p.e.ResumeToken() }

// Pages returns an iterator over the remaining pages, as NextPage returns
// them. On an error it yields (nil, err) once and stops. The iterator is
// single-use; calling Pages again continues from the paginator's position.
func (p *ListDevEnvironmentsPaginator) Pages(ctx context.Context,
	optFns ...func(*codecatalyst.Options)) iter.Seq2[*codecatalyst.ListDevEnvironmentsOutput, error] {
	return p.e.Pages(ctx, optFns...)
}

// Items returns an iterator over the remaining dev environments, fetching
// pages as needed. An item counts as delivered when it is yielded, so after
// a break ResumeToken points at the next one, and the next call continues
// there, from the page already fetched. On an error it yields (zero, err)
// once, after every item before it, and stops. The iterator is single-use;
// calling Items again continues from the paginator's position.
func (p *ListDevEnvironmentsPaginator) Items(ctx context.Context,
	optFns ...func(*codecatalyst.Options)) iter.Seq2[types.DevEnvironmentSummary, error] {
	return p.e.Items(ctx, optFns...)
}

// Collect returns every remaining dev environment. On an error it returns
// those delivered before it together with the error; ResumeToken then
// continues after the last of them.
func (p *ListDevEnvironmentsPaginator) Collect(ctx context.Context,
	optFns ...func(*codecatalyst.Options)) ([]types.DevEnvironmentSummary, error) {
	return p.e.Collect(ctx, optFns...)
}

// devEnvironmentsSpec is ListDevEnvironments for the engine.
var devEnvironmentsSpec = &paginate.Spec[ListDevEnvironmentsAPIClient, codecatalyst.ListDevEnvironmentsInput,
	codecatalyst.ListDevEnvironmentsOutput, types.DevEnvironmentSummary]{
	Operation:   "ListDevEnvironments",
	MaxPageSize: 50,
	Call: func(c ListDevEnvironmentsAPIClient, ctx context.Context, in *codecatalyst.ListDevEnvironmentsInput,
		optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentsOutput, error) {
		return c.ListDevEnvironments(ctx, in, optFns...)
	},
	Copy: func(in *codecatalyst.ListDevEnvironmentsInput) codecatalyst.ListDevEnvironmentsInput {
		c := codecatalyst.ListDevEnvironmentsInput{SpaceName: cloneString(in.SpaceName), ProjectName: cloneString(in.ProjectName)}
		if in.Filters != nil {
			c.Filters = make([]types.Filter, len(in.Filters))
			for i, f := range in.Filters {
				c.Filters[i] = types.Filter{Key: cloneString(f.Key), ComparisonOperator: cloneString(f.ComparisonOperator)}
				if f.Values != nil {
					c.Filters[i].Values = append([]string{}, f.Values...)
				}
			}
		}
		return c
	},
	Check: func(in *codecatalyst.ListDevEnvironmentsInput) string {
		if msg := required(field{"SpaceName", in.SpaceName}); msg != "" {
			return msg
		}
		if in.ProjectName != nil && *in.ProjectName == "" {
			return "params.ProjectName must not be empty (nil means every project of the space)"
		}
		return ""
	},
	Limits: func(in *codecatalyst.ListDevEnvironmentsInput) (*string, *int32) { return in.NextToken, in.MaxResults },
	SetLimits: func(in *codecatalyst.ListDevEnvironmentsInput, next *string, size *int32) {
		in.NextToken, in.MaxResults = next, size
	},
	Page: func(out *codecatalyst.ListDevEnvironmentsOutput) ([]types.DevEnvironmentSummary, *string) {
		return out.Items, out.NextToken
	},
	WithItems: func(out *codecatalyst.ListDevEnvironmentsOutput, items []types.DevEnvironmentSummary) *codecatalyst.ListDevEnvironmentsOutput {
		c := *out
		c.Items = items
		return &c
	},
	ForeignToken: spaceToken,
	Errors:       errs,
}
