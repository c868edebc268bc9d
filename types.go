package devsessions

import "errors"

// ListDevEnvironmentSessionsPaginatorOptions configures a
// [ListDevEnvironmentSessionsPaginator]. The zero value pages through
// everything with the service's default page size, from the start (or from
// params.NextToken), and reports a repeated service token as an error.
// These are boto3's PaginationConfig keys, with the same meaning.
type ListDevEnvironmentSessionsPaginatorOptions struct {
	// MaxItems caps the items this paginator delivers, across NextPage,
	// Pages, Items and Collect. The page that crosses the cap is cut and
	// paging ends; ResumeToken then continues at the first item not
	// delivered. 0 means no cap; a negative value is an error.
	MaxItems int32

	// PageSize is the maxResults sent with each request, 1..200. 0 means
	// params.MaxResults, and when that is nil too, maxResults is not sent and
	// the service's default applies. Under MaxItems a request never asks for
	// more than the items still needed, so maxResults is then always sent.
	PageSize int32

	// StartingToken resumes a listing: a ResumeToken from this package, a
	// NextToken printed by the AWS CLI or boto3 (base64 JSON, or the legacy
	// "<token>___<n>" form), or a raw service nextToken. "" means
	// params.NextToken, and when that is nil too, the first page.
	StartingToken string

	// StopOnDuplicateToken, when true, ends paging quietly when the service
	// returns a nextToken already used in this run. When false (the default)
	// the next NextPage returns an error matching ErrDuplicateToken.
	StopOnDuplicateToken bool

	// Prefetch is how many pages Pages, Items and Collect may request ahead
	// of the caller, from one goroutine, while the caller works on the
	// current page. 0 (the default) fetches on demand; at most 100.
	// Prefetching changes no result: the requests, items, errors and
	// ResumeToken are those of the same loop without it. Pages fetched but
	// not yet delivered when a loop ends are kept for the paginator's next
	// call, and the goroutine has exited before the loop returns.
	Prefetch int
}

// Errors returned by the paginator. Match them with [errors.Is]; the text
// after the package prefix names the field and the rule and is not part of
// the contract.
var (
	// ErrNoMorePages is returned by NextPage after the last page.
	ErrNoMorePages = errors.New("devsessions: no more pages")

	// ErrDuplicateToken is returned when the service answers with a
	// nextToken that this run has already sent, which would loop forever.
	ErrDuplicateToken = errors.New("devsessions: the service repeated a next token")

	// ErrInvalidStartingToken is returned for a StartingToken that is
	// neither a botocore/AWS CLI token nor a usable service token.
	ErrInvalidStartingToken = errors.New("devsessions: invalid starting token")

	// ErrInvalidParameter is returned for a missing client or params, an
	// empty required name, or an option outside its range.
	ErrInvalidParameter = errors.New("devsessions: invalid parameter")
)
