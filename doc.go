// Package devsessions pages through Amazon CodeCatalyst's
// ListDevEnvironmentSessions with boto3's PaginationConfig semantics
// (MaxItems, PageSize, StartingToken) on the AWS SDK for Go v2's paginator
// shape (HasMorePages/NextPage), plus Go iterators.
//
// It never loses or repeats an item: a run cut by MaxItems, an error or a
// break out of an iterator leaves [ListDevEnvironmentSessionsPaginator.ResumeToken]
// pointing at the first item not delivered, in the token format the AWS CLI's
// --starting-token accepts and prints. It never loops forever: a service
// token that comes back a second time in one run ends paging with
// [ErrDuplicateToken].
//
// The real *codecatalyst.Client satisfies [ListDevEnvironmentSessionsAPIClient];
// package devsessionstest has an in-memory fake and a local HTTPS endpoint
// for tests.
package devsessions
