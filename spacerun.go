package devsessions

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
)

// run is one iterator loop over a SpaceSessions: the feed of dev
// environments, the window of those ahead of the caller with their
// workers, and the delivery into the SpaceSessions' position.
type run struct {
	s      *SpaceSessions
	ctx    context.Context // the caller's, cancelled when the loop ends
	cancel context.CancelFunc
	send   *sender
	pace   *pacer // the send's, for every request of the run
	conc   int
	wg     sync.WaitGroup // the workers

	feed  *envFeed
	users *resolver // nil unless ResolveCreators

	// The window: dev environments listed and not yet delivered, in order,
	// at most 4×conc of them and at most conc with a worker.
	window  []*slot
	working int                      // slots of the window with a worker
	seen    map[fingerprint]struct{} // dev environments this run has taken from the feed

	incomplete bool // a dev environment of this run was not delivered in full
}

func (s *SpaceSessions) newRun(ctx context.Context, optFns []func(*codecatalyst.Options)) *run {
	ctx, cancel := context.WithCancel(ctx)
	conc := s.opts.Concurrency
	if conc == 0 {
		conc = DefaultConcurrency
	}
	r := &run{s: s, ctx: ctx, cancel: cancel, conc: conc, seen: map[fingerprint]struct{}{}, pace: newPacer()}
	r.pace.stats = s.stats
	r.send = newSender(s.client, optFns, r.pace, conc, s.stats)
	if s.opts.ResolveCreators {
		r.users = newResolver(ctx, r.send, conc)
	}
	r.feed = &envFeed{ctx: ctx, client: r.send, params: &s.params, pageSize: s.opts.DevEnvironmentPageSize}
	return r
}

// close ends the loop, on every path: it cancels the workers, waits for
// them and ends the feed, and only then raises a panic (the loop's own, the
// feed's, or a worker's not yet reached), so that no goroutine of the loop
// is still running when a panic reaches the caller.
func (r *run) close() {
	v := recover()
	r.cancel()
	r.wg.Wait()
	if fv := r.feed.close(); v == nil {
		v = fv
	}
	if uv, panicked := r.users.wait(); v == nil && panicked {
		v = uv
	}
	for _, sl := range r.window {
		if v == nil && sl.panicked {
			v = sl.panicVal
		}
	}
	if v != nil {
		panic(v)
	}
}

// loop delivers the sessions in order until the end, MaxItems, an error
// that ends it, a cancelled context or a break.
func (r *run) loop(yield func(SpaceSession, error) bool) {
	for {
		r.fill()
		if len(r.window) == 0 {
			r.finish(yield)
			return
		}
		sl := r.window[0]
		if !r.drain(sl, yield) {
			return
		}
		r.window[0] = nil
		r.window = r.window[1:]
		if sl.asked {
			r.working--
		}
	}
}

// fill takes dev environments from the feed into the window and starts
// their workers, passing over those delivered in full and those this run
// has taken already (a listing that shifted, or a reading again).
func (r *run) fill() {
	for r.working < r.conc && len(r.window) < 4*r.conc {
		env, ok := r.feed.pull()
		if !ok {
			return
		}
		r.s.stats.listed.Add(1)
		fp := fingerprintOf(*orEmpty(env.Id))
		if _, dup := r.seen[fp]; dup || r.s.pos.inFull(fp) {
			r.s.stats.passedOver.Add(1)
			continue
		}
		r.seen[fp] = struct{}{}
		sl := newSlot(env, r.s.wants(env.Status))
		r.window = append(r.window, sl)
		if !sl.asked {
			r.s.stats.passedOver.Add(1)
			continue
		}
		r.working++
		r.wg.Add(1)
		go r.work(sl)
	}
}

// finish ends a loop whose window is empty: the feed's error, or the end.
func (r *run) finish(yield func(SpaceSession, error) bool) {
	switch f := r.feed; {
	case f.err != nil && r.ctx.Err() != nil:
		r.yieldStop(yield)
	case f.err != nil:
		yield(SpaceSession{}, f.err)
	case f.unsettled:
		// Nothing left in this run, but not everything delivered:
		// ResumeToken stays, and a new loop lists again.
	case r.incomplete:
		r.s.envsListed = true
	default:
		r.s.envsListed, r.s.done = true, true
	}
}

// drain delivers the window's first slot: its sessions as their pages
// arrive, then its error. It reports whether the loop goes on.
func (r *run) drain(sl *slot, yield func(SpaceSession, error) bool) bool {
	s := r.s
	for {
		pages, ended := sl.state()
		for _, pg := range pages {
			for _, it := range pg {
				sfp := fingerprintOf(*orEmpty(it.Id))
				if s.pos.delivered(sl.fp, sfp) {
					continue // delivered by an earlier run, or seen twice in this one
				}
				if r.ctx.Err() != nil {
					r.yieldStop(yield)
					return false
				}
				if !r.deliver(sl, sfp, SpaceSession{DevEnvironment: sl.env, Session: it}, yield) {
					return false
				}
				if s.capped() {
					r.capAt(sl)
					return false
				}
			}
		}
		sl.taken += len(pages)
		if ended {
			break
		}
		select {
		case <-sl.ready:
		case <-r.ctx.Done():
			r.yieldStop(yield)
			return false
		}
	}
	switch {
	case sl.panicked:
		panic(sl.panicVal) // raised again by close, once every goroutine has ended
	case sl.err != nil && r.ctx.Err() != nil:
		r.yieldStop(yield)
		return false
	case sl.err != nil:
		r.incomplete = true
		if !r.ended(sl, false) {
			return false
		}
		return yield(SpaceSession{DevEnvironment: sl.env}, &DevEnvironmentError{DevEnvironment: sl.env, Err: sl.err})
	case sl.unsettled:
		r.incomplete = true
		return r.ended(sl, false)
	case sl.asked:
		s.pos.markFull(sl.fp)
		return r.ended(sl, !sl.gone) // deleted meanwhile: not listed in full for a watcher
	}
	return r.ended(sl, true) // not asked: its status says it has no session to list
}

// ended tells the SpaceSessions' envEnded, when set, that the loop is done
// with a dev environment, and reports whether the loop goes on.
func (r *run) ended(sl *slot, full bool) bool {
	return r.s.envEnded == nil || r.s.envEnded(sl.env, sl.asked, full)
}

// deliver is the one place a session is delivered: it is recorded in the
// position, then yielded.
func (r *run) deliver(sl *slot, session fingerprint, it SpaceSession, yield func(SpaceSession, error) bool) bool {
	it.Creator = r.users.user(sl.env.CreatorId)
	if r.users != nil && r.ctx.Err() != nil { // it waited for the creator
		r.yieldStop(yield)
		return false
	}
	r.s.pos.markSession(sl.fp, session)
	r.s.delivered++
	r.s.stats.delivered.Add(1)
	return yield(it, nil)
}

// yieldStop yields the end of the caller's context, once: never a dev
// environment's failure, and nothing after it.
func (r *run) yieldStop(yield func(SpaceSession, error) bool) {
	err := r.ctx.Err()
	if cause := context.Cause(r.ctx); cause != nil && !errors.Is(cause, err) {
		err = fmt.Errorf("%w: %w", err, cause)
	}
	yield(SpaceSession{}, fmt.Errorf("devsessions: listing the sessions of space %s stopped: %w", *r.s.params.SpaceName, err))
}

// capAt settles the position when MaxItems is reached in sl (the position
// tells which of the pages not yet taken were delivered): a dev
// environment whose sessions are all delivered is delivered in full, and
// when nothing else remains the listing is done, so that a cap on the last
// session ends with "", whatever the Concurrency. To tell, it waits for the
// workers of the window to end, and takes the rest
// of the feed (reading the pages of dev environments that remain, and the
// check of the reading, as a loop without MaxItems would) up to the first
// dev environment with sessions to list.
func (r *run) capAt(sl *slot) {
	rest, ended := r.awaitEnd(sl)
	if !ended || sl.err != nil || sl.unsettled || sl.panicked || r.undelivered(sl.fp, rest) {
		return
	}
	if sl.asked {
		r.s.pos.markFull(sl.fp)
	}
	f := r.feed
	if !r.feedHoldsNoMore() || f.err != nil || f.unsettled || r.incomplete {
		return
	}
	for _, next := range r.window[1:] {
		pages, ended := r.awaitEnd(next)
		if !ended || next.err != nil || next.unsettled || next.panicked || r.undelivered(next.fp, pages) {
			return
		}
	}
	r.s.done = true
}

// awaitEnd waits for sl's worker to end (its last page can come before
// its end), or for the loop's ctx to end, and returns sl's state then.
func (r *run) awaitEnd(sl *slot) (pages [][]types.DevEnvironmentSessionSummary, ended bool) {
	for {
		if pages, ended = sl.state(); ended {
			return pages, ended
		}
		select {
		case <-sl.ready:
		case <-r.ctx.Done():
			return sl.state()
		}
	}
}

// feedHoldsNoMore takes the rest of the feed, which fill leaves untaken
// once Concurrency workers run (always with Concurrency 1), and reports
// whether it ended without a dev environment to list the sessions of that
// this run has not taken and that was not delivered in full. It stops at
// the first such dev environment, or at the feed's end or error.
func (r *run) feedHoldsNoMore() bool {
	for {
		env, ok := r.feed.pull()
		if !ok {
			return true
		}
		fp := fingerprintOf(*orEmpty(env.Id))
		if _, dup := r.seen[fp]; dup || r.s.pos.inFull(fp) || !r.s.wants(env.Status) {
			continue
		}
		return false
	}
}

// undelivered reports whether pages hold a session of the dev environment
// not yet delivered.
func (r *run) undelivered(env fingerprint, pages [][]types.DevEnvironmentSessionSummary) bool {
	for _, pg := range pages {
		for _, it := range pg {
			if !r.s.pos.delivered(env, fingerprintOf(*orEmpty(it.Id))) {
				return true
			}
		}
	}
	return false
}

func orEmpty(s *string) *string {
	if s == nil {
		return new(string)
	}
	return s
}
