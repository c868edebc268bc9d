package devsessions_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

const watchSpaceName = "watch-space"

// wsEnv is one dev environment of a modelled space and its sessions, in
// the service's order.
type wsEnv struct {
	sum      types.DevEnvironmentSummary
	sessions []types.DevEnvironmentSessionSummary
}

// wsSpace is a space that changes between polls.
type wsSpace struct {
	rng      *rand.Rand
	envs     []wsEnv
	envs0    int // ids handed out
	sessions int
}

// newWatchSpace is a space of n dev environments, two in three running.
func newWatchSpace(rng *rand.Rand, n int) *wsSpace {
	sp := &wsSpace{rng: rng}
	for range n {
		sp.envs = append(sp.envs, sp.newEnv([]types.DevEnvironmentStatus{types.DevEnvironmentStatusRunning,
			types.DevEnvironmentStatusRunning, types.DevEnvironmentStatusStopped}[rng.IntN(3)]))
	}
	return sp
}

func (sp *wsSpace) newEnv(status types.DevEnvironmentStatus) wsEnv {
	sp.envs0++
	project := fmt.Sprintf("project-%d", sp.rng.IntN(3))
	e := wsEnv{sum: types.DevEnvironmentSummary{
		SpaceName: aws.String(watchSpaceName), ProjectName: aws.String(project),
		Id:    aws.String(fmt.Sprintf("%08x-0000-4000-8000-%012x", sp.envs0, sp.rng.Uint64()>>16)),
		Alias: aws.String(fmt.Sprintf("env-%d", sp.envs0)), Status: status, CreatorId: aws.String(fmt.Sprintf("user-%d", sp.rng.IntN(4))),
		InstanceType: types.InstanceTypeDevStandard1Small, LastUpdatedTime: aws.Time(time.Unix(1.7e9, 0).UTC()),
		InactivityTimeoutMinutes: 15, Repositories: []types.DevEnvironmentRepositorySummary{},
		PersistentStorage: &types.PersistentStorage{SizeInGiB: aws.Int32(16)},
	}}
	if status == types.DevEnvironmentStatusRunning {
		for range sp.rng.IntN(4) {
			e.sessions = append(e.sessions, sp.newSession(e.sum))
		}
	}
	return e
}

// newSession has a new id (a short one, a lowercase UUID or an uppercase
// one) and a start time (whole seconds, a fraction of one, or none).
func (sp *wsSpace) newSession(env types.DevEnvironmentSummary) types.DevEnvironmentSessionSummary {
	sp.sessions++
	id := fmt.Sprintf("s-%d", sp.sessions)
	switch sp.rng.IntN(3) {
	case 1:
		id = fmt.Sprintf("%08x-1111-4000-8000-%012x", sp.sessions, sp.rng.Uint64()>>16)
	case 2:
		id = fmt.Sprintf("%08X-1111-4000-8000-%012X", sp.sessions, sp.rng.Uint64()>>16)
	}
	s := types.DevEnvironmentSessionSummary{
		SpaceName: env.SpaceName, ProjectName: env.ProjectName, DevEnvironmentId: env.Id, Id: aws.String(id),
	}
	switch sp.rng.IntN(4) {
	case 0:
		s.StartedTime = aws.Time(time.Unix(1.7e9+int64(sp.rng.IntN(1e6)), int64(sp.rng.IntN(1e9))).UTC())
	case 1, 2:
		s.StartedTime = aws.Time(time.Unix(1.7e9+int64(sp.rng.IntN(1e6)), 0).UTC())
	}
	return s
}

func (sp *wsSpace) running() []int {
	var out []int
	for i, e := range sp.envs {
		if e.sum.Status == types.DevEnvironmentStatusRunning {
			out = append(out, i)
		}
	}
	return out
}

// change makes 0 to 3 changes: dev environments created (anywhere),
// deleted, stopped, started or renamed; sessions started (anywhere in
// their dev environment's order) or ended.
func (sp *wsSpace) change() {
	for range sp.rng.IntN(4) {
		switch sp.rng.IntN(7) {
		case 0:
			status := types.DevEnvironmentStatusRunning
			if sp.rng.IntN(3) == 0 {
				status = types.DevEnvironmentStatusStopped
			}
			sp.envs = slices.Insert(sp.envs, sp.rng.IntN(len(sp.envs)+1), sp.newEnv(status))
		case 1:
			if len(sp.envs) > 0 {
				i := sp.rng.IntN(len(sp.envs))
				sp.envs = slices.Delete(sp.envs, i, i+1)
			}
		case 2:
			if r := sp.running(); len(r) > 0 {
				e := &sp.envs[r[sp.rng.IntN(len(r))]]
				e.sum.Status, e.sessions = types.DevEnvironmentStatusStopped, nil
			}
		case 3:
			for i := range sp.envs {
				if e := &sp.envs[i]; e.sum.Status == types.DevEnvironmentStatusStopped {
					e.sum.Status = types.DevEnvironmentStatusRunning
					for range 1 + sp.rng.IntN(3) {
						e.sessions = append(e.sessions, sp.newSession(e.sum))
					}
					break
				}
			}
		case 4:
			if r := sp.running(); len(r) > 0 {
				e := &sp.envs[r[sp.rng.IntN(len(r))]]
				e.sessions = slices.Insert(e.sessions, sp.rng.IntN(len(e.sessions)+1), sp.newSession(e.sum))
			}
		case 5:
			if r := sp.running(); len(r) > 0 {
				if e := &sp.envs[r[sp.rng.IntN(len(r))]]; len(e.sessions) > 0 {
					i := sp.rng.IntN(len(e.sessions))
					e.sessions = slices.Delete(e.sessions, i, i+1)
				}
			}
		case 6:
			if len(sp.envs) > 0 {
				e := &sp.envs[sp.rng.IntN(len(sp.envs))]
				e.sum.Alias = aws.String(aws.ToString(e.sum.Alias) + "'")
			}
		}
	}
}

// wsPlan is what fails in one poll, by what a request asks for (so that
// every reading of a listing fails alike, however many the listing makes):
// the ListDevEnvironments request for the page after listFail pages (nil:
// none), and per dev environment the ListDevEnvironmentSessions request
// for the page after page pages, with an error or as not found (deleted
// while the poll lists it).
type wsPlan struct {
	listFail *int
	envFail  map[string]wsFault
}

type wsFault struct {
	page int
	gone bool
}

func (p wsPlan) String() string {
	out := "list:none"
	if p.listFail != nil {
		out = fmt.Sprintf("list:%d", *p.listFail)
	}
	for _, id := range slices.Sorted(maps.Keys(p.envFail)) {
		out += fmt.Sprintf(" %s:%+v", id[:8], p.envFail[id])
	}
	return out
}

var errWatchFault = errors.New("scripted failure")

func (sp *wsSpace) plan() wsPlan {
	p := wsPlan{envFail: map[string]wsFault{}}
	if sp.rng.IntN(2) == 0 {
		return p
	}
	if sp.rng.IntN(4) == 0 {
		p.listFail = aws.Int(sp.rng.IntN(3))
	}
	for _, e := range sp.envs {
		if sp.rng.IntN(4) == 0 {
			p.envFail[*e.sum.Id] = wsFault{page: sp.rng.IntN(3), gone: sp.rng.IntN(3) == 0}
		}
	}
	return p
}

// faultySpace serves a fake space, failing the requests a plan names.
type faultySpace struct {
	c                    *devsessionstest.Client
	p                    wsPlan
	envPage, sessionPage int32
}

// tokenAfter is the fake's nextToken after pages pages of size (nil for
// the first page).
func tokenAfter(pages int, size int32) string {
	if pages == 0 {
		return ""
	}
	if size == 0 {
		size = devsessionstest.DefaultPageSize
	}
	return "tok-" + strconv.Itoa(pages*int(size))
}

func (f *faultySpace) ListDevEnvironments(ctx context.Context, in *codecatalyst.ListDevEnvironmentsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentsOutput, error) {
	if f.p.listFail != nil && aws.ToString(in.NextToken) == tokenAfter(*f.p.listFail, f.envPage) {
		return nil, errWatchFault
	}
	return f.c.ListDevEnvironments(ctx, in, optFns...)
}

func (f *faultySpace) ListDevEnvironmentSessions(ctx context.Context, in *codecatalyst.ListDevEnvironmentSessionsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	if fault, ok := f.p.envFail[aws.ToString(in.DevEnvironmentId)]; ok && aws.ToString(in.NextToken) == tokenAfter(fault.page, f.sessionPage) {
		if fault.gone {
			return nil, &types.ResourceNotFoundException{Message: aws.String("deleted")}
		}
		return nil, errWatchFault
	}
	return f.c.ListDevEnvironmentSessions(ctx, in, optFns...)
}

func (sp *wsSpace) client(p wsPlan, o wsOptions) *faultySpace {
	var envs []types.DevEnvironmentSummary
	var sessions []types.DevEnvironmentSessionSummary
	for _, e := range sp.envs {
		envs = append(envs, e.sum)
		sessions = append(sessions, e.sessions...)
	}
	return &faultySpace{c: devsessionstest.NewSpaceClient(envs, sessions), p: p, envPage: o.envPage, sessionPage: o.sessionPage}
}

// plannedSpace forwards to the poll's faultySpace.
type plannedSpace struct{ cur *atomic.Pointer[faultySpace] }

func (p *plannedSpace) ListDevEnvironments(ctx context.Context, in *codecatalyst.ListDevEnvironmentsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentsOutput, error) {
	return p.cur.Load().ListDevEnvironments(ctx, in, optFns...)
}

func (p *plannedSpace) ListDevEnvironmentSessions(ctx context.Context, in *codecatalyst.ListDevEnvironmentSessionsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	return p.cur.Load().ListDevEnvironmentSessions(ctx, in, optFns...)
}

// wsKnown is what a watcher knows: by dev environment id, the dev
// environment as last seen and its sessions seen and not ended.
type wsKnown map[string]*wsKnownEnv

type wsKnownEnv struct {
	env      types.DevEnvironmentSummary
	creator  devsessions.User
	sessions map[string]types.DevEnvironmentSessionSummary
}

func (k wsKnown) clone() wsKnown {
	out := wsKnown{}
	for id, e := range k {
		out[id] = &wsKnownEnv{env: e.env, creator: e.creator, sessions: maps.Clone(e.sessions)}
	}
	return out
}

// checkpointed is what a checkpoint keeps of k (SessionWatcher.Checkpoint's
// doc).
func (k wsKnown) checkpointed() wsKnown {
	out := wsKnown{}
	for id, e := range k {
		env := types.DevEnvironmentSummary{Id: e.env.Id, SpaceName: aws.String(watchSpaceName), ProjectName: e.env.ProjectName,
			Alias: e.env.Alias, CreatorId: e.env.CreatorId}
		ke := &wsKnownEnv{env: env, creator: devsessions.User{ID: aws.ToString(env.CreatorId)},
			sessions: map[string]types.DevEnvironmentSessionSummary{}}
		for sid, s := range e.sessions {
			ke.sessions[sid] = types.DevEnvironmentSessionSummary{Id: s.Id, DevEnvironmentId: env.Id,
				SpaceName: env.SpaceName, ProjectName: env.ProjectName, StartedTime: s.StartedTime}
		}
		out[id] = ke
	}
	return out
}

// wsItem is one thing a loop yields.
type wsItem struct {
	Kind    devsessions.SessionEventKind
	Session devsessions.SpaceSession
	ErrEnv  string // a *DevEnvironmentError's dev environment
	ListErr bool   // the listing failed
}

func toItem(t *testing.T, ev devsessions.SessionEvent, err error) wsItem {
	t.Helper()
	if err == nil {
		return wsItem{Kind: ev.Kind, Session: ev.Session}
	}
	var envErr *devsessions.DevEnvironmentError
	if errors.As(err, &envErr) {
		require.ErrorIs(t, err, errWatchFault)
		return wsItem{ErrEnv: aws.ToString(envErr.DevEnvironment.Id)}
	}
	require.ErrorIs(t, err, errWatchFault)
	return wsItem{ListErr: true}
}

type wsOptions struct {
	envPage, sessionPage int32
	statuses             []types.DevEnvironmentStatus
	concurrency          int
}

func (o wsOptions) asked(s types.DevEnvironmentStatus) bool {
	if o.statuses == nil {
		return s == types.DevEnvironmentStatusRunning
	}
	return slices.Contains(o.statuses, s)
}

// listing is what a space listing of client delivers, errors included (a
// dev environment's as ErrEnv, the listing's as ListErr, which ends it): what
// a poll over the same space and faults sees.
func listing(t *testing.T, client devsessions.SpaceSessionsAPIClient, o wsOptions) []wsItem {
	t.Helper()
	ss := devsessions.NewSpaceSessions(client, &codecatalyst.ListDevEnvironmentsInput{SpaceName: aws.String(watchSpaceName)},
		func(so *devsessions.SpaceSessionsOptions) {
			so.Concurrency, so.Statuses = o.concurrency, o.statuses
			so.DevEnvironmentPageSize, so.SessionPageSize = o.envPage, o.sessionPage
		})
	var out []wsItem
	for s, err := range ss.Items(t.Context()) {
		if err != nil {
			it := toItem(t, devsessions.SessionEvent{}, err)
			if it.ErrEnv != "" {
				var envErr *devsessions.DevEnvironmentError
				require.ErrorAs(t, err, &envErr)
				it.Session.DevEnvironment = envErr.DevEnvironment
			}
			out = append(out, it)
			continue
		}
		out = append(out, wsItem{Session: s})
	}
	return out
}

// poll is what a watcher that knows known yields for a poll whose listing
// delivers seen, to a loop that breaks after stopAfter items (-1: never),
// and it updates known as the watcher does. A dev environment's sessions
// are held until its listing ends: followed by its own error, they are
// dropped (nothing is announced about it and its known sessions stay);
// otherwise those the watcher did not know start, in the listing's order,
// when the next thing comes (another dev environment's session or error,
// the listing's error, the end), but for those that started at or after
// since (or at no known time) when olderThan is set: they are not known
// yet. A dev environment in gone (deleted while its sessions were listed)
// is as one with an error, without the error. When the listing completed,
// the known sessions not delivered of dev environments without an error
// end, in id order. A session announced or
// known updates what is known of it and of its dev environment, a dev
// environment's error what is known of it.
func poll(known wsKnown, seen []wsItem, gone map[string]bool, stopAfter int, olderThan bool, since time.Time) []wsItem {
	var out []wsItem
	emit := func(it wsItem) bool {
		out = append(out, it)
		return stopAfter < 0 || len(out) < stopAfter
	}
	delivered := map[string]map[string]bool{}
	failed := maps.Clone(gone)
	var held []wsItem
	flush := func() bool {
		h := held
		held = nil
		for _, it := range h {
			if gone[aws.ToString(it.Session.DevEnvironment.Id)] {
				break // deleted while listed: not listed in full
			}
			id, sid := aws.ToString(it.Session.DevEnvironment.Id), aws.ToString(it.Session.Session.Id)
			if delivered[id] == nil {
				delivered[id] = map[string]bool{}
			}
			delivered[id][sid] = true
			k := known[id]
			if k != nil {
				if _, had := k.sessions[sid]; had {
					k.env, k.creator, k.sessions[sid] = it.Session.DevEnvironment, it.Session.Creator, it.Session.Session
					continue
				}
			}
			if st := it.Session.Session.StartedTime; olderThan && (st == nil || !st.Before(since)) {
				continue
			}
			if k == nil {
				k = &wsKnownEnv{sessions: map[string]types.DevEnvironmentSessionSummary{}}
				known[id] = k
			}
			k.env, k.creator, k.sessions[sid] = it.Session.DevEnvironment, it.Session.Creator, it.Session.Session
			if !emit(wsItem{Kind: devsessions.SessionStarted, Session: it.Session}) {
				return false
			}
		}
		return true
	}
	heldEnv := func() string {
		if len(held) == 0 {
			return ""
		}
		return aws.ToString(held[0].Session.DevEnvironment.Id)
	}
	for _, it := range seen {
		id := aws.ToString(it.Session.DevEnvironment.Id)
		switch {
		case it.ListErr:
			if !flush() {
				return out
			}
			emit(wsItem{ListErr: true})
			return out
		case it.ErrEnv != "":
			if heldEnv() == it.ErrEnv {
				held = nil
			} else if !flush() {
				return out
			}
			failed[it.ErrEnv] = true
			if k := known[it.ErrEnv]; k != nil {
				k.env = it.Session.DevEnvironment
				if c := aws.ToString(k.env.CreatorId); c != k.creator.ID {
					k.creator = devsessions.User{ID: c}
				}
			}
			if !emit(wsItem{ErrEnv: it.ErrEnv}) {
				return out
			}
			continue
		}
		if heldEnv() != id && !flush() {
			return out
		}
		held = append(held, it)
	}
	if !flush() {
		return out
	}
	for _, id := range slices.Sorted(maps.Keys(known)) {
		if failed[id] {
			continue
		}
		k := known[id]
		for _, sid := range slices.Sorted(maps.Keys(k.sessions)) {
			if delivered[id][sid] {
				continue
			}
			s := devsessions.SpaceSession{DevEnvironment: k.env, Session: k.sessions[sid], Creator: k.creator}
			delete(k.sessions, sid)
			if len(k.sessions) == 0 {
				delete(known, id)
			}
			if !emit(wsItem{Kind: devsessions.SessionEnded, Session: s}) {
				return out
			}
		}
	}
	return out
}

// undo takes ev back from known, as SessionWatcher.Undo does.
func undo(known wsKnown, ev devsessions.SessionEvent) {
	id, sid := aws.ToString(ev.Session.DevEnvironment.Id), aws.ToString(ev.Session.Session.Id)
	k := known[id]
	if ev.Kind == devsessions.SessionStarted {
		delete(k.sessions, sid)
		if len(k.sessions) == 0 {
			delete(known, id)
		}
		return
	}
	if k == nil {
		k = &wsKnownEnv{env: ev.Session.DevEnvironment, creator: ev.Session.Creator, sessions: map[string]types.DevEnvironmentSessionSummary{}}
		known[id] = k
	}
	k.sessions[sid] = ev.Session.Session
}

// Random chains of polls over a space that changes between them (dev
// environments created, deleted, stopped, started, renamed; sessions
// started and ended), with failed dev environments, dev environments
// deleted while a poll lists them, failed ListDevEnvironments calls, loops
// that break mid-poll (and at times take the last event back with Undo) or
// stop between polls, restarts from checkpoints, and OlderThan over a
// clock that advances with the polls. Every poll yields exactly the differences between what the
// watcher knew and what the poll saw; across the chain a session's events
// alternate started, ended; after a complete poll without faults the
// watcher knows exactly the sessions of the space.
func TestSessionWatcherEventsAreTheDifferencesBetweenPolls(t *testing.T) {
	cases := 400
	if testing.Short() {
		cases = 40
	}
	for seed := range uint64(cases) {
		rng := rand.New(rand.NewPCG(seed, 14))
		sp := newWatchSpace(rng, rng.IntN(7))
		o := wsOptions{envPage: []int32{0, 1, 2, 3, 5}[rng.IntN(5)], sessionPage: []int32{0, 1, 2, 3}[rng.IntN(4)]}
		if rng.IntN(3) == 0 {
			o.statuses = []types.DevEnvironmentStatus{types.DevEnvironmentStatusRunning, types.DevEnvironmentStatusStopped}
		}
		o.concurrency = 1 + rng.IntN(8)
		interval := time.Duration(1+rng.IntN(3)) * time.Second
		var olderThan time.Duration // sessions start in the 1e6 s after 1.7e9; a poll is 4e4 s after the one before
		if rng.IntN(3) == 0 {
			olderThan = time.Duration(1+rng.IntN(5e5)) * time.Second
		}
		var pollTime time.Time
		var current atomic.Pointer[faultySpace]
		live := &plannedSpace{&current}
		newWatcher := func(cp string) *devsessions.SessionWatcher {
			w := devsessions.NewSessionWatcher(live, &codecatalyst.ListDevEnvironmentsInput{SpaceName: aws.String(watchSpaceName)},
				func(w *devsessions.SessionWatcherOptions) {
					w.Interval, w.Checkpoint, w.Concurrency, w.Statuses = interval, cp, o.concurrency, o.statuses
					w.DevEnvironmentPageSize, w.SessionPageSize, w.OlderThan = o.envPage, o.sessionPage, olderThan
				})
			devsessions.SetWatcherClock(w, func() time.Time { return pollTime })
			return w
		}
		w := newWatcher("")
		known := wsKnown{}
		history := map[string]devsessions.SessionEventKind{} // a session's last event
		const maxPolls = 25
		polls := 0
		var plan wsPlan
		var want, got []wsItem
		stop := -1
		clean := false // the poll has no fault and no break
		undone := false
		log := fmt.Sprintf("seed %d olderThan %v", seed, olderThan)

		startPoll := func() {
			if polls > 0 {
				sp.change()
			}
			plan = sp.plan()
			current.Store(sp.client(plan, o))
			pollTime = time.Unix(1.7e9+int64(polls)*4e4, 0)
			since := pollTime.Add(-olderThan)
			seen := listing(t, sp.client(plan, o), o) // what this poll sees: the same space, the same faults
			gone := map[string]bool{}                 // dev environments a not-found answer ends
			size := int(cmp.Or(o.sessionPage, devsessionstest.DefaultPageSize))
			for _, e := range sp.envs {
				if f, ok := plan.envFail[*e.sum.Id]; ok && f.gone && o.asked(e.sum.Status) && (f.page == 0 || len(e.sessions) > f.page*size) {
					gone[*e.sum.Id] = true
				}
			}
			n := len(poll(known.clone(), seen, gone, -1, olderThan > 0, since))
			stop = -1
			if n > 0 && rng.IntN(5) == 0 {
				stop = 1 + rng.IntN(n)
			}
			want, got, undone = poll(known, seen, gone, stop, olderThan > 0, since), nil, false
			clean = stop < 0 && plan.listFail == nil && len(plan.envFail) == 0
			log += fmt.Sprintf(" | poll %d plan %v stop %d", polls+1, plan, stop)
		}
		finishPoll := func() {
			require.Equal(t, want, got, log)
			if undone {
				got = got[:len(got)-1] // taken back: as if never yielded
			}
			for _, it := range got {
				if it.Kind == 0 {
					continue
				}
				k := *it.Session.DevEnvironment.Id + " " + *it.Session.Session.Id
				if it.Kind == devsessions.SessionStarted {
					require.NotEqual(t, devsessions.SessionStarted, history[k], "%s: %s started twice", log, k)
				} else {
					require.Equal(t, devsessions.SessionStarted, history[k], "%s: %s ended without a start", log, k)
				}
				history[k] = it.Kind
			}
			if clean {
				var space, announced []string
				since := pollTime.Add(-olderThan)
				for _, e := range sp.envs {
					if o.asked(e.sum.Status) {
						for _, s := range e.sessions {
							if olderThan == 0 || (s.StartedTime != nil && s.StartedTime.Before(since)) {
								space = append(space, *e.sum.Id+" "+*s.Id)
							}
						}
					}
				}
				for k, kind := range history {
					if kind == devsessions.SessionStarted {
						announced = append(announced, k)
					}
				}
				require.ElementsMatch(t, space, announced, "%s: after a clean poll the started-and-not-ended sessions are the space's", log)
			}
			polls++
		}

		for polls < maxPolls {
			ctx, cancel := context.WithCancel(t.Context())
			open := true
			devsessions.SetWatcherSleep(w, func(ctx context.Context, d time.Duration) error {
				require.Equal(t, interval, d)
				finishPoll()
				if polls >= maxPolls || rng.IntN(6) == 0 {
					open = false
					cancel()
					return ctx.Err()
				}
				startPoll()
				return nil
			})
			startPoll()
			var last devsessions.SessionEvent
			for ev, err := range w.Events(ctx) {
				got, last = append(got, toItem(t, ev, err)), ev
				if len(got) == stop {
					break
				}
			}
			cancel()
			if open && last.Kind != 0 && len(got) == stop && rng.IntN(2) == 0 {
				require.NoError(t, w.Undo(last), log)
				require.ErrorIs(t, w.Undo(last), devsessions.ErrNotLastEvent, log)
				undo(known, last)
				undone, log = true, log+" undo"
			}
			if open {
				finishPoll()
			}
			if rng.IntN(2) == 0 {
				cp := w.Checkpoint()
				log += " | restart"
				w, known = newWatcher(cp), known.checkpointed()
			}
		}
	}
}

// churningSpace serves a wsSpace that changes while a poll lists it: each
// request may first change the space (and, rarely, fail). It records the
// states the space went through since the poll began, as sets of
// "<dev environment id> <session id>" of the dev environments whose status
// the watcher asks for.
type churningSpace struct {
	mu       sync.Mutex
	sp       *wsSpace
	o        wsOptions
	fake     *devsessionstest.Client
	churn    bool // the space changes during requests, some fail
	states   []map[string]bool
	requests int
}

func (c *churningSpace) state() map[string]bool {
	out := map[string]bool{}
	for _, e := range c.sp.envs {
		if c.o.asked(e.sum.Status) {
			for _, s := range e.sessions {
				out[*e.sum.Id+" "+*s.Id] = true
			}
		}
	}
	return out
}

// beginPoll starts recording a poll's states, from the space as it is.
func (c *churningSpace) beginPoll(churn bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.churn, c.states = churn, []map[string]bool{c.state()}
}

func (c *churningSpace) rebuild() {
	var envs []types.DevEnvironmentSummary
	var sessions []types.DevEnvironmentSessionSummary
	for _, e := range c.sp.envs {
		envs = append(envs, e.sum)
		sessions = append(sessions, e.sessions...)
	}
	c.fake = devsessionstest.NewSpaceClient(envs, sessions)
}

// before is what a request does first: maybe change the space, maybe fail.
func (c *churningSpace) before() (*devsessionstest.Client, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.requests++
	if c.churn {
		if c.sp.rng.IntN(3) == 0 {
			c.sp.change()
			c.rebuild()
			c.states = append(c.states, c.state())
		}
		if c.sp.rng.IntN(25) == 0 {
			return nil, errWatchFault
		}
	}
	return c.fake, nil
}

func (c *churningSpace) ListDevEnvironments(ctx context.Context, in *codecatalyst.ListDevEnvironmentsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentsOutput, error) {
	f, err := c.before()
	if err != nil {
		return nil, err
	}
	return f.ListDevEnvironments(ctx, in, optFns...)
}

func (c *churningSpace) ListDevEnvironmentSessions(ctx context.Context, in *codecatalyst.ListDevEnvironmentSessionsInput,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	f, err := c.before()
	if err != nil {
		return nil, err
	}
	return f.ListDevEnvironmentSessions(ctx, in, optFns...)
}

// Random chains of polls over a space that changes while the polls list
// it (between any two requests: dev environments created, deleted, stopped,
// started, moved; sessions started and ended), with failed requests,
// breaks and restarts from checkpoints. No poll can be predicted, but every
// event is true of the poll that announces it: a session announced as
// started was in the space at some moment of that poll, one announced as
// ended was not at some moment of it; a session's events alternate
// started, ended, across the chain; and a poll of a quiet space without
// faults leaves the watcher knowing exactly the space's sessions.
func TestSessionWatcherEventsAreTrueWhileTheSpaceChangesDuringPolls(t *testing.T) {
	cases := 400
	if testing.Short() {
		cases = 20
	}
	for seed := range uint64(cases) {
		rng := rand.New(rand.NewPCG(seed, 1414))
		sp := newWatchSpace(rng, 1+rng.IntN(7))
		o := wsOptions{envPage: []int32{0, 1, 2, 3}[rng.IntN(4)], sessionPage: []int32{0, 1, 2}[rng.IntN(3)], concurrency: 1 + rng.IntN(4)}
		space := &churningSpace{sp: sp, o: o}
		space.rebuild()
		newWatcher := func(cp string) *devsessions.SessionWatcher {
			return devsessions.NewSessionWatcher(space, &codecatalyst.ListDevEnvironmentsInput{SpaceName: aws.String(watchSpaceName)},
				func(w *devsessions.SessionWatcherOptions) {
					w.Checkpoint, w.Concurrency = cp, o.concurrency
					w.DevEnvironmentPageSize, w.SessionPageSize = o.envPage, o.sessionPage
				})
		}
		w := newWatcher("")
		history := map[string]devsessions.SessionEventKind{}
		log := fmt.Sprintf("seed %d options %+v", seed, o)
		const polls = 12
		for i := range polls {
			quiet := i == polls-1 || rng.IntN(4) == 0
			if i > 0 {
				space.mu.Lock()
				sp.change()
				space.rebuild()
				space.mu.Unlock()
			}
			space.beginPoll(!quiet)
			stop := -1
			if !quiet && rng.IntN(4) == 0 {
				stop = 1 + rng.IntN(6)
			}
			ctx, cancel := context.WithCancel(t.Context())
			devsessions.SetWatcherSleep(w, func(ctx context.Context, d time.Duration) error { cancel(); return ctx.Err() })
			n, failed := 0, false
			for ev, err := range w.Events(ctx) {
				if err != nil {
					failed = true // scripted, or a token past a list that shrank
					continue
				}
				n++
				k := *ev.Session.DevEnvironment.Id + " " + *ev.Session.Session.Id
				space.mu.Lock()
				states := slices.Clone(space.states)
				space.mu.Unlock()
				present, absent := false, false
				for _, st := range states {
					present, absent = present || st[k], absent || !st[k]
				}
				if ev.Kind == devsessions.SessionStarted {
					require.True(t, present, "%s poll %d: %s announced started, never in the space during the poll", log, i, k)
					require.NotEqual(t, devsessions.SessionStarted, history[k], "%s poll %d: %s started twice", log, i, k)
				} else {
					require.True(t, absent, "%s poll %d: %s announced ended, in the space all through the poll", log, i, k)
					require.Equal(t, devsessions.SessionStarted, history[k], "%s poll %d: %s ended without a start", log, i, k)
				}
				history[k] = ev.Kind
				if n == stop {
					break
				}
			}
			cancel()
			if quiet && !failed {
				var known []string
				for k, kind := range history {
					if kind == devsessions.SessionStarted {
						known = append(known, k)
					}
				}
				require.ElementsMatch(t, slices.Collect(maps.Keys(space.states[0])), known,
					"%s poll %d: after a quiet poll without faults the watcher knows the space", log, i)
			}
			if rng.IntN(3) == 0 {
				w, log = newWatcher(w.Checkpoint()), log+fmt.Sprintf(" | restart after %d", i)
			}
		}
	}
}
