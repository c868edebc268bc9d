// Package paginate is the one state machine under every paginator of package
// devsessions: boto3's PaginationConfig semantics (MaxItems, PageSize,
// StartingToken with botocore's tokens), exact resume positions, repeated
// token detection and prefetch, over any CodeCatalyst list operation of
// botocore's shape (nextToken in and out, maxResults as the limit, items as
// the result).
//
// It is internal so that it can change without an API break. What differs
// per operation is a [Spec] (its name, bounds and item accessor) and a
// [Send] function that the public constructor builds around the caller's
// client and a copy of the caller's params; the public generic paginator
// holds a [Pager] and documents the contract its methods keep.
package paginate

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
)

// Spec is what the engine knows of one list operation. A Spec is read-only
// once built; paginators share it.
type Spec[Out, Item any] struct {
	// Operation names the operation in error messages.
	Operation string
	// MaxPageSize is the model's upper bound on maxResults (the lower bound
	// is 1); 0 means the operation has no limit key, so PageSize must be 0
	// and maxResults is never sent.
	MaxPageSize int32
	// MaxTokenLength is the model's upper bound on nextToken, in characters.
	MaxTokenLength int
	// Page returns where out keeps its items, and its nextToken.
	Page func(out *Out) (items *[]Item, nextToken *string)
}

// Send sends one request: the constructor's copy of the caller's params
// with nextToken and maxResults (nil: not sent) set, on a fresh input.
type Send[Out any] func(ctx context.Context, nextToken *string, maxResults *int32,
	optFns []func(*codecatalyst.Options)) (*Out, error)

// Start is the input as the constructor found it.
type Start struct {
	// Invalid, when not "", says what is wrong with the client or params
	// (a nil client, nil params, a missing required field); the engine
	// reports it before anything else.
	Invalid string
	// NextToken and MaxResults are params.NextToken and params.MaxResults.
	NextToken  *string
	MaxResults *int32
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

// The errors the engine returns, wrapped with context; the public package
// exports these very values.
var (
	ErrNoMorePages          = errors.New("devsessions: no more pages")
	ErrDuplicateToken       = errors.New("devsessions: the service repeated a next token")
	ErrInvalidStartingToken = errors.New("devsessions: invalid starting token")
	ErrInvalidParameter     = errors.New("devsessions: invalid parameter")
	ErrInPrefetchLoop       = errors.New("devsessions: called inside a prefetching loop of the same paginator")
)
