package devsessions

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
	// params.MaxResults, and when that is nil too, maxResults is not sent
	// and the service's default applies (also under MaxItems, as in the AWS
	// CLI). Under MaxItems a request asks for no more than the items still
	// needed; it never asks for more than PageSize, so a ResumeToken resumes
	// exactly in an AWS CLI run given the same --page-size (none when
	// PageSize is 0).
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

// ListDevEnvironmentsPaginatorOptions configures a
// [ListDevEnvironmentsPaginator]. The fields have the same meaning and
// defaults as those of [ListDevEnvironmentSessionsPaginatorOptions], except
// that PageSize and params.MaxResults are 1..50, the model's bounds for
// ListDevEnvironments.
type ListDevEnvironmentsPaginatorOptions struct {
	// MaxItems caps the dev environments delivered; 0 means no cap.
	MaxItems int32
	// PageSize is maxResults, 1..50; 0 means params.MaxResults, else none.
	PageSize int32
	// StartingToken resumes a listing; "" means params.NextToken, else the
	// first page.
	StartingToken string
	// StopOnDuplicateToken ends paging quietly on a repeated token instead
	// of reporting ErrDuplicateToken.
	StopOnDuplicateToken bool
	// Prefetch is how many pages loops may request ahead, 0..100.
	Prefetch int
}
