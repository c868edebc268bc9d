// Package paginate is the one state machine under every paginator of package
// devsessions: boto3's PaginationConfig semantics (MaxItems, PageSize,
// StartingToken with botocore's tokens), exact resume positions, repeated
// token detection and prefetch, over any CodeCatalyst list operation of
// botocore's shape (nextToken in and out, maxResults as the limit, items as
// the result).
//
// It is internal so that it can change without an API break. What differs
// per operation is data, a [Spec]; each public paginator is a thin typed
// layer that holds a [Pager] and documents the contract its methods keep.
package paginate

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
)

// Spec describes one list operation to the engine. C is the client
// interface, In and Out the operation's input and output, Item the type of
// its items. A Spec is read-only once built; paginators share it.
type Spec[C, In, Out, Item any] struct {
	// Operation names the operation in error messages.
	Operation string
	// MaxPageSize is the model's upper bound on maxResults.
	MaxPageSize int32
	// Call sends one request.
	Call func(c C, ctx context.Context, in *In, optFns ...func(*codecatalyst.Options)) (*Out, error)
	// Copy returns a deep copy of in (nothing shared with the caller's value)
	// with NextToken and MaxResults cleared.
	Copy func(in *In) In
	// Check returns the message for the first required field of in that is
	// missing or empty, or "".
	Check func(in *In) string
	// Limits returns in's NextToken and MaxResults.
	Limits func(in *In) (nextToken *string, maxResults *int32)
	// SetLimits sets NextToken and MaxResults on a request's input.
	SetLimits func(in *In, nextToken *string, maxResults *int32)
	// Page returns out's items and nextToken.
	Page func(out *Out) (items []Item, nextToken *string)
	// WithItems returns a shallow copy of out holding items instead.
	WithItems func(out *Out, items []Item) *Out
	// ForeignToken, when not nil, returns why a StartingToken that is some
	// other listing's token (which would otherwise be sent as a raw service
	// token) is refused, or "".
	ForeignToken func(startingToken string) string
	// Errors are the public sentinels the engine wraps.
	Errors *Errors
}

// Errors are the sentinel errors of the public package, which the engine
// wraps so that callers match them with errors.Is.
type Errors struct {
	NoMorePages, DuplicateToken, InvalidStartingToken, InvalidParameter, InPrefetchLoop error
}

// Options mirror the public paginator options field for field, so that a
// public options struct converts to Options without a copy of each field.
type Options struct {
	MaxItems             int32
	PageSize             int32
	StartingToken        string
	StopOnDuplicateToken bool
	Prefetch             int
}

// MaxPrefetch bounds Options.Prefetch.
const MaxPrefetch = 100
