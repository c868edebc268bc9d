package devsessions

import (
	"errors"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"

	"github.com/codecatalyst-contrib/devsessions/internal/paginate"
)

// Errors returned by the paginators. Match them with [errors.Is]; the text
// after the package prefix names the field and the rule and is not part of
// the contract.
var (
	// ErrNoMorePages is returned by NextPage after the last page.
	ErrNoMorePages = errors.New("devsessions: no more pages")

	// ErrDuplicateToken is returned when the service answers with a
	// nextToken that this run has already sent, which would loop forever.
	ErrDuplicateToken = errors.New("devsessions: the service repeated a next token")

	// ErrInvalidStartingToken is returned for a StartingToken that is
	// neither a botocore/AWS CLI token nor a usable service token: before
	// any request when that can be told from the token (such an error is
	// permanent), else when the service refuses the first request made from
	// it as invalid (that error also wraps the service's, and a later call
	// sends the same request again).
	ErrInvalidStartingToken = errors.New("devsessions: invalid starting token")

	// ErrInvalidParameter is returned for a missing client or params, an
	// empty required name, or an option outside its range.
	ErrInvalidParameter = errors.New("devsessions: invalid parameter")

	// ErrInPrefetchLoop is returned by NextPage, and yielded by Pages and
	// Items, when called inside a Pages, Items or Collect loop of the same
	// paginator that prefetches (Prefetch > 0): that loop's pages were
	// requested with its own context and optFns. The call changes nothing;
	// the loop goes on.
	ErrInPrefetchLoop = errors.New("devsessions: called inside a prefetching loop of the same paginator")
)

// errs is what the engine wraps.
var errs = &paginate.Errors{
	NoMorePages: ErrNoMorePages, DuplicateToken: ErrDuplicateToken, InvalidStartingToken: ErrInvalidStartingToken,
	InvalidParameter: ErrInvalidParameter, InPrefetchLoop: ErrInPrefetchLoop,
}

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
