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
	// Creator is the dev environment's creator: its ID is the creatorId
	// (always), and its names and email are GetUserDetails' when
	// ResolveCreators is set and the user could be resolved.
	Creator User
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
	// Reached on the last session in scope it is the end (ResumeToken ""),
	// for every Concurrency: the run first reads the rest of the dev
	// environments to tell. 0 means no cap; a negative value is an error.
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

	// ResolveCreators resolves each distinct creatorId of the dev
	// environments with sessions once per Items loop, with GetUserDetails,
	// concurrently with the listing (up to Concurrency at a time), under the
	// same pacing and with the same optFns, into SpaceSession.Creator. It
	// needs a client with GetUserDetails ([GetUserDetailsAPIClient]): with
	// another, setting it is an error. A user who cannot be resolved (the
	// request fails) leaves Creator with the ID only, and is not an error of
	// the listing. false (the default) sends no GetUserDetails.
	ResolveCreators bool
}

// SpaceSessions lists the active sessions of every dev environment of a
// space, or of one project: ListDevEnvironments, then
// ListDevEnvironmentSessions for each dev environment whose status is in
// Statuses, concurrently, delivered in order.
//
// The promise: over a chain of runs, each resuming from the last one's
// ResumeToken, every session that exists throughout the chain is delivered
// exactly once, whatever happens to the space between and during runs (dev
// environments created, deleted, stopped, started or reordered, sessions
// started, ended or reordered). A session that starts or ends during the
// chain is delivered at most once. A run never delivers a session twice.
// ResumeToken is "" only when every session in scope has been delivered.
// Its limits: ids are told apart by 48-bit fingerprints (two of 1,000 share
// one about once in 500 million), and changes that hide an item from a
// reading and then undo themselves before its check (see Checks) go unseen.
//
// Order: dev environments in ListDevEnvironments order, each one's sessions
// in the service's order: the same sequence for every Concurrency. A dev
// environment listed twice in a run (a listing that shifted while it was
// read, or a service that lists it twice every time) is delivered once,
// where it came first; a session listed twice, once.
//
// Checks: a listing of several pages is not one snapshot (a change before
// a page's place shifts the pages after it, which can then skip an item or
// repeat one), so a run checks such a listing (the dev environments, or one
// dev environment's sessions) when it ends: it reads every page again with
// the token it was asked with, 4 at a time (so nearly a snapshot; a dev
// environment's within the Concurrency session requests in flight), and
// the listing is complete when every page gives the same ids (an item
// listed twice in pages the check confirms is listed so every time: it is
// delivered once, and the listing settles). A listing of one page is a
// snapshot, complete without a check, duplicates included.
// Else it is read again from its first page, at most 4 times in a run,
// after which the run ends with a ResumeToken that is not "" (resume
// later); what a reading again finds that the run has not delivered is
// delivered after the rest. A listing of one page costs nothing more; one
// of n pages costs n more requests. A check the service refuses (a token it
// takes only once, say) leaves the listing to be read again and compared
// whole with the reading before.
//
// Concurrency: up to Concurrency session listings are in flight while the
// caller consumes earlier ones. The dev environment at the head delivers
// its sessions as its pages arrive; the ones after it are listed ahead,
// concurrently. At most Concurrency dev environments with sessions to list,
// and at most 4×Concurrency dev environments in all, are held ahead of the
// caller, however large the space, plus the next page of
// ListDevEnvironments, which is requested while sessions are listed (so a
// loop that ends early may have requested one page of dev environments it
// did not need). One ListDevEnvironments request is in flight at a time,
// and up to 4 during the check at the end of the dev environment listing.
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
// path. A panic (the client's, on any goroutine of the loop, or the loop
// body's) reaches the caller only after all of them have ended.
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
	stats     *listingCounters

	// For a SessionWatcher's poll. envEnded, when not nil, is called on
	// the loop's goroutine when the loop is done with a dev environment it
	// took from the listing: asked when its status is in Statuses, then
	// full when every one of its sessions was delivered (not when it ended
	// in an error, yielded after the call, unsettled, or deleted meanwhile:
	// ResourceNotFoundException). When it returns false the loop ends, as
	// after a break. envsListed is set when a loop has listed the dev
	// environments to their end, settled and without an error.
	envEnded   func(env types.DevEnvironmentSummary, asked, full bool) bool
	envsListed bool
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
	s := &SpaceSessions{client: client, stats: &listingCounters{}}
	for _, fn := range optFns {
		fn(&s.opts)
	}
	s.opts.Statuses = slices.Clone(s.opts.Statuses)
	if params != nil {
		s.params = copyListDevEnvironmentsInput(params)
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
	if msg := checkListDevEnvironmentsInput(params); msg != "" {
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
	case o.DevEnvironmentPageSize < 0 || o.DevEnvironmentPageSize > listDevEnvironmentsSpec.MaxPageSize:
		return invalid("DevEnvironmentPageSize must be between 1 and %d (0 means the service default), got %d", listDevEnvironmentsSpec.MaxPageSize, o.DevEnvironmentPageSize)
	case o.SessionPageSize < 0 || o.SessionPageSize > listDevEnvironmentSessionsSpec.MaxPageSize:
		return invalid("SessionPageSize must be between 1 and %d (0 means the service default), got %d", listDevEnvironmentSessionsSpec.MaxPageSize, o.SessionPageSize)
	case o.Statuses != nil && len(o.Statuses) == 0:
		return invalid("Statuses must not be empty (nil means RUNNING only)")
	}
	if _, ok := s.client.(GetUserDetailsAPIClient); o.ResolveCreators && !ok {
		return invalid("ResolveCreators needs a client with GetUserDetails (as *codecatalyst.Client has), got %T", s.client)
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

// ResumeToken returns the token that resumes the listing: after MaxItems,
// a break, an error, or a loop that went on past errors. "" means every
// session in scope has been delivered; a loop that went on past a
// [*DevEnvironmentError] never ends with "". Before the first step it
// encodes the starting position. While the input is invalid it returns the
// StartingToken as given if it decoded, else "".
//
// The token records what was delivered, not where the service was: the
// dev environments delivered in full and, for each one delivered in part,
// which of its sessions, as 48-bit fingerprints of their ids. It holds no
// service token, so none can be refused later. It is "dss2." and unpadded
// base64url of a binary form ("2" is the format's version): the scope's
// names, then 8 characters for each dev environment delivered in full, and
// for one delivered in part 8 characters and 8 more for each of its
// sessions delivered (10 dev environments in a space named "bench-space":
// 105 characters; 1,000: 8,027). A dev environment delivered in full is
// never dropped, so along a chain the token grows with what is delivered,
// until "". A "dss1." token, of the first format,
// is refused as [ErrInvalidStartingToken]: it cannot say what was
// delivered; start over without StartingToken.
//
// A resumed run lists the dev environments again from the first page,
// passes over those delivered in full without asking for their sessions,
// and lists every other one's sessions from its first page, delivering
// those not delivered. What resuming costs, against a run that had gone on:
// the ListDevEnvironments pages up to where it continues, and the session
// pages of a dev environment delivered in part up to its first session not
// delivered.
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
// ResumeToken resumes after it.
//
// Errors:
//   - A dev environment whose sessions cannot be listed yields
//     (SpaceSession{DevEnvironment: env}, err) with err a
//     [*DevEnvironmentError] wrapping the service's error ([errors.As] finds
//     the SDK's typed exceptions), after that dev environment's sessions
//     obtained before it. A loop that goes on gets the rest of the space;
//     that dev environment stays undelivered, so ResumeToken is not "" at
//     the end, and resuming from it delivers exactly what was skipped. A
//     dev environment deleted after it was listed (ResourceNotFoundException)
//     has no more sessions and is passed over without an error.
//   - A ListDevEnvironments error is yielded once, after every session
//     before it, and ends the iterator.
//   - A cancelled or expired ctx is yielded once, as an error matching
//     [context.Canceled] or [context.DeadlineExceeded] and no
//     *DevEnvironmentError, with a zero SpaceSession; nothing comes after
//     it. A cancellation noticed only after the last session is no error.
//   - Invalid input is yielded, before any request, by every iterator.
//
// A panic in the client on any goroutine of the loop is raised again on the
// caller's goroutine, after every goroutine of the loop has ended.
//
// The listings ahead of the caller are not undone when the loop ends early
// (a break, MaxItems, an error): their requests were sent, and a resumed
// run lists those dev environments again.
//
// optFns are passed to the client on every request, and after them the
// middleware that paces attempts once the service throttles; the caller's
// slice is never written.
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
