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
// at a time, with the service's default page sizes, knowing nothing yet.
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
// dev environment with sessions; retries not counted. The watcher makes no
// other request. [SessionWatcher.Stats] counts them.
//
// Exactly once: the first poll announces every session it sees as started
// (from a Checkpoint, only those the checkpoint does not hold); each later
// poll announces the sessions that appeared as started and those that are
// gone as ended. A session is never announced started twice without an end
// between, nor ended twice.
//
// Not seen is not ended: a session ends only in a poll whose listing of
// dev environments completed, and only when its dev environment's sessions
// were listed in that poll (or its dev environment was not listed with a
// status in Statuses: a dev environment that stops or is deleted ends its
// sessions). A dev environment whose sessions cannot be listed (a
// [*DevEnvironmentError]) keeps the sessions known for it; a poll in which
// ListDevEnvironments fails announces no end at all.
//
// A SessionWatcher is not safe for concurrent use, except Checkpoint, which
// may be called from any goroutine at any time.
type SessionWatcher struct {
	client SpaceSessionsAPIClient
	params *codecatalyst.ListDevEnvironmentsInput // deep copy; nil when the caller's was
	opts   SessionWatcherOptions

	err   error // invalid input, reported by every Events loop
	sleep func(ctx context.Context, d time.Duration) error

	mu      sync.Mutex
	known   map[string]*knownEnv // by dev environment id: every session seen and not ended
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
// refuses, a negative Interval, a Checkpoint that does not decode or was
// made for another scope) is yielded by every Events loop, before any
// request, as an error matching [ErrInvalidParameter] or
// [ErrInvalidCheckpoint].
func NewSessionWatcher(client SpaceSessionsAPIClient, params *codecatalyst.ListDevEnvironmentsInput,
	optFns ...func(*SessionWatcherOptions)) *SessionWatcher {
	w := &SessionWatcher{client: client, sleep: waitInterval, known: map[string]*knownEnv{}}
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
	if w.opts.Interval < 0 {
		return invalid("Interval must not be negative (0 means %v), got %v", DefaultWatchInterval, w.opts.Interval)
	}
	if w.opts.Checkpoint == "" || w.params == nil || aws.ToString(w.params.SpaceName) == "" {
		return nil // what NewSpaceSessions refuses is reported by the first poll
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
// In a poll, each session the watcher does not know is yielded as
// started as soon as the listing delivers it, in the listing's order; after
// the listing has completed, the sessions that are gone are yielded as
// ended, ordered by dev environment id, then session id. An event counts
// when it is yielded: after a break (or ctx done) the watcher knows what
// the loop was given, and a later Events loop, or a watcher made from its
// Checkpoint, goes on from there without announcing anything twice.
//
// Errors: a [*DevEnvironmentError] is yielded where the listing gives it
// and the poll goes on; any other error of a poll's listing
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

// poll lists the space once and yields what changed. It reports whether
// the loop goes on.
func (w *SessionWatcher) poll(ctx context.Context, optFns []func(*codecatalyst.Options), yield func(SessionEvent, error) bool) bool {
	ss := NewSpaceSessions(w.client, w.params, func(o *SpaceSessionsOptions) {
		o.Concurrency, o.Statuses = w.opts.Concurrency, w.opts.Statuses
		o.DevEnvironmentPageSize, o.SessionPageSize = w.opts.DevEnvironmentPageSize, w.opts.SessionPageSize
		o.ResolveCreators = w.opts.ResolveCreators
	})
	w.begin(ss)
	defer w.end(ss)
	seen := map[string]map[string]bool{} // by dev environment id, session id
	failed := map[string]bool{}          // dev environments whose sessions could not be listed
	for s, err := range ss.Items(ctx, optFns...) {
		if ctx.Err() != nil {
			return false // nothing is yielded after ctx is done
		}
		if err != nil {
			var envErr *DevEnvironmentError
			switch {
			case errors.As(err, &envErr):
				id := aws.ToString(envErr.DevEnvironment.Id)
				failed[id] = true
				w.mu.Lock()
				if k := w.known[id]; k != nil {
					k.env = envErr.DevEnvironment
					if c := aws.ToString(k.env.CreatorId); c != k.creator.ID {
						k.creator = User{ID: c}
					}
				}
				w.mu.Unlock()
				if !yield(SessionEvent{}, err) {
					return false
				}
				continue
			case errors.Is(err, ErrInvalidParameter), errors.Is(err, ErrInvalidStartingToken):
				w.err = err // the same input every poll: it never succeeds
				yield(SessionEvent{}, err)
				return false
			}
			return yield(SessionEvent{}, err) // the listing failed: no ends
		}
		env, id := aws.ToString(s.DevEnvironment.Id), aws.ToString(s.Session.Id)
		if seen[env] == nil {
			seen[env] = map[string]bool{}
		}
		seen[env][id] = true
		if !w.see(env, id, s) && !w.yieldEvent(yield, SessionEvent{Kind: SessionStarted, Session: s}) {
			return false
		}
	}
	if ctx.Err() != nil {
		return false
	}
	for _, env := range w.envIDs() {
		if failed[env] {
			continue
		}
		for _, id := range w.sessionIDs(env) {
			if seen[env][id] {
				continue
			}
			if ctx.Err() != nil {
				return false
			}
			if !w.yieldEvent(yield, SessionEvent{Kind: SessionEnded, Session: w.forget(env, id)}) {
				return false
			}
		}
	}
	return true
}

// WatcherStats is what a [SessionWatcher] has done so far.
type WatcherStats struct {
	// Polls counts the polls started.
	Polls int64
	// Started and Ended count the events yielded.
	Started, Ended int64
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
	w.mu.Unlock()
	return yield(ev, nil)
}

// see records a session as last seen and reports whether it was known.
func (w *SessionWatcher) see(env, id string, s SpaceSession) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	k := w.known[env]
	if k == nil {
		k = &knownEnv{sessions: map[string]types.DevEnvironmentSessionSummary{}}
		w.known[env] = k
	}
	_, had := k.sessions[id]
	k.env, k.creator, k.sessions[id] = s.DevEnvironment, s.Creator, s.Session
	return had
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
