package devsessions

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"sync"

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

	pos       spacePosition // the first session not yet delivered
	done      bool          // nothing remains
	delivered int32
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
	s.pos = spacePosition{Space: *params.SpaceName, Project: cloneString(params.ProjectName)}
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

func (s *SpaceSessions) listed(status types.DevEnvironmentStatus) bool {
	if s.opts.Statuses == nil {
		return status == types.DevEnvironmentStatusRunning
	}
	return slices.Contains(s.opts.Statuses, status)
}

// slot is one dev environment of the window: listed, and its sessions
// being listed (or not to be listed) ahead of the caller.
type slot struct {
	env      types.DevEnvironmentSummary
	at       spacePosition // resumes at this dev environment's first session not delivered
	after    string        // ListDevEnvironments token at the next dev environment
	last     bool          // no dev environment follows
	list     bool          // its sessions are listed
	start    string        // sessions token to start from ("" = its first session)
	done     chan struct{} // closed when the worker has finished
	pages    []sessionPage // written by the worker before done is closed
	err      error         // listing its sessions failed
	errAt    string        // the sessions token at the failure
	panicked bool
	panicVal any
}

// sessionPage is one page of sessions and the sessions token before it.
type sessionPage struct {
	start string
	items []types.DevEnvironmentSessionSummary
}

// run is one iterator loop over a SpaceSessions.
type run struct {
	s      *SpaceSessions
	ctx    context.Context
	cancel context.CancelFunc
	optFns []func(*codecatalyst.Options)
	conc   int
	pace   *pacer
	wg     sync.WaitGroup

	envs     *ListDevEnvironmentsPaginator
	nextEnv  func() (types.DevEnvironmentSummary, error, bool)
	stopEnvs func()
	envsDone bool  // no dev environment remains to be listed
	envErr   error // ListDevEnvironments failed: report after the window
	seek     seek  // finding StartingToken's dev environment

	lastID    string // the last dev environment listed (delivered or passed over)
	prevSeen  bool   // seekScan passed over the position's Prev
	afterPrev string // ListDevEnvironments token just after it

	window  []*slot
	listing int // slots in the window whose sessions are listed
}

// seek is how a run finds the dev environment its starting position names
// (spacePosition.ID).
type seek uint8

const (
	// seekNone: every dev environment listed is delivered.
	seekNone seek = iota
	// seekCheck: the first dev environment listed from the position must be
	// the one it names; if it is not, the listing has changed (a dev
	// environment was created or deleted before it): seekScan.
	seekCheck
	// seekScan: listing from the first page, passing over the dev
	// environments before the one the position names (earlier runs
	// delivered them). If it is not found (deleted), the run lists again
	// from the position, which is then the place where it was.
	seekScan
)

func (s *SpaceSessions) newRun(ctx context.Context, optFns []func(*codecatalyst.Options)) *run {
	ctx, cancel := context.WithCancel(ctx)
	conc := s.opts.Concurrency
	if conc == 0 {
		conc = DefaultConcurrency
	}
	r := &run{s: s, ctx: ctx, cancel: cancel, conc: conc, pace: &pacer{}}
	r.optFns = append(slices.Clip(optFns), r.pace.gate)
	if s.pos.ID != "" {
		r.seek, r.lastID = seekCheck, s.pos.Prev
	}
	r.listEnvs(s.pos.Env)
	return r
}

// listEnvs (re)starts the dev environment listing at a ListDevEnvironments
// token ("" for the first page).
func (r *run) listEnvs(from string) {
	if r.stopEnvs != nil {
		r.stopEnvs()
	}
	r.envs = NewListDevEnvironmentsPaginator(r.s.client, &r.s.params, func(o *ListDevEnvironmentsPaginatorOptions) {
		o.PageSize, o.StartingToken = r.s.opts.DevEnvironmentPageSize, from
		o.Prefetch = 1 // the next page of dev environments comes while sessions are listed
	})
	r.nextEnv, r.stopEnvs = iter.Pull2(r.envs.Items(r.ctx, r.optFns...))
}

// close ends the loop: it cancels the workers and waits for them, so that
// no goroutine outlives the loop, and raises a worker's panic again here.
func (r *run) close() {
	r.cancel()
	r.stopEnvs()
	r.wg.Wait()
	for _, sl := range r.window {
		if sl.panicked {
			panic(sl.panicVal)
		}
	}
}

// loop delivers the sessions in order until the end, MaxItems, an error
// that ends it or a break.
func (r *run) loop(yield func(SpaceSession, error) bool) {
	s := r.s
	conc := r.conc
	for {
		// Fill the window: list dev environments ahead, start their workers.
		for !r.envsDone && r.listing < conc && len(r.window) < 4*conc {
			r.pull()
		}
		if len(r.window) == 0 {
			if r.envErr != nil {
				yield(SpaceSession{}, r.envErr)
				return
			}
			s.done = true
			return
		}
		sl := r.window[0]
		if sl.list {
			select {
			case <-sl.done:
			case <-r.ctx.Done():
			}
			// A cancelled ctx ends the loop here even when the worker has
			// finished (its error is then most likely the cancellation):
			// delivering that error would let a loop that goes on after
			// errors skip this dev environment and yield the cancellation
			// again at the next one.
			if r.ctx.Err() != nil {
				yield(SpaceSession{DevEnvironment: sl.env}, fmt.Errorf("devsessions: listing the sessions of dev environment %s: %w",
					describeEnv(sl.env), context.Cause(r.ctx)))
				return
			}
			if sl.panicked {
				r.window = r.window[1:]
				panic(sl.panicVal)
			}
		}
		if !r.deliver(sl, yield) {
			return
		}
		r.window[0] = nil
		r.window = r.window[1:]
		if sl.list {
			r.listing--
		}
	}
}

// pull lists the next dev environment into the window, or passes over one
// while seeking the starting position's.
func (r *run) pull() {
	s := r.s
	at := r.envs.ResumeToken()
	env, err, ok := r.nextEnv()
	if r.seek == seekCheck && errors.Is(err, ErrInvalidStartingToken) {
		// Deletions before the position can leave its place where the
		// service refuses the page token (beyond the end): the listing
		// changed before the position.
		r.seek, r.lastID = seekScan, ""
		r.listEnvs("")
		return
	}
	if err == nil && r.seek != seekNone && (!ok || aws.ToString(env.Id) != s.pos.ID) {
		switch {
		case r.seek == seekCheck: // the listing changed before the position
			r.seek, r.lastID = seekScan, ""
			r.listEnvs("")
		case !ok: // the position's dev environment is gone
			r.seek = seekNone
			switch {
			case s.pos.Prev == "": // it was the first: all that is listed now comes after it
				r.lastID = ""
				r.listEnvs("")
			case r.prevSeen && r.afterPrev == "": // that one is now the last
				r.envsDone = true
			case r.prevSeen: // right after the one listed before it
				r.lastID = s.pos.Prev
				r.listEnvs(r.afterPrev)
			default: // that one is gone too: from its place
				r.listEnvs(s.pos.Env)
			}
		default: // seekScan passes over the dev environments before it
			if aws.ToString(env.Id) == s.pos.Prev {
				r.prevSeen, r.afterPrev = true, r.envs.ResumeToken()
			}
			r.lastID = aws.ToString(env.Id)
		}
		return
	}
	switch {
	case !ok:
		r.envsDone = true
		return
	case err != nil:
		r.envsDone, r.envErr = true, err
		return
	}
	prev := r.lastID
	r.lastID = aws.ToString(env.Id)
	start := ""
	if r.seek != seekNone { // the position's dev environment
		r.seek = seekNone
		if s.pos.Past {
			return // delivered in full by an earlier run
		}
		start = s.pos.Sessions
	}
	after := r.envs.ResumeToken()
	sl := &slot{env: env, after: after, last: after == "", list: s.listed(env.Status), start: start, done: make(chan struct{})}
	sl.at = spacePosition{Space: s.pos.Space, Project: s.pos.Project, Env: at, ID: aws.ToString(env.Id), Prev: prev}
	r.window = append(r.window, sl)
	if !sl.list {
		close(sl.done)
		return
	}
	r.listing++
	r.wg.Add(1)
	go r.work(sl)
}

// work lists one dev environment's sessions in full into its slot.
func (r *run) work(sl *slot) {
	defer r.wg.Done()
	defer close(sl.done)
	defer func() {
		if v := recover(); v != nil {
			sl.panicked, sl.panicVal = true, v
		}
	}()
	s := r.s
	project := sl.env.ProjectName
	if project == nil {
		project = s.params.ProjectName
	}
	if project == nil || sl.env.Id == nil {
		sl.err = fmt.Errorf("devsessions: dev environment %s: ListDevEnvironments gave no id or projectName to list its sessions by", describeEnv(sl.env))
		return
	}
	p := NewListDevEnvironmentSessionsPaginator(s.client, &codecatalyst.ListDevEnvironmentSessionsInput{
		SpaceName: s.params.SpaceName, ProjectName: project, DevEnvironmentId: sl.env.Id,
	}, func(o *ListDevEnvironmentSessionsPaginatorOptions) {
		o.PageSize, o.StartingToken = s.opts.SessionPageSize, sl.start
	})
	for p.HasMorePages() {
		start := p.ResumeToken()
		out, err := p.NextPage(r.ctx, r.optFns...)
		var notFound *types.ResourceNotFoundException
		switch {
		case errors.As(err, &notFound):
			return // deleted since it was listed: no more sessions
		case err != nil:
			sl.err, sl.errAt = err, start
			return
		}
		if len(out.Items) > 0 {
			sl.pages = append(sl.pages, sessionPage{start: start, items: out.Items})
		}
	}
}

// deliver yields the sessions of the window's first slot, then its error,
// moving the position past each before it is yielded. It reports whether
// the loop goes on.
func (r *run) deliver(sl *slot, yield func(SpaceSession, error) bool) bool {
	s := r.s
	at := func(sessions string) spacePosition {
		p := sl.at
		p.Sessions = sessions
		return p
	}
	for pi, pg := range sl.pages {
		for i, it := range pg.items {
			switch {
			case i+1 < len(pg.items):
				s.pos = at(sessionTokenAt(pg.start, i+1))
			case pi+1 < len(sl.pages):
				s.pos = at(sl.pages[pi+1].start)
			case sl.err != nil:
				s.pos = at(sl.errAt)
			default:
				r.pass(sl)
			}
			s.delivered++
			if !yield(SpaceSession{DevEnvironment: sl.env, Session: it}, nil) || s.capped() {
				return false
			}
		}
	}
	if sl.err != nil {
		s.pos = at(sl.errAt)
		err := &DevEnvironmentError{DevEnvironment: sl.env, Err: sl.err}
		if !yield(SpaceSession{DevEnvironment: sl.env}, err) {
			return false
		}
	}
	r.pass(sl)
	return true
}

// pass moves the position past the slot's dev environment: "after the dev
// environment with this id", which a resumed run checks, so that a dev
// environment created or deleted before it moves nothing. The listing is
// done when no dev environment follows, or when every one that follows and
// is already listed has nothing to deliver and the listing has ended.
func (r *run) pass(sl *slot) {
	s := r.s
	s.pos = sl.at
	s.pos.Sessions, s.pos.Past = "", true
	if sl.at.ID == "" {
		s.pos = spacePosition{Space: s.pos.Space, Project: s.pos.Project, Env: sl.after}
	}
	s.done = sl.last || r.nothingAfter(sl)
}

// nothingAfter reports whether the window holds nothing to deliver after sl
// and the dev environment listing ended without an error.
func (r *run) nothingAfter(sl *slot) bool {
	if !r.envsDone || r.envErr != nil {
		return false
	}
	for _, next := range r.window {
		if next == sl {
			continue
		}
		select {
		case <-next.done:
			if len(next.pages) > 0 || next.err != nil || next.panicked {
				return false
			}
		default:
			return false // still being listed
		}
	}
	return true
}

func describeEnv(env types.DevEnvironmentSummary) string {
	id := aws.ToString(env.Id)
	if a := aws.ToString(env.Alias); a != "" {
		return fmt.Sprintf("%s (%s) in project %s", id, a, aws.ToString(env.ProjectName))
	}
	return fmt.Sprintf("%s in project %s", id, aws.ToString(env.ProjectName))
}
