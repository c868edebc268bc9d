// Package devsessions lists Amazon CodeCatalyst dev environment sessions with
// boto3's PaginationConfig semantics (MaxItems, PageSize, StartingToken) on
// the AWS SDK for Go v2's paginator shape (HasMorePages/NextPage), plus Go
// iterators: [ListDevEnvironmentSessionsPaginator] for one dev environment,
// [ListDevEnvironmentsPaginator] for the dev environments of a space or
// project, and [SpaceSessions] for every active session of a space or project,
// listed concurrently and delivered in order.
//
// It never loses or repeats an item: a run cut by MaxItems, an error or a
// break out of an iterator leaves ResumeToken pointing at the first item not
// delivered; the paginators' tokens are in the format the AWS CLI's
// --starting-token accepts and prints. It never loops forever: a service
// token that comes back a second time in one run ends paging with
// [ErrDuplicateToken]. ResumeToken returns "" only when nothing remains.
//
// The real *codecatalyst.Client satisfies every client interface here;
// package devsessionstest has an in-memory fake and a local HTTPS endpoint
// for tests, and package cliconfig builds a client as the AWS CLI finds its
// settings.
package devsessions
