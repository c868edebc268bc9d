package devsessions

import (
	"context"
	"fmt"
	"iter"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
)

// SpaceSessionsAPIClient is what [SpaceSessions] needs: both list
// operations. *codecatalyst.Client satisfies it unchanged, and so do the
// fakes in package devsessionstest.
type SpaceSessionsAPIClient interface {
	ListDevEnvironmentsAPIClient
	ListDevEnvironmentSessionsAPIClient
}

// SpaceSession is one active session and the dev environment it belongs to.
type SpaceSession struct {
	DevEnvironment types.DevEnvironmentSummary
	Session        types.DevEnvironmentSessionSummary
}

// DefaultConcurrency is the number of session listings [SpaceSessions] has
// in flight when SpaceSessionsOptions.Concurrency is 0.
const DefaultConcurrency = 8

// maxConcurrency bounds SpaceSessionsOptions.Concurrency.
const maxConcurrency = 64

// SpaceSessionsOptions configures [SpaceSessions]. The zero value lists
// every session of every RUNNING dev environment in scope, 8 listings at
// a time, with the service's default page sizes, from the start.
type SpaceSessionsOptions struct {
	// MaxItems caps the sessions delivered, across dev environments; the
	// listing then stops and ResumeToken continues at the next session.
	// 0 means no cap; a negative value is an error.
	MaxItems int32

	// StartingToken resumes a listing: a [SpaceSessions.ResumeToken] made
	// for the same SpaceName and ProjectName. "" means the start.
	StartingToken string

	// Concurrency is how many session listings may be in flight at once,
	// 1..64. 0 means [DefaultConcurrency].
	Concurrency int

	// DevEnvironmentPageSize is maxResults for ListDevEnvironments, 1..50.
	// 0 means the service's default.
	DevEnvironmentPageSize int32

	// SessionPageSize is maxResults for ListDevEnvironmentSessions, 1..200.
	// 0 means the service's default.
	SessionPageSize int32

	// Statuses are the dev environment statuses whose sessions are asked
	// for; the others are passed over without a request (only a running dev
	// environment has sessions). nil means RUNNING only; an empty non-nil
	// slice or an unknown status is an error.
	Statuses []types.DevEnvironmentStatus
}

// SpaceSessions lists the active sessions of every dev environment of a
// space, or of one project: ListDevEnvironments, then
// ListDevEnvironmentSessions for each dev environment whose status is in
// Statuses, concurrently, delivered in order.
//
// Order: dev environments in ListDevEnvironments order, each one's sessions
// in the service's order: the same sequence for every Concurrency.
//
// Concurrency: up to Concurrency session listings are in flight while the
// caller consumes earlier ones. Each dev environment's sessions are listed
// in full (page after page) before they are delivered. At most Concurrency
// dev environments with sessions to list, and at most 4×Concurrency dev
// environments in all, are held ahead of the caller, however large the
// space, plus the next page of ListDevEnvironments, which is requested
// while sessions are listed (so a loop that ends early may have requested
// one page of dev environments it did not need).
//
// Throttling: over a client that runs middleware (*codecatalyst.Client), a
// middleware added to each request's options sees every attempt, retries
// included. Until the service throttles (HTTP 429 or ThrottlingException)
// it changes nothing. After a throttled attempt it paces all attempts of
// the listing at 90% of the rate the service answered without throttling
// over the last second (never faster than before), holds that pace for a
// second, then speeds up by 1/128 a successful attempt until it no longer
// paces. It adds no retries of its own: retrying is the client's retryer's
// job, and a retry waits its turn under the pace too. A client without
// middleware (a fake) is not paced.
//
// Every goroutine a loop starts has ended before the loop returns, on every
// path.
//
// A SpaceSessions is not safe for concurrent use; its iterators are
// single-use, and a new one continues from ResumeToken's position.
type SpaceSessions struct {
	client SpaceSessionsAPIClient
	params codecatalyst.ListDevEnvironmentsInput // deep copy
	opts   SpaceSessionsOptions

	err       error // invalid input, reported by every iterator
	fromToken bool  // StartingToken decoded

	pos       *spacePosition // what has been delivered
	done      bool           // everything in scope has been delivered
	delivered int32          // sessions delivered, for MaxItems
}

// NewSpaceSessions returns a listing of the active sessions of
// params.SpaceName, or of params.ProjectName in it when that is not nil.
// params.Filters are sent with ListDevEnvironments unchanged; params.MaxResults
// and params.NextToken must be nil (use DevEnvironmentPageSize and
// StartingToken). It copies params deeply and applies optFns to a zero
// [SpaceSessionsOptions].
//
// It never fails: invalid input (a nil client or params, an empty
// SpaceName or ProjectName, an option out of range, an unknown status) is
// reported by the first iterator step, before any request, as an error
// matching [ErrInvalidParameter] or [ErrInvalidStartingToken] that names
// the field.
func NewSpaceSessions(client SpaceSessionsAPIClient, params *codecatalyst.ListDevEnvironmentsInput,
	optFns ...func(*SpaceSessionsOptions)) *SpaceSessions {
	s := &SpaceSessions{client: client}
	for _, fn := range optFns {
		fn(&s.opts)
	}
	s.opts.Statuses = slices.Clone(s.opts.Statuses)
	if params != nil {
		s.params = devEnvironmentsSpec.Copy(params)
	}
	s.err = s.setup(params)
	return s
}

func (s *SpaceSessions) setup(params *codecatalyst.ListDevEnvironmentsInput) error {
	switch {
	case s.client == nil:
		return invalid("client is nil")
	case params == nil:
		return invalid("params is nil")
	}
	if msg := devEnvironmentsSpec.Check(params); msg != "" {
		return invalid("%s", msg)
	}
	o := s.opts
	switch {
	case params.MaxResults != nil:
		return invalid("params.MaxResults must be nil (set DevEnvironmentPageSize)")
	case params.NextToken != nil:
		return invalid("params.NextToken must be nil (set StartingToken to a SpaceSessions ResumeToken)")
	case o.MaxItems < 0:
		return invalid("MaxItems must not be negative (0 means no cap), got %d", o.MaxItems)
	case o.Concurrency < 0 || o.Concurrency > maxConcurrency:
		return invalid("Concurrency must be between 1 and %d (0 means %d), got %d", maxConcurrency, DefaultConcurrency, o.Concurrency)
	case o.DevEnvironmentPageSize < 0 || o.DevEnvironmentPageSize > devEnvironmentsSpec.MaxPageSize:
		return invalid("DevEnvironmentPageSize must be between 1 and %d (0 means the service default), got %d", devEnvironmentsSpec.MaxPageSize, o.DevEnvironmentPageSize)
	case o.SessionPageSize < 0 || o.SessionPageSize > sessionsSpec.MaxPageSize:
		return invalid("SessionPageSize must be between 1 and %d (0 means the service default), got %d", sessionsSpec.MaxPageSize, o.SessionPageSize)
	case o.Statuses != nil && len(o.Statuses) == 0:
		return invalid("Statuses must not be empty (nil means RUNNING only)")
	}
	for _, st := range o.Statuses {
		if !slices.Contains(types.DevEnvironmentStatus("").Values(), st) {
			return invalid("Statuses: unknown dev environment status %q", st)
		}
	}
	s.pos = newSpacePosition(*params.SpaceName, params.ProjectName)
	if o.StartingToken != "" {
		pos, err := decodeSpacePosition(o.StartingToken, *params.SpaceName, params.ProjectName)
		if err != nil {
			return fmt.Errorf("%w: StartingToken: %v", ErrInvalidStartingToken, err)
		}
		s.pos, s.fromToken = pos, true
	}
	return nil
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidParameter}, args...)...)
}

// ResumeToken returns the token that resumes exactly at the first session
// not yet delivered, for StartingToken: after MaxItems, after a break, after
// an error (at the dev environment whose listing failed, or whose sessions
// could not be listed when the loop broke there). Before the first step it
// encodes the starting position. "" means nothing remains. While the input
// is invalid it returns the StartingToken as given if it decoded, else "".
//
// The token is "dss1." and unpadded base64url of a JSON object holding
// the scope, a ListDevEnvironments ResumeToken that resumes at a dev
// environment, that dev environment's id, and either a
// ListDevEnvironmentSessions ResumeToken inside it or a mark that all of its
// sessions were delivered; the "1" is the format's version.
//
// Dev environments created or deleted between two runs move nothing: a
// resumed run checks that the first dev environment it lists is the
// token's. If it is not, it lists from the first page again, passing over
// the dev environments before the token's (earlier runs delivered them, or
// they are new behind the position), and continues inside or after it. If
// the token's dev environment is gone, it continues after the one that was
// listed before it when the token was made; if that one is gone too, from
// the token's old place, which other changes may have moved. That check
// costs the requests of the listing up to there, once, and only when the
// listing changed.
func (s *SpaceSessions) ResumeToken() string {
	switch {
	case s.err != nil && s.fromToken:
		return s.opts.StartingToken
	case s.err != nil, s.done:
		return ""
	}
	return s.pos.encode()
}

// Collect returns every remaining session. It stops at the first error and
// returns the sessions delivered before it with the error; ResumeToken then
// points at the first session not returned.
func (s *SpaceSessions) Collect(ctx context.Context, optFns ...func(*codecatalyst.Options)) ([]SpaceSession, error) {
	var all []SpaceSession
	for it, err := range s.Items(ctx, optFns...) {
		if err != nil {
			return all, err
		}
		all = append(all, it)
	}
	return all, nil
}

// Items returns an iterator over the remaining sessions, in order. A
// session counts as delivered when it is yielded, so after a break
// ResumeToken points at the next one.
//
// A ListDevEnvironments error is yielded once, after every session before
// it, and ends the iterator. An error listing one dev environment's sessions
// is yielded as (SpaceSession{DevEnvironment: env}, err), after the sessions
// of that dev environment obtained before it, with err naming the dev
// environment and wrapping the cause ([errors.As] finds the SDK's typed
// exceptions): if the loop goes on, the rest of that dev environment is
// skipped and the listing continues (ResumeToken moves past it too: a loop
// that went on past such an error has not listed everything, even when
// ResumeToken ends as ""); if it breaks, ResumeToken points at the first
// session of it not delivered. A dev environment deleted after it was
// listed (ResourceNotFoundException) has no more sessions and is passed
// over without an error. A cancelled ctx is yielded as an error, once.
// Invalid input is yielded, before any request, by every iterator. A panic
// in the client on a listing's goroutine is raised again on the caller's
// goroutine: when the loop reaches that dev environment, or when the loop
// returns.
//
// The listings ahead of the caller are not undone when the loop ends early
// (a break, MaxItems, an error): their requests were sent, and their
// sessions are listed again by the run that resumes.
//
// optFns are passed to the client on every request, and after them the
// middleware that paces attempts once the service throttles.
func (s *SpaceSessions) Items(ctx context.Context, optFns ...func(*codecatalyst.Options)) iter.Seq2[SpaceSession, error] {
	return func(yield func(SpaceSession, error) bool) {
		if s.err != nil {
			yield(SpaceSession{}, s.err)
			return
		}
		if s.done || s.capped() {
			return
		}
		r := s.newRun(ctx, optFns)
		defer r.close()
		r.loop(yield)
	}
}

func (s *SpaceSessions) capped() bool {
	return s.opts.MaxItems > 0 && s.delivered >= s.opts.MaxItems
}

// wants reports whether the sessions of a dev environment with this status
// are listed.
func (s *SpaceSessions) wants(status types.DevEnvironmentStatus) bool {
	if s.opts.Statuses == nil {
		return status == types.DevEnvironmentStatusRunning
	}
	return slices.Contains(s.opts.Statuses, status)
}

func describeEnv(env types.DevEnvironmentSummary) string {
	id := aws.ToString(env.Id)
	if a := aws.ToString(env.Alias); a != "" {
		return fmt.Sprintf("%s (%s) in project %s", id, a, aws.ToString(env.ProjectName))
	}
	return fmt.Sprintf("%s in project %s", id, aws.ToString(env.ProjectName))
}
