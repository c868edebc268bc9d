package devsessions

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
)

// DefaultWatchInterval is the time between two polls of a [SessionWatcher]
// when SessionWatcherOptions.Interval is 0.
const DefaultWatchInterval = time.Minute

// SessionWatcherOptions configures a [SessionWatcher]. The zero value polls
// every RUNNING dev environment in scope once a minute, 8 session listings
// at a time, with the service's default page sizes, knowing nothing yet,
// and announces every session.
type SessionWatcherOptions struct {
	// Interval is the time between the end of one poll and the start of
	// the next. 0 means [DefaultWatchInterval]; a negative value is an
	// error.
	Interval time.Duration

	// Checkpoint is what an earlier watcher of the same SpaceName and
	// ProjectName knew: a string from [SessionWatcher.Checkpoint]. The
	// first poll then announces only what changed since. "" means none:
	// the first poll announces every session as started.
	Checkpoint string

	// OlderThan, when positive, announces only sessions that started more
	// than OlderThan before the poll began: a younger one, or one without
	// a startedTime, is not announced yet, and is announced as started by
	// the first poll in which it is old enough (so a job that warns about
	// long sessions is told of each once, when it passes the age). A
	// session once announced ends as any other. 0 means every session; a
	// negative value is an error.
	OlderThan time.Duration

	// Concurrency, Statuses, DevEnvironmentPageSize, SessionPageSize and
	// ResolveCreators have the meaning, the defaults and the ranges of the
	// [SpaceSessionsOptions] fields of the same names; every poll lists the
	// space with them (with ResolveCreators, each poll resolves each
	// creator once, and an event's Session.Creator is filled).
	Concurrency            int
	Statuses               []types.DevEnvironmentStatus
	DevEnvironmentPageSize int32
	SessionPageSize        int32
	ResolveCreators        bool
}

// SessionEventKind says what a [SessionEvent] announces. The zero value is
// no event (what comes with an error).
type SessionEventKind uint8

const (
	// SessionStarted announces a session the watcher had not seen before
	// (or not since it ended).
	SessionStarted SessionEventKind = iota + 1
	// SessionEnded announces that a session seen before is gone.
	SessionEnded
)

// String returns "started", "ended", or "SessionEventKind(n)".
func (k SessionEventKind) String() string {
	switch k {
	case SessionStarted:
		return "started"
	case SessionEnded:
		return "ended"
	}
	return fmt.Sprintf("SessionEventKind(%d)", uint8(k))
}

// SessionEvent is one change a [SessionWatcher] saw. For a start, Session
// is the session as the listing delivered it. For an end, it is the
// session as last seen, with its dev environment as last seen (in a
// session or in a [*DevEnvironmentError]); for one known only from a
// Checkpoint, what the checkpoint keeps (see [SessionWatcher.Checkpoint]).
type SessionEvent struct {
	Kind    SessionEventKind
	Session SpaceSession
}

// SessionWatcher polls a space, or one project, for sessions that start
// and end, and announces each change exactly once.
//
// A poll is one space-wide listing, as [SpaceSessions] makes it: paced as
// it paces, with the same requests: P = ⌈E/DevEnvironmentPageSize⌉
// ListDevEnvironments pages for E dev environments in scope plus, for each
// one whose status is in Statuses, ⌈S/SessionPageSize⌉ (at least one)
// ListDevEnvironmentSessions pages for its S sessions; a listing of more
// than one page is checked by reading its pages again (so 2P when P > 1),
// and with ResolveCreators one GetUserDetails per distinct creator of a
// dev environment with sessions; retries not counted. Besides, before it
// announces ends, to confirm them, one request for the sessions of each
// dev environment with sessions to end (with pages of 200; beyond 200
// sessions, listings of ⌈S/200⌉ pages until two in a row agree, at least
// two and at most four; none for one the listing gave with a status not
// in Statuses): nothing in the steady state, where
// nothing ends. [SessionWatcher.Stats] counts them.
//
// Exactly once: the first poll announces every session it sees as started
// (from a Checkpoint, only those the checkpoint does not hold); each later
// poll announces the sessions that appeared as started and those that are
// gone as ended. A session is never announced started twice without an end
// between, nor ended twice. (With OlderThan, a session appears when it is
// old enough.)
//
// Not seen is not ended: a session ends only in a poll whose listing of
// dev environments completed and settled, and only when its dev
// environment's sessions were listed in full in that poll (or its dev
// environment was not listed with a status in Statuses: a dev environment
// that stops or is deleted ends its sessions). Nothing is announced about
// a dev environment whose sessions cannot be listed in full, neither starts
// nor ends: one whose listing fails (a [*DevEnvironmentError], yielded), or
// whose listing changed at every reading of [SpaceSessions]' check (no
// error: the next poll tries again). A poll in which ListDevEnvironments
// fails, or changed at every reading, announces no end at all.
//
// A SessionWatcher is not safe for concurrent use, except Checkpoint, which
// may be called from any goroutine at any time.
type SessionWatcher struct {
	client SpaceSessionsAPIClient
	params *codecatalyst.ListDevEnvironmentsInput // deep copy; nil when the caller's was
	opts   SessionWatcherOptions

	err   error // invalid input, reported by every Events loop
	sleep func(ctx context.Context, d time.Duration) error
	now   func() time.Time // when a poll begins, for OlderThan

	mu      sync.Mutex
	known   map[string]*knownEnv // by dev environment id: every session announced and not ended
	last    *SessionEvent        // the last event yielded, until Undo or the next event
	stats   WatcherStats         // of the polls ended; Poll is the last one's
	listing *SpaceSessions       // the poll in progress, or nil
}

// knownEnv is a dev environment as last seen and its sessions seen and not
// ended, by id, as last seen.
type knownEnv struct {
	env      types.DevEnvironmentSummary
	creator  User
	sessions map[string]types.DevEnvironmentSessionSummary
}

// NewSessionWatcher returns a watcher of the sessions of params.SpaceName,
// or of params.ProjectName in it when that is not nil, with the rules of
// [NewSpaceSessions] for params (copied deeply; MaxResults and NextToken
// must be nil). It applies optFns to a zero [SessionWatcherOptions].
//
// It never fails and sends nothing: invalid input (what NewSpaceSessions
// refuses, a negative Interval or OlderThan, a Checkpoint that does not
// decode or was made for another scope) is yielded by every Events loop,
// before any request, as an error matching [ErrInvalidParameter] or
// [ErrInvalidCheckpoint].
func NewSessionWatcher(client SpaceSessionsAPIClient, params *codecatalyst.ListDevEnvironmentsInput,
	optFns ...func(*SessionWatcherOptions)) *SessionWatcher {
	w := &SessionWatcher{client: client, sleep: waitInterval, now: time.Now, known: map[string]*knownEnv{}}
	for _, fn := range optFns {
		fn(&w.opts)
	}
	w.opts.Statuses = slices.Clone(w.opts.Statuses)
	if params != nil {
		p := copyListDevEnvironmentsInput(params)
		w.params = &p
	}
	w.err = w.setup()
	return w
}

func (w *SessionWatcher) setup() error {
	switch {
	case w.opts.Interval < 0:
		return invalid("Interval must not be negative (0 means %v), got %v", DefaultWatchInterval, w.opts.Interval)
	case w.opts.OlderThan < 0:
		return invalid("OlderThan must not be negative (0 means every session), got %v", w.opts.OlderThan)
	}
	if err := w.newListing().err; err != nil {
		return err
	}
	if w.opts.Checkpoint == "" {
		return nil
	}
	known, err := decodeCheckpoint(w.opts.Checkpoint, *w.params.SpaceName, w.params.ProjectName)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidCheckpoint, err)
	}
	w.known = known
	return nil
}

// Events returns an iterator over the changes the watcher sees, polling
// until ctx is done: one poll at a time, the first at once, the next
// Interval after the end of the one before (after its last event was
// yielded). When ctx is done, the loop returns without yielding its error:
// that is how a watcher is stopped.
//
// In a poll, the sessions the watcher does not know are yielded as started
// in the listing's order, a dev environment's as soon as the listing of its
// sessions has ended in full (a poll holds at most one dev environment's
// sessions); after the listing has completed, the sessions that are gone
// are yielded as ended, ordered by dev environment id, then session id. An event counts
// when it is yielded: after a break (or ctx done) the watcher knows what
// the loop was given, and a later Events loop, or a watcher made from its
// Checkpoint, goes on from there without announcing anything twice. An
// event the caller could not act on is taken back with [SessionWatcher.Undo].
//
// Errors: a [*DevEnvironmentError] is yielded where the listing gives it,
// or where the confirmation of a dev environment's ends fails (its
// sessions do not end in that poll), and the poll goes on; any other error of a poll's listing
// (ListDevEnvironments failed) is yielded once, the poll ends without
// announcing ends, and the next poll comes after Interval. Invalid input is
// yielded once, before any request, and ends the loop. A panic in the
// client is raised on the caller's goroutine, after the poll's goroutines
// have ended.
//
// optFns are passed to the client on every request, as
// [SpaceSessions.Items] passes them. Every goroutine a loop starts has ended
// before it returns.
func (w *SessionWatcher) Events(ctx context.Context, optFns ...func(*codecatalyst.Options)) iter.Seq2[SessionEvent, error] {
	return func(yield func(SessionEvent, error) bool) {
		if w.err != nil {
			yield(SessionEvent{}, w.err)
			return
		}
		interval := cmp.Or(w.opts.Interval, DefaultWatchInterval)
		for {
			if !w.poll(ctx, optFns, yield) {
				return
			}
			if w.sleep(ctx, interval) != nil {
				return
			}
		}
	}
}

// newListing is one poll's listing.
func (w *SessionWatcher) newListing() *SpaceSessions {
	return NewSpaceSessions(w.client, w.params, func(o *SpaceSessionsOptions) {
		o.Concurrency, o.Statuses = w.opts.Concurrency, w.opts.Statuses
		o.DevEnvironmentPageSize, o.SessionPageSize = w.opts.DevEnvironmentPageSize, w.opts.SessionPageSize
		o.ResolveCreators = w.opts.ResolveCreators
	})
}

// aPoll is the state of one poll.
type aPoll struct {
	w       *SessionWatcher
	ctx     context.Context
	optFns  []func(*codecatalyst.Options)
	yield   func(SessionEvent, error) bool
	since   time.Time                  // sessions started before it are old enough (OlderThan)
	held    []SpaceSession             // the sessions of the dev environment being listed, until its listing ends
	seen    map[string]map[string]bool // by dev environment id, session id: seen in a listing that ended in full
	failed  map[string]bool            // dev environments whose sessions could not be listed in full
	passed  map[string]bool            // dev environments listed with a status not in Statuses
	stopped bool                       // the loop ended: a break, or ctx done
}

// poll lists the space once and yields what changed. It reports whether
// the loop goes on.
func (w *SessionWatcher) poll(ctx context.Context, optFns []func(*codecatalyst.Options), yield func(SessionEvent, error) bool) bool {
	p := &aPoll{w: w, ctx: ctx, optFns: optFns, yield: yield, since: w.now().Add(-w.opts.OlderThan),
		seen: map[string]map[string]bool{}, failed: map[string]bool{}, passed: map[string]bool{}}
	ss := w.newListing()
	ss.envEnded = p.envEnded
	w.begin(ss)
	defer w.end(ss)
	for s, err := range ss.Items(ctx, optFns...) {
		if ctx.Err() != nil {
			return false // nothing is yielded after ctx is done
		}
		if err == nil {
			p.held = append(p.held, s) // sessions come dev environment by dev environment
			continue
		}
		var envErr *DevEnvironmentError
		if !errors.As(err, &envErr) {
			return yield(SessionEvent{}, err) // the listing failed: no ends
		}
		w.lastSeen(envErr.DevEnvironment)
		if !yield(SessionEvent{}, err) {
			return false
		}
	}
	if p.stopped || ctx.Err() != nil {
		return false
	}
	if !ss.envsListed {
		return true // the dev environments did not settle: not seen is not ended
	}
	return p.ends()
}

// envEnded is told by the listing that it is done with a dev environment:
// one passed over for its status has no sessions; for one whose sessions
// were asked for, the held sessions are announced when they were listed
// in full, else dropped (nothing is announced about what could not be
// listed).
func (p *aPoll) envEnded(env types.DevEnvironmentSummary, asked, full bool) bool {
	id := aws.ToString(env.Id)
	if !asked {
		p.passed[id] = true
		return true
	}
	held := p.held
	p.held = p.held[:0]
	if !full {
		p.failed[id] = true
		return true
	}
	if p.seen[id] == nil {
		p.seen[id] = map[string]bool{}
	}
	for _, s := range held {
		if p.ctx.Err() != nil {
			p.stopped = true
			return false
		}
		sid := aws.ToString(s.Session.Id)
		p.seen[id][sid] = true
		if p.w.see(id, sid, s, p.since) {
			continue
		}
		if !p.w.yieldEvent(p.yield, SessionEvent{Kind: SessionStarted, Session: s}) {
			p.stopped = true
			return false
		}
	}
	return true
}

// ends yields the known sessions gone from a poll whose dev environments
// were listed to their end: those not seen, but for the dev environments
// whose sessions could not be listed. Unless its dev environment was
// listed with a status not in Statuses, a session not seen ends only when
// a listing of its dev environment's sessions made to confirm it says it
// is gone (see confirm): a listing that shifted while it was read can pass
// over a dev environment or a session that was there all along. A
// confirmation that fails is yielded as a [*DevEnvironmentError], and
// nothing ends for that dev environment.
func (p *aPoll) ends() bool {
	w := p.w
	for _, env := range w.envIDs() {
		if p.failed[env] {
			continue
		}
		gone := slices.DeleteFunc(w.sessionIDs(env), func(id string) bool { return p.seen[env][id] })
		if len(gone) > 0 && !p.passed[env] {
			present, err := p.confirm(env)
			if p.ctx.Err() != nil {
				return false
			}
			if err != nil {
				if !p.yield(SessionEvent{}, err) {
					return false
				}
				continue // not seen is not ended
			}
			gone = slices.DeleteFunc(gone, func(id string) bool { return present[id] })
		}
		for _, id := range gone {
			if p.ctx.Err() != nil {
				return false
			}
			if !w.yieldEvent(p.yield, SessionEvent{Kind: SessionEnded, Session: w.forget(env, id)}) {
				return false
			}
		}
	}
	return true
}

// errUnsettledConfirmation is a confirmation whose readings never agreed.
var errUnsettledConfirmation = errors.New("its sessions changed at every reading")

// maxConfirmReadings bounds the readings of a confirmation of more than
// one page.
const maxConfirmReadings = 4

// confirm lists the sessions of a known dev environment and returns the
// ids listed: with the largest page (200), so that one request reads them
// at one moment; when they take more than one page (a listing that shifts
// while read can pass over a session), it lists them again until two
// readings in a row list the same sessions, up to 4 readings, and returns
// what any reading had. A dev environment not found on the first request
// is gone: none. A dev environment without a known project cannot be
// listed; its sessions are taken as gone (the listing of the space, which
// completed and settled, did not have them). Any other failure, a
// ResourceNotFoundException on a later page or readings that never agree
// included, is a *DevEnvironmentError.
func (p *aPoll) confirm(env string) (map[string]bool, error) {
	w := p.w
	w.mu.Lock()
	known := w.known[env].env
	w.mu.Unlock()
	project := known.ProjectName
	if project == nil {
		project = w.params.ProjectName
	}
	present := map[string]bool{}
	if project == nil {
		return present, nil
	}
	in := &codecatalyst.ListDevEnvironmentSessionsInput{SpaceName: w.params.SpaceName, ProjectName: project, DevEnvironmentId: &env}
	var last []string
	for reading := range maxConfirmReadings {
		pg := NewListDevEnvironmentSessionsPaginator(w.client, in, func(o *ListDevEnvironmentSessionsPaginatorOptions) {
			o.PageSize = listDevEnvironmentSessionsSpec.MaxPageSize
		})
		var ids []string
		pages := 0
		for pg.HasMorePages() {
			if err := p.ctx.Err(); err != nil {
				return nil, err // nothing sent: not counted
			}
			w.mu.Lock()
			w.stats.ConfirmRequests++
			w.mu.Unlock()
			out, err := pg.NextPage(p.ctx, p.optFns...)
			var notFound *types.ResourceNotFoundException
			switch {
			case errors.As(err, &notFound) && pages == 0 && reading == 0:
				return map[string]bool{}, nil
			case err != nil:
				return nil, &DevEnvironmentError{DevEnvironment: known, Err: err}
			}
			pages++
			for _, s := range out.Items {
				ids = append(ids, aws.ToString(s.Id))
				present[aws.ToString(s.Id)] = true
			}
		}
		if pages <= 1 {
			return present, nil // one request: read at one moment
		}
		slices.Sort(ids)
		if reading > 0 && slices.Equal(ids, last) {
			return present, nil
		}
		last = ids
	}
	return nil, &DevEnvironmentError{DevEnvironment: known, Err: errUnsettledConfirmation}
}

// WatcherStats is what a [SessionWatcher] has done so far.
type WatcherStats struct {
	// Polls counts the polls started.
	Polls int64
	// Started and Ended count the events yielded.
	Started, Ended int64
	// ConfirmRequests counts the ListDevEnvironmentSessions requests sent
	// to confirm ends (see [SessionWatcher]), besides the listings'.
	ConfirmRequests int64
	// Poll is what the poll in progress has done so far, or when none is,
	// what the last one did.
	Poll ListingStats
	// Total is what every poll did, the one in progress included.
	Total ListingStats
}

// Stats returns what the watcher has done so far. It is safe to call from
// any goroutine, during a loop too, and costs a lock and a few atomic
// loads (see [SpaceSessions.Stats]).
func (w *SessionWatcher) Stats() WatcherStats {
	w.mu.Lock()
	defer w.mu.Unlock()
	st := w.stats
	if w.listing != nil {
		st.Poll = w.listing.Stats()
		st.Total = st.Total.add(st.Poll)
	}
	return st
}

func (w *SessionWatcher) begin(ss *SpaceSessions) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.listing = ss
	w.stats.Polls++
}

func (w *SessionWatcher) end(ss *SpaceSessions) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.listing = nil
	w.stats.Poll = ss.Stats()
	w.stats.Total = w.stats.Total.add(w.stats.Poll)
}

// yieldEvent counts an event and yields it.
func (w *SessionWatcher) yieldEvent(yield func(SessionEvent, error) bool, ev SessionEvent) bool {
	w.mu.Lock()
	if ev.Kind == SessionStarted {
		w.stats.Started++
	} else {
		w.stats.Ended++
	}
	w.last = &ev
	w.mu.Unlock()
	return yield(ev, nil)
}

// see records a session seen in a listing that ended in full, and reports
// whether there is nothing to announce: it was known (it is updated to
// as last seen), or it is too young for OlderThan (it stays unknown).
// Otherwise it is known from now on, and the caller announces it.
func (w *SessionWatcher) see(env, id string, s SpaceSession, since time.Time) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	k := w.known[env]
	if k != nil {
		if _, had := k.sessions[id]; had {
			k.env, k.creator, k.sessions[id] = s.DevEnvironment, s.Creator, s.Session
			return true
		}
	}
	if w.opts.OlderThan > 0 && (s.Session.StartedTime == nil || !s.Session.StartedTime.Before(since)) {
		return true
	}
	if k == nil {
		k = &knownEnv{sessions: map[string]types.DevEnvironmentSessionSummary{}}
		w.known[env] = k
	}
	k.env, k.creator, k.sessions[id] = s.DevEnvironment, s.Creator, s.Session
	return false
}

// lastSeen records a dev environment as last seen (in a
// *DevEnvironmentError) when sessions of it are known.
func (w *SessionWatcher) lastSeen(env types.DevEnvironmentSummary) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if k := w.known[aws.ToString(env.Id)]; k != nil {
		if env.ProjectName == nil {
			env.ProjectName = k.env.ProjectName // a listing that leaves it out: keep the one known
		}
		k.env = env
		if c := aws.ToString(env.CreatorId); c != k.creator.ID {
			k.creator = User{ID: c}
		}
	}
}

// ErrNotLastEvent is returned by [SessionWatcher.Undo] for an event that is
// not the last one the watcher yielded, or one already undone.
var ErrNotLastEvent = errors.New("devsessions: not the last event the watcher yielded")

// Undo takes back the last event the watcher yielded, as if it had never
// been yielded: for a start, the session is unknown again, and the next
// poll (or a watcher made from Checkpoint) announces it as started if it is
// still there; for an end, the session is known again, as last seen, and
// the next poll announces its end again. Call it, in the loop or after it
// ended, when the event could not be acted on (a write failed), before
// saving Checkpoint. It returns [ErrNotLastEvent], and changes nothing,
// for any other event, or for the last one already undone. Like Events, it
// is not safe for concurrent use; Checkpoint and Stats may be called at the
// same time from other goroutines.
func (w *SessionWatcher) Undo(ev SessionEvent) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	last := w.last
	if last == nil || last.Kind != ev.Kind || sessionKey(last.Session) != sessionKey(ev.Session) {
		return ErrNotLastEvent
	}
	w.last = nil
	env, id := aws.ToString(last.Session.DevEnvironment.Id), aws.ToString(last.Session.Session.Id)
	k := w.known[env]
	if last.Kind == SessionStarted {
		delete(k.sessions, id)
		if len(k.sessions) == 0 {
			delete(w.known, env)
		}
		return nil
	}
	if k == nil {
		k = &knownEnv{env: last.Session.DevEnvironment, creator: last.Session.Creator,
			sessions: map[string]types.DevEnvironmentSessionSummary{}}
		w.known[env] = k
	}
	k.sessions[id] = last.Session.Session
	return nil
}

// sessionKey is a session's dev environment id and id.
func sessionKey(s SpaceSession) [2]string {
	return [2]string{aws.ToString(s.DevEnvironment.Id), aws.ToString(s.Session.Id)}
}

// forget removes a known session and returns it as last seen.
func (w *SessionWatcher) forget(env, id string) SpaceSession {
	w.mu.Lock()
	defer w.mu.Unlock()
	k := w.known[env]
	s := SpaceSession{DevEnvironment: k.env, Session: k.sessions[id], Creator: k.creator}
	delete(k.sessions, id)
	if len(k.sessions) == 0 {
		delete(w.known, env)
	}
	return s
}

// envIDs returns the ids of the dev environments with known sessions, in
// order.
func (w *SessionWatcher) envIDs() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Sorted(maps.Keys(w.known))
}

// sessionIDs returns the ids of the known sessions of a dev environment,
// in order.
func (w *SessionWatcher) sessionIDs(env string) []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if k := w.known[env]; k != nil {
		return slices.Sorted(maps.Keys(k.sessions))
	}
	return nil
}

// waitInterval waits d, or until ctx is done.
func waitInterval(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}
