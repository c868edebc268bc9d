package devsessions

import (
	"context"
	"iter"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"

	"github.com/codecatalyst-contrib/devsessions/internal/paginate"
)

// ListDevEnvironmentSessionsPaginator pages through ListDevEnvironmentSessions.
//
// Its position is always the first item not yet delivered: every page, item
// or error it hands out moves that position exactly past what was handed
// out, and [ListDevEnvironmentSessionsPaginator.ResumeToken] encodes it.
//
// A paginator is not safe for concurrent use. Without Prefetch it holds at
// most one fetched page; it never requests a page twice in one run unless a
// request failed. To detect repeated tokens it keeps a 64-bit fingerprint of
// every token it sends (16 to 64 bytes a page).
type ListDevEnvironmentSessionsPaginator struct {
	e paginate.Pager[ListDevEnvironmentSessionsAPIClient, codecatalyst.ListDevEnvironmentSessionsInput,
		codecatalyst.ListDevEnvironmentSessionsOutput, types.DevEnvironmentSessionSummary]
}

// NewListDevEnvironmentSessionsPaginator returns a paginator over the
// sessions of one dev environment. It copies params deeply (the caller's
// value, and the strings it points to, are never read again or written) and
// applies optFns to a zero [ListDevEnvironmentSessionsPaginatorOptions].
//
// It never fails: a nil client or params, an empty SpaceName, ProjectName
// or DevEnvironmentId, a PageSize or params.MaxResults outside 1..200, a
// negative MaxItems or an unusable StartingToken is reported by the first
// NextPage (or iterator step), before any request, as an error matching
// [ErrInvalidParameter] or [ErrInvalidStartingToken]. Such an error is
// permanent.
//
// The starting position is StartingToken if set, else params.NextToken (a raw
// service token), else the first page.
func NewListDevEnvironmentSessionsPaginator(client ListDevEnvironmentSessionsAPIClient,
	params *codecatalyst.ListDevEnvironmentSessionsInput,
	optFns ...func(*ListDevEnvironmentSessionsPaginatorOptions)) *ListDevEnvironmentSessionsPaginator {
	var o ListDevEnvironmentSessionsPaginatorOptions
	for _, fn := range optFns {
		fn(&o)
	}
	p := &ListDevEnvironmentSessionsPaginator{}
	p.e.Init(sessionsSpec, client, params, paginate.Options(o))
	return p
}

// HasMorePages reports whether NextPage has something to return: a page, or
// an error not yet reported. It is false after the last page, after MaxItems
// is reached, and once a permanent error (invalid input, a repeated token)
// has been returned. A failed request does not change it.
func (p *ListDevEnvironmentSessionsPaginator) HasMorePages() bool { return p.e.HasMorePages() }

// NextPage returns the next page: the service's output with Items cut to
// what this run delivers (the items a starting token skips and those past
// MaxItems are removed; a page left partly unread by Items continues where
// it stopped, without a new request). The output's NextToken is the
// service's own; keep [ListDevEnvironmentSessionsPaginator.ResumeToken]
// instead, which is exact to the item.
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
func (p *ListDevEnvironmentSessionsPaginator) NextPage(ctx context.Context,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	return p.e.NextPage(ctx, optFns...)
}

// ResumeToken returns the token that resumes exactly at the first item this
// paginator has not delivered, for StartingToken here or --starting-token in
// the AWS CLI (given the same --page-size as this run's PageSize, none when
// it had none). It is botocore's encoding byte for byte: at a page boundary
// the very string the AWS CLI prints; inside a page (after MaxItems cut it,
// or after a break out of Items) it also carries boto_truncate_amount.
// Before the first page it encodes the starting position; after a repeated
// token it stays on the page that carried it, past the items delivered.
//
// "" means one thing: nothing remains. While the input is invalid it
// returns the starting position as given (the StartingToken if it decoded,
// else ""), so saving it never loses a good token.
func (p *ListDevEnvironmentSessionsPaginator) ResumeToken() string { return p.e.ResumeToken() }

// Pages returns an iterator over the remaining pages, as NextPage returns
// them. On an error it yields (nil, err) once and stops. The iterator is
// single-use; calling Pages again continues from the paginator's position.
func (p *ListDevEnvironmentSessionsPaginator) Pages(ctx context.Context,
	optFns ...func(*codecatalyst.Options)) iter.Seq2[*codecatalyst.ListDevEnvironmentSessionsOutput, error] {
	return p.e.Pages(ctx, optFns...)
}

// Items returns an iterator over the remaining items, fetching pages as
// needed. An item counts as delivered when it is yielded, so after a break
// ResumeToken points at the next item, and the next NextPage, Pages or
// Items call continues there, from the page already fetched. On an error it
// yields (zero, err) once, after every item before it, and stops. The
// iterator is single-use; calling Items again continues from the
// paginator's position.
func (p *ListDevEnvironmentSessionsPaginator) Items(ctx context.Context,
	optFns ...func(*codecatalyst.Options)) iter.Seq2[types.DevEnvironmentSessionSummary, error] {
	return p.e.Items(ctx, optFns...)
}

// Collect returns every remaining item. On an error it returns the items
// delivered before it together with the error; ResumeToken then continues
// after the last of them.
func (p *ListDevEnvironmentSessionsPaginator) Collect(ctx context.Context,
	optFns ...func(*codecatalyst.Options)) ([]types.DevEnvironmentSessionSummary, error) {
	return p.e.Collect(ctx, optFns...)
}

// sessionsSpec is ListDevEnvironmentSessions for the engine.
var sessionsSpec = &paginate.Spec[ListDevEnvironmentSessionsAPIClient, codecatalyst.ListDevEnvironmentSessionsInput,
	codecatalyst.ListDevEnvironmentSessionsOutput, types.DevEnvironmentSessionSummary]{
	Operation:   "ListDevEnvironmentSessions",
	MaxPageSize: 200,
	Call: func(c ListDevEnvironmentSessionsAPIClient, ctx context.Context, in *codecatalyst.ListDevEnvironmentSessionsInput,
		optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
		return c.ListDevEnvironmentSessions(ctx, in, optFns...)
	},
	Copy: func(in *codecatalyst.ListDevEnvironmentSessionsInput) codecatalyst.ListDevEnvironmentSessionsInput {
		return codecatalyst.ListDevEnvironmentSessionsInput{
			SpaceName: cloneString(in.SpaceName), ProjectName: cloneString(in.ProjectName), DevEnvironmentId: cloneString(in.DevEnvironmentId),
		}
	},
	Check: func(in *codecatalyst.ListDevEnvironmentSessionsInput) string {
		return required(field{"SpaceName", in.SpaceName}, field{"ProjectName", in.ProjectName}, field{"DevEnvironmentId", in.DevEnvironmentId})
	},
	Limits: func(in *codecatalyst.ListDevEnvironmentSessionsInput) (*string, *int32) {
		return in.NextToken, in.MaxResults
	},
	SetLimits: func(in *codecatalyst.ListDevEnvironmentSessionsInput, next *string, size *int32) {
		in.NextToken, in.MaxResults = next, size
	},
	Page: func(out *codecatalyst.ListDevEnvironmentSessionsOutput) ([]types.DevEnvironmentSessionSummary, *string) {
		return out.Items, out.NextToken
	},
	WithItems: func(out *codecatalyst.ListDevEnvironmentSessionsOutput, items []types.DevEnvironmentSessionSummary) *codecatalyst.ListDevEnvironmentSessionsOutput {
		c := *out
		c.Items = items
		return &c
	},
	ForeignToken: spaceToken,
	Errors:       errs,
}
