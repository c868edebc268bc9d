package devsessions

import (
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"

	"github.com/codecatalyst-contrib/devsessions/internal/paginate"
)

// PaginatorOptions configures a [Paginator]; each operation's
// XPaginatorOptions is this type, but [ListSpacesPaginatorOptions]. The zero
// value pages through everything with the service's default page size, from
// the start (or from params.NextToken), and reports a repeated service token
// as an error. These are boto3's PaginationConfig keys, with the same
// meaning.
type PaginatorOptions struct {
	// MaxItems caps the items this paginator delivers, across NextPage,
	// Pages, Items and Collect. The page that crosses the cap is cut and
	// paging ends; ResumeToken then continues at the first item not
	// delivered. 0 means no cap; a negative value is an error.
	MaxItems int32

	// PageSize is the maxResults sent with each request, within the
	// operation's bounds (1..200 for ListDevEnvironmentSessions; each
	// constructor states its own). 0 means params.MaxResults, and when that
	// is nil too, maxResults is not sent and the service's default applies
	// (also under MaxItems, as in the AWS CLI). Under MaxItems a request
	// asks for no more than the items still needed plus the items it will
	// skip (a StartingToken's boto_truncate_amount, on its first page); it
	// never asks for more than PageSize, so a ResumeToken resumes exactly in an AWS CLI run
	// given the same --page-size (none when PageSize is 0).
	PageSize int32

	// StartingToken resumes a listing: a ResumeToken from this package, a
	// NextToken printed by the AWS CLI or boto3 (base64 JSON, or the legacy
	// "<token>___<n>" form), or a raw service nextToken. "" means
	// params.NextToken, and when that is nil too, the first page.
	StartingToken string

	// StopOnDuplicateToken, when true, ends paging quietly when the service
	// returns a nextToken already used in this run, after delivering that
	// page. When false (the default) the next NextPage returns an error
	// matching ErrDuplicateToken. Either way the repeated token is never
	// followed, and ResumeToken stays on that page, past what was delivered.
	StopOnDuplicateToken bool

	// Prefetch is how many pages Pages, Items and Collect may request ahead
	// of the caller, from one goroutine, while the caller works on the
	// current page. 0 (the default) fetches on demand; at most 100.
	//
	// The pages requested are the very requests the same loop sends without
	// Prefetch, in the same order, and the items, errors and ResumeToken are
	// the same; but up to Prefetch pages beyond the one the caller is on
	// are requested before they are needed, so a loop that ends early (a
	// break, an error) has sent requests that it did not need. Such pages
	// are kept, not lost: the paginator's next call delivers them without a
	// new request. The goroutine has exited before the loop returns, and a
	// panic in the client on it is raised again on the caller's goroutine.
	// NextPage, Pages or Items called inside such a loop of the same
	// paginator returns ErrInPrefetchLoop.
	Prefetch int
}

func (o PaginatorOptions) engine() paginate.Options { return paginate.Options(o) }

// Errors returned by the paginators. Match them with [errors.Is]; the text
// after the package prefix names the field and the rule and is not part of
// the contract.
var (
	// ErrNoMorePages is returned by NextPage after the last page.
	ErrNoMorePages = paginate.ErrNoMorePages

	// ErrDuplicateToken is returned when the service answers with a
	// nextToken that this run has already sent, which would loop forever.
	// It is permanent. The paginator's ResumeToken stays on the page that
	// carried the token: a run resumed from it asks for that page again
	// and, when the service still cycles, delivers the cycle's items again
	// before this error; resuming does not help.
	ErrDuplicateToken = paginate.ErrDuplicateToken

	// ErrInvalidStartingToken is returned for a StartingToken that is
	// neither a botocore/AWS CLI token nor a usable service token: before
	// any request when that can be told from the token (such an error is
	// permanent), else when the service refuses the first request made from
	// it as invalid (that error also wraps the service's, and a later call
	// sends the same request again).
	ErrInvalidStartingToken = paginate.ErrInvalidStartingToken

	// ErrInvalidParameter is returned for a missing client or params (nil,
	// or a nil pointer), a missing required field, or an option outside its
	// range. It is permanent.
	ErrInvalidParameter = paginate.ErrInvalidParameter

	// ErrInPrefetchLoop is returned by NextPage, and yielded by Pages and
	// Items, when called inside a Pages, Items or Collect loop of the same
	// paginator that prefetches (Prefetch > 0): that loop's pages were
	// requested with its own context and optFns. The call changes nothing;
	// the loop goes on.
	ErrInPrefetchLoop = paginate.ErrInPrefetchLoop
)

// DevEnvironmentError is what a space-wide listing yields for a dev
// environment whose sessions cannot be listed. DevEnvironment is the dev
// environment as ListDevEnvironments gave it; Err is the cause (the
// service's error, so that [errors.As] finds the SDK's typed exceptions
// through it). Going on past it lists the rest of the space; the dev
// environment stays undelivered.
type DevEnvironmentError struct {
	DevEnvironment types.DevEnvironmentSummary
	Err            error
}

// Error names the dev environment and the cause.
func (e *DevEnvironmentError) Error() string {
	return "devsessions: listing the sessions of dev environment " + describeEnv(e.DevEnvironment) + ": " + e.Err.Error()
}

// Unwrap returns Err.
func (e *DevEnvironmentError) Unwrap() error { return e.Err }
