// Package devsessions pages through every Amazon CodeCatalyst list
// operation with boto3's PaginationConfig semantics (MaxItems, PageSize,
// StartingToken) on the AWS SDK for Go v2's paginator shape
// (HasMorePages/NextPage), plus Go iterators: one generic [Paginator], and
// for each of the ten operations botocore pages (ListSpaces, ListProjects,
// ListDevEnvironments, ListDevEnvironmentSessions and the rest) the SDK's
// names, such as [NewListProjectsPaginator]. [SpaceSessions] lists every
// active session of a space or project, concurrently and in order.
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

import (
	"context"
	"iter"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"

	"github.com/codecatalyst-contrib/devsessions/internal/paginate"
)

//go:generate go run ./internal/paginatorgen

// Paginator pages through one CodeCatalyst list operation whose output is
// Out and whose items are Item. Each operation X has its constructor,
// NewXPaginator, and its name for this type, XPaginator (an alias); what
// differs between operations (the page-size bounds, the required fields) is
// in the constructor's doc. This comment is the contract all of them keep.
//
// Positions. A paginator's position is always the first item not yet
// delivered: every page, item or error it hands out moves that position
// exactly past what was handed out, and [Paginator.ResumeToken] encodes it.
// A failed request changes nothing, so calling again sends the same request.
//
// Tokens. ResumeToken is botocore's encoding byte for byte, so it resumes
// here (StartingToken) and in the AWS CLI (--starting-token) alike, given
// the same page size; StartingToken also takes the AWS CLI's and boto3's
// tokens, their legacy "<token>___<n>" form and raw service tokens, with
// botocore's precedence, read as botocore 1.43 reads them. In base64, every
// character outside the base64 alphabet (white space included) is dropped
// and non-zero bits after the last character are ignored, as Python's
// decoder does; the base64 of a JSON null, boolean, string or number is
// refused with [ErrInvalidStartingToken] (botocore fails on it); the base64
// of an array, or of text that is not JSON, is, as in botocore, a raw
// service token. A null boto_truncate_amount is none. Legacy and raw tokens
// are used verbatim, surrounding white space included, as botocore sends
// them; the legacy amount is read as Python's int() reads it (white space,
// a sign, underscores between digits). Where botocore would go on, this
// package refuses: a negative amount (botocore counts it from the page's
// end), an amount over 2^31-1, a token that is empty or only white space,
// and a space-wide listing's token ("dss2....", any format version).
//
// Repeated tokens. A nextToken that this run has already sent is never
// followed: the page that carried it is delivered, and the next step
// reports [ErrDuplicateToken] (or, with StopOnDuplicateToken, paging ends
// quietly).
//
// Errors. Invalid input ([ErrInvalidParameter], [ErrInvalidStartingToken]
// before any request) and a repeated token are permanent: every later
// NextPage, Pages, Items or Collect reports the same error again, and
// HasMorePages is false once it has been reported. A service error is
// wrapped with %w, so [errors.As] finds smithy.APIError and the typed
// CodeCatalyst exceptions; it is not permanent. After the last page NextPage
// returns [ErrNoMorePages] and the iterators yield nothing.
//
// Prefetch. With Prefetch n, Pages, Items and Collect request up to n pages
// ahead of the caller from one goroutine; they send the requests the same
// loop sends without it, in the same order, and deliver the same items,
// errors and ResumeToken (see [PaginatorOptions.Prefetch]).
//
// Clients. Each request gets its own input struct, which the paginator
// never touches again; its pointer and slice fields are shared with the
// paginator's private copy of params, and with later requests, so a client
// must not write through them (as with the SDK's middleware, which reads
// them only). The paginator treats an output as its own until it hands it
// to the caller: a client may return a shared output value, because the
// paginator copies an output before it cuts its Items.
//
// A Paginator is not safe for concurrent use. Without Prefetch it holds at
// most one fetched page. To detect repeated tokens it keeps a 64-bit
// fingerprint of every token it sends, in a map (about 26 bytes a page over
// a run of 5,000 pages). The zero
// value is not usable; get one from a NewXPaginator function.
type Paginator[Out, Item any] struct {
	e paginate.Pager[Out, Item]
}

// HasMorePages reports whether NextPage has something to return: a page, or
// an error not yet reported. It is false after the last page, after MaxItems
// is reached, and once a permanent error (invalid input, a repeated token)
// has been returned. A failed request does not change it.
func (p *Paginator[Out, Item]) HasMorePages() bool { return p.e.HasMorePages() }

// NextPage returns the next page: the service's output with Items cut to
// what this run delivers (the items a starting token skips and those past
// MaxItems are removed; a page left partly unread by Items continues where
// it stopped, without a new request). The output's NextToken is the
// service's own; keep [Paginator.ResumeToken] instead, which is exact to the
// item.
//
// A page with no items but a nextToken is returned as is, and paging goes
// on. An empty or absent nextToken ends paging. A nextToken this run has
// already sent is never followed: the page is returned, and the next call
// returns an error matching [ErrDuplicateToken] (unless
// StopOnDuplicateToken), also when MaxItems is reached on that page.
//
// A failed request changes nothing: calling NextPage again sends the same
// request. A cancelled ctx sends nothing. When the first request of a run
// started from StartingToken carries the token's service token and is
// refused as invalid (ValidationException), the error also matches
// [ErrInvalidStartingToken] and says that omitting
// StartingToken starts over. After the last page NextPage returns
// [ErrNoMorePages]; after a permanent error it returns that error again.
// optFns are passed to the client on every request. Inside a prefetching
// loop of the same paginator it returns [ErrInPrefetchLoop] and changes
// nothing.
func (p *Paginator[Out, Item]) NextPage(ctx context.Context, optFns ...func(*codecatalyst.Options)) (*Out, error) {
	return p.e.NextPage(ctx, optFns...)
}

// ResumeToken returns the token that resumes exactly at the first item this
// paginator has not delivered, for StartingToken here or --starting-token in
// the AWS CLI (given the same --page-size as this run's PageSize, none when
// it had none). It is botocore's encoding byte for byte: at a page boundary
// the very string the AWS CLI prints; inside a page (after MaxItems cut it,
// or after a break out of Items) it also carries boto_truncate_amount.
// Before the first page it encodes the starting position.
//
// After [ErrDuplicateToken] it stays on the page that carried the repeated
// token, past the items delivered: a run resumed from it requests that page
// again and, when the service still cycles, delivers the cycle's items
// again before it reports the error again. Resuming cannot help there.
//
// "" means one thing: nothing remains. While the input is invalid it
// returns the starting position as given: the StartingToken if it decoded,
// else params.NextToken (non-empty) encoded, else "" (the first page), so
// saving it never loses a good token.
func (p *Paginator[Out, Item]) ResumeToken() string { return p.e.ResumeToken() }

// Pages returns an iterator over the remaining pages, as NextPage returns
// them. On an error it yields (nil, err) once and stops; after a permanent
// error, every later Pages yields it again. The iterator is single-use;
// calling Pages again continues from the paginator's position.
func (p *Paginator[Out, Item]) Pages(ctx context.Context,
	optFns ...func(*codecatalyst.Options)) iter.Seq2[*Out, error] {
	return p.e.Pages(ctx, optFns...)
}

// Items returns an iterator over the remaining items, fetching pages as
// needed. An item counts as delivered when it is yielded, so after a break
// ResumeToken points at the next item, and the next NextPage, Pages or
// Items call continues there, from the page already fetched. On an error it
// yields (zero, err) once, after every item before it, and stops; after a
// permanent error, every later Items yields it again. The iterator is
// single-use; calling Items again continues from the paginator's position.
func (p *Paginator[Out, Item]) Items(ctx context.Context,
	optFns ...func(*codecatalyst.Options)) iter.Seq2[Item, error] {
	return p.e.Items(ctx, optFns...)
}

// Collect returns every remaining item. On an error it returns the items
// delivered before it together with the error; ResumeToken then continues
// after the last of them. After a permanent error it returns (nil, err)
// again.
func (p *Paginator[Out, Item]) Collect(ctx context.Context, optFns ...func(*codecatalyst.Options)) ([]Item, error) {
	return p.e.Collect(ctx, optFns...)
}
